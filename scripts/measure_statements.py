"""Measure statement extraction on dev-cases (loaded at run time; nothing is copied).

For case denial items: how often a DENIAL/RETRACTION/CORRECTION statement with an official
target is found. For distractors: how often one is wrongly found, per distractor type.

    .venv/bin/python scripts/measure_statements.py [--data ../shared/data/dev-cases] [-v]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bot.detect.actors import Gazetteer
from bot.detect.statements import extract_statements
from bot.types import FeedKind, Item, Statement, StatementKind

DISPUTE_KINDS = {StatementKind.DENIAL, StatementKind.RETRACTION, StatementKind.CORRECTION}


def as_item(i: int, row: dict) -> Item:
    """A dev-cases row as a news item (title + summary as text)."""
    return Item(
        id=i, feed_id=1, guid=row.get("url") or str(i), link=row.get("url"), title=row.get("title", ""),
        text=row.get("summary", ""), published=None, first_seen=datetime(2020, 1, 1, tzinfo=UTC),
        content_hash=str(i), language=row.get("language"), feed_kind=FeedKind.NEWS, feed_name=row.get("source", ""),
    )  # fmt: skip


def hit(statements: list[Statement]) -> Statement | None:
    """The first dispute-kind statement with an official target, if any."""
    for s in statements:
        if s.kind in DISPUTE_KINDS and s.target is not None and s.target.official:
            return s
    return None


def loose_hit(statements: list[Statement]) -> bool:
    """A dispute-kind statement whose target is official or not named (linking may still find it)."""
    return any(s.kind in DISPUTE_KINDS and (s.target_kind in (None, "official")) for s in statements)


def describe(s: Statement | None) -> str:
    if s is None:
        return "-"
    sp = s.speaker.key if s.speaker else "?"
    tg = s.target.key if s.target else s.target_kind
    return f"{s.kind.value}({sp} -> {tg}) cue={s.cue!r} score={s.score}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument(
        "--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "data" / "dev-cases")
    )
    ap.add_argument("-v", "--verbose", action="store_true", help="list misses and false hits")
    args = ap.parse_args()
    data = Path(args.data)
    if not (data / "cases.jsonl").is_file():
        print(f"no dev-cases at {data}", file=sys.stderr)
        return 2
    gaz = Gazetteer.load()
    cases = [json.loads(line) for line in (data / "cases.jsonl").read_text().splitlines() if line.strip()]
    distractors = [
        json.loads(line) for line in (data / "distractors.jsonl").read_text().splitlines() if line.strip()
    ]
    t0 = time.perf_counter()
    n_items = 0
    found = total = 0
    by_lang: Counter[str] = Counter()
    by_lang_hit: Counter[str] = Counter()
    case_any = 0
    loose = loose_false = 0
    misses = []
    for c in cases:
        got_case = False
        for d in c["denials"]:
            n_items += 1
            sts = extract_statements(as_item(n_items, d), gaz)
            h = hit(sts)
            total += 1
            loose += loose_hit(sts)
            by_lang[d.get("language", "?")] += 1
            if h:
                found += 1
                by_lang_hit[d.get("language", "?")] += 1
                got_case = True
            else:
                misses.append((c["case_id"], d["title"], describe(sts[0] if sts else None)))
        case_any += got_case
    false_by_type: Counter[str] = Counter()
    n_by_type: Counter[str] = Counter()
    false_hits = []
    for d in distractors:
        n_items += 1
        sts = extract_statements(as_item(n_items, d), gaz)
        h = hit(sts)
        n_by_type[d["distractor_type"]] += 1
        loose_false += loose_hit(sts)
        if h:
            false_by_type[d["distractor_type"]] += 1
            false_hits.append((d["distractor_type"], d["title"], describe(h)))
    dt = time.perf_counter() - t0
    print(
        f"case denial items with a dispute statement (official target): {found}/{total} = {found / total:.2f}"
    )
    print(f"cases with at least one such item: {case_any}/{len(cases)} = {case_any / len(cases):.2f}")
    print("  by language: " + ", ".join(f"{k} {by_lang_hit[k]}/{v}" for k, v in sorted(by_lang.items())))
    fd = sum(false_by_type.values())
    print(f"distractors wrongly giving one: {fd}/{len(distractors)} = {fd / len(distractors):.2f}")
    for t, n in sorted(n_by_type.items()):
        print(f"  {t:40s} {false_by_type[t]}/{n}")
    print(
        f"looser (official OR unnamed target): cases {loose}/{total} = {loose / total:.2f}, "
        f"distractors {loose_false}/{len(distractors)} = {loose_false / len(distractors):.2f}"
    )
    print(f"items/s: {n_items / dt:.0f}")
    if args.verbose:
        print("\nMISSES (first statement shown):")
        for cid, title, st in misses:
            print(f"  {cid}: {title[:90]!r} -> {st}")
        print("\nFALSE HITS:")
        for t, title, st in false_hits:
            print(f"  [{t}] {title[:90]!r} -> {st}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
