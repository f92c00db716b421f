"""Snapshot what the rule readers make of a fixed corpus, and compare two snapshots.

A regression tool for changes that must not change behaviour (lexicons moved to data files,
functions split, the text toolkit): record before, change, record again, compare.

    .venv/bin/python scripts/text_snapshot.py record /tmp/before.jsonl.gz
    .venv/bin/python scripts/text_snapshot.py record /tmp/after.jsonl.gz
    .venv/bin/python scripts/text_snapshot.py compare /tmp/before.jsonl.gz /tmp/after.jsonl.gz

The corpus: every statement probe (`tests/data/statement_probes/*.jsonl`, read as a news item
and again as an official feed's item), every item of `dev-cases` (cases and distractors), and
3,000 FNC-1 training headlines with the lead of their article (`--fnc` to change the number).
For each item: `extract_statements`, the topic terms and the item's context; for each sentence
(the headline and the text's sentences): `find_cues` (with the item's language and with none),
actor mentions, the language guess and the folds. Nothing is copied: the data is read where it
lies (`--data`, default ../shared/data).

`compare` prints how many records differ in each part, for items in en/es/fr/de/pt ("latin")
and in other languages apart (a sentence in another script counts with the other languages),
with the first differences, and exits 1 when a "latin" part differs (`--strict`: when any does).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.detect.actors import Gazetteer, Mention
from bot.detect.cues import Cue, find_cues
from bot.detect.statements import extract_statements
from bot.detect.terms import extract_terms, topic_text
from bot.text import fold, fold_keep_offsets, guess_language, split_sentences
from bot.types import Actor, FeedKind, Item, Statement

ROOT = Path(__file__).resolve().parents[1]
LATIN = frozenset({"en", "es", "fr", "de", "pt"})
_WHEN = datetime(2024, 1, 1, tzinfo=UTC)

csv.field_size_limit(2**31 - 1)


@dataclass(frozen=True, slots=True)
class Source:
    """One item of the corpus and where it comes from."""

    key: str
    language: str | None
    title: str
    text: str
    official_actor: str | None = None  # set: read as an official feed's item


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def probes() -> Iterator[Source]:
    """Every statement probe, as a news item and as an official feed's item."""
    for path in sorted((ROOT / "tests" / "data" / "statement_probes").glob("*.jsonl")):
        for p in _jsonl(path):
            key = f"probe/{path.stem}/{p['id']}"
            yield Source(key, p.get("language"), p["title"], p.get("text", ""))
            speaker = (p.get("expect") or {}).get("speaker") or "Ministry of the Interior"
            yield Source(key + "/official", p.get("language"), p["title"], p.get("text", ""), speaker)


def dev_cases(data: Path) -> Iterator[Source]:
    """Every claim, denial and distractor of dev-cases."""
    d = data / "dev-cases"
    for c in _jsonl(d / "cases.jsonl"):
        for n, it in enumerate([c["claim"], *c["denials"]]):
            yield Source(f"dev/{c['case_id']}/{n}", it.get("language"), it["title"], it.get("summary", ""))
    for n, x in enumerate(_jsonl(d / "distractors.jsonl")):
        key = f"dev/distractor/{x.get('distractor_id', n)}"
        yield Source(key, x.get("language"), x["title"], x.get("summary", ""))


