"""One poll of a batch of feeds: fetch concurrently, parse in a worker thread, store, schedule the next poll.

Each feed is handled on its own: an error in one (network, parse, storage) is recorded for
that feed and never stops the others. Items are saved before the poll is recorded, and saving
is idempotent, so a cycle cut short (cancelled, crashed) and run again loses and duplicates
nothing.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.config import Config
from bot.ingest.fetch import Fetcher, FetchResult
from bot.ingest.parse import FeedParseError, parse_feed
from bot.logging import kv
from bot.storage.db import Database
from bot.storage.feeds import FeedStore, PollRecord
from bot.storage.items import ItemStore
from bot.types import Feed

log = logging.getLogger("bot.ingest")

Notify = Callable[[str], Awaitable[None] | None]


@dataclass(frozen=True, slots=True)
class PollOutcome:
    """What polling one feed did."""

    feed_id: int
    url: str
    status: str  # ok | not_modified | error
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    bytes: int = 0
    ms: int = 0
    http_status: int | None = None
    parser: str | None = None
    error: str | None = None
    notified: bool = False

    @property
    def ok(self) -> bool:
        """False when the feed failed this time."""
        return self.status != "error"

    @property
    def new_items(self) -> int:
        """Alias of `new` (what the run report counts)."""
        return self.new


async def _call_notify(notify: Notify | None, text: str) -> None:
    if notify is None:
        log.warning("feed failing", extra=kv(notice=text))
        return
    try:
        result = notify(text)
        if inspect.isawaitable(result):
            await result
    except Exception as e:  # a broken notice channel must not break polling
        log.exception("admin notice failed", extra=kv(error=f"{type(e).__name__}: {e}"))


class _PollRecorder:
    """Writes poll results in batches: one transaction for the feeds that finished together.

    A warm cycle is thousands of 304s whose only write is this one; a commit each was most of
    its cost. A result waits at most `max_delay_s` (or until `max_batch` are queued), and each
    caller still gets its own "tell the admin" flag back. Items are saved before their feed's
    result is queued, so a crash before the flush only means that feed is polled again.
    """

    def __init__(
        self,
        feeds: FeedStore,
        write_lock: asyncio.Semaphore,
        *,
        max_batch: int = 100,
        max_delay_s: float = 0.05,
    ) -> None:
        self._feeds, self._lock = feeds, write_lock
        self._max_batch, self._max_delay_s = max_batch, max_delay_s
        self._queue: list[tuple[int, PollRecord | FetchResult, asyncio.Future[bool]]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._flushes: set[asyncio.Task[None]] = set()

    async def record(self, feed_id: int, record: PollRecord | FetchResult) -> bool:
        """Queue one feed's result; True when the admin must be told now (see `FeedStore.record_poll`)."""
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._queue.append((feed_id, record, done))
        if len(self._queue) >= self._max_batch:
            self._start_flush()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self._max_delay_s, self._start_flush)
        return await done

    def _start_flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._queue = self._queue, []
        if batch:
            task = asyncio.create_task(self._flush(batch))
            self._flushes.add(task)
            task.add_done_callback(self._flushes.discard)

    async def _flush(self, batch: list[tuple[int, PollRecord | FetchResult, asyncio.Future[bool]]]) -> None:
        try:
            async with self._lock:
                flags = await self._feeds.record_polls([(fid, rec) for fid, rec, _ in batch])
        except Exception as e:  # noqa: BLE001 - every waiting feed gets the error, not just one
            for _, _, done in batch:
                if not done.done():
                    done.set_exception(e)
            return
        for (_, _, done), flag in zip(batch, flags, strict=True):
            if not done.done():
                done.set_result(flag)


