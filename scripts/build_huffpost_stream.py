#!/usr/bin/env python3
"""Build a headline stream (JSON lines) from parts of the HuffPost News Category Dataset.

    python scripts/build_huffpost_stream.py OUT.jsonl PART.json [PART.json ...] \\
        --span 2018-02-01:2018-03-31 --span 2018-10-01:2018-12-31 --span 2020-08-01:2021-10-31

Each PART is a JSON-lines copy of (part of) Rishabh Misra's News Category Dataset (v2 or v3;
Kaggle `rmisra/news-category-dataset`, CC BY 4.0: Misra, "News Category Dataset", 2018, and
Misra & Grover, "Sculpting Data for ML", 2021): `headline`, `short_description`, `link`,
`date`, `category`, `authors`. Public repositories hold parts of it (`training/data/README.md`
names the ones used). Only items whose day falls in one of the `--span`s are kept; a link seen
in two parts is kept once. The headlines remain HuffPost's copyright: use them to train and
measure, never copy them into this project.

Each output line is one item in the format `scripts/audit_stream.py` reads (`id`, `date`,
`title`, `summary`, `link`, `source`, `language`), ordered by (date, id). The id is the
article id in the link when it has one, else a hash of the link, so it does not depend on
which part an item came from.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from pathlib import Path

from streams import write_stream

# HuffPost entry links end in an article id: "..._n_632d719ee4b087fae6feaac9" or "..._us_5b08...".
_ARTICLE_ID = re.compile(r"_(?:n|us|uk|ca|au|in)_([0-9a-f]{16,32})(?:$|[/?#])")


def item_id(link: str) -> str:
    """A stable id for one article: its id in the link, or a hash of the link."""
    found = _ARTICLE_ID.search(link)
    if found:
        return "hp-" + found.group(1)
    return "hp-" + hashlib.sha1(link.encode("utf-8")).hexdigest()[:24]


def span(text: str) -> tuple[str, str]:
    """`FIRST:LAST` days (YYYY-MM-DD) as an argparse type."""
    first, sep, last = text.partition(":")
    if not sep or len(first) != 10 or len(last) != 10 or first > last:
        raise argparse.ArgumentTypeError(f"expected FIRST:LAST days, YYYY-MM-DD:YYYY-MM-DD, got {text!r}")
    return first, last


def read_parts(paths: list[Path], spans: list[tuple[str, str]]) -> list[dict[str, str]]:
    """The items of every part within the spans, one per link, ordered by (date, id)."""
    rows: dict[str, dict[str, str]] = {}
    for path in paths:
        for line in path.read_text("utf-8").splitlines():
            if not line.strip():
                continue
            d = json.loads(line)
            day = (d.get("date") or "")[:10]
            title = " ".join((d.get("headline") or "").split())
            link = (d.get("link") or "").strip()
            if not title or not link or not any(a <= day <= b for a, b in spans):
                continue
            key = item_id(link)
            rows.setdefault(
                key,
                {
                    "id": key,
                    "date": day + "T00:00:00Z",
                    "title": title,
                    "summary": " ".join((d.get("short_description") or "").split()),
                    "link": link,
                    "source": "HuffPost",
                    "language": "en",
                },
            )
    return sorted(rows.values(), key=lambda r: (r["date"], r["id"]))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("parts", nargs="+", type=Path)
    ap.add_argument("--span", type=span, action="append", required=True, help="FIRST:LAST days to keep")
    opts = ap.parse_args()
    write_stream(read_parts(opts.parts, opts.span), opts.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
