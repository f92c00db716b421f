"""The authorities whose findings judge others' statements are known by name in their own
languages, and count as judging (`sides.judges`): their findings look back months by meaning.

The sentences (`tests/data/judging_authorities.jsonl`) are written for these tests, one per
body, with the body speaking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.detect.actors import Context, Gazetteer
from bot.detect.sides import judges

CASES = [
    json.loads(line)
    for line in (Path(__file__).parent / "data" / "judging_authorities.jsonl").read_text("utf-8").splitlines()
    if line.strip()
]


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.mark.parametrize("case", CASES, ids=[c["key"] for c in CASES])
def test_an_authority_speaking_in_its_own_language_is_found_and_judges(
    gazetteer: Gazetteer, case: dict[str, str]
) -> None:
    found = {
        a.key: a for a, _ in gazetteer.find_all(case["text"], country=Context(language=case["language"]))
    }
    assert case["key"] in found, (case["text"], sorted(found))
    assert judges(found[case["key"]])
