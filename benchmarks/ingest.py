"""Ingestion benchmark: N feeds x M items from a local HTTP server into SQLite (prints figures; not a test).

    .venv/bin/python benchmarks/ingest.py                # 2,000 feeds x 50 items
    .venv/bin/python benchmarks/ingest.py --feeds 200    # quicker

Three cycles through the real poller (`bot.ingest.poller.poll_feeds`): cold (everything new),
warm (every feed answers 304), changed (10% of feeds edit one item and add one). The feed
server runs in a separate process so it does not share our CPU time or memory, and listens
on several loopback addresses so the per-host limit works as with real, distinct hosts.
Reports feeds/s, items/s, CPU seconds and peak RSS of the bot process, and parse ms per feed
(fast path vs feedparser). The feed texts are generated filler, not news.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiohttp import web

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HOSTS = 32  # loopback addresses 127.0.0.1 .. 127.0.0.32, one "site" each


def feed_doc(i: int, items: int, changed: bool) -> bytes:
    """A generated RSS 2.0 document for feed `i`; `changed` edits item 0 and adds one item."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>',
        f"<title>Bench feed {i}</title><link>https://bench.example/{i}/</link><language>en</language>",
    ]
    n = items + (1 if changed else 0)
    for j in range(n):
        body = f"Filler paragraph {j} for feed {i}. " * 12
        if changed and j == 0:
            body = "Edited: " + body
        parts.append(
            f"<item><guid isPermaLink='false'>bench-{i}-{j}</guid><title>Bench item {i}-{j} about topic {j % 17}</title>"
            f"<link>https://bench.example/{i}/{j}</link><pubDate>Thu, 15 May 2025 09:{j % 60:02d}:00 GMT</pubDate>"
            f"<description>&lt;p&gt;{body}&lt;/p&gt;</description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode()


def serve(items: int) -> None:
    """The feed server process: prints its port, serves until stdin closes."""
    from aiohttp import web

    state = {"round": 0}
    cache: dict[tuple[int, bool], bytes] = {}

    async def feed(request: web.Request) -> web.Response:
        i = int(request.match_info["i"])
        changed = state["round"] >= 1 and i % 10 == 0
        etag = f'"{i}-{1 if changed else 0}"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        body = cache.get((i, changed))
        if body is None:
            body = cache[(i, changed)] = feed_doc(i, items, changed)
        return web.Response(body=body, headers={"ETag": etag, "Content-Type": "application/rss+xml"})

    async def set_round(request: web.Request) -> web.Response:
        state["round"] = int(request.match_info["n"])
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/feed/{i}.xml", feed)
    app.router.add_get("/_round/{n}", set_round)
    asyncio.run(serve_on_loopbacks(app))


async def serve_on_loopbacks(app: web.Application) -> None:
    """Serve `app` on one port of 127.0.0.1 .. 127.0.0.HOSTS; print the port; stop when stdin closes."""
    from aiohttp import web

    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    first = web.TCPSite(runner, "127.0.0.1", 0)
    await first.start()
    port = first._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    for h in range(2, HOSTS + 1):
        await web.TCPSite(runner, f"127.0.0.{h}", port).start()
    print(port, flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await runner.cleanup()


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time (user + system, all threads) of this process so far: steadier than wall time on a busy machine."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def parse_timings(items: int, reps: int = 30) -> tuple[float, float]:
    """ms per feed document: lxml fast path, feedparser fallback."""
    from bot.ingest.parse import _parse_feedparser, parse_feed

    doc = feed_doc(1, items, False)
    t = time.perf_counter()
    for _ in range(reps):
        assert parse_feed(doc, "u").parser == "fast"
    fast = (time.perf_counter() - t) / reps * 1000
    t = time.perf_counter()
    for _ in range(max(3, reps // 5)):
        _parse_feedparser(doc, "u")
    slow = (time.perf_counter() - t) / max(3, reps // 5) * 1000
    return fast, slow


async def run(n_feeds: int, items: int) -> None:
    import aiohttp

    from bot.config import Config, PollConfig
    from bot.ingest.poller import poll_feeds
    from bot.storage.db import Database
    from bot.storage.feeds import FeedStore
    from bot.types import FeedSpec

    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--serve",
        "--items",
        str(items),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stdin is not None
    port = int((await proc.stdout.readline()).decode())
    tmp = tempfile.TemporaryDirectory()
    db = Database(f"sqlite:///{tmp.name}/bench.db")
    try:
        await db.migrate()
        config = Config(poll=PollConfig())
        store = FeedStore(db, config.poll)
        specs = [
            FeedSpec(f"http://127.0.0.{i % HOSTS + 1}:{port}/feed/{i}.xml", name=f"bench {i}")
            for i in range(n_feeds)
        ]
        await store.upsert_specs(specs)
        print(
            f"feeds={n_feeds} items/feed={items} hosts={HOSTS} concurrency={config.poll.concurrency} "
            f"per_host={config.poll.per_host} db=sqlite"
        )

        async def cycle(name: str) -> None:
            feeds = await store.list()
            t, cpu = time.perf_counter(), cpu_seconds()
            outcomes = await poll_feeds(db, config, feeds)
            dt, cpu = time.perf_counter() - t, cpu_seconds() - cpu
            new = sum(o.new for o in outcomes)
            changed = sum(o.changed for o in outcomes)
            n304 = sum(1 for o in outcomes if o.status == "not_modified")
            errors = [o.error for o in outcomes if not o.ok]
            print(
                f"{name:8s} {dt:7.2f} s  {len(feeds) / dt:8.1f} feeds/s  {(new + changed) / dt:8.1f} items/s  "
                f"new={new} changed={changed} 304={n304} errors={len(errors)}  cpu={cpu:.1f} s  "
                f"peak_rss={peak_rss_mb():.0f} MB"
            )
            if errors:
                print("  first error:", errors[0])

        await cycle("cold")
        await cycle("warm")
        async with aiohttp.ClientSession() as s, s.get(f"http://127.0.0.1:{port}/_round/1") as r:
            await r.read()
        await cycle("changed")
        fast, slow = await asyncio.to_thread(parse_timings, items)
        print(
            f"parse    fast(lxml) {fast:.2f} ms/feed   feedparser {slow:.2f} ms/feed   ({slow / fast:.1f}x)"
        )
        print(f"peak RSS {peak_rss_mb():.0f} MB")
    finally:
        await db.close()
        proc.stdin.close()
        await proc.wait()
        tmp.cleanup()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--feeds", type=int, default=2000)
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(args.items)
        return
    asyncio.run(run(args.feeds, args.items))


if __name__ == "__main__":
    main()
