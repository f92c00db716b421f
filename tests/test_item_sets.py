"""Our written single-item sets (training/data/items) are well formed and keep minimal pairs together."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from training.datasets import ITEMS, item_set

SETS = sorted(ITEMS.glob("*.jsonl"))


def _validator() -> ModuleType:  # the writers' validator (a script): labels, lengths, unique ids, pairs
    spec = importlib.util.spec_from_file_location("check_items", ITEMS.parent / "check_items.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_every_set_passes_the_writers_validator_and_names_its_ids_after_itself(path: Path) -> None:
    assert _validator().main(str(path)) == 0
    assert all(r["id"].startswith(f"{path.stem}-") for r in _rows(path))


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_a_minimal_pair_is_one_story_so_no_fold_splits_it(path: Path) -> None:
    rows = _rows(path)
    stories = {r["id"]: x.story for r, x in zip(rows, item_set(path, "t"), strict=True)}
    for r in rows:
        if r.get("pair"):
            assert stories[r["id"]] == stories[r["pair"]], r["id"]
