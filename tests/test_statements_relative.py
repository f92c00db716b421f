"""A cue in a relative clause is said of the clause's noun, and one credited to a source is that source's
accusation of the sentence's subject."""

from __future__ import annotations

import pytest

from bot.detect.actors import Gazetteer
from tests.test_statements import read


@pytest.mark.parametrize(
    ("title", "language"),
    [
        ("Obama Names Lawyer Who Lied Under Oath About Voting Case", "en"),
        ("Putin nomme un conseiller qui a menti sur les chiffres", "fr"),
        ("Macron nombra a un asesor quien mintió sobre las cifras", "es"),
    ],
)
def test_the_noun_before_the_relative_pronoun_is_who_the_cue_accuses(
    gaz: Gazetteer, title: str, language: str
) -> None:
    for st in read(gaz, title, language=language):
        assert st.target is None or st.target.country is None, st


def test_a_subject_right_before_the_pronoun_is_still_accused(gaz: Gazetteer) -> None:
    (st,) = read(gaz, "Obama, who lied about the payments, faces new questions")
    assert st.target is not None and st.target.key == "us.obama"
    (st,) = read(gaz, "Trump lied about the payments, records show")
    assert st.target is not None and st.target.key == "us.trump"


@pytest.mark.parametrize(
    ("title", "language", "accused", "accuser"),
    [
        ("Trump lied about the payments, according to prosecutors", "en", "us.trump", "us.prosecutor"),
        ("According to prosecutors, Trump lied about the payments", "en", "us.trump", "us.prosecutor"),
        ("Milei mintió sobre la inflación, según el Indec", "es", "ar.milei", "ar.indec"),
    ],
)
def test_the_source_an_accusation_is_credited_to_accuses_the_subject(
    gaz: Gazetteer, title: str, language: str, accused: str, accuser: str
) -> None:
    (st,) = read(gaz, title, language=language)
    assert st.target is not None and st.target.key == accused
    assert st.speaker is not None and st.speaker.key == accuser