async def _poll_one(
    feed: Feed,
    fetcher: Fetcher,
    recorder: _PollRecorder,
    items: ItemStore,
    write_lock: asyncio.Semaphore,
    notify: Notify | None,
    notice_after: int,
) -> PollOutcome:
    start = time.perf_counter()
    fetched: FetchResult | None = None
    record: PollRecord | FetchResult
    new = changed = unchanged = 0
    parser = None
    try:
        fetched = await fetcher.fetch(feed)
        record = fetched
        if fetched.status == "ok":
            try:
                parsed = await asyncio.to_thread(parse_feed, fetched.body, fetched.url, fetched.content_type)
            except FeedParseError as e:
                record = PollRecord("error", max_age=fetched.max_age, error=f"not a readable feed: {e}")
            else:
                parser = parsed.parser
                now = datetime.now(UTC)
                async with write_lock:
                    saved = await items.save_entries(feed, parsed.entries, now)
                new, changed, unchanged = len(saved.new), len(saved.changed), saved.unchanged
    except Exception as e:  # storage trouble for one feed: recorded, the others go on
        log.exception("feed poll failed", extra=kv(feed_id=feed.id, url=feed.url))
        record = PollRecord("error", error=f"{type(e).__name__}: {e}")
    notified = False
    try:
        notified = await recorder.record(feed.id, record)
    except Exception as e:
        log.exception("recording a poll failed", extra=kv(feed_id=feed.id, error=f"{type(e).__name__}: {e}"))
    ms = int((time.perf_counter() - start) * 1000)
    outcome = PollOutcome(
        feed_id=feed.id,
        url=feed.url,
        status=record.status,
        new=new,
        changed=changed,
        unchanged=unchanged,
        bytes=fetched.bytes if fetched else 0,
        ms=ms,
        http_status=fetched.http_status if fetched else None,
        parser=parser,
        error=record.error,
        notified=notified,
    )
    level = logging.WARNING if outcome.status == "error" else logging.INFO
    log.log(
        level,
        "feed polled",
        extra=kv(
            feed_id=feed.id,
            url=feed.url,
            status=outcome.status,
            http=outcome.http_status,
            new=new,
            changed=changed,
            bytes=outcome.bytes,
            ms=ms,
            not_modified=outcome.status == "not_modified",
            parser=parser,
            error=outcome.error,
        ),
    )
    if notified:
        failures = feed.consecutive_failures + 1
        await _call_notify(
            notify,
            f"Feed {feed.name or feed.url} ({feed.url}) has failed {max(failures, notice_after)} times in a row: "
            f"{outcome.error}. factbot keeps retrying with backoff; I will not repeat this until it recovers.",
        )
    return outcome


def allow_hosts(config: Config) -> tuple[str, ...]:
    """Hosts the admin allows even though they resolve to private addresses (chat-added feeds)."""
    hosts = list(config.slack.allow_hosts)
    hosts += list(getattr(config.discord, "allow_hosts", ()) or ())
    return tuple(dict.fromkeys(hosts))


class FeedPoller:
    """Polls feeds one at a time with shared state: one fetcher, one write queue, one poll recorder.

    `poll_feeds` polls a batch through one; the continuous scheduler (`bot.ingest.scheduler`)
    keeps one for the process and starts a `poll(feed)` whenever a slot is free.
    """

    def __init__(
        self, db: Database, config: Config, *, fetcher: Fetcher | None = None, notify: Notify | None = None
    ) -> None:
        self.config, self.notify = config, notify
        self._own_fetcher = fetcher is None
        self.fetcher = fetcher or Fetcher(config.poll, allow_hosts=allow_hosts(config))
        self.items = ItemStore(db)
        # SQLite has one writer: queue writes here instead of letting transactions fight over the lock.
        self.write_lock = asyncio.Semaphore(1 if db.dialect == "sqlite" else 8)
        self.recorder = _PollRecorder(FeedStore(db, config.poll), self.write_lock)

    async def poll(self, feed: Feed) -> PollOutcome:
        """Fetch, parse, store and record one feed; never raises for the feed's own failures."""
        return await _poll_one(
            feed,
            self.fetcher,
            self.recorder,
            self.items,
            self.write_lock,
            self.notify,
            self.config.poll.failure_notice_after,
        )

    async def close(self) -> None:
        """Close the fetcher if this poller made it."""
        if self._own_fetcher:
            await self.fetcher.close()


async def poll_feeds(
    db: Database,
    config: Config,
    feeds: Sequence[Feed],
    *,
    fetcher: Fetcher | None = None,
    notify: Notify | None = None,
) -> list[PollOutcome]:
    """Poll the given feeds concurrently (within the fetcher's limits); one `PollOutcome` per feed.

    `notify(text)` is called once per failure streak of a feed (after `poll.failure_notice_after`
    consecutive failures); without it the notice is logged as a warning.
    """
    poller = FeedPoller(db, config, fetcher=fetcher, notify=notify)
    try:
        # Bound the feeds in flight (fetched, parsed, waiting to be written) so memory stays flat
        # however many feeds are due.
        in_flight = asyncio.Semaphore(max(1, config.poll.concurrency * 2))

        async def one(f: Feed) -> PollOutcome:
            async with in_flight:
                return await poller.poll(f)

        return list(await asyncio.gather(*(one(f) for f in feeds)))
    finally:
        await poller.close()
