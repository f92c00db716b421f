"""Audit the alerts the detector raises on news it has never seen (over-firing check).

Takes articles that are not in dev-cases — FNC-1 bodies (each with one headline paired with
it as the item title), Emergent article headlines and/or ARC bodies — spreads N of them over
a few weeks of fake dates and several fake `news` feeds, replays them through the real
storage and detector in a temporary SQLite database (`evals.cases.replay_items`),
and prints every dispute that would alert (its `new_dispute` event was queued, i.e. its
confidence reached the alert threshold) with its speaker, denier, cue, reasons and the
titles of the claim and denial items. Every alert here is a candidate false alert: read
them and judge each one by the product's definition.

    .venv/bin/python scripts/audit_alerts.py [-n 2000] [--sources fnc1] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import hashlib
import json
import random
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.config import AlertsConfig, Config, DetectConfig
from bot.storage import disputes as store
from bot.storage import schema as s
from bot.storage.db import Database
from evals.cases import ReplayItem, replay_items

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
# For a title, a headline the body agrees with reads most like the article's own headline.
_STANCE_ORDER = {"agree": 0, "discuss": 1, "disagree": 2}

csv.field_size_limit(10**8)


@dataclass(frozen=True, slots=True)
class Article:
    """One unseen article: where it comes from, a title and its text."""

    ref: str  # dataset:id
    title: str
    text: str


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def _bodies_with_headlines(bodies: Path, stances: Path, name: str) -> list[Article]:
    """One article per body, titled with a related headline paired with it (none: skipped)."""
    best: dict[str, tuple[int, str]] = {}
    for r in _rows(stances):
        rank = _STANCE_ORDER.get(r["Stance"])
        if rank is None:  # 'unrelated': the headline belongs to another story
            continue
        bid = r["Body ID"]
        if bid not in best or rank < best[bid][0]:
            best[bid] = (rank, r["Headline"].strip())
    out = []
    for r in _rows(bodies):
        bid = r["Body ID"]
        if bid in best and r["articleBody"].strip():
            out.append(Article(f"{name}:{bid}", best[bid][1], r["articleBody"].strip()))
    return out


def load_fnc1(root: Path) -> list[Article]:
    """FNC-1 train and competition-test bodies."""
    d = root / "fnc1"
    return _bodies_with_headlines(
        d / "train_bodies.csv", d / "train_stances.csv", "fnc1-train"
    ) + _bodies_with_headlines(
        d / "competition_test_bodies.csv", d / "competition_test_stances.csv", "fnc1-test"
    )


def load_arc(root: Path) -> list[Article]:
    """ARC bodies (user posts) with a related claim paired with them as the title."""
    d = root / "arc"
    return _bodies_with_headlines(
        d / "arc_bodies.csv", d / "arc_stances_train.csv", "arc-train"
    ) + _bodies_with_headlines(d / "arc_bodies.csv", d / "arc_stances_test.csv", "arc-test")


def load_emergent(root: Path) -> list[Article]:
    """Emergent article headlines (the set has no bodies): the headline is the whole item."""
    seen: dict[str, Article] = {}
    for r in _rows(root / "emergent" / "url-versions-2015-06-14-clean.csv"):
        h = r["articleHeadline"].strip()
        if h and r["articleId"] not in seen:
            seen[r["articleId"]] = Article(f"emergent:{r['articleId']}", h, "")
    return list(seen.values())


LOADERS = {"fnc1": load_fnc1, "emergent": load_emergent, "arc": load_arc}


def _clip(text: str, chars: int) -> str:
    """The first `chars` characters, cut after a sentence end when there is one (a feed summary)."""
    if chars <= 0 or len(text) <= chars:
        return text
    cut = text[:chars]
    end = max(cut.rfind(". "), cut.rfind(".\n"), cut.rfind('." '))
    return cut[: end + 1] if end > chars // 3 else cut


def sample(
    articles: Sequence[Article], n: int, *, seed: int, weeks: int, feeds: int, text_chars: int
) -> list[ReplayItem]:
    """N distinct articles as feed items at random times over `weeks`, in `feeds` news feeds."""
    rng = random.Random(seed)
    uniq: dict[str, Article] = {}
    for a in articles:
        uniq.setdefault(hashlib.sha1(f"{a.title}\n{a.text}".encode()).hexdigest(), a)
    pool = sorted(uniq.values(), key=lambda a: a.ref)
    rng.shuffle(pool)
    start = datetime(2024, 3, 4, tzinfo=UTC)
    span = int(timedelta(weeks=weeks).total_seconds())
    items = []
    for i, a in enumerate(pool[:n]):
        src = f"news-{rng.randrange(feeds) + 1}"
        items.append(
            ReplayItem(
                when=start + timedelta(seconds=rng.randrange(span)),
                dated=True,
                source=src,
                url=f"https://{src}.example/{a.ref.replace(':', '/')}/{i}",
                title=a.title,
                summary=_clip(a.text, text_chars),
                language=None,
                role="audit",
                case_id=a.ref,
            )
        )
    items.sort(key=lambda t: t.when)
    return items


async def audit(items: Sequence[ReplayItem], *, rounds: int) -> dict[str, Any]:
    """Replay the items; the alerted disputes with their statements, and a few counts."""
    tmp = tempfile.TemporaryDirectory(prefix="factbot-audit-")
    db = Database(f"sqlite:///{tmp.name}/audit.db")
    cfg = Config(alerts=AlertsConfig(max_age_days=0), detect=DetectConfig())
    try:
        await replay_items(db, items, cfg, rounds=rounds)
        async with db.connect() as conn:
            alerted = await store.alerted_dispute_ids(conn)
            n_disputes = len((await conn.execute(select(s.disputes.c.id))).all())
            disputes = await store.load_disputes(conn, alerted)
            ev_rows = (
                await conn.execute(
                    select(
                        s.evidence.c.dispute_id,
                        s.evidence.c.item_id,
                        s.evidence.c.role,
                        s.evidence.c.actor_name,
                        s.statements.c.kind,
                        s.statements.c.speaker_name,
                        s.statements.c.target_name,
                        s.statements.c.cue,
                        s.statements.c.quote,
                    )
                    .select_from(
                        s.evidence.outerjoin(s.statements, s.statements.c.id == s.evidence.c.statement_id)
                    )
                    .where(s.evidence.c.dispute_id.in_(alerted))
                    .order_by(s.evidence.c.id)
                )
            ).all()
            guid = {r.id: r.guid for r in await conn.execute(select(s.items.c.id, s.items.c.guid))}
    finally:
        await db.close()
        tmp.cleanup()
    statements: dict[int, list[dict[str, Any]]] = {}
    for r in ev_rows:
        statements.setdefault(r.dispute_id, []).append(
            {
                "role": r.role,
                "actor": r.actor_name,
                "kind": r.kind,
                "speaker": r.speaker_name,
                "target": r.target_name,
                "cue": r.cue,
                "quote": r.quote,
                "ref": (guid.get(r.item_id) or "").rpartition(":")[2],
            }
        )
    out = []
    for d in disputes:
        out.append(
            {
                "dispute": d.id,
                "confidence": d.confidence,
                "speaker": d.speaker,
                "deniers": list(d.denier_names),
                "topic": d.topic,
                "reasons": list(d.reasons),
                "claim_title": d.claim.title,
                "claim_ref": (guid.get(d.claim.item_id) or "").rpartition(":")[2],
                "evidence": [
                    {"role": e.role.value, "actor": e.actor, "title": e.title, "source": e.source}
                    for e in d.evidence
                ],
                "statements": statements.get(d.id, []),
            }
        )
    return {"items": len(items), "disputes_stored": n_disputes, "alerts": len(out), "alert_list": out}


def print_report(result: dict[str, Any]) -> None:
    """Every alert, readably."""
    w = sys.stdout.write
    w(
        f"items: {result['items']}   disputes stored: {result['disputes_stored']}   alerts: {result['alerts']}\n"
    )
    for a in result["alert_list"]:
        w(f"\n#{a['dispute']} conf {a['confidence']}: {a['speaker']}  <-  {', '.join(a['deniers']) or '?'}\n")
        w(f"   topic: {a['topic']}\n")
        w(f"   claim [{a['claim_ref']}]: {a['claim_title']}\n")
        for e in a["evidence"]:
            w(f"   {e['role']} ({e['actor']}, {e['source']}): {e['title']}\n")
        for st in a["statements"]:
            w(
                f"   stmt {st['role']}/{st['kind']} [{st['ref']}] speaker={st['speaker']!r}"
                f" target={st['target']!r} cue={st['cue']!r}\n"
                f"        quote: {st['quote'][:300]}\n"
            )
        w(f"   reasons: {'; '.join(a['reasons'])}\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments, run the audit, print (and optionally save) the alerts."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("-n", type=int, default=2000, help="how many articles to replay (default 2000)")
    ap.add_argument("--sources", default="fnc1", help="comma-separated: fnc1, emergent, arc (default fnc1)")
    ap.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--weeks", type=int, default=3, help="fake dates spread over this many weeks")
    ap.add_argument("--feeds", type=int, default=6, help="how many fake news feeds")
    ap.add_argument("--rounds", type=int, default=6, help="detector rounds (as `factbot eval cases`)")
    ap.add_argument(
        "--text-chars", type=int, default=0, help="clip bodies to about this many characters (0: whole body)"
    )
    ap.add_argument("--json", type=Path, help="also write the result here")
    a = ap.parse_args(argv)
    articles: list[Article] = []
    for name in (x.strip() for x in a.sources.split(",") if x.strip()):
        if name not in LOADERS:
            ap.error(f"unknown source {name!r} (expected one of {', '.join(LOADERS)})")
        articles += LOADERS[name](a.data)
    items = sample(articles, a.n, seed=a.seed, weeks=a.weeks, feeds=a.feeds, text_chars=a.text_chars)
    result = asyncio.run(audit(items, rounds=a.rounds))
    print_report(result)
    if a.json:
        a.json.write_text(json.dumps(result, indent=1, ensure_ascii=False), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
