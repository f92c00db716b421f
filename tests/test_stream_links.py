"""Hand labels on real streams become known positives, links and negatives for training."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from training.datasets import (
    FOLLOW_UP,
    ROOT,
    STREAM_LINKS,
    STREAM_READS,
    Labelled,
    _item,
    apply_stream_links,
    read_jsonl,
)

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


def _write_stream(tmp_path, ids: list[str]):
    path = tmp_path / "stream.jsonl"
    path.write_text(
        "".join(json.dumps({"id": i, "link": f"https://news.example/{i}", "title": i}) + "\n" for i in ids),
        "utf-8",
    )
    return path


def test_a_stream_read_through_makes_every_unlisted_item_a_known_negative(tmp_path, monkeypatch) -> None:
    import training.datasets as ds

    monkeypatch.setattr(ds, "STREAM_READS", tmp_path)
    stream = _write_stream(tmp_path, ["a", "b", "c", "d"])
    (tmp_path / "desk.jsonl").write_text(
        json.dumps({"id": "c", "label": "clear", "kind": "finding", "claim_id": "a"})
        + "\n"
        + json.dumps({"id": "d", "label": "borderline", "kind": "denial", "claim_id": None})
        + "\n",
        "utf-8",
    )
    got = ds.stream_read_labels("desk", stream)
    assert set(got) == {f"https://news.example/{i}" for i in "abcd"}
    assert got["https://news.example/b"]["dispute"] == "no"
    assert got["https://news.example/c"] == {
        "id": "https://news.example/c",
        "dispute": "clear",
        "kind": "finding",
        "answers": ["https://news.example/a"],
    }
    assert (
        got["https://news.example/d"]["dispute"] == "borderline"
        and got["https://news.example/d"]["answers"] == []
    )
    assert ds.stream_read_labels("another-desk", stream) == {}


def test_a_read_label_for_an_item_not_in_the_stream_is_an_error(tmp_path, monkeypatch) -> None:
    import training.datasets as ds

    monkeypatch.setattr(ds, "STREAM_READS", tmp_path)
    stream = _write_stream(tmp_path, ["a"])
    (tmp_path / "desk.jsonl").write_text(json.dumps({"id": "zz", "label": "clear"}) + "\n", "utf-8")
    with pytest.raises(ValueError, match="zz"):
        ds.stream_read_labels("desk", stream)


def test_link_labels_outrank_the_read_and_the_rest_train_as_negatives() -> None:
    unlisted = {"dispute": "no", "kind": None, "answers": [], "listed": False}
    read = {f"u{n}": dict(unlisted, id=f"u{n}") for n in range(6)} | {"u2": _label("u2", "clear")}
    links = {"u2": _label("u2", "clear", ("u0",)), "u5": _label("u5", "borderline")}
    got = apply_stream_links(ROWS, read | links)
    assert got[2].follow_up and got[0].role == "claim" and got[0].story == got[2].story
    assert got[5] == ROWS[5]  # borderline by the link label, though the read did not list it
    assert all(got[k].source == "labelled-desk" and got[k].role == "distractor:unlisted" for k in (1, 3, 4))


def test_an_item_a_read_through_did_not_list_says_nothing_about_being_a_claim() -> None:
    from training.train_detector import semantic_labels

    unlisted = {"id": "u1", "dispute": "no", "kind": None, "answers": [], "listed": False}
    got = apply_stream_links(
        ROWS, {"u1": unlisted, "u2": _label("u2", "clear", ("u0",)), "u4": _label("u4", "no", kind=None)}
    )
    assert got[1].role == "distractor:unlisted" and got[4].role == "distractor:stream"
    y = semantic_labels([got[0], got[1], got[2], got[4]])
    assert y[0].tolist() == [0, 0, 1]  # the item a clear dispute answers is a claim
    assert y[1].tolist() == [0, 0, -1]  # disputes nothing; whether it states a claim, nobody said
    assert y[2, 0] == 1
    assert y[3].tolist() == [0, 0, 0]  # a link labeller's "no", as before


@pytest.mark.parametrize(
    "path",
    sorted([*STREAM_READS.glob("*.jsonl"), *(ROOT / "training" / "data" / "stream_checks").glob("*.jsonl")]),
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_the_committed_read_throughs_are_well_formed(path) -> None:
    rows = read_jsonl(path)
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "one label per item"
    for r in rows:
        assert r["label"] in {"clear", "borderline"}, json.dumps(r)
        assert r["kind"] in FOLLOW_UP, json.dumps(r)
        assert r.get("claim_id") != r["id"], json.dumps(r)
