"""Scale-out: 1, 2 and 3 `factbot run` replicas on one PostgreSQL, and `/dispute` at a million items.

    .venv/bin/python benchmarks/scale.py replicas                   # 1,000 feeds x 20 items, 1/2/3 replicas
    .venv/bin/python benchmarks/scale.py replicas --feeds 300       # quicker
    .venv/bin/python benchmarks/scale.py replicas --feeds 300 --counts 1 2 --blas-threads 1
    .venv/bin/python benchmarks/scale.py dispute --items 1000000    # /dispute p50/p95, PostgreSQL and SQLite
    .venv/bin/python benchmarks/scale.py dispute --items 100000     # quicker

`replicas`: for each replica count a fresh PostgreSQL database, a feed server in its own
process (on 32 loopback addresses, so `per_host` acts as with real sites), and that many
`factbot run --no-chat` processes started at the same moment with the feeds in their config
(`[poll] interval = "1s"`: every feed is always due, so the poll rate is what the replicas can
do). Printed per replica count: crashes at start; items/s stored (cold cycle) and analysed by
the detector; steady polls per minute; CPU per replica; duplicate fetches (a feed fetched
again sooner than its interval allows: two replicas on one feed); and, with 2 or 3 replicas,
how long the feeds a SIGKILLed replica held wait before another replica polls them.

`dispute`: bulk-loads N synthetic items (filler words, no news text) and N/100 disputes, then
times `/dispute` (`bot.commands.search_disputes`, search + loading the disputes) for 300
queries made of words from the disputes: p50 and p95.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import signal
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.local_feeds import HOSTS, feed_urls  # noqa: E402  (the shared feed server's addresses)

FACTBOT = str(Path(sys.executable).with_name("factbot"))
INTERVAL_S = 1.0
JITTER = 0.1
PG = "postgresql://postgres@127.0.0.1:5432/test"


# --------------------------------------------------------------------------- the feed server process


def serve(items: int, min_gap: float) -> None:
    """Feeds with ETags (a warm poll is a 304), counting fetches and too-early refetches."""
    from aiohttp import web

    from benchmarks.ingest import feed_doc  # generated filler
    from benchmarks.local_feeds import serve_on_loopbacks

    last: dict[int, float] = {}
    stats = {"fetches": 0, "early": 0}
    slow = {"s": 0.0}  # a delay before every answer, so replicas hold feeds in flight when one is killed
    cache: dict[int, bytes] = {}

    async def feed(request: web.Request) -> web.Response:
        i = int(request.match_info["i"])
        now = time.monotonic()
        stats["fetches"] += 1
        if i in last and now - last[i] < min_gap:
            stats["early"] += 1
        last[i] = now
        etag = f'"{i}"'
        if slow["s"]:
            await asyncio.sleep(slow["s"])
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        body = cache.get(i) or cache.setdefault(i, feed_doc(i, items, False))
        return web.Response(body=body, headers={"ETag": etag, "Content-Type": "application/rss+xml"})

    async def get_stats(request: web.Request) -> web.Response:
        return web.json_response(stats)

    async def set_slow(request: web.Request) -> web.Response:
        slow["s"] = float(request.match_info["s"])
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/feed/{i}.xml", feed)
    app.router.add_get("/_stats", get_stats)
    app.router.add_get("/_slow/{s}", set_slow)
    asyncio.run(serve_on_loopbacks(app))


# --------------------------------------------------------------------------- replicas


async def _pg(url: str):  # type: ignore[no-untyped-def]
    import asyncpg

    return await asyncpg.connect(url.replace("postgresql://", "postgres://", 1), timeout=10)


async def _stats(port: int) -> dict[str, int]:
    import aiohttp

    async with aiohttp.ClientSession() as s, s.get(f"http://127.0.0.1:{port}/_stats") as r:
        return dict(await r.json())


async def _slow(port: int, seconds: float) -> None:
    import aiohttp

    async with aiohttp.ClientSession() as s, s.get(f"http://127.0.0.1:{port}/_slow/{seconds}") as r:
        await r.read()


async def _takeover(conn, port: int, procs: list[asyncio.subprocess.Process], sig: signal.Signals):  # type: ignore[no-untyped-def]
    """Stop with `sig` the replica holding the most feeds in flight; how long until others poll them.

    The victim is returned with the figures (the caller resumes or reaps it).
    """
    await _slow(port, 3.0)  # polls now take 3 s: every replica holds a slot's worth of feeds
    await asyncio.sleep(1.5)
    alive = {p.pid: p for p in procs if p.returncode is None}
    rows = await conn.fetch(
        "SELECT split_part(lease_owner, ':', 2) AS pid, count(*) AS n FROM feeds "
        "WHERE lease_owner IS NOT NULL GROUP BY 1 ORDER BY 2 DESC"
    )
    pid = next((int(r["pid"]) for r in rows if int(r["pid"]) in alive), next(iter(alive)))
    victim = alive[pid]
    held = [r["id"] for r in await conn.fetch("SELECT id FROM feeds WHERE lease_owner LIKE $1", f"%:{pid}:%")]
    stopped_at = datetime.now(UTC)
    victim.send_signal(sig)
    await _slow(port, 0.0)
    t0 = time.monotonic()
    waited = None
    while held and time.monotonic() - t0 < 120:
        done = await conn.fetchval(
            "SELECT count(*) FROM feeds WHERE id = ANY($1::bigint[]) AND last_poll_at > $2", held, stopped_at
        )
        if done == len(held):
            waited = time.monotonic() - t0
            break
        await asyncio.sleep(0.1)
    figures = {
        "feeds_held": len(held),
        "polled_again_after_s": round(waited, 1) if waited is not None else None,
    }
    return figures, victim


async def _cpu(pids: list[int]) -> list[float]:
    import psutil

    out = []
    for pid in pids:
        try:
            t = psutil.Process(pid).cpu_times()
            out.append(t.user + t.system)
        except psutil.NoSuchProcess:
            out.append(0.0)
    return out


async def _wait(conn, sql: str, target: int, within: float) -> float | None:  # type: ignore[no-untyped-def]
    """Seconds until `sql` counts `target`, or None after `within` seconds."""
    import asyncpg

    start = time.monotonic()
    while time.monotonic() - start < within:
        try:
            if int(await conn.fetchval(sql)) >= target:
                return time.monotonic() - start
        except asyncpg.UndefinedTableError:  # the replicas have not migrated yet
            pass
        await asyncio.sleep(0.25)
    return None


async def one_setup(
    n: int, feeds: int, items: int, port: int, work: Path, window_s: float, blas_threads: int = 0
) -> dict[str, object]:
    name = f"factbot_scale_{uuid.uuid4().hex[:8]}"
    admin = await _pg(PG)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = PG.rsplit("/", 1)[0] + "/" + name
    urls = feed_urls(port, feeds)
    config = work / f"scale{n}.toml"
    config.write_text(
        f'[database]\nurl = "{url}"\n'
        f'[poll]\ninterval = "{INTERVAL_S:g}s"\njitter = {JITTER}\nconcurrency = 32\nper_host = 32\ntimeout = "15s"\n'
        f'[alerts]\nmax_age_days = 0\n[detect]\nblas_threads = {blas_threads}\n[logging]\nlevel = "WARNING"\n'
        + "".join(f'[[feeds]]\nurl = "{u}"\n' for u in urls)
    )
    result: dict[str, object] = {"replicas": n}
    logs = [open(work / f"scale{n}-{k}.log", "wb") for k in range(n)]  # noqa: ASYNC230, SIM115 - closed below
    before = await _stats(port)
    procs = [
        await asyncio.create_subprocess_exec(
            FACTBOT,
            "run",
            "--no-chat",
            "--config",
            str(config),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=logs[k],
            env=dict(os.environ),
        )
        for k in range(n)
    ]
    conn = await _pg(url)
    try:
        total = feeds * items
        started = await _wait(conn, "SELECT count(*) FROM owners", n, 60)
        t_ingest = await _wait(conn, "SELECT count(*) FROM items", total, 600)
        t_detect = await _wait(conn, "SELECT count(*) FROM items WHERE analysed_at IS NOT NULL", total, 1200)
        result["crashed_at_start"] = sum(p.returncode is not None for p in procs)
        result["started_s"] = round(started or -1, 1)
        result["ingest_items_per_s"] = round(total / t_ingest) if t_ingest else None
        result["detect_items_per_s"] = round(total / t_detect) if t_detect else None
        per_replica = await conn.fetch(
            "SELECT split_part(lease_owner, ':', 2) AS pid, count(*) FROM feeds GROUP BY 1"
        )
        # steady state: every feed is due every second, so this is what the replicas can poll
        s0, c0, w0 = await _stats(port), await _cpu([p.pid for p in procs]), time.monotonic()
        await asyncio.sleep(window_s)
        s1, c1, w1 = await _stats(port), await _cpu([p.pid for p in procs]), time.monotonic()
        minutes = (w1 - w0) / 60
        result["polls_per_min"] = round((s1["fetches"] - s0["fetches"]) / minutes)
        result["cpu_per_replica_pct"] = [
            round(100 * (b - a) / (w1 - w0)) for a, b in zip(c0, c1, strict=True)
        ]
        result["duplicate_fetches"] = s1["early"] - before["early"]
        result["fetches"] = s1["fetches"] - before["fetches"]
        del per_replica
        if n >= 2:  # a crash: the process is gone, its pid with it
            result["sigkill"], killed = await _takeover(conn, port, procs, signal.SIGKILL)
            await killed.wait()
        if n >= 3:  # a hung replica (or one on another host): alive to the OS, silent to the others
            result["sigstop"], stopped = await _takeover(conn, port, procs, signal.SIGSTOP)
            stopped.send_signal(signal.SIGCONT)
    finally:
        await conn.close()
        for p in procs:
            if p.returncode is None:
                p.send_signal(signal.SIGTERM)
        codes = [await asyncio.wait_for(p.wait(), 60) for p in procs]
        result["exit_codes"] = codes
        for f in logs:
            f.close()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
    return result


async def replicas(args: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix="factbot-scale-"))
    min_gap = INTERVAL_S * (1 - JITTER) - 0.05
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "serve",
        "--items",
        str(args.items),
        "--min-gap",
        str(min_gap),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert server.stdout is not None and server.stdin is not None
    port = int((await server.stdout.readline()).decode())
    print(f"{args.feeds} feeds x {args.items} items on 127.0.0.1-{HOSTS}:{port}; logs in {work}", flush=True)
    try:
        for n in args.counts:
            r = await one_setup(n, args.feeds, args.items, port, work, args.window, args.blas_threads)
            print(json.dumps(r), flush=True)
    finally:
        server.stdin.close()
        await server.wait()


# --------------------------------------------------------------------------- /dispute at N items


async def dispute_latency(backend: str, n_items: int, queries: int) -> dict[str, object]:
    import asyncpg
    from sqlalchemy import insert, select, text

    from benchmarks.search import sentence, vocabulary
    from bot import commands
    from bot.storage import schema as s
    from bot.storage import search
    from bot.storage.db import Database

    rng = random.Random(11)
    vocab = vocabulary(30_000, rng)
    weights = list(itertools.accumulate(1 / (i + 1) for i in range(len(vocab))))
    tmp = tempfile.mkdtemp(prefix="factbot-dispute-")
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    if backend == "postgresql":
        admin = await asyncpg.connect(PG.replace("postgresql://", "postgres://", 1))
        await admin.execute(f'CREATE SCHEMA "{schema}"')
    db = Database(
        f"sqlite:///{tmp}/bench.db" if backend == "sqlite" else PG,
        pg_schema=schema if backend == "postgresql" else None,
    )
    await db.migrate()
    t0 = datetime(2025, 1, 1, tzinfo=UTC)
    load = time.perf_counter()
    async with db.begin() as conn:
        feed_id = (
            await conn.execute(insert(s.feeds).values(url="http://bench/feed", created_at=t0))
        ).inserted_primary_key[0]
    chunk = 5_000
    sql = (
        "INSERT INTO items_fts (rowid, title, text) VALUES (:id, :title, :text)"
        if db.dialect == "sqlite"
        else "INSERT INTO item_search (item_id, doc) VALUES (:id, setweight(to_tsvector('simple', :title),"
        " 'A') || setweight(to_tsvector('simple', :text), 'B'))"
    )
    for start in range(0, n_items, chunk):
        rows = []
        for k in range(start, min(start + chunk, n_items)):
            when = t0 + timedelta(seconds=30 * k)
            rows.append(
                dict(
                    feed_id=feed_id,
                    guid=f"g{k}",
                    link=f"https://bench.example/{k}",
                    title=sentence(vocab, weights, rng, 10),
                    text=sentence(vocab, weights, rng, 40),
                    first_seen=when,
                    last_seen=when,
                    published=when,
                    content_hash=str(k),
                )
            )
        async with db.begin() as conn:
            res = await conn.execute(insert(s.items).returning(s.items.c.id), rows)
            ids = [r[0] for r in res.all()]
            docs = [
                {"id": i, "title": search.fold(r["title"]), "text": search.fold(r["text"])}
                for i, r in zip(ids, rows, strict=True)
            ]
            await conn.execute(text(sql), docs)
    n_disputes = max(100, n_items // 100)
    speakers = [f"{sentence(vocab, weights, rng, 1).title()} Ministry" for _ in range(500)]
    async with db.connect() as conn:
        item_ids = [r[0] for r in (await conn.execute(select(s.items.c.id).order_by(s.items.c.id))).all()]
    texts: list[str] = []
    for start in range(0, n_disputes, 1_000):
        async with db.begin() as conn:
            for k in range(start, min(start + 1_000, n_disputes)):
                claim, denial = (
                    item_ids[2 * k * 37 % len(item_ids)],
                    item_ids[(2 * k * 37 + 1) % len(item_ids)],
                )
                when = t0 + timedelta(hours=k)
                topic = sentence(
                    vocab[10:2000], list(itertools.accumulate(1 / (i + 1) for i in range(1990))), rng, 3
                )
                speaker = speakers[k % len(speakers)]
                did = (
                    await conn.execute(
                        insert(s.disputes).values(
                            status="disputed",
                            speaker_key=speaker.lower(),
                            speaker_name=speaker,
                            topic=topic,
                            claim_item_id=claim,
                            confidence=0.8,
                            reasons=[],
                            terms=topic,
                            search_text="",
                            created_at=when,
                            updated_at=when,
                            newest_evidence_at=when,
                        )
                    )
                ).inserted_primary_key[0]
                await conn.execute(
                    insert(s.evidence).values(
                        dispute_id=did,
                        item_id=denial,
                        role="denial",
                        actor_name="The President",
                        score=0.8,
                        reasons=[],
                        added_at=when,
                    )
                )
                doc = f"{speaker}\n{topic}\nThe President"
                texts.append(doc)
                await search.index_dispute(conn, did, doc)
    loaded = time.perf_counter() - load
    lat = []
    for _ in range(queries):
        words = rng.choice(texts).replace("\n", " ").split()
        q = " ".join(rng.sample(words, k=min(2, len(words))))
        q0 = time.perf_counter()
        found = await commands.search_disputes(db, q)
        lat.append((time.perf_counter() - q0) * 1000)
        assert found, q
    await db.close()
    if backend == "postgresql":
        await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await admin.close()
    lat.sort()
    return {
        "backend": backend,
        "items": n_items,
        "disputes": n_disputes,
        "load_s": round(loaded),
        "dispute_p50_ms": round(statistics.median(lat), 1),
        "dispute_p95_ms": round(lat[int(0.95 * len(lat)) - 1], 1),
    }


async def disputes(args: argparse.Namespace) -> None:
    for backend in args.backends:
        print(json.dumps(await dispute_latency(backend, args.items, args.queries)), flush=True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="what", required=True)
    r = sub.add_parser("replicas")
    r.add_argument("--feeds", type=int, default=1000)
    r.add_argument("--items", type=int, default=20)
    r.add_argument("--counts", type=int, nargs="+", default=[1, 2, 3])
    r.add_argument("--window", type=float, default=30.0, help="seconds of steady polling measured")
    r.add_argument(
        "--blas-threads",
        type=int,
        default=0,
        help="[detect] blas_threads of the replicas (0: numpy's default)",
    )
    d = sub.add_parser("dispute")
    d.add_argument("--items", type=int, default=1_000_000)
    d.add_argument("--queries", type=int, default=300)
    d.add_argument("--backends", nargs="+", default=["postgresql", "sqlite"])
    sv = sub.add_parser("serve")
    sv.add_argument("--items", type=int, default=20)
    sv.add_argument("--min-gap", type=float, default=0.85)
    args = p.parse_args()
    if args.what == "serve":
        serve(args.items, args.min_gap)
    elif args.what == "replicas":
        asyncio.run(replicas(args))
    else:
        asyncio.run(disputes(args))


if __name__ == "__main__":
    main()
