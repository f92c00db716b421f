#!/usr/bin/env python3
"""Validate a file of written single items (`training/data/items/*.jsonl`, rules in its BRIEF.md)."""

import collections
import json
import sys

LABELS = {
    "denial",
    "counter-account",
    "retraction",
    "correction",
    "finding",
    "policy-change",
    "admission-other",
    "denial-of-non-official",
    "other-sense",
    "confirmation",
    "claim",
    "unrelated",
}


def main(path: str) -> int:
    """Check one item file; print the counts and the errors; 1 when any."""
    err = 0
    ids = set()
    labs = collections.Counter()
    langs = collections.Counter()
    pairs = 0
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    for n, r in enumerate(rows, 1):
        for k in ("id", "language", "title", "summary", "label"):
            if k not in r:
                print(f"line {n}: missing {k}")
                err += 1
        if r.get("id") in ids:
            print(f"line {n}: duplicate id")
            err += 1
        ids.add(r.get("id"))
        if r.get("label") not in LABELS:
            print(f"line {n}: label {r.get('label')!r}")
            err += 1
        if len(r.get("title", "")) < 10 or len(r.get("summary", "")) < 30:
            print(f"line {n}: too short")
            err += 1
        labs[r.get("label")] += 1
        langs[r.get("language")] += 1
        pairs += bool(r.get("pair"))
    for r in rows:
        if r.get("pair") and r["pair"] not in ids:
            print(f"{r['id']}: unknown pair {r['pair']}")
            err += 1
    print(f"items {len(rows)} with pair {pairs}\nlabels {dict(labs)}\nlanguages {dict(langs)}")
    print("OK" if not err else f"{err} errors")
    return 1 if err else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
