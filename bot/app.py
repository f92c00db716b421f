"""Wiring the long-running process and the one-shot cycle from the parts.

    run_once(config): migrate -> upsert config feeds -> poll every enabled feed -> detect -> edits -> dispatch
    run(config):      the same phases as APScheduler jobs (`periodic_jobs`: polling, detection and
                      silent edits, delivery, lease clean-up) plus the chat frontends and the web
                      pages ([web]), until SIGTERM/SIGINT

Both register the process as a lease owner (`bot.storage.owners`) first: the leases of a
process that died (a crash, a kill) are freed then, so a restart delivers at once.

Each phase is guarded on its own: a failing phase is logged and reported, and the later
phases still run (alerts already queued are delivered even when polling breaks).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot import metrics
from bot.adapters import Frontend, build_frontends, build_senders, destinations
from bot.alerts.sender import AlertSender
from bot.alerts.view import AlertStyle
from bot.config import Config
from bot.jobs import Job, JobScheduler
from bot.logging import kv
from bot.storage.db import Database
from bot.storage.owners import HEARTBEAT_S, Liveness

if TYPE_CHECKING:
    from bot.ingest.poller import PollOutcome
    from bot.ingest.push import WebSubService
    from bot.ingest.scheduler import DuePoller
    from bot.web import Extension

log = logging.getLogger("bot.app")

POLL_EVERY_S = 1.0  # how soon a replica with nothing due looks again (while feeds are due it never stops)
DETECT_EVERY_S = 5.0  # how often the long-running process looks for unanalysed items
DISPATCH_EVERY_S = 2.0  # how often it looks for pending alert events (pacing is the dispatcher's job)
DRAIN_WAIT_S = (
    30.0  # run --once: sleep through pacing/Retry-After up to this, leave longer waits to the next run
)
WEBSUB_EVERY_S = (
    60.0  # how often WebSub subscriptions are checked (new, renewals at 80 % of the lease, expiry)
)
SHUTDOWN_DEADLINE_S = 10.0  # on SIGTERM, running jobs get this long to finish before they are cancelled


@dataclass(frozen=True, slots=True)
class RunReport:
    """What one cycle did; `ok` is False when a whole phase failed (not when one feed failed)."""

    feeds_polled: int = 0
    feeds_failed: int = 0
    new_items: int = 0
    detect: Any = None  # the detector's DetectReport (None: nothing was waiting for it)
    edits: Any = None  # the silent-edit stage's EditReport
    dispatch: Any = None  # the dispatcher's report
    errors: tuple[str, ...] = ()
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when every phase ran to the end."""
        return not self.errors

    def fields(self) -> dict[str, Any]:
        """Flat fields for a structured log line (`detect_alerted=1 dispatch_sent=2 ...`)."""
        out: dict[str, Any] = {
            "feeds": self.feeds_polled,
            "failed_feeds": self.feeds_failed,
            "new_items": self.new_items,
        }
        for prefix, report in (("detect", self.detect), ("edits", self.edits), ("dispatch", self.dispatch)):
            out.update({f"{prefix}_{k}": v for k, v in _counts(report).items()})
        out.update(errors=len(self.errors), seconds=round(self.seconds, 3))
        return out


def _counts(report: Any) -> dict[str, int]:
    # The detector's and dispatcher's reports are dataclasses of counters; keep those.
    names = getattr(report, "__dataclass_fields__", None) or {}
    return {k: v for k in names if isinstance(v := getattr(report, k), int) and not isinstance(v, bool)}


