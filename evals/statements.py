"""`factbot eval statements`: who-said-what accuracy on labelled news items.

A probe file is JSON lines: {"id", "language", "title", "text", "expect": {"kind", "speaker",
"target"}}, where `expect` describes the item's most important disputing statement (kind
denial / retraction / correction, or "none" for items that dispute nothing: other senses,
hedges, plain claims). The first disputing statement the extractor returns is compared with it.
For a retraction or correction the target may also be the speaker's own key or empty.

The sets in `tests/data/statement_probes` were written for this project by three separate
authors, in our own words, in five languages; `make eval-statements` runs them all.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from bot.detect.actors import Gazetteer
from bot.detect.statements import extract_statements
from bot.types import FeedKind, Item, Statement, StatementKind

_DISPUTING = (StatementKind.DENIAL, StatementKind.RETRACTION, StatementKind.CORRECTION)
_WHEN = datetime(2025, 5, 15, 14, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """One probe item: what was expected, what the extractor said, and which fields agree."""

    probe: dict[str, Any]
    got: dict[str, str | None]
    kind_ok: bool
    speaker_ok: bool
    target_ok: bool

    @property
    def ok(self) -> bool:
        """All three fields right."""
        return self.kind_ok and self.speaker_ok and self.target_ok


def load_probes(paths: Iterable[str | Path]) -> list[dict[str, Any]]:
    """Every probe of the given files (or of every `*.jsonl` in a given folder)."""
    out: list[dict[str, Any]] = []
    for p in map(Path, paths):
        if not p.exists():
            raise ValueError(f"{p}: no such file or folder")
        files = sorted(p.glob("*.jsonl")) if p.is_dir() else [p]
        for f in files:
            for n, line in enumerate(f.read_text("utf-8").splitlines(), 1):
                if line.strip():
                    try:
                        out.append(json.loads(line))
                    except json.JSONDecodeError as e:
                        raise ValueError(f"{f}:{n}: not JSON: {e}") from e
    return out


def score_probe(probe: dict[str, Any], gazetteer: Gazetteer, n: int = 0) -> ProbeResult:
    """Run one probe through the extractor and compare with its `expect`."""
    item = Item(
        id=n + 1, feed_id=1, guid=f"probe-{n}", link=f"https://probe.example/{n}", title=probe["title"],
        text=probe.get("text", ""), published=_WHEN, first_seen=_WHEN, content_hash=f"p{n}",
        language=probe.get("language"), feed_kind=FeedKind.NEWS, feed_name="probe",
    )  # fmt: skip
    pick = next((s for s in extract_statements(item, gazetteer) if s.kind in _DISPUTING), None)
    got = _fields(pick)
    exp = probe["expect"]
    kind_ok = got["kind"] == exp["kind"]
    if exp["kind"] == "none":
        return ProbeResult(probe, got, kind_ok, kind_ok, kind_ok)
    own_side = exp["kind"] in ("retraction", "correction")
    allowed = {exp["target"], None, exp["speaker"]} if own_side else {exp["target"]}
    return ProbeResult(probe, got, kind_ok, got["speaker"] == exp["speaker"], got["target"] in allowed)


def _fields(st: Statement | None) -> dict[str, str | None]:
    if st is None:
        return {"kind": "none", "speaker": None, "target": None}
    return {
        "kind": st.kind.value,
        "speaker": st.speaker.key if st.speaker else None,
        "target": st.target.key if st.target else None,
    }


def summary(results: Sequence[ProbeResult]) -> dict[str, dict[str, float | int]]:
    """Per language and overall: n, and the share right of kind, speaker, target, all three."""
    groups: dict[str, list[ProbeResult]] = {"all": list(results)}
    for r in results:
        groups.setdefault(str(r.probe.get("language") or "?"), []).append(r)
    out: dict[str, dict[str, float | int]] = {}
    for name, rs in groups.items():
        c: Counter[str] = Counter()
        for r in rs:
            c.update(kind=r.kind_ok, speaker=r.speaker_ok, target=r.target_ok, all=r.ok)
            if r.probe["expect"]["kind"] == "none":
                c.update(none=1, none_kept=r.kind_ok)
            else:
                c.update(disputes=1, found=r.got["kind"] != "none")
        n = len(rs)
        out[name] = {
            "n": n,
            **{k: round(c[k] / n, 3) for k in ("kind", "speaker", "target", "all")},
            "disputes_found": round(c["found"] / c["disputes"], 3) if c["disputes"] else 0.0,
            "none_kept": round(c["none_kept"] / c["none"], 3) if c["none"] else 0.0,
        }
    return out


def eval_statements(paths: Sequence[str | Path], out: TextIO = sys.stdout, *, show: int = 30) -> int:
    """Score the probe files and print the table and the first `show` mismatches."""
    try:
        probes = load_probes(paths)
    except ValueError as e:
        out.write(f"error: {e}\n")
        return 2
    if not probes:
        out.write("no probes found\n")
        return 2
    gaz = Gazetteer.load()
    results = [score_probe(p, gaz, n) for n, p in enumerate(probes)]
    table = summary(results)
    out.write(
        f"{'lang':5} {'n':>4} {'kind':>6} {'speaker':>8} {'target':>7} {'all':>6} {'found':>6} {'none ok':>8}\n"
    )
    for lang in ["all", *sorted(k for k in table if k != "all")]:
        row = table[lang]
        out.write(
            f"{lang:5} {row['n']:>4} {row['kind']:>6.3f} {row['speaker']:>8.3f} {row['target']:>7.3f} "
            f"{row['all']:>6.3f} {row['disputes_found']:>6.3f} {row['none_kept']:>8.3f}\n"
        )
    wrong = [r for r in results if not r.ok]
    out.write(f"\n{len(wrong)} mismatches")
    out.write(f" (first {show}):\n" if len(wrong) > show else ":\n")
    for r in wrong[:show]:
        exp = r.probe["expect"]
        out.write(f"  [{r.probe.get('id')}] {r.probe['title'][:90]}\n")
        out.write(f"      expected {exp['kind']} {exp['speaker']} -> {exp['target']}; ")
        out.write(f"got {r.got['kind']} {r.got['speaker']} -> {r.got['target']}\n")
    return 0


__all__ = ["ProbeResult", "eval_statements", "load_probes", "score_probe", "summary"]
