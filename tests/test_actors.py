"""The actors gazetteer: aliases, possessives, role patterns, user files, text utilities."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.detect.actors import ActorsFileError, Gazetteer, default_actors_path
from bot.types import ActorType

ROOT = Path(__file__).resolve().parents[1]


def keys(gaz: Gazetteer, text: str, country: str | None = None) -> list[str]:
    return [a.key for a, _ in gaz.find_all(text, country=country)]


# --- the packaged file ----------------------------------------------------------------------


def test_packaged_file_is_found_and_large() -> None:
    assert default_actors_path().is_file()
    gaz = Gazetteer.load()
    assert len(gaz) > 300  # named actors plus one government per country


def test_config_actors_is_the_packaged_file() -> None:
    """One source: the wheel ships bot/detect/data/actors.toml, and config/actors.toml links to it."""
    link = ROOT / "config" / "actors.toml"
    assert link.is_symlink() and link.resolve() == default_actors_path().resolve()


def test_every_parent_names_a_known_actor(gaz: Gazetteer) -> None:
    missing = {a.key: a.parent for a in gaz if a.parent and gaz.get(a.parent) is None}
    assert missing == {}


# --- aliases ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "atype"),
    [
        ("ICE", "us.ice", ActorType.AGENCY),
        ("ICE's", "us.ice", ActorType.AGENCY),
        ("Immigration and Customs Enforcement", "us.ice", ActorType.AGENCY),
        ("claudia sheinbaum", "mx.sheinbaum", ActorType.HEAD_OF_STATE),
        ("AMLO", "mx.amlo", ActorType.HEAD_OF_STATE),
        ("López Obrador", "mx.amlo", ActorType.HEAD_OF_STATE),
        ("Lopez Obrador", "mx.amlo", ActorType.HEAD_OF_STATE),  # accents optional
        ("Organización Mundial de la Salud", "who", ActorType.UN_BODY),
        ("OMS", "who", ActorType.UN_BODY),
        ("Weltgesundheitsorganisation", "who", ActorType.UN_BODY),
        ("the Pentagon", "us.dod", ActorType.MINISTRY),
        ("Pentágono", "us.dod", ActorType.MINISTRY),
        ("U.S. Embassy in Mexico", "us.embassy_mx", ActorType.EMBASSY),
        ("Embajada de Estados Unidos en México", "us.embassy_mx", ActorType.EMBASSY),
        ("Tepco", "jp.tepco", ActorType.COMPANY),
        ("Carabineros", "cl.carabineros", ActorType.POLICE),
        ("Selenskyj", "ua.zelensky", ActorType.HEAD_OF_STATE),
        ("Hamas", "ag.hamas", ActorType.ARMED_GROUP),
        ("The Washington Post", "media.wapo", ActorType.MEDIA),
    ],
)
def test_resolve_aliases(gaz: Gazetteer, text: str, key: str, atype: ActorType) -> None:
    actor = gaz.resolve(text)
    assert actor is not None and actor.key == key
    assert actor.type is atype


def test_acronyms_and_one_word_names_need_capitals(gaz: Gazetteer) -> None:
    assert keys(gaz, "the ice on the lake was thin") == []
    assert keys(gaz, "la meta del equipo es clara") == []
    assert keys(gaz, "who said that?") == []
    assert keys(gaz, "WHO said that") == ["who"]


def test_possessive_and_country_metonyms(gaz: Gazetteer) -> None:
    assert keys(gaz, "Moscow denied it") == ["ru.gov"]
    assert keys(gaz, "Paris dément fermement") == ["fr.gov"]
    assert keys(gaz, "Sheinbaum rejected ICE's post") == ["mx.sheinbaum", "us.ice"]


# --- role patterns ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "atype"),
    [
        ("Mexico's foreign ministry said", "mx.sre", ActorType.MINISTRY),
        ("the Armenian military said", "am.military", ActorType.MILITARY),
        ("a Pentagon spokesperson said", "us.dod", ActorType.MINISTRY),
        ("el Ministerio de Salud de Brasil informó", "br.health", ActorType.MINISTRY),
        ("le ministère des Armées a démenti", "fr.armees", ActorType.MINISTRY),
        ("das Bundesgesundheitsministerium teilte mit", "de.bmg", ActorType.MINISTRY),
        ("o Ministério da Saúde divulgou", "br.health", ActorType.MINISTRY),
        ("the Kenyan interior ministry", "ke.ministry.interior", ActorType.MINISTRY),
        ("el gobierno de Venezuela", "ve.gov", ActorType.GOVERNMENT),
        ("o governo brasileiro", "br.gov", ActorType.GOVERNMENT),
        ("U.S. officials said", "us.gov", ActorType.GOVERNMENT),
        ("the Nigerian army said", "ng.dhq", ActorType.MILITARY),
        ("Ghana's Finance Ministry", "gh.finance", ActorType.MINISTRY),
        ("el ejército colombiano", "co.army", ActorType.MILITARY),
        ("la police française", "fr.police", ActorType.POLICE),
    ],
)
def test_role_patterns(gaz: Gazetteer, text: str, key: str, atype: ActorType) -> None:
    found = gaz.find_all(text)
    assert [a.key for a, _ in found] == [key]
    assert found[0][0].type is atype
    assert found[0][0].official


def test_bare_roles_take_the_country_of_the_context(gaz: Gazetteer) -> None:
    assert keys(gaz, "la Secretaría de Salud informó", country="mx") == ["mx.ssa"]
    assert keys(gaz, "the foreign ministry said", country="in") == ["in.mea"]
    hint = gaz.country_hint("Chile: the quake toll. Chilean officials and the Chilean navy spoke.")
    assert hint == "cl"


def test_place_police_and_governors(gaz: Gazetteer) -> None:
    lyon = gaz.find_all("police in Lyon said")
    assert lyon and lyon[0][0].key.endswith("police.lyon") and lyon[0][0].type is ActorType.POLICE
    gov = gaz.find_all("the governor of Texas said", country="us")
    assert gov and gov[0][0].key == "us.governor.texas"
    # Title-case words are not places.
    assert all(
        "initial" not in a.key for a, _ in gaz.find_all("Initial Police Report Was Wrong", country="us")
    )


def test_president_followed_by_a_name_is_the_name(gaz: Gazetteer) -> None:
    assert keys(gaz, "President Trump said") == ["us.trump"]
    assert keys(gaz, "Mexico's president said") == ["mx.president"]


def test_spans_point_into_the_original_text(gaz: Gazetteer) -> None:
    text = "Según la Cancillería, el Ejército Mexicano negó todo."
    for _actor, (s, e) in gaz.find_all(text):
        assert 0 <= s < e <= len(text)
        assert text[s:e].strip()


# --- user files ---------------------------------------------------------------------------------


def test_user_file_adds_and_overrides(tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text(
        "[actors]\n"
        '"xx.water" = { name = "Riverside Water Board", type = "agency", country = "us", aliases = ["Water Board"] }\n'
        '"us.ice" = { name = "ICE (custom)", type = "agency", country = "us", aliases = ["ICE"] }\n',
        encoding="utf-8",
    )
    gaz = Gazetteer.load([extra])
    board = gaz.resolve("the Water Board")
    assert board is not None and board.key == "xx.water" and board.official
    ice = gaz.resolve("ICE")
    assert ice is not None and ice.name == "ICE (custom)"
    assert gaz.get("mx.sheinbaum") is not None  # the packaged file is still there


def test_a_surname_marked_not_bare_names_its_person_only_in_full() -> None:
    # Two invented officials: "Quillfeather" is theirs alone; "Marsh" is a common word, so the
    # file marks it, and "Marsh" alone in a story about their country must not name her.
    gaz = Gazetteer.from_toml(
        "[actors]\n"
        '"us.quillfeather" = { name = "Odo Quillfeather", type = "official", country = "us" }\n'
        '"us.marsh" = { name = "Ada Marsh", type = "official", country = "us", bare_surname = false }\n',
    )
    assert "us.quillfeather" in keys(gaz, "Quillfeather says the tariffs will stay", country="us")
    assert "us.marsh" not in keys(gaz, "Marsh fires spread across the state", country="us")
    assert "us.marsh" in keys(gaz, "Ada Marsh says the tariffs will stay", country="us")


def test_a_surname_marked_not_bare_still_withholds_it_from_a_namesake() -> None:
    # Two listed people share "Lindqvist"; marking one of them must not hand the word to the other.
    gaz = Gazetteer.from_toml(
        "[actors]\n"
        '"us.lindqvist_a" = { name = "Bo Lindqvist", type = "official", country = "us", bare_surname = false }\n'
        '"us.lindqvist_b" = { name = "Cy Lindqvist", type = "official", country = "us" }\n',
    )
    found = keys(gaz, "Lindqvist denies the report", country="us")
    assert "us.lindqvist_a" not in found and "us.lindqvist_b" not in found


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[actors]\n"a" = { name = "A", bare_surname = "no" }\n', "bare_surname"),
        ('[actors]\n"a" = { name = "A", type = "wizard" }\n', "type"),
        ('[actors]\n"a" = { type = "agency" }\n', "name"),
        ('[actors]\n"a" = { name = "A", colour = "red" }\n', "colour"),
        ("[people]\n", "people"),
        ("[actors\n", "invalid TOML"),
    ],
)
def test_bad_user_files_name_the_problem(tmp_path: Path, body: str, message: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(body, encoding="utf-8")
    with pytest.raises(ActorsFileError, match=message):
        Gazetteer.load([bad])


def test_missing_user_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ActorsFileError, match="not found"):
        Gazetteer.load([tmp_path / "nope.toml"])


def test_countries_expose_their_word_forms(gaz: Gazetteer) -> None:
    mexico = gaz.country("mx")
    assert mexico is not None and mexico in gaz.countries
    assert {"mexico", "mexicana", "mexicanos", "ciudad de mexico"} <= set(mexico.forms)
    assert gaz.country_code("Moskaus") == "ru"
    assert gaz.country_code("brasileños") == "br"


def test_common_spellings_of_well_known_officials_resolve() -> None:
    g = Gazetteer.load()
    for text, key in (("Zelenskiy said on Friday", "ua.zelensky"), ("Milley told reporters", "us.milley")):
        assert [m.actor.key for m in g.mentions(text)][:1] == [key]


@pytest.mark.parametrize(
    "text",
    [
        "A clip shared as a YouTube video was later shown to be staged.",
        "The woman wrote on Facebook that she was unharmed.",
        "The message came from a Twitter account that impersonated the singer.",
    ],
)
def test_a_platform_named_as_a_medium_is_not_the_company(gaz: Gazetteer, text: str) -> None:
    assert keys(gaz, text, "us") == []


def test_the_platform_company_speaking_is_still_found(gaz: Gazetteer) -> None:
    assert keys(gaz, "Facebook said it had removed the pages.") == ["co.meta"]


def test_a_vice_president_of_a_body_is_not_the_head_of_state(gaz: Gazetteer) -> None:
    assert keys(gaz, "said the league's executive vice president on Monday.", "us") == []
    assert keys(gaz, "The president said on Monday.", "us") == ["us.president"]


@pytest.mark.parametrize(
    "text",
    [
        "A US website said the mayor had been arrested.",
        "The Mexican singer told fans the tour was over.",
        "British tourists posted photos of the flood.",
        "Smugglers crossed the US-Mexico border at night.",
        "The Islamic State of Iraq and Syria claimed the attack.",
    ],
)
def test_a_country_word_describing_a_person_or_outlet_is_not_the_state(gaz: Gazetteer, text: str) -> None:
    assert not any(k.endswith(".gov") for k in keys(gaz, text))


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("US officials said the strike was over.", "us.gov"),
        ("Mexico said the labs were dismantled.", "mx.gov"),
        ("The London Metropolitan Police denied it.", "gb.met"),
    ],
)
def test_the_state_and_its_bodies_are_still_named(gaz: Gazetteer, text: str, key: str) -> None:
    assert key in keys(gaz, text)


@pytest.mark.parametrize(
    "text",
    [
        "A marine biologist says the photo is a hoax.",
        "The Santiago del Estero paper ran the story.",
        "The Texas Department of State Health Services said the patient had no contact.",
    ],
)
def test_words_that_only_look_like_state_bodies(gaz: Gazetteer, text: str) -> None:
    assert not any(k == "navy" or k.endswith(".gov") or k == "us.state" for k in keys(gaz, text))


def test_a_capital_before_a_weekday_is_still_the_state(gaz: Gazetteer) -> None:
    assert "us.gov" in keys(gaz, "In Washington Monday, the talks ended.")


def test_the_department_of_state_is_still_found_on_its_own(gaz: Gazetteer) -> None:
    assert "us.state" in keys(gaz, "The U.S. Department of State said on Friday the talks were over.")


def test_a_portfolio_and_country_after_a_title_are_not_a_persons_name(gaz: Gazetteer) -> None:
    assert keys(gaz, "El ministro del Interior de Ecuador habló ayer") == ["ec.ministry.interior.minister"]


def test_a_generic_alias_takes_the_country_of_the_context(gaz: Gazetteer) -> None:
    # Spain's "Policía Nacional" is in the gazetteer; in a story about Ecuador the words name Ecuador's.
    assert keys(gaz, "La Policía Nacional informó del operativo", country="ec") == ["ec.police"]
    assert keys(gaz, "La Policía Nacional informó del operativo", country="es") == ["es.policia"]
    assert keys(gaz, "La Policía Nacional informó del operativo") == ["es.policia"]
    # A name that is not a generic role keeps its own country in any context.
    assert keys(gaz, "ICE agents took part in the raid", country="mx") == ["us.ice"]


def test_a_bare_surname_needs_its_persons_country_named_in_the_item(gaz: Gazetteer) -> None:
    # "Puente" is a word as well as Spain's transport minister: only a story naming Spain means him.
    ctx = gaz.context("El ministro español que agravió a Milei", "Puente sugirió que el presidente mintió.")
    assert ctx.country == "es" and "ar" in ctx.named
    assert "es.puente" in keys(gaz, "Puente sugirió que el presidente mintió.", country=ctx)
    other = gaz.context("Milei responde a las críticas", "Puente sugirió que el presidente mintió.")
    assert "es.puente" not in keys(gaz, "Puente sugirió que el presidente mintió.", country=other)


def test_a_bare_police_role_is_the_countrys_one_police_force(gaz: Gazetteer) -> None:
    # Colombia has one police actor in the gazetteer; "la policía" in a Colombian story is it.
    assert keys(gaz, "la policía informó", country="co") == ["co.policia"]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Die US-Regierung weist den Bericht zurück", "us.gov"),
        ("Chinesisches Außenministerium weist Vorwürfe zurück", "cn.mfa"),
        ("das Weiße Haus teilte mit", "us.white_house"),
        ("l'Otan dément", "nato"),
        ("Peru's national police said", "pe.pnp"),
        ("die Schweizer Regierung", "ch.gov"),
    ],
)
def test_compounds_inflections_and_elisions(gaz: Gazetteer, text: str, key: str) -> None:
    assert keys(gaz, text) == [key]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Russian MoD claims its forces took the ridge", "ru.mod"),
        ("Armenian MoD calls the video a fake", "am.ministry.defence"),
        ("Israel's MFA rejects the report", "il.ministry.foreign"),
        ("The MoD said the drill was routine", "gb.mod"),  # alone, the gazetteer's own
        ("British MoD says the jets were scrambled", "gb.mod"),
    ],
)
def test_a_ministrys_abbreviation_after_a_country_word_is_that_countrys(
    gaz: Gazetteer, text: str, key: str
) -> None:
    assert keys(gaz, text) == [key]
