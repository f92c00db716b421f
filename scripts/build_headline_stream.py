#!/usr/bin/env python3
"""Build a headline stream (JSON lines) from a checkout of a public headline collection.

    python scripts/build_headline_stream.py REPO_DIR OUT.jsonl --start 2016-01-01 --end 2018-03-31

REPO_DIR is a work tree of github.com/ramybaly/Article-Bias-Prediction (AllSides articles, Apache-2.0;
the headlines remain their outlets' copyright: use them to train and measure, never copy them into
this project). Each output line is one item in the format `scripts/audit_stream.py` and
`training/train_detector.py --background-stream` read: `id`, `date` (day precision, midnight UTC),
`title`, `summary` ("": the collection has no short description), `link`, `source`, `language`.
Items are ordered by (date, id). Titles the collection stored double-encoded (UTF-8 read as
Windows-1252, about 2 % of its 2012-15 items) are repaired with ftfy (in the `train` extra).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
from urllib.parse import urlparse

import ftfy
from streams import write_stream


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("repo")
    ap.add_argument("out")
    ap.add_argument("--start", required=True, help="first day, YYYY-MM-DD")
    ap.add_argument("--end", required=True, help="last day, YYYY-MM-DD")
    opts = ap.parse_args()
    rows = []
    for path in glob.glob(os.path.join(opts.repo, "data", "jsons", "*.json")):
        with open(path, encoding="utf-8") as fh:
            d = json.load(fh)
        day = (d.get("date") or "").strip()
        title = " ".join(ftfy.fix_encoding(d.get("title") or "").split())
        if len(day) != 10 or not (opts.start <= day <= opts.end) or not title:
            continue
        link = (d.get("url") or "").strip()
        rows.append(
            {
                "id": d.get("ID") or os.path.splitext(os.path.basename(path))[0],
                "date": day + "T00:00:00Z",
                "title": title,
                "summary": "",
                "link": link,
                "source": (d.get("source") or "").strip() or urlparse(link).netloc,
                "language": "en",
            }
        )
    rows.sort(key=lambda r: (r["date"], r["id"]))
    write_stream(rows, opts.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
