"""`factbot eval cases`: replay a labelled cases/distractors set through the real pipeline.

The set has the format of `dev-cases` (see its README): `cases.jsonl` (a claim and its
denials/retractions/corrections per event) and `distractors.jsonl` (items that must not
alert). Every item becomes an entry of a news feed named after its source (as the
end-to-end check serves them); items are stored and analysed in date order, in rounds, by
the real storage and detector in a temporary SQLite database. Then the alerted disputes
are scored by the links they carry, the way a desk would see them:

* case recall: events with an alerted dispute holding one of its denials *and* its claim;
* denial recall: denial items that are in such a dispute;
* alert precision: alerted disputes that hold a denial of some event (and no foreign claim);
* false alerts by distractor type; duplicate disputes per event;
* the misses and false alerts with the detector's own reasons, and a reliability table of
  the confidence (how often disputes in each confidence band are real).
"""

from __future__ import annotations

import asyncio
import collections
import json
import re
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import select

from bot.config import AlertsConfig, Config, DetectConfig
from bot.detect.actors import Gazetteer
from bot.storage import disputes as store
from bot.storage import schema as s
from bot.storage.db import Database
from bot.storage.feeds import FeedStore
from bot.storage.items import ItemStore
from bot.types import Entry, FeedKind, FeedSpec
from evals.claimants import named_as_any

DESTINATION = "console:eval"


@dataclass(frozen=True, slots=True)
class ReplayItem:
    """One item of the set, with what it is (claim / denial / distractor:type) and its event."""

    when: datetime
    dated: bool
    source: str
    url: str
    title: str
    summary: str
    language: str | None
    role: str
    case_id: str | None


def _stamp(day: str, hour: int, minute: int = 0) -> datetime:
    return datetime.strptime(day, "%Y-%m-%d").replace(hour=hour, minute=minute % 60, tzinfo=UTC)


def load_set(
    data_dir: str | Path, split: str | None = None, splits: str | Path = "training/splits.toml"
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[ReplayItem]]:
    """Cases, distractors and the items to replay, sorted by date.

    A claim rebuilt from the denial article (`derived` with the same URL) is that article in
    a real feed: it is served once, as the denial. `split` keeps one half of dev-cases as the
    split file writes it down ("tune" or "heldout").
    """
    d = Path(data_dir)
    cases = [json.loads(line) for line in (d / "cases.jsonl").read_text("utf-8").splitlines() if line.strip()]
    distractors = [
        json.loads(line) for line in (d / "distractors.jsonl").read_text("utf-8").splitlines() if line.strip()
    ]
    if split is not None:
        import tomllib

        part = tomllib.loads(Path(splits).read_text("utf-8"))["dev_cases"][split]
        keep_c, keep_d = set(part["cases"]), set(part["distractors"])
        cases = [c for c in cases if c["case_id"] in keep_c]
        distractors = [x for x in distractors if x.get("distractor_id") in keep_d]
    items: list[ReplayItem] = []

    def add(it: dict[str, Any], when: datetime, dated: bool, role: str, case: str | None) -> None:
        items.append(
            ReplayItem(
                when,
                dated,
                it["source"],
                it["url"],
                it["title"],
                it["summary"],
                it.get("language"),
                role,
                case,
            )
        )

    for c in cases:
        cl = c["claim"]
        if not (cl.get("derived") and any(x["url"] == cl["url"] for x in c["denials"])):
            add(cl, _stamp(cl["date"], 9), True, "claim", c["case_id"])
        for i, x in enumerate(c["denials"]):
            role = "counter" if x.get("role") == "counter-denial" else "denial"
            add(x, _stamp(x["date"], 15, i), True, role, c["case_id"])
    first = min(t.when for t in items) if items else datetime(2000, 1, 1, tzinfo=UTC)
    for i, x in enumerate(distractors):
        if x.get("date"):
            add(x, _stamp(x["date"], 12, i % 50), True, "distractor:" + x.get("distractor_type", "?"), None)
        else:  # undated: no pubDate; seen in the first round
            add(x, first, False, "distractor:" + x.get("distractor_type", "?"), None)
    items.sort(key=lambda t: t.when)
    return cases, distractors, items