def _lead(body: str, chars: int = 700) -> str:
    if len(body) <= chars:
        return body
    cut = body[:chars]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def fnc1(data: Path, n: int) -> Iterator[Source]:
    """`n` distinct FNC-1 training (headline, article lead) pairs, spread over the file."""
    d = data / "fnc1"
    with open(d / "train_bodies.csv", newline="", encoding="utf-8") as f:
        bodies = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(f)}
    with open(d / "train_stances.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    step = max(1, len(rows) // (n * 2))
    seen: set[tuple[str, str]] = set()
    for i in range(0, len(rows), step):
        r = rows[i]
        pair = (r["Headline"], r["Body ID"])
        if pair in seen:
            continue
        seen.add(pair)
        yield Source(f"fnc1/{i}", None, r["Headline"], _lead(bodies.get(r["Body ID"], "")))
        if len(seen) >= n:
            return


def _item(n: int, s: Source) -> Item:
    official = s.official_actor is not None
    return Item(
        id=n, feed_id=1, guid=s.key, link=f"https://snapshot.example/{n}", title=s.title, text=s.text,
        published=_WHEN, first_seen=_WHEN, content_hash=str(n), language=s.language,
        feed_kind=FeedKind.OFFICIAL if official else FeedKind.NEWS, feed_actor=s.official_actor,
        feed_name="snapshot",
    )  # fmt: skip


def _actor(a: Actor | None) -> str | None:
    return None if a is None else f"{a.key}|{a.name}|{a.type}|{a.country}|{a.parent}"


def _statement(s: Statement) -> list[Any]:
    return [
        s.kind.value, _actor(s.speaker), s.speaker_text, s.quote, s.language, s.cue, _actor(s.target),
        s.target_text, s.score, s.target_kind, s.denied,
    ]  # fmt: skip


def _cue(c: Cue) -> list[Any]:
    return [
        c.kind.value, list(c.span), c.words, c.language, c.strength, c.negated, c.other_sense, c.reason,
        c.self_directed,
    ]  # fmt: skip


def _mention(m: Mention) -> list[Any]:
    return [_actor(m.actor), list(m.span), m.source]


def record_one(n: int, s: Source, gazetteer: Gazetteer) -> dict[str, Any]:
    """Everything the readers make of one item."""
    item = _item(n, s)
    rec: dict[str, Any] = {"key": s.key, "language": s.language}
    rec["statements"] = [_statement(st) for st in extract_statements(item, gazetteer)]
    if s.official_actor is not None:
        return rec  # the sentences are recorded with the news reading of the same probe
    ctx = gazetteer.context(s.title, s.text)
    rec["context"] = [ctx.country, sorted(ctx.named)]
    terms = extract_terms(topic_text(s.title, s.text))
    rec["terms"] = terms.serialise()
    sentences = [s.title] + [s.text[a:b] for a, b in split_sentences(s.text)]
    rec["sentences"] = [
        {
            "text": sent,
            "cues": [_cue(c) for c in find_cues(sent, s.language)],
            "cues_guessed": [_cue(c) for c in find_cues(sent, None)],
            "mentions": [_mention(m) for m in gazetteer.mentions(sent, country=ctx)],
            "guess": guess_language(sent),
            "fold": fold(sent),
            "fold_keep_offsets": fold_keep_offsets(sent),
        }
        for sent in sentences
        if sent.strip()
    ]
    return rec


def record(out: Path, data: Path, fnc: int) -> int:
    """Write the snapshot of the whole corpus to `out` (gzipped JSON lines)."""
    gazetteer = Gazetteer.load()
    sources = [*probes(), *dev_cases(data), *fnc1(data, fnc)]
    with gzip.open(out, "wt", encoding="utf-8") as f:
        for n, s in enumerate(sources, 1):
            f.write(json.dumps(record_one(n, s, gazetteer), ensure_ascii=False, sort_keys=True) + "\n")
    print(f"{len(sources)} items recorded to {out}")
    return 0


def _load(path: Path) -> dict[str, dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return {r["key"]: r for r in map(json.loads, f)}


def _group(rec: dict[str, Any]) -> str:
    lang = (rec.get("language") or "").split("-")[0]
    if lang in LATIN:
        return "latin"
    if lang:
        return "other"
    # undated language (FNC-1): the guess on the headline says which group
    sentences = rec.get("sentences") or []
    guess = sentences[0]["guess"] if sentences else None
    return "latin" if guess in LATIN or guess is None else "other"


# A letter of a script other than Latin: such a sentence counts with the other languages.
_OTHER_SCRIPT = re.compile(r"[^\W\d_\u0000-\u024f\u1e00-\u1eff]")


def _parts(rec: dict[str, Any]) -> dict[tuple[str, int], tuple[str, Any]]:
    """(part, sentence number) -> (group, value) for every part of a record; group is "latin"
    for items in en/es/fr/de/pt (sentences in Latin script), "other" for the rest."""
    group = _group(rec)
    out: dict[tuple[str, int], tuple[str, Any]] = {}
    for key in ("statements", "context", "terms"):
        if key in rec:
            out[(key, -1)] = (group, rec[key])
    for i, sent in enumerate(rec.get("sentences") or []):
        sentence_group = "other" if _OTHER_SCRIPT.search(sent["text"]) else group
        for key, value in sent.items():
            if key != "text":
                out[(f"sentence.{key}", i)] = (sentence_group, value)
    return out


def compare(before: Path, after: Path, *, strict: bool, show: int, skip: set[str]) -> int:
    """Print the differences between two snapshots; 1 when an item that counts differs."""
    a, b = _load(before), _load(after)
    counts: Counter[tuple[str, str]] = Counter()
    shown = 0
    missing = sorted(set(a) ^ set(b))
    for key in sorted(set(a) & set(b)):
        pa, pb = _parts(a[key]), _parts(b[key])
        for part in sorted(set(pa) | set(pb)):
            (group, va), (_, vb) = pa.get(part, ("latin", None)), pb.get(part, ("latin", None))
            if part[0] in skip or va == vb:
                continue
            counts[(group, part[0])] += 1
            if shown < show:
                shown += 1
                where = f"{part[0]}#{part[1]}" if part[1] >= 0 else part[0]
                print(f"--- {key} [{group}] {where}\n  before: {va}\n  after:  {vb}")
    print(f"\n{len(a)} items before, {len(b)} after, {len(missing)} only in one of them")
    if not counts:
        print("no differences")
    for (group, part), n in sorted(counts.items()):
        print(f"  {group:<6} {part:<28} {n} differences")
    bad = sum(n for (g, _), n in counts.items() if strict or g == "latin") + len(missing)
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    rec = sub.add_parser("record", help="snapshot the corpus into a file")
    rec.add_argument("out", type=Path)
    rec.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    rec.add_argument("--fnc", type=int, default=3000, help="FNC-1 items (default 3000)")
    cmp_ = sub.add_parser("compare", help="compare two snapshots")
    cmp_.add_argument("before", type=Path)
    cmp_.add_argument("after", type=Path)
    cmp_.add_argument("--strict", action="store_true", help="any difference fails, in any language")
    cmp_.add_argument("--show", type=int, default=20, help="differences to print (default 20)")
    cmp_.add_argument(
        "--skip", action="append", default=[], help="a part not to compare (e.g. sentence.fold)"
    )
    args = ap.parse_args(argv)
    if args.cmd == "record":
        if not (args.data / "dev-cases").is_dir():
            print(f"error: no dev-cases under {args.data} (give --data)", file=sys.stderr)
            return 2
        return record(args.out, args.data, args.fnc)
    return compare(args.before, args.after, strict=args.strict, show=args.show, skip=set(args.skip))


if __name__ == "__main__":
    raise SystemExit(main())
