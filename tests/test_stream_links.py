"""Hand labels on real streams become known positives, links and negatives for training."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from training.datasets import FOLLOW_UP, STREAM_LINKS, Labelled, _item, apply_stream_links, read_jsonl

T0 = datetime(2017, 5, 1, tzinfo=UTC)


def _stream(*titles: str) -> list[Labelled]:
    return [
        Labelled(
            _item(n, {"url": f"u{n}", "title": t}, T0 + timedelta(hours=n)),
            "distractor:stream",
            None,
            "background-desk",
        )
        for n, t in enumerate(titles)
    ]


def _label(i: str, dispute: str, answers: tuple[str, ...] = (), kind: str | None = "denial") -> dict:
    return {"id": i, "dispute": dispute, "kind": kind, "answers": list(answers), "note": ""}


ROWS = _stream(
    "Governor says the bridge was inspected in March",  # u0
    "Governor visits a school",  # u1
    "Inspectors deny the governor's bridge account",  # u2
    "Union disputes governor's bridge inspection claim too",  # u3
    "Bail denied for the driver",  # u4
    "Mayor denies rumours of a budget gap",  # u5
)


def test_a_clear_dispute_and_the_item_it_answers_become_one_story() -> None:
    got = apply_stream_links(ROWS, {"u2": _label("u2", "clear", ("u0",))})
    claim, denial = got[0], got[2]
    assert claim.role == "claim" and denial.follow_up
    assert claim.story == denial.story is not None
    assert got[1].story is None and got[1].source == "background-desk"
    assert {claim.source, denial.source} == {"labelled-desk"}


def test_a_second_dispute_answering_the_first_joins_its_story() -> None:
    got = apply_stream_links(
        ROWS,
        {
            "u2": _label("u2", "clear", ("u0",)),
            "u3": _label("u3", "clear", ("u2",), kind="counter-account"),
        },
    )
    assert got[0].story == got[2].story == got[3].story
    assert got[3].role == "counter-account" and got[0].role == "claim"


def test_negatives_are_known_and_borderline_items_stay_unlabelled() -> None:
    got = apply_stream_links(ROWS, {"u4": _label("u4", "no", kind=None), "u5": _label("u5", "borderline")})
    assert got[4].source == "labelled-desk" and not got[4].follow_up and got[4].story is None
    assert got[5] == ROWS[5]


def test_an_unknown_kind_is_read_as_a_denial_and_no_labels_change_nothing() -> None:
    got = apply_stream_links(ROWS, {"u2": _label("u2", "clear", kind="walk-back")})
    assert got[2].role == "denial" and got[2].story is not None
    assert apply_stream_links(ROWS, {}) == ROWS


@pytest.mark.parametrize("path", sorted(STREAM_LINKS.glob("*.jsonl")), ids=lambda p: p.name)
def test_the_committed_labels_are_well_formed(path) -> None:
    rows = read_jsonl(path)
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "one label per item"
    for r in rows:
        assert r["dispute"] in {"clear", "borderline", "no"}, json.dumps(r)
        assert isinstance(r["answers"], list) and r["id"] not in r["answers"]
        if r["dispute"] == "clear":
            assert r["kind"] is None or r["kind"] in FOLLOW_UP, json.dumps(r)
