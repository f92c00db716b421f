"""Full-text search figures: index N synthetic items, then time headline-shaped queries.

    .venv/bin/python benchmarks/search.py [--items 100000] [--queries 300] [--db sqlite|postgresql]

Documents are synthetic (Zipf-distributed words from a generated vocabulary), so no news
text is involved. Prints indexing rate and query latency (median, p95) as the detector uses
search: a headline's words, OR-ed, within a 30-day window.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
from sqlalchemy import insert, select, text

from bot.storage import search
from bot.storage.db import Database
from bot.storage.schema import feeds, items
from bot.text import fold


def vocabulary(n: int, rng: random.Random) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = {"".join(rng.choice(letters) for _ in range(rng.randint(3, 10))) for _ in range(n * 2)}
    common = ["the", "of", "and", "to", "in", "said", "on", "for", "a", "was"]
    return common + sorted(words)[:n]


def sentence(vocab: list[str], weights: list[float], rng: random.Random, k: int) -> str:
    return " ".join(rng.choices(vocab, cum_weights=weights, k=k))


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    ap.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/test")
    args = ap.parse_args()
    rng = random.Random(7)
    vocab = vocabulary(30_000, rng)
    weights = list(itertools.accumulate(1 / (i + 1) for i in range(len(vocab))))  # cumulative Zipf
    with tempfile.TemporaryDirectory() as tmp:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        if args.db == "postgresql":  # a schema of our own, dropped at the end
            admin = await asyncpg.connect(args.pg_url.replace("postgresql://", "postgres://", 1))
            await admin.execute(f'CREATE SCHEMA "{schema}"')
        db = Database(
            f"sqlite:///{tmp}/bench.db" if args.db == "sqlite" else args.pg_url,
            pg_schema=schema if args.db == "postgresql" else None,
        )
        await db.migrate()
        t0 = datetime(2025, 1, 1, tzinfo=UTC)
        async with db.begin() as conn:
            feed_id = (
                await conn.execute(insert(feeds).values(url=f"http://bench/{time.time()}", created_at=t0))
            ).inserted_primary_key[0]
        rows = []
        for n in range(args.items):
            when = t0 + timedelta(minutes=5 * n)
            rows.append(
                dict(
                    feed_id=feed_id,
                    guid=f"g{n}",
                    title=sentence(vocab, weights, rng, 10),
                    text=sentence(vocab, weights, rng, 60),
                    first_seen=when,
                    last_seen=when,
                    published=when,
                    content_hash=str(n),
                )
            )
        # The first items go through index_item one by one (the rate the items store sees);
        # the rest are bulk-loaded so the benchmark reaches a large index quickly.
        timed = min(2_000, args.items)
        start = time.perf_counter()
        async with db.begin() as conn:
            for row in rows[:timed]:
                res = await conn.execute(insert(items).values(**row))
                await search.index_item(conn, res.inserted_primary_key[0], row["title"], row["text"])
        index_s = time.perf_counter() - start
        async with db.begin() as conn:
            for chunk in range(timed, args.items, 5_000):
                batch = rows[chunk : chunk + 5_000]
                await conn.execute(insert(items), batch)
            ids = [r[0] for r in await conn.execute(select(items.c.id).order_by(items.c.id))]
            sql = (
                "INSERT INTO items_fts (rowid, title, text) VALUES (:id, :title, :text)"
                if db.dialect == "sqlite"
                else "INSERT INTO item_search (item_id, doc) VALUES (:id, setweight(to_tsvector('simple', :title),"
                " 'A') || setweight(to_tsvector('simple', :text), 'B'))"
            )
            for chunk in range(timed, args.items, 5_000):
                docs = [
                    {"id": i, "title": fold(r["title"]), "text": fold(r["text"])}
                    for i, r in zip(ids[chunk : chunk + 5_000], rows[chunk : chunk + 5_000], strict=True)
                ]
                await conn.execute(text(sql), docs)
        end = t0 + timedelta(minutes=5 * args.items)
        latencies = []
        async with db.connect() as conn:
            for _ in range(args.queries):
                q = sentence(vocab, weights, rng, 10)
                until = t0 + (end - t0) * rng.random()
                q0 = time.perf_counter()
                await search.search_items(conn, q, since=until - timedelta(days=30), until=until, limit=15)
                latencies.append((time.perf_counter() - q0) * 1000)
        await db.close()
        if args.db == "postgresql":
            await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
            await admin.close()
    latencies.sort()
    print(
        f"backend={args.db} items={args.items} index_item rate={timed / index_s:.0f} items/s (with item insert)"
    )
    print(
        f"query ms: median={statistics.median(latencies):.1f} "
        f"p95={latencies[int(0.95 * len(latencies)) - 1]:.1f} max={latencies[-1]:.1f}"
    )


if __name__ == "__main__":
    asyncio.run(main())
