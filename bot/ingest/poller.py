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
from functools import partial
from typing import Generic, TypeVar

from bot import metrics
from bot.config import Config
from bot.ingest import websub
from bot.ingest.fetch import Fetcher, FetchResult
from bot.ingest.parse import FeedParseError, ParsedFeed, parse_feed
from bot.logging import kv
from bot.storage.db import Database
from bot.storage.feeds import FeedStore, PollRecord
from bot.storage.items import ItemStore, SaveResult
from bot.types import Entry, Feed

log = logging.getLogger("bot.ingest")

Notify = Callable[[str], Awaitable[None] | None]
T = TypeVar("T")
R = TypeVar("R")
_Record = tuple[int, PollRecord | FetchResult]
_Save = tuple[Feed, Sequence[Entry]]
# Called after each successful fetch with the WebSub hub the feed advertises (None: none).
DiscoveryHook = Callable[[Feed, "websub.Discovery | None"], Awaitable[None]]


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


class _Batcher(Generic[T, R]):
    """Writes in batches: one transaction for the feeds whose writes arrive together.

    Used twice by the poller: for poll results (a warm cycle is thousands of 304s whose only
    write is their poll record; a commit each was most of its cost) and for saving entries (a
    changed or cold cycle: one INSERT, one index update, one commit for many feeds). A write
    waits at most `max_delay_s` (or until `max_batch` are queued), and each caller gets its own
    result back. A batch that fails is written again one by one, so one bad feed fails alone.
    """

    def __init__(
        self,
        write: Callable[[list[T]], Awaitable[Sequence[R]]],
        write_lock: asyncio.Semaphore,
        *,
        max_batch: int,
        max_delay_s: float,
    ) -> None:
        self._write, self._lock = write, write_lock
        self._max_batch, self._max_delay_s = max_batch, max_delay_s
        self._queue: list[tuple[T, asyncio.Future[R]]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._flushes: set[asyncio.Task[None]] = set()

    async def submit(self, value: T) -> R:
        """Queue one write; its result once its batch is written (or its own exception)."""
        done: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._queue.append((value, done))
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

    async def drain(self) -> None:
        """Write what is queued now and wait for every write under way (before the database closes)."""
        self._start_flush()
        while self._flushes:
            await asyncio.gather(*self._flushes, return_exceptions=True)

    async def _flush(self, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        try:
            async with self._lock:
                results = await self._write([value for value, _ in batch])
        except Exception as e:  # noqa: BLE001 - retried one by one below, so only the bad one fails
            if len(batch) == 1:
                if not batch[0][1].done():
                    batch[0][1].set_exception(e)
                return
            for one in batch:
                await self._flush([one])
            return
        for (_, done), result in zip(batch, results, strict=True):
            if not done.done():
                done.set_result(result)


async def parse_and_save(
    feed: Feed, body: bytes, url: str, content_type: str | None, saver: _Batcher[_Save, SaveResult]
) -> tuple[ParsedFeed, SaveResult]:
    """Parse a feed document off the event loop and store its entries through the write batcher.

    The one way in for feed content, polled or pushed (WebSub): dedupe, revisions and the
    detector's queue are the same whichever way a document arrived. Raises `FeedParseError`.
    """
    parsed = await asyncio.to_thread(partial(parse_feed, account=feed.account), body, url, content_type)
    saved = await saver.submit((feed, parsed.entries))
    return parsed, saved


async def _discovered(
    hook: DiscoveryHook | None, feed: Feed, fetched: FetchResult, parsed: ParsedFeed
) -> None:
    if hook is None:
        return
    try:
        found = websub.discover(fetched.link_header, parsed.hubs, parsed.self_url, fetched.url)
        await hook(feed, found)
    except Exception as e:  # WebSub is an extra: a failure here must not fail the poll
        log.exception("websub discovery failed", extra=kv(feed_id=feed.id, error=f"{type(e).__name__}: {e}"))


async def _fetch_and_save(
    feed: Feed, fetcher: Fetcher, saver: _Batcher[_Save, SaveResult], discovered: DiscoveryHook | None = None
) -> tuple[FetchResult, PollRecord | FetchResult, str | None, tuple[int, int, int]]:
    """Fetch one feed, parse it off the event loop, store its entries: (fetched, record, parser, counts)."""
    fetched = await fetcher.fetch(feed)
    if fetched.status != "ok":
        return fetched, fetched, None, (0, 0, 0)
    try:
        parsed, saved = await parse_and_save(feed, fetched.body, fetched.url, fetched.content_type, saver)
    except FeedParseError as e:
        return (
            fetched,
            PollRecord("error", max_age=fetched.max_age, error=f"not a readable feed: {e}"),
            None,
            (0, 0, 0),
        )
    await _discovered(discovered, feed, fetched, parsed)
    return fetched, fetched, parsed.parser, (len(saved.new), len(saved.changed), saved.unchanged)


async def _poll_one(
    feed: Feed,
    fetcher: Fetcher,
    recorder: _Batcher[_Record, bool],
    saver: _Batcher[_Save, SaveResult],
    notify: Notify | None,
    notice_after: int,
    in_flight: asyncio.Semaphore,
    discovered: DiscoveryHook | None = None,
) -> PollOutcome:
    start = time.perf_counter()
    fetched: FetchResult | None = None
    record: PollRecord | FetchResult
    new = changed = unchanged = 0
    parser = None
    try:
        async with in_flight:  # bodies held in memory: fetched, parsed, being saved
            fetched, record, parser, (new, changed, unchanged) = await _fetch_and_save(
                feed, fetcher, saver, discovered
            )
    except Exception as e:  # storage trouble for one feed: recorded, the others go on
        log.exception("feed poll failed", extra=kv(feed_id=feed.id, url=feed.url))
        record = PollRecord("error", error=f"{type(e).__name__}: {e}")
    # The slot is given back before the poll is recorded: records wait for a batch (up to 50 ms),
    # and a warm cycle would otherwise move in steps of `in_flight` feeds per batch.
    notified = False
    try:
        notified = await recorder.submit((feed.id, record))
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
    metrics.record_poll(outcome)
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
        items = ItemStore(db)
        # SQLite has one writer: queue writes here instead of letting transactions fight over the lock.
        write_lock = asyncio.Semaphore(1 if db.dialect == "sqlite" else 8)
        # Results go to the database in batches (see `_Batcher`): items before their feed's poll
        # record, so a crash in between only means that feed is polled again.
        self.recorder: _Batcher[_Record, bool] = _Batcher(
            FeedStore(db, config.poll).record_polls, write_lock, max_batch=100, max_delay_s=0.05
        )
        self.saver: _Batcher[_Save, SaveResult] = _Batcher(
            lambda batch: items.save_many(batch, datetime.now(UTC)),
            write_lock,
            max_batch=25,
            max_delay_s=0.02,
        )
        # Bound the feeds in flight (fetched, parsed, waiting to be written) so memory stays flat
        # however many feeds are due.
        self.in_flight = asyncio.Semaphore(max(1, config.poll.concurrency * 2))
        # Told what hub (if any) each fetched feed advertises; set by WebSub when it is on.
        self.discovered: DiscoveryHook | None = None

    async def poll(self, feed: Feed) -> PollOutcome:
        """Fetch, parse, store and record one feed; never raises for the feed's own failures."""
        return await _poll_one(
            feed,
            self.fetcher,
            self.recorder,
            self.saver,
            self.notify,
            self.config.poll.failure_notice_after,
            self.in_flight,
            self.discovered,
        )

    async def save_document(
        self, feed: Feed, body: bytes, url: str, content_type: str | None = None
    ) -> tuple[ParsedFeed, SaveResult]:
        """Store a feed document that arrived without a poll (a WebSub push), exactly as a polled one.

        Raises `FeedParseError` when the body is not a readable feed.
        """
        return await parse_and_save(feed, body, url, content_type, self.saver)

    async def close(self) -> None:
        """Finish the queued writes (polls cut short by a stop may have left some), then close the
        fetcher if this poller made it."""
        try:
            await self.saver.drain()
            await self.recorder.drain()
        finally:
            if self._own_fetcher:
                await self.fetcher.close()


async def poll_feeds(
    db: Database,
    config: Config,
    feeds: Sequence[Feed],
    *,
    fetcher: Fetcher | None = None,
    notify: Notify | None = None,
    on_outcome: Callable[[PollOutcome], object] | None = None,
) -> list[PollOutcome]:
    """Poll the given feeds concurrently (within the fetcher's limits); one `PollOutcome` per feed.

    `notify(text)` is called once per failure streak of a feed (after `poll.failure_notice_after`
    consecutive failures); without it the notice is logged as a warning. `on_outcome` is called
    as each feed finishes (a progress bar).
    """
    poller = FeedPoller(db, config, fetcher=fetcher, notify=notify)
    try:

        async def one(f: Feed) -> PollOutcome:
            outcome = await poller.poll(f)
            if on_outcome is not None:
                on_outcome(outcome)
            return outcome

        return list(await asyncio.gather(*(one(f) for f in feeds)))
    finally:
        await poller.close()
