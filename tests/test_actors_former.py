"""Office holders named as out of office ("former FBI director", "el expresidente", "l'ancien
ministre") speak for themselves: no official, no longer their body's voice.

Headlines are invented for these tests.
"""

from __future__ import annotations

import pytest

from bot.detect.actors import FORMER_PREFIX, Gazetteer
from bot.detect.sides import voice_of
from bot.detect.statements import extract_statements
from bot.types import ActorType, Statement
from tests.test_actors import keys
from tests.test_statements import item


def _first(gaz: Gazetteer, title: str, language: str = "en") -> Statement:
    return extract_statements(item(title, language=language), gaz)[0]


@pytest.mark.parametrize(
    ("text", "held"),
    [
        ("Former FBI Director James Comey questioned the new timeline", "us.comey"),  # title and body between
        # the marker inside a titled name
        ("Former Secretary of State Rex Tillerson spoke at the forum", "us.tillerson"),
        ("Former President Obama campaigned in Ohio on Saturday", "us.obama"),
        ("ex-President Obama campaigned in Ohio on Saturday", "us.obama"),
        ("El expresidente Calderón viajó a Madrid", "mx.calderon"),  # Spanish writes it as one word
    ],
)
def test_a_former_office_holder_is_named_as_themselves(gaz: Gazetteer, text: str, held: str) -> None:
    found = keys(gaz, text, country="us" if held.startswith("us.") else "mx")
    assert FORMER_PREFIX + held in found and held not in found


@pytest.mark.parametrize(
    ("text", "held"),
    [
        ("FBI Director James Comey questioned the new timeline", "us.comey"),  # in office
        ("Former Trump aide questioned the new timeline", "us.trump"),  # the aide is the former one
        ("Trump's former lawyer questioned the new timeline", "us.trump"),
        ("Former aides say Obama knew of the plan", "us.obama"),  # "say" is no office word
        ("A former enemy, Obama said, is now a partner", "us.obama"),
    ],
)
def test_former_only_qualifies_the_holder_it_names(gaz: Gazetteer, text: str, held: str) -> None:
    found = keys(gaz, text, country="us")
    assert held in found and FORMER_PREFIX + held not in found


def test_a_former_holder_is_no_official_and_has_a_voice_of_their_own(gaz: Gazetteer) -> None:
    comey = gaz.get(FORMER_PREFIX + "us.comey")  # a stored speaker key reads back the same
    assert comey is not None and comey.name == "James Comey"
    assert comey.type is ActorType.PERSON and not comey.official
    assert voice_of(comey) == FORMER_PREFIX + "us.comey" != voice_of(gaz.get("us.comey"))
    assert gaz.voice_of_key(FORMER_PREFIX + "us.comey") == FORMER_PREFIX + "us.comey"
    assert gaz.get(FORMER_PREFIX + "us.nobody") is None


def test_a_former_holders_denial_is_read_as_theirs(gaz: Gazetteer) -> None:
    st = _first(gaz, "Former FBI Director James Comey denies the White House account of the meeting")
    assert st.kind.value == "denial"
    assert st.speaker is not None and st.speaker.key == FORMER_PREFIX + "us.comey"
    assert st.target is not None and st.target.key == "us.white_house"
    # a role, not a listed person: the French interior minister of old
    st = _first(gaz, "L'ancien ministre de l'Intérieur dément les propos du président", "fr")
    assert st.speaker is not None and st.speaker.key.startswith(FORMER_PREFIX) and not st.speaker.official
