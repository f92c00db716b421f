"""The APScheduler tick: claims due feeds, polls them; replicas never share a feed; shutdown mid-poll."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.config import Config, PollConfig
from bot.ingest.scheduler import IngestScheduler, start_scheduler
from bot.storage import schema as s
from bot.storage.db import Database
from bot.storage.feeds import FeedStore
from bot.types import FeedSpec
from tests import feedserver as _feedserver_module
from tests.feedserver import FeedServer, rss

feedserver = _feedserver_module.feedserver  # the fixture, used by name below

CONFIG = Config(poll=PollConfig(timeout_s=3.0, interval_s=3600, concurrency=8))


def _doc(tag: str) -> str:
    return rss(
        [
            (f"{tag}-{i}", f"Notice {tag} {i}", f"Water supply notice {i} for district {tag}.")
            for i in range(3)
        ]
    )


async def _items(db: Database) -> int:
    async with db.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(s.items))).scalar_one())


async def test_scheduler_polls_due_feeds_then_waits(sqlite_db: Database, feedserver: FeedServer) -> None:
    urls = [feedserver.add(f"/d{i}.xml", _doc(str(i))) for i in range(4)]
    await FeedStore(sqlite_db).upsert_specs([FeedSpec(u) for u in urls])
    sched = await start_scheduler(sqlite_db, CONFIG, owner="test", tick_s=0.2)
    try:
        for _ in range(250):
            if all(f.last_status == "ok" for f in await FeedStore(sqlite_db).list()):
                break
            await asyncio.sleep(0.02)
        assert await _items(sqlite_db) == 12
        # The next poll is an interval away: further ticks fetch nothing.
        hits = sum(feedserver.hits.values())
        assert await sched.tick() == []
        assert sum(feedserver.hits.values()) == hits
    finally:
        await sched.shutdown()
    feeds = await FeedStore(sqlite_db).list()
    assert all(f.next_poll_at and f.next_poll_at > datetime.now(UTC) for f in feeds)


async def test_two_replicas_never_poll_the_same_feed(db: Database, feedserver: FeedServer) -> None:
    urls = [feedserver.add(f"/r{i}.xml", _doc(f"r{i}")) for i in range(30)]
    await FeedStore(db).upsert_specs([FeedSpec(u) for u in urls])
    a = IngestScheduler(db, CONFIG, owner="replica-a", batch=4)
    b = IngestScheduler(db, CONFIG, owner="replica-b", batch=4)
    try:
        out_a, out_b = await asyncio.gather(a.tick(), b.tick())
    finally:
        await a.shutdown()
        await b.shutdown()
    ids_a, ids_b = {o.feed_id for o in out_a}, {o.feed_id for o in out_b}
    assert ids_a.isdisjoint(ids_b) and len(ids_a | ids_b) == 30
    assert all(feedserver.hits[f"/r{i}.xml"] == 1 for i in range(30))
    assert await _items(db) == 90


async def test_shutdown_mid_poll_releases_leases(sqlite_db: Database, feedserver: FeedServer) -> None:
    fast = [feedserver.add(f"/f{i}.xml", _doc(f"f{i}")) for i in range(3)]
    slow = [feedserver.slow(f"/s{i}.xml", 2.0, _doc(f"s{i}")) for i in range(2)]
    store = FeedStore(sqlite_db)
    await store.upsert_specs([FeedSpec(u) for u in fast + slow])
    sched = await start_scheduler(sqlite_db, CONFIG, owner="one", tick_s=30)
    for _ in range(250):
        if await _items(sqlite_db) >= 9:
            break
        await asyncio.sleep(0.02)
    await sched.shutdown()  # the slow feeds are still in flight
    assert await _items(sqlite_db) == 9
    # Another process starting now gets the cut-short feeds at once, and stores them once.
    for i in range(2):
        feedserver.routes[f"/s{i}.xml"].delay_s = 0
    other = IngestScheduler(sqlite_db, CONFIG, owner="two")
    try:
        outcomes = await other.tick()
    finally:
        await other.shutdown()
    # (A fast feed whose poll was stored but not yet recorded may be due again too: harmless.)
    assert set(slow) <= {o.url for o in outcomes}
    assert sum(o.new for o in outcomes) == 6
    assert await _items(sqlite_db) == 15
