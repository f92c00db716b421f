"""The one clock of the long-running process: periodic work as APScheduler jobs.

`factbot run` registers its periodic work here (see `bot.app.periodic_jobs`: polling,
detection, delivery, lease clean-up; WebSub renewals belong there too) and nothing else in
the process keeps a timer loop of its own.

Each job is a coroutine run every `every_s` seconds. A run that is still going when the next
one is due is not doubled: the new run returns at once (quietly; APScheduler's own
`max_instances` would log a warning every second for a long poll round). A failing run is
logged and the job goes on. `run_soon(name)` runs a job now, outside its interval (a WebSub
push brought items: detection should not wait for its next tick); a job running at that
moment runs once more when it ends. `shutdown(deadline_s)` lets running jobs finish up to the
deadline, then cancels them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.logging import kv

log = logging.getLogger("bot.jobs")


@dataclass(frozen=True, slots=True)
class Job:
    """Periodic work: `run()` every `every_s` seconds, the first run at start unless `start_now` is False."""

    name: str
    every_s: float
    run: Callable[[], Awaitable[Any]]
    start_now: bool = True


class JobScheduler:
    """APScheduler on the running event loop, with one run per job at a time and a clean stop."""

    def __init__(self) -> None:
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._running: dict[str, asyncio.Task[Any]] = {}
        self._stopping = False
        self._again: set[str] = set()  # asked to run (run_soon) while running: once more at its end
        self._soon: set[asyncio.Task[None]] = set()  # runs started by run_soon (kept referenced)
        self.jobs: dict[str, Job] = {}

    def add(self, job: Job) -> None:
        """Register a job (before or after `start`)."""
        if job.name in self.jobs:
            raise ValueError(f"job {job.name!r} is already registered")
        self.jobs[job.name] = job
        self._scheduler.add_job(
            self._run,
            "interval",
            args=[job],
            seconds=job.every_s,
            id=job.name,
            next_run_time=datetime.now(UTC) if job.start_now else None,
            coalesce=True,  # after a stall, one catch-up run rather than a burst
            max_instances=3,  # overlap is handled in _run, quietly
            misfire_grace_time=max(60, int(job.every_s * 4)),  # late runs still happen
        )

    def start(self) -> None:
        """Start running the jobs on the current event loop."""
        self._scheduler.start()

    def run_soon(self, name: str) -> None:
        """Run the job `name` now (from the event loop's thread); unknown names are ignored."""
        job = self.jobs.get(name)
        if job is None or self._stopping:
            return
        if name in self._running:
            self._again.add(name)
            return
        task = asyncio.get_running_loop().create_task(self._run(job))
        self._soon.add(task)
        task.add_done_callback(self._soon.discard)

    @property
    def running(self) -> tuple[str, ...]:
        """Names of the jobs running right now."""
        return tuple(self._running)

    async def _run(self, job: Job) -> None:
        if self._stopping or job.name in self._running:
            return
        task = asyncio.current_task()
        assert task is not None
        self._running[job.name] = task
        start = time.perf_counter()
        try:
            await job.run()
        except asyncio.CancelledError:
            if not self._stopping:
                raise
            log.info("job cancelled by shutdown", extra=kv(job=job.name))
        except Exception as e:  # the next run tries again
            log.exception("job failed", extra=kv(job=job.name, error=f"{type(e).__name__}: {e}"))
        finally:
            self._running.pop(job.name, None)
            took = time.perf_counter() - start
            if took > max(job.every_s * 10, 30):
                log.info("job ran long", extra=kv(job=job.name, seconds=round(took, 1)))
            if job.name in self._again:
                self._again.discard(job.name)
                self.run_soon(job.name)

    async def shutdown(self, deadline_s: float = 10.0) -> None:
        """Start no more runs; let running ones finish within `deadline_s`, then cancel them."""
        self._stopping = True
        self._again.clear()
        with contextlib.suppress(Exception):
            self._scheduler.pause()
        running = dict(self._running)
        if running:
            _, late = await asyncio.wait(running.values(), timeout=deadline_s)
            for name, task in running.items():
                if task in late:
                    log.warning("job still running at shutdown; cancelling it", extra=kv(job=name))
                    task.cancel()
            if late:
                await asyncio.wait(late, timeout=5)
        with contextlib.suppress(Exception):
            self._scheduler.shutdown(wait=False)
