"""A place named in a statement is where something happens, not who speaks.

A capital stands for its government when it speaks ("Moscow denies ..."), but after a locative
preposition ("in", "à", "a", "aus") or inside a union's name it is only a place or a name."""

from __future__ import annotations

import pytest

from bot.detect.actors import Gazetteer
from bot.types import ActorType
from tests.test_statements import read


@pytest.mark.parametrize(
    ("title", "language"),
    [
        ("The agency denies: no contract was signed in Beijing", "en"),
        ("La Commissione smentisce: nessun accordo firmato a Pechino", "it"),
        ("Santa Sede: 'Nessun incontro a Mosca', smentite le voci", "it"),
        ("L'agence dément tout accord signé à Moscou", "fr"),
        ("Raumfahrtagentur weist Angaben über Gespräche in Moskau zurück", "de"),
    ],
)
def test_a_capital_after_a_locative_preposition_does_not_speak(
    gaz: Gazetteer, title: str, language: str
) -> None:
    found = read(gaz, title, language=language)
    assert found, f"no denial read in {title!r}"
    assert all(s.speaker is None or s.speaker.type is not ActorType.GOVERNMENT for s in found), found


def test_a_capital_still_speaks_for_its_government(gaz: Gazetteer) -> None:
    (st,) = read(gaz, "Moscow denies the report of troop movements")
    assert st.speaker is not None and st.speaker.key == "ru.gov"
    (st,) = read(gaz, "Reports of troop movements near the border are false: Moscow")
    assert st.speaker is not None and st.speaker.key == "ru.gov"


@pytest.mark.parametrize(
    "text",
    [
        "The Police Association says officer numbers have fallen",
        "Army veterans' group disputes the minister's account",
        "The Police Federation rejected the figures",
    ],
)
def test_an_organisation_named_after_a_role_is_not_that_role(gaz: Gazetteer, text: str) -> None:
    keys = {a.key for a, _ in gaz.find_all(text)}
    assert not keys & {"police", "military", "army"}, keys


def test_the_role_itself_is_still_read(gaz: Gazetteer) -> None:
    assert any(
        a.type is ActorType.POLICE for a, _ in gaz.find_all("Police say the officers were not at the scene")
    )
