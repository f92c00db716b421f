"""Continuous polling: due feeds are claimed as slots free up; replicas never share a feed; a stop gives feeds back."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.config import Config, PollConfig
from bot.ingest.scheduler import DuePoller
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


async def _leased(db: Database) -> list[str]:
    async with db.connect() as conn:
        q = select(s.feeds.c.url).where(s.feeds.c.lease_owner.is_not(None))
        return list((await conn.execute(q)).scalars())


async def _items(db: Database) -> int:
    async with db.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(s.items))).scalar_one())


async def test_due_feeds_are_polled_then_nothing_until_their_interval(
    sqlite_db: Database, feedserver: FeedServer
) -> None:
    urls = [feedserver.add(f"/d{i}.xml", _doc(str(i))) for i in range(4)]
    await FeedStore(sqlite_db).upsert_specs([FeedSpec(u) for u in urls])
    poller = DuePoller(sqlite_db, CONFIG, owner="test")
    try:
        outcomes = await poller.run_due()
        assert sorted(o.url for o in outcomes) == sorted(urls) and all(o.ok for o in outcomes)
        assert await _items(sqlite_db) == 12
        # The next poll is an interval away: another run fetches nothing.
        hits = sum(feedserver.hits.values())
        assert await poller.run_due() == []
        assert sum(feedserver.hits.values()) == hits
    finally:
        await poller.close()
    feeds = await FeedStore(sqlite_db).list()
    assert all(f.next_poll_at and f.next_poll_at > datetime.now(UTC) for f in feeds)
    assert await _leased(sqlite_db) == []


async def test_a_slow_feed_does_not_hold_up_the_others(sqlite_db: Database, feedserver: FeedServer) -> None:
    # Two slots: the slow feed takes one; the other keeps claiming and polling the fast feeds.
    slow = feedserver.slow("/slow.xml", 1.5, _doc("slow"))
    fast = [feedserver.add(f"/f{i}.xml", _doc(f"f{i}")) for i in range(12)]
    await FeedStore(sqlite_db).upsert_specs([FeedSpec(slow)] + [FeedSpec(u) for u in fast])
    config = replace(CONFIG, poll=replace(CONFIG.poll, concurrency=2))
    poller = DuePoller(sqlite_db, config, owner="test")
    try:
        outcomes = await poller.run_due()
    finally:
        await poller.close()
    # Order of completion, not a timing benchmark: every fast feed finished before the slow one.
    assert [o.url for o in outcomes][-1] == slow and len(outcomes) == 13


async def test_two_replicas_never_poll_the_same_feed(db: Database, feedserver: FeedServer) -> None:
    urls = [feedserver.add(f"/r{i}.xml", _doc(f"r{i}")) for i in range(30)]
    await FeedStore(db).upsert_specs([FeedSpec(u) for u in urls])
    a = DuePoller(db, CONFIG, owner="replica-a", claim_size=4)
    b = DuePoller(db, CONFIG, owner="replica-b", claim_size=4)
    try:
        out_a, out_b = await asyncio.gather(a.run_due(), b.run_due())
    finally:
        await a.close()
        await b.close()
    ids_a, ids_b = {o.feed_id for o in out_a}, {o.feed_id for o in out_b}
    assert ids_a.isdisjoint(ids_b) and len(ids_a | ids_b) == 30
    assert all(feedserver.hits[f"/r{i}.xml"] == 1 for i in range(30))
    assert await _items(db) == 90


async def test_stop_mid_poll_gives_the_feeds_back(sqlite_db: Database, feedserver: FeedServer) -> None:
    fast = [feedserver.add(f"/f{i}.xml", _doc(f"f{i}")) for i in range(3)]
    slow = [feedserver.slow(f"/s{i}.xml", 2.0, _doc(f"s{i}")) for i in range(2)]
    store = FeedStore(sqlite_db)
    await store.upsert_specs([FeedSpec(u) for u in fast + slow])
    poller = DuePoller(sqlite_db, CONFIG, owner="one")
    running = asyncio.create_task(poller.run_due())
    for _ in range(250):
        if await _items(sqlite_db) >= 9:
            break
        await asyncio.sleep(0.02)
    await poller.close()  # the slow feeds are still in flight
    await asyncio.wait_for(running, 5)
    assert await _items(sqlite_db) == 9
    assert await _leased(sqlite_db) == []
    # Another process starting now gets the cut-short feeds at once, and stores them once.
    for i in range(2):
        feedserver.routes[f"/s{i}.xml"].delay_s = 0
    other = DuePoller(sqlite_db, CONFIG, owner="two")
    try:
        outcomes = await other.run_due()
    finally:
        await other.close()
    # (A fast feed whose items were stored but whose poll was not recorded yet is due again: harmless.)
    assert set(slow) <= {o.url for o in outcomes}
    assert sum(o.new for o in outcomes) == 6
    assert await _items(sqlite_db) == 15


async def test_lingering_polls_a_feed_that_falls_due_within_the_run(
    sqlite_db: Database, feedserver: FeedServer
) -> None:
    url = feedserver.add("/soon.xml", _doc("soon"))
    config = replace(CONFIG, poll=replace(CONFIG.poll, interval_s=1, jitter=0.0))
    await FeedStore(sqlite_db, config.poll).upsert_specs([FeedSpec(url)])
    poller = DuePoller(sqlite_db, config, owner="test", linger_s=1.5)
    try:
        run = asyncio.create_task(poller.run_due())
        for _ in range(300):  # the feed is due again every second: the run keeps polling it
            if feedserver.hits["/soon.xml"] >= 3:
                break
            await asyncio.sleep(0.02)
        assert feedserver.hits["/soon.xml"] >= 3 and not run.done()
    finally:
        await poller.close()
    await asyncio.wait_for(run, 5)  # a stop ends the run
