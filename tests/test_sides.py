"""Who is on which side: actor keys, how well a name points at a speaker, one voice per side."""

from __future__ import annotations

import pytest

from bot.detect.actors import ActorsFileError, Gazetteer
from bot.detect.sides import (
    actor_keys,
    actor_match,
    family_prefix,
    judges,
    name_key,
    same_body,
    voice_of,
    voice_of_key,
)
from bot.types import Actor, ActorType

ICE = Actor("us.ice", "U.S. Immigration and Customs Enforcement", ActorType.AGENCY, "us", ("ICE",), "us.gov")
PRES = Actor("mx.president", "Claudia Sheinbaum", ActorType.HEAD_OF_STATE, "mx", (), "mx.gov")


def test_actor_match_levels() -> None:
    assert actor_match(ICE, "ICE", "us.ice", "us.gov") == 1.0
    assert actor_match(ICE, "ICE", "us.gov", None) == 0.7  # the body it belongs to
    assert (
        actor_match(
            None,
            "Immigration and Customs Enforcement",
            None,
            None,
            "U.S. Immigration and Customs Enforcement",
        )
        == 0.5
    )
    assert actor_match(PRES, "Sheinbaum", "us.ice", "us.gov") == 0.0


def test_an_office_its_holder_and_its_government_are_one_voice() -> None:
    presidency = Actor("mx.presidency", "Presidency of Mexico", ActorType.GOVERNMENT, "mx", (), "mx.gov")
    foreign = Actor("mx.sre", "Mexican foreign ministry", ActorType.MINISTRY, "mx", (), "mx.gov")
    embassy = Actor("us.embassy.mx", "U.S. Embassy in Mexico", ActorType.EMBASSY, "us", (), "us.gov")
    assert voice_of(PRES) == voice_of(presidency) == voice_of(foreign) == "state:mx"
    assert voice_of(embassy) == voice_of(ICE) == "state:us"
    assert voice_of(PRES) != voice_of(embassy)


def test_companies_un_bodies_and_people_speak_for_themselves() -> None:
    acme = Actor("co.acme", "Acme", ActorType.COMPANY, "us")
    who = Actor("un.who", "World Health Organization", ActorType.UN_BODY)
    assert voice_of(acme) == "co.acme" and voice_of(who) == "un.who"
    assert voice_of(None, "a Harbour Authority spokesman") == name_key("a Harbour Authority spokesman")
    assert voice_of(None, None) is None


def test_actor_keys_and_state_prefix() -> None:
    assert actor_keys(ICE) == frozenset({"us.ice", "us.gov"})
    assert actor_keys(None) == frozenset()
    assert family_prefix(ICE) == "us."
    assert family_prefix(Actor("co.x", "X", ActorType.COMPANY, "us")) is None


def test_a_stored_key_speaks_with_its_states_voice_even_when_made_from_a_role() -> None:
    known = {"mx.presidency": Actor("mx.presidency", "Presidency of Mexico", ActorType.GOVERNMENT, "mx")}
    countries = {"mx", "us", "co"}
    # "mx.president" was made from a role word when the statement was read: not in the gazetteer
    assert voice_of_key("mx.president", None, known.get, countries) == "state:mx"
    assert voice_of_key("mx.presidency", None, known.get, countries) == "state:mx"
    assert voice_of_key("name:harbour authority", None, known.get, countries) == "name:harbour authority"
    assert voice_of_key("police.springfield", None, known.get, countries) == "police.springfield"
    assert voice_of_key(None, "a port spokesman", known.get, countries) == name_key("a port spokesman")


def test_a_legislature_its_members_and_local_governments_speak_apart_from_the_executive() -> None:
    # Invented people: two senators, a governor under her state's government, and a
    # prefecture that answers to a national ministry (it speaks for the state, as before).
    gaz = Gazetteer.from_toml(
        "[actors]\n"
        '"us.odell" = { name = "Mara Odell", type = "official", country = "us", parent = "us.senate" }\n'
        '"us.pryce" = { name = "Tomas Pryce", type = "official", country = "us", parent = "us.senate" }\n'
        '"us.state.wy" = { name = "State of Wyoming", type = "local_government", country = "us" }\n'
        '"us.quade" = { name = "Nell Quade", type = "official", country = "us", parent = "us.state.wy" }\n'
        '"us.wy_police" = { name = "Wyoming Highway Patrol", type = "police", country = "us", parent = "us.state.wy" }\n'
        '"fr.prefecture_x" = { name = "Préfecture de X", type = "local_government", country = "fr", parent = "fr.gov" }\n'
    )

    def voice(key: str) -> str | None:
        return voice_of(gaz.get(key))

    assert voice("us.white_house") == voice("us.ice") == "state:us"
    assert voice("us.odell") == "us.odell" != voice("us.pryce")  # each lawmaker for herself
    assert voice("us.senate") == "us.senate" != voice("us.odell")
    assert voice("us.quade") == voice("us.wy_police") == voice("us.state.wy") == "us.state.wy"
    assert voice("fr.prefecture_x") == "state:fr"
    # a governor or mayor of a named place, read from role words, speaks for that place
    (governor,) = [a for a, _ in gaz.find_all("the governor of Oregon said", country="us")]
    assert voice_of(governor) == governor.key == "us.governor.oregon"


