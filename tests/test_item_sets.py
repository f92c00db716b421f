"""Our written single-item sets (training/data/items) are well formed and keep minimal pairs together."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from training.datasets import ITEMS, item_set

LABELS = {
    "denial",
    "counter-account",
    "retraction",
    "correction",
    "finding",
    "claim",
    "policy-change",
    "admission-other",
    "denial-of-non-official",
    "other-sense",
    "confirmation",
    "unrelated",
}
SETS = sorted(ITEMS.glob("*.jsonl"))


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_every_item_has_a_known_label_and_its_pair_exists(path: Path) -> None:
    rows = [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    assert all(i.startswith(f"{path.stem}-") for i in ids)
    for r in rows:
        assert r["label"] in LABELS, r["id"]
        assert r["language"] and len(r["title"]) >= 10 and len(r["summary"]) >= 30, r["id"]
        assert r.get("pair") in (None, *ids), r["id"]


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_a_minimal_pair_is_one_story_so_no_fold_splits_it(path: Path) -> None:
    rows = [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]
    stories = {r_["id"]: s for r_, s in zip(rows, (x.story for x in item_set(path, "t")), strict=True)}
    for r in rows:
        if r.get("pair"):
            assert stories[r["id"]] == stories[r["pair"]], r["id"]
