"""U.S. office holders of 2012-2025 and U.S. bodies in the gazetteer, and `bare_surname = false`.

Headlines are invented for these tests.
"""

from __future__ import annotations

import pytest

from bot.detect.actors import Gazetteer
from bot.detect.sides import voice_of
from tests.test_actors import keys

# --- people by full name ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Steven Mnuchin told reporters the talks had gone well", "us.mnuchin"),
        ("Nancy Pelosi scheduled a vote for Thursday", "us.pelosi"),
        ("Mike Johnson called the bill a compromise", "us.mike_johnson"),
        ("Susan Rice briefed allies on the plan", "us.susan_rice"),
        ("Samantha Power urged the council to act", "us.samantha_power"),
        ("Jerome Powell signalled patience on rates", "us.powell"),
        ("Linda Thomas-Greenfield vetoed the draft", "us.thomas_greenfield"),
        ("Gavin Newsom signed the budget late on Friday", "us.newsom"),
        ("Bill de Blasio defended the subway plan", "us.de_blasio"),
        ("Kellyanne Conway disputed the crowd estimate", "us.conway"),
        ("Robert Mueller submitted his report", "us.mueller"),
    ],
)
def test_new_officials_are_found_by_full_name(gaz: Gazetteer, text: str, key: str) -> None:
    assert key in keys(gaz, text)


def test_a_distinctive_surname_alias_names_its_person_anywhere(gaz: Gazetteer) -> None:
    # "Mnuchin" is listed as an alias: unambiguous worldwide.
    assert "us.mnuchin" in keys(gaz, "Mnuchin says tariffs will not slow growth")
    assert "us.desantis" in keys(gaz, "DeSantis vetoes the property tax bill")


# --- bare surnames ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Sebelius defends the rollout of the insurance website", "us.sebelius"),
        ("Buttigieg promises faster permits for rail projects", "us.buttigieg"),
        ("Lighthizer warns of new duties on steel", "us.lighthizer"),
        ("Whitmer extends the stay-at-home order", "us.whitmer"),
    ],
)
def test_a_distinctive_surname_alone_names_its_person_in_a_us_story(
    gaz: Gazetteer, text: str, key: str
) -> None:
    assert key in keys(gaz, text, country="us")


def test_a_bare_surname_needs_a_us_story(gaz: Gazetteer) -> None:
    # No alias "Sebelius": only the bare-surname rule finds her, and only in a text about the US.
    text = "Sebelius defends the rollout of the insurance website"
    assert "us.sebelius" in keys(gaz, text, country="us")
    assert "us.sebelius" not in keys(gaz, text, country="de")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Rice prices rise across the country as drought spreads", "us.susan_rice"),
        ("Power outage leaves thousands without heat", "us.samantha_power"),
        ("Price increases slowed in March", "us.tom_price"),
        ("Flooding hit Austin on Tuesday night", "us.austin"),
        ("Residents of Warren were told to boil their water", "us.elizabeth_warren"),
        ("Cruz was charged with seventeen counts of murder", "us.ted_cruz"),
        ("Johnson told reporters the vote would go ahead", "us.mike_johnson"),
        ("Walker said the trail was closed after the storm", "us.scott_walker"),
        ("Ein Foto zeigt das Schiff vor der Küste", "us.schiff"),
        ("Hagel und Sturm verwüsteten die Felder in Texas", "us.hagel"),
        ("Nielsen said the finale drew record ratings", "us.nielsen"),
        ("Young voters turned out in large numbers", "us.shalanda_young"),
    ],
)
def test_an_ambiguous_surname_alone_names_no_one(gaz: Gazetteer, text: str, key: str) -> None:
    assert gaz.get(key) is not None  # the person is listed; only the bare word must not name them
    assert key not in keys(gaz, text, country="us")


def test_bare_surname_false_keeps_the_full_name(gaz: Gazetteer) -> None:
    assert "us.austin" in keys(gaz, "Lloyd Austin visited the base", country="us")
    assert "us.ted_cruz" in keys(gaz, "Ted Cruz blocked the nomination", country="us")


# --- bodies ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Labor Department revises jobs figure", "us.labor"),
        ("Bureau of Labor Statistics delays the report", "us.bls"),
        ("Commerce Department adds chipmakers to export blacklist", "us.commerce"),
        ("USDA recalls ground beef over contamination", "us.agriculture"),
        ("Federal Reserve holds rates steady", "us.fed"),
        ("La Reserva Federal mantiene las tasas", "us.fed"),
        ("U.S. Supreme Court agrees to hear the case", "us.supreme_court"),
        ("the IRS said refunds would be delayed", "us.irs"),
        ("USTR opens a trade probe", "us.ustr"),
        ("ODNI declassifies the memo", "us.odni"),
        ("The U.S. House of Representatives passed the bill", "us.house"),
        ("Das Repräsentantenhaus stimmte zu", "us.house"),
        ("USAID suspends programmes abroad", "us.usaid"),
    ],
)
def test_new_bodies_are_found_by_alias(gaz: Gazetteer, text: str, key: str) -> None:
    assert key in keys(gaz, text)


def test_the_interior_department_is_not_homeland_security(gaz: Gazetteer) -> None:
    found = keys(gaz, "The Interior Department approved the drilling permits", country="us")
    assert "us.interior" in found and "us.dhs" not in found


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("The agriculture department said the harvest was late", "us.agriculture"),
        ("The Department of Energy said the reactor is safe", "us.energy"),
        ("The education department opened an investigation", "us.education"),
        ("The Department of Labor said claims fell", "us.labor"),
        ("Das US-Verkehrsministerium ordnete Prüfungen an", "us.transportation"),
    ],
)
def test_portfolio_roles_in_a_us_story_are_the_us_departments(gaz: Gazetteer, text: str, key: str) -> None:
    assert key in keys(gaz, text, country="us")


