"""The polling clock: an APScheduler interval tick that claims due feeds and polls them.

Per-feed timing lives in the database (`next_poll_at`, set by `FeedStore.record_poll` with the
feed's interval, jitter and backoff), so the scheduler itself only needs one job: every
`tick_s` seconds, lease the due feeds and poll them. Leases make this safe with several
replicas on PostgreSQL; a replica that dies mid-poll loses its lease after `lease_s`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot import metrics
from bot.config import Config
from bot.ingest.fetch import Fetcher
from bot.ingest.poller import Notify, PollOutcome, allow_hosts, poll_feeds
from bot.logging import kv
from bot.storage.db import Database
from bot.storage.feeds import FeedStore

log = logging.getLogger("bot.ingest")

DEFAULT_TICK_S = 15.0
BATCH = 200  # feeds claimed per round; a tick keeps claiming while feeds are due


class IngestScheduler:
    """Claims due feeds on a tick and polls them. `start()`, then `await shutdown()`."""

    def __init__(
        self,
        db: Database,
        config: Config,
        *,
        owner: str,
        notify: Notify | None = None,
        tick_s: float = DEFAULT_TICK_S,
        batch: int = BATCH,
    ) -> None:
        self.db, self.config, self.owner, self.notify = db, config, owner, notify
        self.tick_s = tick_s
        self.batch = batch
        self.feeds = FeedStore(db, config.poll)
        # A lease outlives the slowest possible poll of a batch, so it is not taken over mid-poll.
        self.lease_s = max(300.0, config.poll.timeout_s * 4)
        self.fetcher = Fetcher(config.poll, allow_hosts=allow_hosts(config))
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._running: asyncio.Task[list[PollOutcome]] | None = None
        self._claimed: list[int] = []
        self._stopping = False

    def start(self) -> None:
        """Add the tick job (first run now) and start the scheduler on the running loop."""
        self._scheduler.add_job(
            self.tick,
            "interval",
            seconds=self.tick_s,
            id="ingest-tick",
            next_run_time=datetime.now(UTC),
            coalesce=True,  # after a stall, one catch-up run rather than a burst
            max_instances=1,  # a long tick is never overlapped by the next
            misfire_grace_time=max(60, int(self.tick_s * 4)),  # late runs still happen
            replace_existing=True,
        )
        self._scheduler.start()

    async def tick(self) -> list[PollOutcome]:
        """Poll every feed that is due now (in batches), returning the outcomes."""
        self._running = asyncio.current_task()  # type: ignore[assignment]
        outcomes: list[PollOutcome] = []
        try:
            while True:
                due = await self.feeds.claim_due(
                    datetime.now(UTC), owner=self.owner, limit=self.batch, lease_s=self.lease_s
                )
                if not due:
                    break
                self._claimed = [f.id for f in due]
                outcomes += await poll_feeds(
                    self.db, self.config, due, fetcher=self.fetcher, notify=self.notify
                )
                self._claimed = []
                if len(due) < self.batch:
                    break
            metrics.mark_pass("poll")  # every due feed polled (none due counts too)
        except asyncio.CancelledError:
            if not self._stopping:
                raise
            # Our own shutdown cut the poll short: not an error (APScheduler would log it as one).
            log.info("poll tick cancelled by shutdown", extra=kv(claimed=len(self._claimed)))
        except Exception as e:  # the next tick tries again; never kill the scheduler
            log.exception("poll tick failed", extra=kv(error=f"{type(e).__name__}: {e}"))
        finally:
            self._running = None
        if outcomes:
            log.info(
                "poll tick done",
                extra=kv(
                    feeds=len(outcomes),
                    failed=sum(1 for o in outcomes if not o.ok),
                    new=sum(o.new for o in outcomes),
                    changed=sum(o.changed for o in outcomes),
                    not_modified=sum(1 for o in outcomes if o.status == "not_modified"),
                ),
            )
        return outcomes

    async def shutdown(self) -> None:
        """Stop ticking, cancel a poll in progress, give back its leases, close the HTTP session."""
        self._stopping = True
        with contextlib.suppress(Exception):
            self._scheduler.shutdown(wait=False)
        task = self._running
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._claimed:
            # Feeds whose poll was cut short are due again at once for whoever runs next.
            with contextlib.suppress(Exception):
                await self.feeds.release(self._claimed, owner=self.owner)
            self._claimed = []
        await self.fetcher.close()


async def start_scheduler(
    db: Database,
    config: Config,
    *,
    owner: str,
    notify: Notify | None = None,
    tick_s: float = DEFAULT_TICK_S,
) -> IngestScheduler:
    """Build and start the polling scheduler on the running event loop."""
    scheduler = IngestScheduler(db, config, owner=owner, notify=notify, tick_s=tick_s)
    scheduler.start()
    return scheduler