class Pipeline:
    """The parts of one factbot process, built once from the config and shared by the phases."""

    def __init__(self, config: Config, db: Database, senders: dict[str, AlertSender]) -> None:
        from bot.alerts.dispatcher import Dispatcher
        from bot.detect.edits import EditChecker
        from bot.storage.feeds import FeedStore
        from bot.storage.items import ItemStore

        self.config, self.db, self.senders = config, db, senders
        self.feeds = FeedStore(db, config.poll)
        self.items = ItemStore(db)
        self.destinations = destinations(config)
        self._detector: Any = None  # built on first use: its models and gazetteer take a while to load
        self.edits = EditChecker(db, config, list(self.destinations))
        # This process as the owner of its feed leases and alert claims (registered by `open`).
        self.liveness = Liveness(db)
        self.owner = self.liveness.id
        self.dispatcher = Dispatcher(
            db,
            senders,
            owner=self.owner,
            style=AlertStyle.from_config(config),
            notify_admin=self.notify_admin,
            give_up_after_s=config.alerts.give_up_after_s,
            backoff_cap_s=config.alerts.max_backoff_s,
        )

    @property
    def detector(self) -> Any:
        """The detector (`bot.detect.detector.Detector`), loaded the first time there is work for it."""
        if self._detector is None:
            from bot.detect.detector import Detector

            self._detector = Detector(self.db, self.config, list(self.destinations))
        return self._detector

    @classmethod
    async def open(cls, config: Config, *, senders: dict[str, AlertSender] | None = None) -> Pipeline:
        """Open the database, migrate it, store the config feeds, build the senders, register as owner."""
        db = Database(config.database.url)
        try:
            await db.migrate()
            pipeline = cls(config, db, senders if senders is not None else build_senders(config))
            await pipeline.feeds.upsert_specs(list(config.feeds), origin="config")
            await pipeline.liveness.start()
        except BaseException:
            await db.close()
            raise
        log.info(
            "pipeline ready",
            extra=kv(
                database=db.dialect,
                config_feeds=len(config.feeds),
                destinations=",".join(pipeline.destinations),
            ),
        )
        if not config.feeds and not await pipeline.feeds.list():
            # A newcomer's first `make run` should say why nothing happens, not sit silent.
            log.warning(
                "no feeds to poll: add [[feeds]] to the config, or run `factbot feeds add URL`, "
                "`factbot import-opml FILE`; `factbot demo` shows the bot on bundled feeds"
            )
        return pipeline

    async def notify_admin(self, text: str) -> None:
        """Tell the admin once (a feed failing repeatedly): through every sender that can."""
        for prefix, sender in self.senders.items():
            try:
                await sender.notify_admin(text)
            except Exception as e:  # a notice must never break polling
                log.warning("admin notice failed", extra=kv(sender=prefix, error=f"{type(e).__name__}: {e}"))

    async def poll_all(self) -> list[PollOutcome]:
        """Poll every enabled feed now, whatever its schedule (a progress bar on a terminal)."""
        from bot.ingest.poller import poll_feeds
        from bot.progress import progress

        feeds = [f for f in await self.feeds.list() if f.enabled]
        if not feeds:
            log.warning("no enabled feeds: add [[feeds]] to the config or run `factbot feeds add URL`")
            metrics.mark_pass("poll")
            return []
        with progress(len(feeds), "polling feeds", unit="feed", min_total=20) as bar:
            outcomes = await poll_feeds(
                self.db, self.config, feeds, notify=self.notify_admin, on_outcome=lambda _: bar.update()
            )
        metrics.mark_pass("poll")
        return list(outcomes)

    async def detect(self) -> Any:
        """Analyse every stored item not analysed yet; queue alert events.

        Every replica detects at once, on items it claims for itself (`ItemStore.claim_pending`);
        only opening or joining a dispute is serialised, per claimant (see the detector), so two
        replicas never open two disputes for one story. With nothing waiting (a warm cycle) the
        detector is not even loaded, and the report is None.
        """
        if self._detector is None and not await self.items.has_pending_analysis():
            metrics.mark_pass("detect")  # nothing to analyse is a complete pass (for /readyz)
            return None
        start = time.perf_counter()
        report = await self.detector.process_pending(owner=self.owner)
        metrics.record_detect(report, time.perf_counter() - start)

        metrics.mark_pass("detect")
        return report

    async def check_edits(self) -> Any:
        """Compare new versions of official items; a softened, removed or reversed claim alerts.

        Runs after `detect` (the edited item's statements are fresh then) and under the same
        lock, for the same reason: two replicas would record the same edit twice.
        """
        from bot.detect.edits import EditReport

        if not await self.edits.has_pending():
            return EditReport()
        async with self.db.exclusive("detect") as mine:
            if not mine:
                return EditReport()
            return await self.edits.process_pending()

    async def analyse(self) -> None:
        """The detector, then the silent-edit stage (the long-running loop's round)."""
        await self.detect()
        await self.check_edits()

    async def dispatch(self) -> Any:
        """Deliver every pending alert event that is due, waiting through short pacing delays."""
        return await self.dispatcher.drain(max_wait_s=DRAIN_WAIT_S)

    async def close(self) -> None:
        """Give back this process's leases, close the senders that hold connections, then the database."""
        try:
            await self.liveness.stop()
        except Exception as e:  # the leases then end when the next process reaps this owner
            log.warning("could not unregister the owner", extra=kv(error=f"{type(e).__name__}: {e}"))
        for sender in self.senders.values():
            close = getattr(sender, "close", None)
            if close is not None:
                with contextlib.suppress(Exception):
                    await close()
        await self.db.close()