def test_generic_department_names_keep_their_own_country(gaz: Gazetteer) -> None:
    # The Philippines has a Department of Energy too: not the US one in a Philippine story.
    found = keys(gaz, "The Department of Energy said fuel prices will rise", country="ph")
    assert "us.energy" not in found


def test_a_german_noun_after_its_article_is_no_surname(gaz: Gazetteer) -> None:
    # "Schiff" names the congressman in an English U.S. story; German capitalises its nouns, so
    # after "das" or "ein" the same word is a ship.
    assert "us.schiff" in keys(gaz, "Schiff says the committee will subpoena the records", country="us")
    assert "us.schiff" not in keys(gaz, "Die Küstenwache schleppte ein Schiff nach Texas", country="us")


def test_a_surname_is_shared_only_within_its_country(gaz: Gazetteer) -> None:
    # Several U.S. Johnsons are listed, marked not bare; a British Johnson keeps the word at home.
    assert "gb.johnson" in keys(gaz, "Johnson defends the lockdown rules", country="gb")
    assert not {"us.mike_johnson", "gb.johnson"} & set(keys(gaz, "Johnson defends the rules", country="us"))


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("WH insists the enrollment numbers were right", "us.white_house"),
        ("State Dept. says the cable was never sent", "us.state"),
        ("Justice Dept. drops the appeal", "us.doj"),
        ("Commerce Dept. revises the export rule", "us.commerce"),
        ("Treasury Dept. concedes the estimate was off", "us.treasury"),
    ],
)
def test_headline_abbreviations_name_the_us_bodies(gaz: Gazetteer, text: str, key: str) -> None:
    # U.S. headlines shorten "the White House" to "WH" and "Department" to "Dept."
    assert key in keys(gaz, text, country="us")


def test_wh_must_be_written_in_capitals(gaz: Gazetteer) -> None:
    assert "us.white_house" not in keys(gaz, "The wh sound in English words", country="us")


# --- offices of a state or a city: one voice with their holders --------------------------------


@pytest.mark.parametrize(
    ("office_words", "holder_words", "voice"),
    [
        ("The governor of Texas said", "Gov. Greg Abbott said", "us.state.tx"),
        ("The governor of New Jersey said", "Governor Phil Murphy said", "us.state.nj"),
        ("The mayor of New York said", "Mayor Bill de Blasio said", "us.city.nyc"),
        ("The mayor of Chicago said", "Mayor Rahm Emanuel said", "us.city.chicago"),
    ],
)
def test_an_office_of_a_state_or_city_and_its_holder_are_one_voice(
    gaz: Gazetteer, office_words: str, holder_words: str, voice: str
) -> None:
    office = [a for a, _ in gaz.find_all(f"{office_words} the count was wrong", country="us")]
    holder = [a for a, _ in gaz.find_all(f"{holder_words} the count was wrong", country="us")]
    assert office and holder
    assert voice_of(office[0]) == voice_of(holder[0]) == voice
    assert voice_of(office[0]) != voice_of(gaz.get("us.white_house"))


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Chicago police said the driver fled", "us.chicago_pd"),
        ("Police in Chicago said the driver fled", "us.chicago_pd"),
        ("New York police said the driver fled", "us.nypd"),
    ],
)
def test_a_citys_police_named_by_its_place_is_its_department(gaz: Gazetteer, text: str, key: str) -> None:
    assert [a.key for a, _ in gaz.find_all(text, country="us")] == [key]


def test_new_alone_is_no_place_but_begins_one(gaz: Gazetteer) -> None:
    assert [a.key for a, _ in gaz.find_all("New police figures show fewer thefts", country="us")] == [
        "us.police"
    ]
    assert [a.key for a, _ in gaz.find_all("The governor of New Mexico said", country="us")] == [
        "us.governor.new_mexico"
    ]


@pytest.mark.parametrize(
    ("text", "country", "voice"),
    [
        ("Texas governor says the count was wrong", "us", "us.state.tx"),  # the place first
        ("Texas governor says the count was wrong", None, "us.state.tx"),  # one country lists it
        ("New York mayor says the count was wrong", None, "us.city.nyc"),
        ("Georgia's governor says the count was wrong", "us", "us.state.ga"),
        # in a U.S. story the state, not the country of that name
        ("The governor of Georgia says the count was wrong", "us", "us.state.ga"),
    ],
)
def test_a_listed_office_is_found_with_its_place_before_or_after(
    gaz: Gazetteer, text: str, country: str | None, voice: str
) -> None:
    found = [a for a, _ in gaz.find_all(text, country=country)]
    assert found and voice_of(found[0]) == voice


def test_a_place_only_makes_an_office_the_gazetteer_lists(gaz: Gazetteer) -> None:
    # the country where the text names no other: Georgia's own regional governor
    assert [a.key for a, _ in gaz.find_all("The governor of Georgia says", country=None)] == ["ge.governor"]
    # no office listed for the place, or no place at all: no governor is made up
    assert gaz.find_all("Angry governor says the count was wrong", country="us") == []
    assert gaz.find_all("Texas governor says the count was wrong", country="mx") == []


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Gov. Newsom says the count was wrong", "us.newsom"),
        ("California Gov. Newsom says the count was wrong", "us.newsom"),
        ("Sen. Schumer says the count was wrong", "us.schumer"),
    ],
)
def test_an_abbreviated_title_is_no_first_name(gaz: Gazetteer, text: str, key: str) -> None:
    # "Gov." before a listed surname is the office, not another person's first name
    assert key in keys(gaz, text, country="us")
