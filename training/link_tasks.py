#!/usr/bin/env python3
"""Write the labelling tasks for a real stream: the items whose words read as a dispute, each with
the earlier items the detector's own retrieval offers as what it might answer.

    python training/link_tasks.py --stream /path/allsides-train.jsonl --out tasks.jsonl
    python training/link_tasks.py --reuters ../shared/data --out tasks.jsonl
    python training/link_tasks.py --by-meaning --reuters ../shared/data --sample 400 --out tasks.jsonl

Candidates are listed in date order with no score, so the labeller is not led by the bot.

Real streams train the models as background negatives, but the items that read as a dispute are
left out, their true label unknown (`train_detector._usable`). So the pair model never learned
what a real desk's candidate list looks like: many earlier items sharing a president's name,
one (or none) about the same event. A person labels each task by hand (rules in
`training/data/stream_links/README.md`); `training/datasets.apply_stream_links` applies them.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.detect.encoder import UseEncoder  # noqa: E402
from training.datasets import Labelled, headline_stream, reuters_stream  # noqa: E402
from training.replay import prepare  # noqa: E402

SEED = 20261206


def _brief(row: Labelled) -> dict[str, str]:
    it = row.item
    return {
        "id": it.guid,
        "date": it.when.date().isoformat(),
        "source": it.feed_name,
        "title": it.title,
        "summary": it.text[:300],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--stream", help="a headline stream (scripts/build_headline_stream.py output)")
    src.add_argument(
        "--reuters", metavar="DATA", help="the Reuters-21578 background (outside the audit slices)"
    )
    ap.add_argument("--out", required=True)
    ap.add_argument(
        "--by-meaning",
        action="store_true",
        help="the items with no dispute words that the packaged model's meaning heads read as a "
        "dispute or a self-correction (the bot weighs them as answers too), instead of those with words",
    )
    ap.add_argument("--sample", type=int, help=f"only this many of the items, drawn with seed {SEED}")
    opts = ap.parse_args(argv)

    from bot.detect.actors import Gazetteer
    from bot.detect.detector import register_countries
    from bot.detect.statements import extract_statements

    gazetteer = Gazetteer.load([])
    register_countries(gazetteer)
    rows = (
        headline_stream(Path(opts.stream), Path(opts.stream).stem)
        if opts.stream
        else reuters_stream(Path(opts.reuters))
    )
    s = prepare(
        rows[0].source,
        rows,
        lambda item: list(extract_statements(item, gazetteer)),
        gazetteer,
        UseEncoder(),
        None,
    )
    wanted = [rd.disputing is not None for rd in s.readings]
    if opts.by_meaning:
        from bot.detect.decision import DISPUTE_SEMANTICS, SELF_SEMANTICS
        from bot.detect.model import DetectorModel

        sems = DetectorModel.load().semantics(s.vectors)
        wanted = [
            rd.disputing is None and (sem.dispute >= DISPUTE_SEMANTICS or sem.self_ >= SELF_SEMANTICS)
            for rd, sem in zip(s.readings, sems, strict=True)
        ]
    chosen = [j for j in range(len(s.readings)) if wanted[j]]
    if opts.sample is not None and opts.sample < len(chosen):
        chosen = sorted(random.Random(SEED).sample(chosen, opts.sample))
    by_later: dict[int, list[int]] = {}
    for i, j, _ in s.pairs:
        by_later.setdefault(j, []).append(i)
    with open(opts.out, "w", encoding="utf-8") as fh:
        for j in chosen:
            earlier = sorted(by_later.get(j, []), key=lambda i: (s.rows[i].item.when, s.rows[i].item.guid))
            task: dict[str, object] = {
                **_brief(s.rows[j]),
                "candidates": [_brief(s.rows[i]) for i in earlier],
            }
            fh.write(json.dumps(task, ensure_ascii=False) + "\n")
    n = len(chosen)
    print(f"{n} tasks of {len(s.rows)} items -> {opts.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