async def _phase(
    name: str, fn: Callable[[], Awaitable[Any]], errors: list[str], timings: dict[str, float]
) -> Any:
    start = time.perf_counter()
    try:
        return await fn()
    except Exception as e:  # one broken phase must not stop the others
        log.exception("phase failed", extra=kv(phase=name, error=f"{type(e).__name__}: {e}"))
        errors.append(f"{name}: {type(e).__name__}: {e}")
        return None
    finally:
        timings[name] = round(time.perf_counter() - start, 3)


async def run_cycle(pipeline: Pipeline) -> RunReport:
    """Poll every enabled feed, detect, dispatch: one full cycle on an open pipeline."""
    start = time.perf_counter()
    errors: list[str] = []
    timings: dict[str, float] = {}
    outcomes = await _phase("poll", pipeline.poll_all, errors, timings) or []
    detect = await _phase("detect", pipeline.detect, errors, timings)
    edits = await _phase("edits", pipeline.check_edits, errors, timings)
    dispatch = await _phase("dispatch", pipeline.dispatch, errors, timings)
    report = RunReport(
        feeds_polled=len(outcomes),
        feeds_failed=sum(1 for o in outcomes if not o.ok),
        new_items=sum(o.new for o in outcomes),
        detect=detect,
        edits=edits,
        dispatch=dispatch,
        errors=tuple(errors),
        seconds=time.perf_counter() - start,
        phases=timings,
    )
    log.info("cycle done", extra=kv(**report.fields(), **{f"{k}_s": v for k, v in timings.items()}))
    return report


async def run_once(config: Config, *, senders: dict[str, AlertSender] | None = None) -> RunReport:
    """One cron-friendly cycle: migrate, upsert config feeds, poll every enabled feed, detect, dispatch, close."""
    pipeline = await Pipeline.open(config, senders=senders)
    try:
        return await run_cycle(pipeline)
    finally:
        await pipeline.close()


def _install_signal_handlers(stop: asyncio.Event) -> Sequence[signal.Signals]:
    loop = asyncio.get_running_loop()
    installed = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, stop.set)
            installed.append(sig)
        except (NotImplementedError, RuntimeError, ValueError):  # not the main thread / platform
            pass
    return installed


async def _start_web(pipeline: Pipeline, extensions: Sequence[Extension]) -> Any:
    """The web pages ([web]); a port that cannot be bound is logged, and the bot runs on without them."""
    if not pipeline.config.web.enabled:
        return None
    from bot.web import WebApp

    web = WebApp(pipeline.db, pipeline.config, extensions=extensions)
    try:
        await web.start()
    except OSError as e:
        log.error(
            "web pages not started: the bot goes on without them (set [web] port, or enabled = false)",
            extra=kv(host=pipeline.config.web.host, port=pipeline.config.web.port, error=str(e)),
        )
        return None
    return web


