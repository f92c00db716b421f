"""`scripts/build_huffpost_stream.py`: parts of the HuffPost collection become one headline stream
in the audit's format, only within the spans asked for, each article once, with a stable id."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from build_huffpost_stream import item_id, read_parts, span  # noqa: E402


def _part(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _row(
    link: str, day: str, headline: str = "Harbour board opens a new quay", lead: str = ""
) -> dict[str, str]:
    return {"link": link, "date": day, "headline": headline, "short_description": lead, "category": "X"}


def test_parts_become_one_stream_in_the_spans_each_article_once(tmp_path: Path) -> None:
    a = "https://www.huffpost.com/entry/quay_n_5bfa5d83e4b0b8b3b2a1c0de"
    old = "https://www.huffingtonpost.com/entry/quay_us_5bfa5d83e4b0b8b3b2a1c0de"  # the same article
    b = "https://www.huffpost.com/entry/other-story"
    parts = [
        _part(tmp_path / "v2.json", [_row(old, "2018-03-02", "Harbour  board\nopens a new quay", "A lead.")]),
        _part(
            tmp_path / "v3.json",
            [_row(a, "2018-03-02"), _row(b, "2018-01-01"), _row(b + "-2", "2020-09-01", lead=" two  words ")],
        ),
    ]
    rows = read_parts(parts, [("2018-02-01", "2018-03-31"), ("2020-08-01", "2021-10-31")])
    assert [r["id"] for r in rows] == ["hp-5bfa5d83e4b0b8b3b2a1c0de", item_id(b + "-2")]
    first = rows[0]
    assert first["title"] == "Harbour board opens a new quay" and first["summary"] == "A lead."
    assert (
        first["date"] == "2018-03-02T00:00:00Z"
        and first["source"] == "HuffPost"
        and first["language"] == "en"
    )
    assert rows[1]["summary"] == "two words"


@given(st.text(min_size=1, max_size=80))
def test_an_id_is_stable_and_short_for_any_link(link: str) -> None:
    assert item_id(link) == item_id(link) and item_id(link).startswith("hp-") and len(item_id(link)) <= 27


def test_a_span_must_be_two_days_in_order() -> None:
    assert span("2018-02-01:2018-03-31") == ("2018-02-01", "2018-03-31")
    for bad in ("2018-02-01", "2018-03-31:2018-02-01", "2018-2-1:2018-03-31"):
        with pytest.raises(argparse.ArgumentTypeError, match="FIRST:LAST"):
            span(bad)