def norm_url(u: str) -> str:
    """URLs compared the way the end-to-end check compares them."""
    u = u.strip().rstrip(").,;")
    u = re.sub(r"^https?://(www\.)?", "", u)
    return u.rstrip("/").lower()


async def _store_round(
    db: Database, feeds: dict[str, int], batch: Sequence[ReplayItem], seen_at: datetime
) -> None:
    """Store the round's items through the items store (dedupe, search index)."""
    by_feed: dict[str, list[ReplayItem]] = collections.defaultdict(list)
    for it in batch:
        by_feed[it.source].append(it)
    for source, rows in by_feed.items():
        entries = [
            Entry(
                guid=f"{r.url}#{r.role}:{r.case_id}",
                link=r.url,
                title=r.title,
                text=r.summary,
                published=r.when if r.dated else None,
                language=r.language,
            )
            for r in rows
        ]
        feed = await FeedStore(db).get(feeds[source])
        assert feed is not None
        await ItemStore(db).save_entries(feed, entries, seen_at)


async def _make_feeds(db: Database, sources: Sequence[str]) -> dict[str, int]:
    specs = [
        FeedSpec(url=f"http://127.0.0.1:9/{i}.xml", name=src, kind=FeedKind.NEWS)
        for i, src in enumerate(sources)
    ]
    fs = FeedStore(db)
    await fs.upsert_specs(specs)
    return {f.name: f.id for f in await fs.list()}


async def replay(
    data_dir: str | Path,
    *,
    rounds: int = 6,
    db_url: str | None = None,
    config: Config | None = None,
    split: str | None = None,
    splits: str | Path = "training/splits.toml",
    model: str | None = None,
) -> dict[str, Any]:
    """Replay the set and score it; the result as a dict (what `--json` writes)."""
    cases, distractors, items = load_set(data_dir, split, splits)
    tmp = tempfile.TemporaryDirectory(prefix="factbot-eval-")
    db = Database(db_url or f"sqlite:///{tmp.name}/eval.db")
    cfg = config or Config(alerts=AlertsConfig(max_age_days=0), detect=DetectConfig(model_file=model))
    try:
        await replay_items(db, items, cfg, rounds=rounds)
        return await _score(db, cases, distractors, items)
    finally:
        await db.close()
        tmp.cleanup()


