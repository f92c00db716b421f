"""poll_feeds end to end: local HTTP server -> fetch -> parse -> SQLite/PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from bot.config import Config, PollConfig
from bot.ingest.fetch import Fetcher
from bot.ingest.poller import poll_feeds
from bot.storage import schema as s
from bot.storage.db import Database
from bot.storage.feeds import FeedStore
from bot.storage.items import ItemStore
from bot.types import FeedSpec
from tests import feedserver as _feedserver_module
from tests.feedserver import FeedServer, atom, rss

feedserver = _feedserver_module.feedserver  # the fixture, used by name below

CONFIG = Config(poll=PollConfig(timeout_s=2.0, max_bytes=100_000, failure_notice_after=2, concurrency=8))


def _items(prefix: str, n: int) -> list[tuple[str, str, str]]:
    return [
        (f"{prefix}{i}", f"Council update {prefix}{i}", f"The council met about road {i}.") for i in range(n)
    ]


async def _count_items(db: Database) -> int:
    async with db.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(s.items))).scalar_one())


async def test_mixed_batch_errors_do_not_stop_others(db: Database, feedserver: FeedServer, caplog) -> None:
    caplog.set_level(logging.INFO, logger="bot.ingest")
    urls = {
        "rss": feedserver.add("/ok.xml", rss(_items("r", 3)), etag='"1"'),
        "atom": feedserver.add("/ok.atom", atom(_items("a", 2)), content_type="application/atom+xml"),
        "missing": feedserver.url("/nothing-here"),
        "html": feedserver.html_page("/page"),
        "huge": feedserver.huge("/huge", 5_000_000),
        "down": feedserver.error("/down", 500),
    }
    store = FeedStore(db)
    feeds = await store.upsert_specs([FeedSpec(u, name=k) for k, u in urls.items()])
    outcomes = await poll_feeds(db, CONFIG, feeds)
    by_name = {f.name: o for f, o in zip(feeds, outcomes, strict=True)}
    assert by_name["rss"].status == "ok" and by_name["rss"].new == 3 and by_name["rss"].parser == "fast"
    assert by_name["atom"].new == 2
    for bad in ("missing", "html", "huge", "down"):
        assert by_name[bad].status == "error" and not by_name[bad].ok, bad
    assert "HTML page" in (by_name["html"].error or "")
    assert await _count_items(db) == 5
    stored = {f.name: f for f in await store.list()}
    assert stored["rss"].etag == '"1"' and stored["rss"].last_status == "ok"
    assert stored["down"].consecutive_failures == 1 and stored["down"].last_error == "HTTP 500"
    lines = [r for r in caplog.records if r.getMessage() == "feed polled"]
    assert len(lines) == len(urls)
    fields = {r.fields["url"]: r.fields for r in lines}  # type: ignore[attr-defined]
    assert fields[urls["rss"]]["new"] == 3 and fields[urls["rss"]]["bytes"] > 0


async def test_second_poll_is_304_then_changes_are_revisions(db: Database, feedserver: FeedServer) -> None:
    url = feedserver.add("/f.xml", rss(_items("x", 4)), etag='"v1"')
    store = FeedStore(db)
    (feed,) = await store.upsert_specs([FeedSpec(url)])
    (first,) = await poll_feeds(db, CONFIG, [feed])
    assert first.new == 4
    (feed,) = await store.list()
    (second,) = await poll_feeds(db, CONFIG, [feed])
    assert second.status == "not_modified" and second.new == 0
    edited = _items("x", 4)
    edited[0] = ("x0", "Council update x0", "The council now says road 0 stays closed.")
    feedserver.add("/f.xml", rss([*edited, ("x9", "Extra", "A new item")]), etag='"v2"')
    (feed,) = await store.list()
    (third,) = await poll_feeds(db, CONFIG, [feed])
    assert (third.new, third.changed, third.unchanged) == (1, 1, 3)
    assert await _count_items(db) == 5
    pending = await ItemStore(db).pending_analysis(100)
    assert len(pending) == 5 and any(p.revision == 2 for p in pending)


async def test_failure_notice_once_per_streak(sqlite_db: Database, feedserver: FeedServer) -> None:
    url = feedserver.error("/flaky", 503)
    store = FeedStore(sqlite_db)
    (feed,) = await store.upsert_specs([FeedSpec(url, name="Flaky desk")])
    notices: list[str] = []

    async def notify(text: str) -> None:
        notices.append(text)

    async with Fetcher(CONFIG.poll) as fetcher:
        for _ in range(4):
            (feed,) = await store.list()
            await poll_feeds(sqlite_db, CONFIG, [feed], fetcher=fetcher, notify=notify)
        assert len(notices) == 1 and "Flaky desk" in notices[0] and "HTTP 503" in notices[0]
        feedserver.add("/flaky", rss(_items("f", 1)))
        (feed,) = await store.list()
        (ok,) = await poll_feeds(sqlite_db, CONFIG, [feed], fetcher=fetcher, notify=notify)
        assert ok.ok
        feedserver.error("/flaky", 500)
        for _ in range(2):
            (feed,) = await store.list()
            await poll_feeds(sqlite_db, CONFIG, [feed], fetcher=fetcher, notify=notify)
    assert len(notices) == 2  # a new streak is reported again


async def test_restart_mid_cycle_loses_and_duplicates_nothing(db: Database, feedserver: FeedServer) -> None:
    fast = [feedserver.add(f"/fast{i}.xml", rss(_items(f"q{i}-", 5))) for i in range(6)]
    slow = [feedserver.slow(f"/slow{i}.xml", 1.0, rss(_items(f"s{i}-", 5))) for i in range(3)]
    store = FeedStore(db)
    feeds = await store.upsert_specs([FeedSpec(u) for u in fast + slow])
    task = asyncio.create_task(poll_feeds(db, CONFIG, feeds))
    # Stop mid-cycle: once the fast feeds are stored and the slow ones still in flight.
    for _ in range(200):
        if await _count_items(db) >= 30:
            break
        await asyncio.sleep(0.02)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await _count_items(db) < 45
    # Start again: every feed polled (run --once style), nothing duplicated.
    for route in slow:
        feedserver.routes[route.removeprefix(feedserver.base_url)].delay_s = 0
    outcomes = await poll_feeds(db, CONFIG, [replace(f, etag=None) for f in await store.list()])
    assert all(o.ok for o in outcomes)
    assert await _count_items(db) == 45
    async with db.connect() as conn:
        dupes = (
            await conn.execute(
                select(s.items.c.feed_id, s.items.c.guid)
                .group_by(s.items.c.feed_id, s.items.c.guid)
                .having(func.count() > 1)
            )
        ).all()
    assert dupes == []


async def test_chat_added_feeds_go_through_the_url_guard(sqlite_db: Database, feedserver: FeedServer) -> None:
    url = feedserver.add("/chat.xml", rss(_items("c", 2)))
    store = FeedStore(sqlite_db)
    feed = await store.add(FeedSpec(url), origin="chat")
    (refused,) = await poll_feeds(sqlite_db, CONFIG, [feed])
    assert refused.status == "error" and "refused" in (refused.error or "")
    assert feedserver.hits["/chat.xml"] == 0  # never contacted
    allowed = replace(CONFIG, slack=replace(CONFIG.slack, allow_hosts=("127.0.0.1",)))
    (ok,) = await poll_feeds(sqlite_db, allowed, [feed])
    assert ok.ok and ok.new == 2


async def test_a_failing_write_batch_is_retried_one_by_one() -> None:
    """One bad feed in a batch of writes fails alone; the others are written."""
    import asyncio

    from bot.ingest.poller import _Batcher

    calls: list[list[int]] = []

    async def write(batch: list[int]) -> list[int]:
        calls.append(list(batch))
        if 13 in batch:
            raise ValueError("bad row")
        return [v * 2 for v in batch]

    batcher: _Batcher[int, int] = _Batcher(write, asyncio.Semaphore(1), max_batch=4, max_delay_s=0.01)
    results = await asyncio.gather(*(batcher.submit(v) for v in (1, 13, 3, 4)), return_exceptions=True)
    assert results[0] == 2 and results[2] == 6 and results[3] == 8
    assert isinstance(results[1], ValueError)
    assert calls[0] == [1, 13, 3, 4] and [1] in calls and [13] in calls  # the batch, then one by one
