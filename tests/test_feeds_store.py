"""FeedStore on SQLite and PostgreSQL: upsert, add/remove, leases, poll bookkeeping and backoff."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

import pytest

from bot.config import PollConfig
from bot.storage.db import Database
from bot.storage.feeds import DuplicateFeedError, FeedStore, PollRecord, next_delay
from bot.types import FeedKind, FeedSpec

NOW = datetime(2025, 5, 15, 9, 0, tzinfo=UTC)
POLL = PollConfig(interval_s=600, jitter=0.1, failure_notice_after=3, max_backoff_s=3600)


async def test_upsert_keeps_state_and_updates_fields(db: Database) -> None:
    store = FeedStore(db, POLL)
    (a,) = await store.upsert_specs(
        [FeedSpec("https://a.example/feed", name="A", kind=FeedKind.OFFICIAL, actor="X")]
    )
    assert a.kind is FeedKind.OFFICIAL and a.actor == "X" and a.origin == "config"
    await store.record_poll(a.id, PollRecord("ok", etag='"e1"'), now=NOW)
    (a2,) = await store.upsert_specs([FeedSpec("https://a.example/feed", name="A renamed", interval_s=300)])
    assert a2.id == a.id and a2.name == "A renamed" and a2.interval_s == 300
    assert a2.etag == '"e1"'  # polling state survives a config reload
    assert [f.url for f in await store.list()] == ["https://a.example/feed"]


async def test_replicas_storing_the_same_new_config_feeds_at_once_do_not_collide(db: Database) -> None:
    # Replicas started together: each reads the stored feeds, finds these new, and inserts them.
    specs = [FeedSpec(f"https://r.example/{i}.xml", name=f"R{i}") for i in range(30)]
    stores = [FeedStore(db, POLL) for _ in range(3)]
    results = await asyncio.gather(*(s.upsert_specs(specs) for s in stores))
    ids = [[f.id for f in feeds] for feeds in results]
    assert ids[0] == ids[1] == ids[2] and len(set(ids[0])) == 30
    assert sorted(f.url for f in await stores[0].list()) == sorted(s.url for s in specs)


async def test_add_duplicate_get_remove(db: Database) -> None:
    store = FeedStore(db, POLL)
    f = await store.add(FeedSpec("https://b.example/rss", name="B"), origin="chat")
    assert f.origin == "chat" and f.enabled
    with pytest.raises(DuplicateFeedError, match="already stored"):
        await store.add(FeedSpec("https://b.example/rss"), origin="cli")
    assert (await store.get(f.id)) == f
    assert await store.remove(str(f.id))
    assert not await store.remove("https://b.example/rss")
    g = await store.add(FeedSpec("https://c.example/rss"), origin="cli")
    assert await store.remove(g.url)
    assert await store.get(g.id) is None
    assert await store.list() == []


async def test_claim_due_respects_schedule_and_leases(db: Database) -> None:
    store = FeedStore(db, POLL)
    feeds = await store.upsert_specs([FeedSpec(f"https://x.example/{i}") for i in range(5)])
    t0 = datetime.now(UTC) + timedelta(seconds=1)  # new feeds are due at once
    first = await store.claim_due(t0, owner="w1", limit=3, lease_s=60)
    assert len(first) == 3
    # Leased feeds are not handed to another owner until the lease runs out.
    second = await store.claim_due(t0 + timedelta(seconds=1), owner="w2", limit=10, lease_s=60)
    assert {f.id for f in second}.isdisjoint({f.id for f in first}) and len(second) == 2
    later = datetime.now(UTC) + timedelta(hours=1)
    assert len(await store.claim_due(later, owner="w3", limit=10, lease_s=60)) == 5  # leases expired
    # A recorded poll releases the lease and schedules the next poll in the future.
    await store.record_poll(feeds[0].id, PollRecord("ok"), now=later)
    due = await store.claim_due(later + timedelta(seconds=1), owner="w4", limit=10, lease_s=1)
    assert feeds[0].id not in {f.id for f in due}
    everything = await store.claim_due(
        later + timedelta(seconds=5), owner="w4", limit=10, lease_s=1, everything=True
    )
    assert feeds[0].id in {f.id for f in everything}


async def test_concurrent_claimers_never_share_a_feed(db: Database) -> None:
    store = FeedStore(db, POLL)
    await store.upsert_specs([FeedSpec(f"https://y.example/{i}") for i in range(40)])
    now = datetime.now(UTC) + timedelta(seconds=5)
    results = await asyncio.gather(
        *(FeedStore(db, POLL).claim_due(now, owner=f"w{i}", limit=7, lease_s=300) for i in range(6))
    )
    ids = [f.id for batch in results for f in batch]
    assert len(ids) == len(set(ids)) == 40


async def test_failure_streak_backoff_and_single_notice(db: Database) -> None:
    store = FeedStore(db, POLL)
    (f,) = await store.upsert_specs([FeedSpec("https://down.example/feed")])
    notices = []
    delays = []
    when = NOW
    for _ in range(6):
        notices.append(await store.record_poll(f.id, PollRecord("error", error="HTTP 500"), now=when))
        got = await store.get(f.id)
        assert got is not None and got.next_poll_at is not None
        delays.append((got.next_poll_at - when).total_seconds())
    assert notices == [False, False, True, False, False, False]  # once per streak
    assert got is not None and got.consecutive_failures == 6 and got.last_error == "HTTP 500"
    assert delays[1] > delays[0] * 1.5  # exponential
    assert max(delays) <= POLL.max_backoff_s * (1 + POLL.jitter)  # capped
    # Recovery ends the streak; the next streak is reported again.
    assert not await store.record_poll(f.id, PollRecord("not_modified"), now=when)
    ok = await store.get(f.id)
    assert ok is not None and ok.consecutive_failures == 0 and ok.last_error is None
    assert [await store.record_poll(f.id, PollRecord("error", error="x"), now=when) for _ in range(3)] == [
        False,
        False,
        True,
    ]


async def test_validators_kept_on_304_and_replaced_on_200(db: Database) -> None:
    store = FeedStore(db, POLL)
    (f,) = await store.upsert_specs([FeedSpec("https://v.example/feed")])
    await store.record_poll(f.id, PollRecord("ok", etag='"1"', last_modified="Thu, 15 May 2025 09:00:00 GMT"))
    await store.record_poll(f.id, PollRecord("not_modified"))
    got = await store.get(f.id)
    assert got is not None and got.etag == '"1"' and got.last_modified is not None
    await store.record_poll(f.id, PollRecord("ok", etag='"2"'))
    got = await store.get(f.id)
    assert got is not None and got.etag == '"2"' and got.last_modified is None


async def test_record_polls_batch_matches_one_by_one(db: Database) -> None:
    store = FeedStore(db, POLL)
    a, b, c = await store.upsert_specs(
        [
            FeedSpec("https://a.example/feed"),
            FeedSpec("https://b.example/feed"),
            FeedSpec("https://c.example/feed"),
        ]
    )
    await store.remove(c.id)  # removed while its poll was in flight
    flags = await store.record_polls(
        [
            (a.id, PollRecord("ok", etag='"a1"')),
            (b.id, PollRecord("error", error="HTTP 500")),
            (c.id, PollRecord("ok")),
            (b.id, PollRecord("error", error="HTTP 502")),
            (b.id, PollRecord("error", error="HTTP 503")),  # third failure in a row: tell the admin
            (a.id, PollRecord("not_modified")),  # a 304 keeps the validator
        ],
        now=NOW,
    )
    assert flags == [False, False, False, False, True, False]
    got_a, got_b = await store.get(a.id), await store.get(b.id)
    assert got_a is not None and got_a.etag == '"a1"' and got_a.last_status == "not_modified"
    assert got_b is not None and got_b.consecutive_failures == 3 and got_b.last_error == "HTTP 503"
    assert await store.get(c.id) is None
    assert await store.record_polls([]) == []


def test_next_delay_honours_max_age_and_retry_after() -> None:
    rng = random.Random(1)
    base = next_delay(POLL, interval_s=None, failures=0, max_age=None, retry_after=None, rng=rng)
    assert 540 <= base <= 660
    assert (
        next_delay(POLL, interval_s=None, failures=0, max_age=1800, retry_after=None, rng=rng) >= 1800 * 0.9
    )
    assert next_delay(POLL, interval_s=None, failures=0, max_age=10, retry_after=None, rng=rng) >= 540
    assert next_delay(POLL, interval_s=None, failures=1, max_age=None, retry_after=3000, rng=rng) >= 3000
    assert next_delay(POLL, interval_s=120, failures=0, max_age=None, retry_after=None, rng=rng) <= 132
    assert next_delay(POLL, interval_s=None, failures=30, max_age=None, retry_after=None, rng=rng) <= 3960
