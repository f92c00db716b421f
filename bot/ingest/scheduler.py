"""Due feeds, claimed continuously: every replica keeps its poll slots full while feeds are due.

Per-feed timing lives in the database (`next_poll_at`, set by `FeedStore.record_poll` with the
feed's interval, jitter and backoff). `DuePoller.run_due()` (the `poll` job of `bot.jobs`, run
every second) claims due feeds in small batches as its slots free up, polls each on its own,
waits for the next feed that falls due within `linger_s`, and returns once none does. So a
replica never waits for a tick while feeds are due, and adding a replica adds slots instead
of splitting one tick's batch.

Claims are leases held by this process's owner id (`bot.storage.owners`): if it dies, another
replica takes them over within `owners.DEAD_AFTER_S` plus a heartbeat; a clean stop gives the
feeds in flight back at once. A claim is at most `claim_size` feeds, so a crash delays few.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime

from bot import metrics
from bot.config import Config
from bot.ingest.poller import FeedPoller, Notify, PollOutcome
from bot.logging import kv
from bot.storage.db import Database
from bot.storage.feeds import FeedStore
from bot.types import Feed

log = logging.getLogger("bot.ingest")


class DuePoller:
    """Claims due feeds as slots free up and polls them. `await run_due()`; `await close()` at the end."""

    def __init__(
        self,
        db: Database,
        config: Config,
        *,
        owner: str,
        notify: Notify | None = None,
        claim_size: int | None = None,
        linger_s: float = 0.0,
    ) -> None:
        self.db, self.config, self.owner = db, config, owner
        self.slots = max(1, config.poll.concurrency)
        # Claim when a quarter of the slots are free (fewer round trips than one feed at a time),
        # never more than the free slots: a feed is leased only when it can start at once.
        self.claim_size = claim_size or self.slots
        self.min_claim = max(1, min(self.claim_size, self.slots // 4))
        self.linger_s = linger_s  # a feed due this soon is waited for, not left to the next run
        self.feeds = FeedStore(db, config.poll)
        # The backstop for a lease whose owner never heartbeats: longer than the slowest poll.
        self.lease_s = max(300.0, config.poll.timeout_s * 4)
        self.poller = FeedPoller(db, config, notify=notify)
        self._tasks: dict[asyncio.Task[PollOutcome], Feed] = {}
        self._stopping = False

    async def run_due(self) -> list[PollOutcome]:
        """Poll every feed that is due, claiming more as polls finish; the outcomes."""
        outcomes: list[PollOutcome] = []
        try:
            while not self._stopping:
                free = min(self.slots - len(self._tasks), self.claim_size)
                due: list[Feed] = []
                if free >= self.min_claim or not self._tasks:
                    due = await self.feeds.claim_due(
                        datetime.now(UTC), owner=self.owner, limit=free, lease_s=self.lease_s
                    )
                    if len(due) < free:
                        # Caught up: every due feed is polled or in flight. Marked here, not when
                        # the round ends: with feeds falling due every second it may not end.
                        metrics.mark_pass("poll")
                    for feed in due:
                        self._tasks[asyncio.create_task(self.poller.poll(feed))] = feed
                if not self._tasks:
                    if await self._linger():
                        continue
                    break  # nothing due soon, nothing running: the next run looks again
                if due and len(due) == free:
                    continue  # more may be due: fill the slots before waiting
                done, _ = await asyncio.wait(self._tasks, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    self._tasks.pop(task, None)
                    if not task.cancelled():  # cancelled: `stop()` gives the feed back
                        outcomes.append(task.result())  # poll() records its own failures
        except Exception as e:  # the next run tries again; the job never dies
            log.exception("polling failed", extra=kv(error=f"{type(e).__name__}: {e}"))
        if outcomes:
            log.info(
                "poll round done",
                extra=kv(
                    feeds=len(outcomes),
                    failed=sum(1 for o in outcomes if not o.ok),
                    new=sum(o.new for o in outcomes),
                    changed=sum(o.changed for o in outcomes),
                    not_modified=sum(1 for o in outcomes if o.status == "not_modified"),
                ),
            )
        return outcomes

    async def _linger(self) -> bool:
        """Sleep until the next feed falls due if that is within `linger_s`; False if none does."""
        if self.linger_s <= 0:
            return False
        now = datetime.now(UTC)
        when = await self.feeds.next_due(now)
        if when is None:
            return False
        wait = (when - now).total_seconds()
        if wait > self.linger_s:
            return False
        # Due now but not claimed (another replica took it a moment ago): a short pause, no spin.
        await asyncio.sleep(max(wait, 0.05))
        return True

    async def stop(self) -> None:
        """Stop claiming, cancel the polls in flight and give their feeds back (due again at once)."""
        self._stopping = True
        tasks = dict(self._tasks)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        if tasks:
            cut = [f.id for t, f in tasks.items() if t.cancelled()]
            with contextlib.suppress(Exception):
                await self.feeds.release(cut, owner=self.owner)
            log.info("polls cancelled by shutdown", extra=kv(feeds=len(cut)))

    async def close(self) -> None:
        """`stop()`, then close the HTTP session."""
        await self.stop()
        await self.poller.close()