def periodic_jobs(pipeline: Pipeline, poller: DuePoller, websub: WebSubService | None = None) -> list[Job]:
    """The periodic work of `factbot run`, each an APScheduler job of `bot.jobs`."""
    jobs = [
        Job("poll", POLL_EVERY_S, poller.run_due),
        # The detector, then the silent-edit stage (both under the one detect lock).
        Job("detect", DETECT_EVERY_S, pipeline.analyse),
        Job("dispatch", DISPATCH_EVERY_S, pipeline.dispatcher.dispatch_ready),
        # Heartbeat, and free the leases of owners that died.
        Job("leases", HEARTBEAT_S, pipeline.liveness.beat),
    ]
    if websub is not None:
        # WebSub: subscribe to newly found hubs, renew at 80 % of the lease, expire ended leases.
        jobs.append(Job("websub", WEBSUB_EVERY_S, websub.run_due))
    return jobs


def _websub(pipeline: Pipeline, poller: DuePoller) -> WebSubService | None:
    """The WebSub service when push can work: on in the config, web pages on, a public `base_url`."""
    config = pipeline.config
    if not config.poll.websub:
        return None
    if not (config.web.enabled and config.web.base_url):
        log.info("websub push off: hubs need [web] base_url (and the web pages on) to reach the callback")
        return None
    from bot.ingest.push import WebSubService

    return WebSubService(pipeline.db, config, poller.poller)


async def run(
    config: Config,
    *,
    stop: asyncio.Event | None = None,
    chat: bool = True,
    web_extensions: Sequence[Extension] = (),
) -> None:
    """The long-running bot: the periodic jobs (polling, detection, delivery, leases), chat frontends,
    and the web pages (`[web]`, with `web_extensions` adding routes such as WebSub callbacks).

    `chat=False` skips the chat listeners (slash commands, buttons): extra replicas on
    PostgreSQL share polling and delivery but only one process should answer chat.

    Returns after SIGTERM/SIGINT (or when `stop` is set), having stopped everything cleanly:
    no new polls start and those in flight give their feeds back, running jobs finish (or are
    cancelled after `SHUTDOWN_DEADLINE_S`), frontends finish their handlers and disconnect,
    the leases are given back, the database closes.
    """
    from bot.ingest.scheduler import DuePoller

    stop = stop or asyncio.Event()
    signals = _install_signal_handlers(stop)
    pipeline = await Pipeline.open(config)
    poller = DuePoller(
        pipeline.db, config, owner=pipeline.owner, notify=pipeline.notify_admin, linger_s=POLL_EVERY_S
    )
    jobs = JobScheduler()
    frontends: list[Frontend] = []
    web = None
    websub = _websub(pipeline, poller)
    try:
        extensions = [*web_extensions, websub.extension] if websub is not None else web_extensions
        web = await _start_web(pipeline, extensions)
        if web is None and websub is not None:
            log.warning("websub push off: the web server is not running, so hubs cannot call back")
            await websub.close()
            websub = None
        if websub is not None:
            # Polls report the hubs they see; a push nudges detection (and discovery the websub job).
            poller.poller.discovered = websub.discovered
            websub.nudge = jobs.run_soon
        for job in periodic_jobs(pipeline, poller, websub):
            jobs.add(job)
        jobs.start()
        for frontend in build_frontends(config, pipeline.db) if chat else []:
            await frontend.start()
            frontends.append(frontend)
        log.info("factbot running", extra=kv(frontends=len(frontends), owner=pipeline.owner))
        await stop.wait()
    finally:
        log.info("factbot stopping")
        with contextlib.suppress(Exception):
            await poller.stop()  # first, so the poll job returns at once
        with contextlib.suppress(Exception):
            await jobs.shutdown(SHUTDOWN_DEADLINE_S)
        with contextlib.suppress(Exception):
            await poller.close()
        for frontend in reversed(frontends):
            with contextlib.suppress(Exception):
                await frontend.stop()
        if web is not None:
            with contextlib.suppress(Exception):
                await web.stop()
        if websub is not None:
            with contextlib.suppress(Exception):
                await websub.close()
        await pipeline.close()
        loop = asyncio.get_running_loop()
        for sig in signals:
            loop.remove_signal_handler(sig)
        log.info("factbot stopped")