async def replay_items(db: Database, items: Sequence[ReplayItem], config: Config, *, rounds: int = 6) -> None:
    """Migrate `db`, make one news feed per source, then store and analyse `items` (sorted
    by date) in `rounds` rounds with the real detector, alerting to `DESTINATION`."""
    from bot.detect.detector import Detector
    from bot.progress import progress

    await db.migrate()
    if not items:
        return
    feeds = await _make_feeds(db, sorted({it.source for it in items}))
    det = Detector(db, config, [DESTINATION])
    dates = [it.when for it in items]
    bounds = [dates[min(len(dates) - 1, (len(dates) * (r + 1)) // rounds - 1)] for r in range(rounds)]
    done = 0
    with progress(len(items), "eval: replaying items", unit="item") as bar:
        for upto in bounds:
            batch = [it for it in items[done:] if it.when <= upto]
            done += len(batch)
            await _store_round(db, feeds, batch, seen_at=upto + timedelta(hours=1))
            await det.process_pending()
            bar.update(len(batch))


async def _score(
    db: Database, cases: list[dict[str, Any]], distractors: list[dict[str, Any]], items: list[ReplayItem]
) -> dict[str, Any]:
    url_roles: dict[str, set[tuple[str, str | None]]] = collections.defaultdict(set)
    for c in cases:
        url_roles[norm_url(c["claim"]["url"])].add(("claim", c["case_id"]))
        for x in c["denials"]:
            if x.get("role") != "counter-denial":
                url_roles[norm_url(x["url"])].add(("denial", c["case_id"]))
    for x in distractors:
        url_roles[norm_url(x["url"])].add(("distractor:" + x.get("distractor_type", "?"), None))

    async with db.connect() as conn:
        alerted = set(await store.alerted_dispute_ids(conn))
        all_ids = [r[0] for r in await conn.execute(select(s.disputes.c.id).order_by(s.disputes.c.id))]
        disputes = await store.load_disputes(conn, all_ids)
        notes = {r.link: r.analysis for r in await conn.execute(select(s.items.c.link, s.items.c.analysis))}

    gazetteer = Gazetteer.load()
    claimant_of = {c["case_id"]: c["claim"].get("speaker") or "" for c in cases}
    named = collections.Counter[str]()
    found_linked: set[str] = set()
    found_any: set[str] = set()
    per_case: collections.Counter[str] = collections.Counter()
    denials_linked: set[str] = set()
    tp = fp = mislinked = 0
    fp_by_type: collections.Counter[str] = collections.Counter()
    false_alerts: list[dict[str, Any]] = []
    reliability: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for d in disputes:
        urls = [e.link for e in (d.claim, *d.evidence) if e.link]
        roles = set().union(*(url_roles.get(norm_url(u), set()) for u in urls)) if urls else set()
        denial_cases = {c for r, c in roles if r == "denial" and c}
        claim_cases = {c for r, c in roles if r == "claim" and c}
        foreign = {r for r, c in roles if r.startswith("distractor")} | {
            c for c in claim_cases if c not in denial_cases
        }
        good = bool(denial_cases) and (not foreign or bool(denial_cases & claim_cases))
        band = f"{min(9, int(d.confidence * 10)) / 10:.1f}"
        reliability[band][0] += 1
        reliability[band][1] += int(good)
        if d.id not in alerted:
            continue
        if denial_cases:
            found_any |= denial_cases
            linked = denial_cases & claim_cases
            found_linked |= linked
            for case_id in denial_cases:
                per_case[case_id] += 1
            for u in urls:
                for r, cid in url_roles.get(norm_url(u), set()):
                    if r == "denial" and cid in linked:
                        denials_linked.add(norm_url(u))
            if good:
                tp += 1
                if linked:  # whose statement it names, against the claim's speaker as written
                    wrote = [claimant_of[c] for c in linked if claimant_of[c]]
                    if wrote:
                        right = named_as_any(d.speaker, wrote, gazetteer)
                        named["as_written" if right else "otherwise"] += 1
            else:
                mislinked += 1
        else:
            fp += 1
            kinds = {r for r, _ in roles} or {"no-known-url"}
            for k in kinds:
                fp_by_type[k] += 1
            false_alerts.append(
                {
                    "dispute": d.id,
                    "speaker": d.speaker,
                    "topic": d.topic,
                    "kinds": sorted(kinds),
                    "confidence": d.confidence,
                    "reasons": list(d.reasons),
                    "items": [e.title for e in (d.claim, *d.evidence)][:4],
                }
            )
    n = len(cases)
    n_denials = sum(1 for c in cases for x in c["denials"] if x.get("role") != "counter-denial")
    alerts_n = len(alerted)
    misses = []
    for c in cases:
        if c["case_id"] in found_linked:
            continue
        why = [notes.get(x["url"]) or "not stored" for x in c["denials"]]
        misses.append(
            {
                "case": c["case_id"],
                "found_unlinked": c["case_id"] in found_any,
                "claim_note": notes.get(c["claim"]["url"]),
                "denial_notes": why,
            }
        )
    return {
        "cases": n,
        "alerts": alerts_n,
        "disputes_stored": len(disputes),
        "case_recall_linked": round(len(found_linked) / n, 3) if n else None,
        "case_recall_any": round(len(found_any) / n, 3) if n else None,
        "denial_recall": round(len(denials_linked) / n_denials, 3) if n_denials else None,
        "alert_precision": round(tp / alerts_n, 3) if alerts_n else None,
        "false_alerts": fp,
        "false_alerts_by_type": dict(fp_by_type),
        "mislinked_alerts": mislinked,
        # of the alerts linking a case's denial to its claim: the claimant named as the case's
        # claim gives its speaker (`evals.claimants`), or another
        "claimant_as_written": named["as_written"],
        "claimant_otherwise": named["otherwise"],
        "duplicate_disputes": sum(v - 1 for v in per_case.values() if v > 1),
        "duplicates_by_case": {c: v - 1 for c, v in per_case.items() if v > 1},
        "reliability": {
            b: {"disputes": v[0], "real": v[1], "rate": round(v[1] / v[0], 2)}
            for b, v in sorted(reliability.items())
        },
        "misses": misses,
        "false_alert_list": false_alerts,
    }


def print_report(result: dict[str, Any], out: TextIO = sys.stdout) -> None:
    """The human-readable report."""
    w = out.write
    w(
        f"cases: {result['cases']}   alerts: {result['alerts']}   disputes stored: {result['disputes_stored']}\n"
    )
    w(
        f"case recall (denial linked to its claim): {result['case_recall_linked']}"
        f"   (any denial alerted: {result['case_recall_any']})\n"
    )
    w(f"denial recall: {result['denial_recall']}\n")
    w(
        f"alert precision: {result['alert_precision']}   false alerts: {result['false_alerts']}"
        f"   mislinked: {result['mislinked_alerts']}\n"
    )
    w(
        f"claimant named as the claim's speaker: {result['claimant_as_written']}"
        f" of {result['claimant_as_written'] + result['claimant_otherwise']} linked alerts\n"
    )
    w(f"false alerts by type: {json.dumps(result['false_alerts_by_type'])}\n")
    w(f"duplicate disputes: {result['duplicate_disputes']} {json.dumps(result['duplicates_by_case'])}\n")
    w("reliability (confidence band: disputes, real, rate):\n")
    for band, v in result["reliability"].items():
        w(f"  {band}: {v['disputes']:4d} {v['real']:4d} {v['rate']:.2f}\n")
    if result["misses"]:
        w("misses:\n")
        for m in result["misses"]:
            w(f"  {m['case']}{' (alerted, claim not linked)' if m['found_unlinked'] else ''}\n")
            for note in m["denial_notes"]:
                w(f"      - {note}\n")
    if result["false_alert_list"]:
        w("false alerts:\n")
        for f in result["false_alert_list"]:
            w(
                f"  #{f['dispute']} {','.join(f['kinds'])} conf {f['confidence']}: {f['speaker']} / {f['topic']}\n"
            )
            w(f"      reasons: {'; '.join(f['reasons'])}\n")


def eval_cases(
    data_dir: str | Path,
    json_out: str | Path | None = None,
    *,
    out: TextIO = sys.stdout,
    split: str | None = None,
    splits: str | Path = "training/splits.toml",
    model: str | None = None,
) -> int:
    """Run the evaluation and print the report; 0 on success, 2 when the data is missing."""
    d = Path(data_dir)
    if not (d / "cases.jsonl").is_file() or not (d / "distractors.jsonl").is_file():
        out.write(f"{d}: expected cases.jsonl and distractors.jsonl\n")
        return 2
    if split is not None and not Path(splits).is_file():
        out.write(f"{splits}: split file not found (run from the repository root, or give --splits)\n")
        return 2
    result = asyncio.run(replay(d, split=split, splits=splits, model=model))
    print_report(result, out)
    if json_out:
        Path(json_out).write_text(json.dumps(result, indent=1, ensure_ascii=False), "utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--json")
    a = ap.parse_args()
    raise SystemExit(eval_cases(a.data, a.json))


__all__ = ["eval_cases", "replay", "replay_items", "load_set", "print_report", "ReplayItem"]