def test_an_office_of_a_place_speaks_with_the_voice_of_the_body_that_lists_it() -> None:
    # An invented state whose government lists its governor's office: the office read from
    # role words and the holder under the state body are one side; a place the file does not
    # list keeps the office's own voice.
    gaz = Gazetteer.from_toml(
        "[actors]\n"
        '"us.state.wy" = { name = "State of Wyoming", type = "local_government", country = "us",'
        ' offices = ["us.governor.wyoming"] }\n'
        '"us.quade" = { name = "Nell Quade", type = "official", country = "us", parent = "us.state.wy" }\n'
    )
    (governor,) = [a for a, _ in gaz.find_all("The governor of Wyoming denied the report", country="us")]
    assert governor.key == "us.governor.wyoming"  # the office keeps its name in alerts
    assert voice_of(governor) == voice_of(gaz.get("us.quade")) == "us.state.wy"
    # stored role keys, as threads read them back through the gazetteer
    assert gaz.voice_of_key("us.governor.wyoming") == "us.state.wy"
    assert gaz.voice_of_key("us.governor.oregon") == "us.governor.oregon"


def test_an_office_listed_under_a_body_must_be_a_place_role_of_its_country() -> None:
    for office in ("mx.governor.sonora", "us.president.wyoming", "us.governor"):
        with pytest.raises(ActorsFileError, match="offices"):
            Gazetteer.from_toml(
                "[actors]\n"
                '"us.state.wy" = { name = "State of Wyoming", type = "local_government", country = "us",'
                f' offices = ["{office}"] }}\n'
            )


def test_a_stored_role_key_of_a_legislature_or_a_place_keeps_its_own_voice() -> None:
    countries = {"mx", "us"}
    assert voice_of_key("us.governor.oregon", None, {}.get, countries) == "us.governor.oregon"
    assert voice_of_key("mx.legislature", None, {}.get, countries) == "mx.legislature"
    assert voice_of_key("us.ministry.labour", None, {}.get, countries) == "state:us"


def test_one_body_is_the_actor_its_parts_and_a_role_read_without_a_country(gaz: Gazetteer) -> None:
    education = gaz.get("us.education")
    assert education is not None and "ministry.education" in education.roles
    unplaced = Actor("ministry.education", "Education ministry", ActorType.MINISTRY)
    bare = Actor("ministry", "Ministry", ActorType.MINISTRY)
    transport = Actor("ministry.transport", "Transport ministry", ActorType.MINISTRY)
    minister = Actor(
        "ministry.education.minister",
        "Education minister",
        ActorType.OFFICIAL,
        None,
        (),
        "ministry.education",
    )
    assert same_body(unplaced, education) and same_body(education, unplaced)
    assert same_body(bare, education) and same_body(bare, transport)  # "the ministry" may be any
    assert same_body(minister, education)  # its minister speaks for it
    assert not same_body(transport, education) and not same_body(transport, unplaced)
    # two bodies of one state are one voice but not one body (ICE and the U.S. Embassy)
    embassy = Actor("us.embassy.mx", "U.S. Embassy in Mexico", ActorType.EMBASSY, "us", (), "us.gov")
    assert voice_of(embassy) == voice_of(ICE) and not same_body(embassy, ICE)
    # a country's whole government is never one body with anything here: a place read as a
    # speaker ("talks in Moscow") would silence the state's real bodies
    russia, kremlin = gaz.get("ru.gov"), gaz.get("ru.kremlin")
    assert russia is not None and kremlin is not None
    assert not same_body(russia, russia) and not same_body(kremlin, russia)
    assert same_body(kremlin, kremlin) and not same_body(None, kremlin)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("gb.nao", True),  # an audit office (a regulator of the gazetteer)
        ("ca.statcan", True),  # a statistics office: an agency filling the role
        ("us.sec", True),  # a regulator
        ("us.supreme_court", True),  # a court
        ("us.ice", False),  # an agency that makes claims, not one that judges them
        ("us.state", False),
        ("us.white_house", False),
    ],
)
def test_the_authorities_that_judge_others_statements(gazetteer: Gazetteer, key: str, expected: bool) -> None:
    actor = gazetteer.get(key)
    assert actor is not None, key
    assert judges(actor) is expected


def test_a_body_read_from_role_words_judges_by_its_role() -> None:
    # "the audit office", "the ombudsman" with no listed body behind them
    assert judges(Actor("xx.auditor", "Audit office", ActorType.REGULATOR, "xx"))
    assert judges(Actor("es.ombudsman", "Ombudsman", ActorType.AGENCY, "es"))
    assert not judges(Actor("es.ministry.health", "Health ministry", ActorType.MINISTRY, "es"))
    assert not judges(None)
