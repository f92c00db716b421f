"""Headline streams as files: the JSON-lines format `scripts/audit_stream.py` and training read.

Shared by the stream builders (`build_headline_stream.py`, `build_huffpost_stream.py`); standard
library only, so a builder needs nothing more than its own collection's reader.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def write_stream(rows: Sequence[dict[str, Any]], out: Path | str) -> None:
    """Write the stream's items, one JSON object per line (UTF-8, unescaped), and say how many."""
    with open(out, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(rows)} items -> {out}")
