"""Detector throughput: items/s on one core as the store grows (synthetic headline + summary items).

    taskset -c 0 .venv/bin/python benchmarks/detect.py [--stored 10000,100000] [--items 2000] [--mix 80,15,5]
        [--models packaged,OTHER.npz] [--wording 0.2,0] [--words-alone 0.9,0]

For each size in `--stored`, fills a temporary SQLite database with synthetic feeds and items
spread over a year, each with a claim statement and its sentence vector (as the detector would
have stored them), then stores `--items` new items (ordinary news, claims, and denials naming
stored speakers) and times `Detector.process_pending()` over them: reading, encoding, candidates
(the vector index and the database), the learned decision, storing and enqueueing.
Targets: >= 200 items/s at 100k stored, and the time per new item flat as the store grows
(printed as the ratio to the smallest size). With several `--models`, each is timed on the same
store in one run, and its time per item printed as the ratio to the first model's; so is each
`--wording` threshold (`[alerts] wording_threshold`; 0, with `--words-alone 0`: the wording model is
not loaded) and each `--words-alone` threshold (`[alerts] words_alone_threshold`; 0: off).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from bot.config import AlertsConfig, Config, DetectConfig
from bot.detect.detector import Detector
from bot.detect.encoder import default_encoder, item_text
from bot.storage import schema as s
from bot.storage.db import Database
from bot.storage.vectors import to_bytes

T0 = datetime(2025, 1, 1, tzinfo=UTC)
PLACES = ["Vardar", "Kolba", "Ostrava", "Merin", "Talas", "Sorel", "Ibarra", "Quenca", "Lusk", "Penrith"]
TOPICS = [
    "troops crossed the border",
    "the dam failed",
    "vaccine stocks ran out",
    "the ferry sank",
    "the election servers were hacked",
    "the bridge collapsed",
    "the oil spill was contained",
    "the hostages were freed",
    "the drug labs were dismantled",
    "the death toll rose to 40",
]
SPEAKERS = [
    ("the Interior Ministry", "ministry"),
    ("the Defence Ministry", "ministry"),
    ("the police", "police"),
    ("the army", "military"),
    ("the Health Ministry", "ministry"),
    ("the Foreign Ministry", "ministry"),
]
FILLER = [
    "Markets were calm on Tuesday as traders awaited figures.",
    "The museum reopens after renovation.",
    "A local team won the cup final on penalties.",
    "Rain is expected across the north this weekend.",
]


def _text(rng: random.Random, kind: str, k: int) -> tuple[str, str]:
    place = rng.choice(PLACES)
    topic = rng.choice(TOPICS)
    spk, _ = SPEAKERS[k % len(SPEAKERS)]
    if kind == "claim":
        return (
            f"{spk.capitalize()} says {topic} near {place}",
            f"{spk.capitalize()} said on Monday that {topic} near {place}, citing field reports.",
        )
    if kind == "denial":
        other = SPEAKERS[(k + 1) % len(SPEAKERS)][0]
        return (
            f"{other.capitalize()} denies claim by {spk} that {topic} near {place}",
            f"{other.capitalize()} said the claim by {spk} that {topic} near {place} was false.",
        )
    return rng.choice(FILLER), rng.choice(FILLER) + " " + rng.choice(FILLER)


async def fill(db: Database, stored: int, rng: random.Random) -> None:
    """`stored` items, each with one claim statement, over 2025, in bulk."""
    async with db.begin() as conn:
        await conn.execute(
            insert(s.feeds),
            [
                {"url": f"http://127.0.0.1/{i}.xml", "name": f"feed {i}", "kind": "news", "created_at": T0}
                for i in range(1, 51)
            ],
        )
    chunk = 5000
    encoder = default_encoder()
    cache: dict[str, bytes] = {}  # a few hundred distinct texts: encode each once
    for start in range(0, stored, chunk):
        rows, stmts, vecs = [], [], []
        for i in range(start, min(stored, start + chunk)):
            when = T0 + timedelta(minutes=5 * i % (365 * 24 * 12))
            title, text = _text(rng, "claim", i)
            rows.append(
                {
                    "id": i + 1,
                    "feed_id": 1 + i % 50,
                    "guid": f"g{i}",
                    "link": f"https://x.invalid/{i}",
                    "title": title,
                    "text": text,
                    "published": when,
                    "first_seen": when,
                    "last_seen": when,
                    "content_hash": f"h{i}",
                    "revision": 1,
                    "analysed_at": when,
                    "analysis": "seed",
                }
            )
            text_key = item_text(title, text)
            if text_key not in cache:
                cache[text_key] = to_bytes(encoder.encode([text_key])[0])
            vecs.append({"item_id": i + 1, "said_at": when, "model": encoder.name, "vector": cache[text_key]})
            spk, _ = SPEAKERS[i % len(SPEAKERS)]
            stmts.append(
                {
                    "item_id": i + 1,
                    "kind": "claim",
                    "speaker_key": f"syn.{i % 300}",
                    "speaker_name": spk,
                    "speaker_official": True,
                    "quote": text,
                    "score": 0.8,
                    "said_at": when,
                }
            )
        async with db.begin() as conn:
            await conn.execute(insert(s.items), rows)
            await conn.execute(insert(s.statements), stmts)
            await conn.execute(insert(s.item_vectors), vecs)


async def add_pending(
    db: Database, n: int, first_id: int, rng: random.Random, mix: tuple[int, int, int] = (80, 15, 5)
) -> None:
    """`n` new items: by default 80 % ordinary news, 15 % claims, 5 % denials."""
    rows = []
    for j in range(n):
        i = first_id + j
        kind = rng.choices(["news", "claim", "denial"], list(mix))[0]
        title, text = _text(rng, kind, j)
        when = T0 + timedelta(days=300, minutes=j)
        rows.append(
            {
                "id": i,
                "feed_id": 1 + j % 50,
                "guid": f"p{j}",
                "link": f"https://y.invalid/{j}",
                "title": title,
                "text": text,
                "published": when,
                "first_seen": when,
                "last_seen": when,
                "content_hash": f"p{j}",
                "revision": 1,
            }
        )
    async with db.begin() as conn:
        await conn.execute(insert(s.items), rows)


async def measure(
    stored: int,
    items: int,
    seed: int,
    mix: tuple[int, int, int],
    model_file: str | None = None,
    wording: float = AlertsConfig().wording_threshold,
    words_alone: float = AlertsConfig().words_alone_threshold,
) -> tuple[float, object]:
    """Seconds to analyse `items` new items with `stored` items already stored; the run's report."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/bench.db")
        await db.migrate()
        t = time.perf_counter()
        await fill(db, stored, rng)
        print(f"stored {stored} items with statements and vectors in {time.perf_counter() - t:.1f}s")
        await add_pending(db, items, stored + 1, rng, mix)
        det = Detector(
            db,
            Config(
                alerts=AlertsConfig(
                    max_age_days=0, wording_threshold=wording, words_alone_threshold=words_alone
                ),
                detect=DetectConfig(model_file=model_file),
            ),
            ["console:bench"],
        )
        # load the gazetteer and the models before timing: a long-running bot loads them once
        await asyncio.to_thread(det._ensure_ready)  # noqa: SLF001
        t = time.perf_counter()
        report = await det.process_pending()
        dt = time.perf_counter() - t
        await db.close()
    return dt, report


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stored", default="10000,100000", help="store sizes to compare, comma-separated")
    ap.add_argument("--items", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--mix", default="80,15,5", help="percent news,claims,denials among new items")
    ap.add_argument(
        "--models", default="packaged", help="detector model files to compare ('packaged': the shipped one)"
    )
    ap.add_argument("--wording", default="0.2", help="wording thresholds to compare (0: no second opinion)")
    ap.add_argument("--words-alone", default="0.9", help="words-alone thresholds to compare (0: off)")
    a = ap.parse_args()
    variants = [
        (None if m == "packaged" else m, float(w), float(alone))
        for m in a.models.split(",")
        for w in a.wording.split(",")
        for alone in a.words_alone.split(",")
    ]
    m = tuple(int(x) for x in a.mix.split(","))
    mix = (m[0], m[1], m[2])
    # each variant's (model, wording, words alone) time per item at the smallest store
    base: dict[tuple[str | None, float, float], float] = {}
    for stored in (int(x) for x in a.stored.split(",")):
        first: float | None = None
        for model, wording, alone in variants:
            dt, report = await measure(stored, a.items, a.seed, mix, model, wording, alone)
            per_item = dt / max(1, report.items)  # type: ignore[attr-defined]
            base.setdefault((model, wording, alone), per_item)
            first = first or per_item
            print(
                f"stored {stored:>7}, model {model or 'packaged'}, wording {wording}, words alone {alone}: "
                f"{report.items} new items in "  # type: ignore[attr-defined]
                f"{dt:.2f}s = {report.items / dt:.0f} items/s ({1000 * per_item:.2f} ms/item, "  # type: ignore[attr-defined]
                f"{per_item / base[(model, wording, alone)]:.2f}x the smallest store, {per_item / first:.2f}x the first "
                f"variant); disputing {report.disputing}, "  # type: ignore[attr-defined]
                f"disputes {report.disputes_created}, joined {report.evidence_added}"  # type: ignore[attr-defined]
            )


if __name__ == "__main__":
    asyncio.run(main())
