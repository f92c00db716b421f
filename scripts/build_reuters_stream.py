#!/usr/bin/env python3
"""Build a wire stream (JSON lines) from a slice of Reuters-21578, for `scripts/audit_stream.py`.

    python scripts/build_reuters_stream.py ../shared/data OUT.jsonl --lines 6000:10000

Lines 6000:10000 (0-based, end excluded) are the audit slice, 10000:14000 the tuning-side check;
`training/datasets.py` keeps both out of training. Each item is the headline and the first 400
characters of the story, as the training background reads it, in one feed ("Reuters").
Standard library only.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path, help="the shared data folder (holds reuters21578/items.jsonl)")
    ap.add_argument("out", type=Path)
    ap.add_argument("--lines", default="6000:10000", help="first:end line numbers, 0-based")
    opts = ap.parse_args()
    first, end = (int(x) for x in opts.lines.split(":"))
    n_out = 0
    with (
        (opts.data / "reuters21578" / "items.jsonl").open(encoding="utf-8") as src,
        opts.out.open("w", encoding="utf-8") as dst,
    ):
        for n, line in enumerate(src):
            if not first <= n < end:
                continue
            r = json.loads(line)
            row = {
                "id": f"r{r['id']}",
                "date": r["date"],
                "title": r["title"],
                "summary": r["text"][:400],
                "link": f"https://reuters.example/{r['id']}",
                "source": "Reuters",
                "language": "en",
            }
            dst.write(json.dumps(row) + "\n")
            n_out += 1
    print(f"{n_out} items -> {opts.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
