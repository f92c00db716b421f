"""A claim noun written onto its owner, in languages with no space (or only a genitive particle)
between them: the owner made the claim, so it is neither the one who answers it nor lost as the
target. English says "Russia's claims"; Japanese "ロシアの主張", Chinese "俄方的说法", Korean
"러시아의 주장". Sentences are invented.
"""

from __future__ import annotations

import pytest

from bot.detect.actors import Gazetteer
from bot.types import Statement, StatementKind
from tests.test_statements import read as read_in


def denial(gaz: Gazetteer, title: str, language: str) -> Statement:
    found = [st for st in read_in(gaz, title, language=language) if st.kind is StatementKind.DENIAL]
    assert found, title
    return found[0]


@pytest.mark.parametrize(
    ("language", "title", "speaker", "target"),
    [
        # the verb comes last: the claim and its owner stand before it
        ("ja", "防衛省は中国の主張を否定した", "jp.ministry.defence", "cn.gov"),
        ("ko", "국방부는 북한의 주장을 반박했다", "kr.ministry.defence", "kp.gov"),
        # the verb comes first: the owner stands after it, as in English
        ("zh", "外交部驳斥美方的说法", "cn.mfa", "us.gov"),
    ],
)
def test_the_owner_of_a_glued_claim_is_its_target(
    gaz: Gazetteer, language: str, title: str, speaker: str, target: str
) -> None:
    st = denial(gaz, title, language)
    assert st.speaker is not None and st.speaker.key == speaker
    assert st.target is not None and st.target.key == target


def test_an_owner_is_not_the_one_who_answers(gaz: Gazetteer) -> None:
    # "a lawyer rebuts the police's announcement": the police are only named as the claim's owner
    st = denial(gaz, "弁護士、警察庁発表に反論", "ja")
    assert st.speaker is None or st.speaker.key != "jp.police"
    assert st.target is not None and st.target.key == "jp.police"


def test_an_actor_not_glued_to_a_claim_noun_still_speaks(gaz: Gazetteer) -> None:
    st = denial(gaz, "外務省、中国の報道を否定", "ja")  # the ministry is followed by a comma
    assert st.speaker is not None and st.speaker.key == "jp.ministry.foreign"
