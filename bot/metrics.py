"""factbot's Prometheus metrics: named once here, counted where things happen, served at /metrics.

Counted in this process (counters start at 0 when it starts):

    factbot_polls_total{outcome="ok|not_modified|error"}     feed polls (bot.ingest.poller)
    factbot_items_total{kind="new|changed"}                  items stored, edited revisions too
    factbot_detect_items_total, factbot_detect_seconds_total detection work: their ratio is the
                                                             time per item (bot.app, around
                                                             Detector.process_pending)
    factbot_detect_item_seconds (histogram)                  mean time per item of each run
    factbot_detect_outcomes_total{outcome=...}               alerted / review / stored / error items
    factbot_alerts_total{result="sent|recovered|retried|skipped|dead"}  dispatcher results
    factbot_websub_pushes_total{outcome=...}                 WebSub content pushes (bot.ingest.push):
                                                             stored / bad_signature / unknown /
                                                             too_large / unreadable / ignored / error
    factbot_last_cycle_timestamp_seconds                     when poll, detect and dispatch had
                                                             all completed a pass again
    factbot_last_pass_timestamp_seconds{phase=...}           the last completed pass of each

Read from the database at each scrape (true for all replicas together):

    factbot_disputes{status=...}, factbot_outbox_depth (alerts waiting), factbot_outbox_rows{status=...},
    factbot_paused_destinations, factbot_feeds{state="enabled|failing"}

A private registry (not prometheus_client's global one) keeps the exposition to these.
"""

from __future__ import annotations

import time
from typing import Any, Protocol

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import choose_encoder
from sqlalchemy import func, select

from bot.storage import schema as s

__all__ = [
    "REGISTRY",
    "cycles",
    "exposition",
    "mark_pass",
    "record_detect",
    "record_dispatch",
    "record_poll",
    "record_push",
    "refresh_from_db",
]

REGISTRY = CollectorRegistry()
PHASES = ("poll", "detect", "dispatch")

POLLS = Counter("factbot_polls", "Feed polls, by outcome.", ["outcome"], registry=REGISTRY)
ITEMS = Counter("factbot_items", "Items stored: new ones and changed revisions.", ["kind"], registry=REGISTRY)
DETECT_ITEMS = Counter("factbot_detect_items", "Items the detector analysed.", registry=REGISTRY)
DETECT_SECONDS = Counter(
    "factbot_detect_seconds",
    "Time spent detecting; divided by factbot_detect_items_total: per item.",
    registry=REGISTRY,
)
DETECT_ITEM_SECONDS = Histogram(
    "factbot_detect_item_seconds",
    "Mean detection time per item, one observation per detector run that had items.",
    buckets=(0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0),
    registry=REGISTRY,
)
DETECT_OUTCOMES = Counter(
    "factbot_detect_outcomes", "What the detector decided per item.", ["outcome"], registry=REGISTRY
)
ALERTS = Counter(
    "factbot_alerts", "Alert events the dispatcher handled, by result.", ["result"], registry=REGISTRY
)
LAST_CYCLE = Gauge(
    "factbot_last_cycle_timestamp_seconds",
    "Unix time when polling, detection and delivery had each completed a pass again (0: not yet).",
    registry=REGISTRY,
)
LAST_PASS = Gauge(
    "factbot_last_pass_timestamp_seconds",
    "Unix time of the last completed pass, by phase.",
    ["phase"],
    registry=REGISTRY,
)
PUSHES = Counter(
    "factbot_websub_pushes", "WebSub content pushes received, by outcome.", ["outcome"], registry=REGISTRY
)
PUSH_OUTCOMES = ("stored", "bad_signature", "unknown", "too_large", "unreadable", "ignored", "error")
DISPUTES = Gauge("factbot_disputes", "Stored disputes, by status.", ["status"], registry=REGISTRY)
OUTBOX_DEPTH = Gauge("factbot_outbox_depth", "Alert events waiting to be delivered.", registry=REGISTRY)
OUTBOX_ROWS = Gauge(
    "factbot_outbox_rows", "Alert events in the outbox, by status.", ["status"], registry=REGISTRY
)
PAUSED = Gauge(
    "factbot_paused_destinations", "Alert destinations paused after a permanent error.", registry=REGISTRY
)
FEEDS = Gauge(
    "factbot_feeds", "Feeds: enabled, and failing (consecutive failures).", ["state"], registry=REGISTRY
)

for _o in ("ok", "not_modified", "error"):
    POLLS.labels(_o)
for _k in ("new", "changed"):
    ITEMS.labels(_k)
for _r in ("sent", "recovered", "retried", "skipped", "dead"):
    ALERTS.labels(_r)
for _o in ("alerted", "review", "stored", "error"):
    DETECT_OUTCOMES.labels(_o)
for _o in PUSH_OUTCOMES:
    PUSHES.labels(_o)


class _PollLike(Protocol):
    @property
    def status(self) -> str: ...
    @property
    def new(self) -> int: ...
    @property
    def changed(self) -> int: ...


class CycleTracker:
    """A cycle is complete when every phase has completed a pass since the last complete cycle.

    `run --once` runs the phases in order; the long-running bot runs them on their own timers
    (the poll, detect and dispatch jobs of `bot.jobs`), so order is not required, only that all moved.
    """

    def __init__(self) -> None:
        self.started = time.time()
        self.last: float | None = None
        self._seen: set[str] = set()

    def mark(self, phase: str, now: float | None = None) -> None:
        """Record a completed pass of `phase`; completes a cycle when all phases have one."""
        now = time.time() if now is None else now
        LAST_PASS.labels(phase).set(now)
        self._seen.add(phase)
        if self._seen >= set(PHASES):
            self.last = now
            LAST_CYCLE.set(now)
            self._seen.clear()

    def age(self, now: float | None = None) -> float | None:
        """Seconds since the last complete cycle (None: none yet)."""
        return None if self.last is None else (time.time() if now is None else now) - self.last

    def reset(self) -> None:
        """Forget every pass (tests; a fresh process starts this way)."""
        self.__init__()  # type: ignore[misc]
        LAST_CYCLE.set(0)


cycles = CycleTracker()


def mark_pass(phase: str) -> None:
    """A phase finished a pass without failing (see `CycleTracker`)."""
    cycles.mark(phase)


def record_poll(outcome: _PollLike) -> None:
    """One feed polled: its outcome and the items it stored."""
    POLLS.labels(outcome.status).inc()
    if outcome.new:
        ITEMS.labels("new").inc(outcome.new)
    if outcome.changed:
        ITEMS.labels("changed").inc(outcome.changed)


def record_push(outcome: str, new: int = 0, changed: int = 0) -> None:
    """One WebSub push handled: its outcome and the items it stored (counted with polled ones)."""
    PUSHES.labels(outcome).inc()
    if new:
        ITEMS.labels("new").inc(new)
    if changed:
        ITEMS.labels("changed").inc(changed)


def record_detect(report: Any, seconds: float) -> None:
    """One `Detector.process_pending` run: its `DetectReport` and how long it took."""
    items = int(getattr(report, "items", 0) or 0)
    DETECT_SECONDS.inc(max(seconds, 0.0))
    if items:
        DETECT_ITEMS.inc(items)
        DETECT_ITEM_SECONDS.observe(seconds / items)
    for field, outcome in (
        ("alerted", "alerted"),
        ("review", "review"),
        ("stored_only", "stored"),
        ("errors", "error"),
    ):
        n = int(getattr(report, field, 0) or 0)
        if n:
            DETECT_OUTCOMES.labels(outcome).inc(n)


def record_dispatch(report: Any) -> None:
    """One dispatcher pass (`DispatchReport`): results by kind; the pass counts for the cycle."""
    for result in ("sent", "recovered", "retried", "skipped", "dead"):
        n = int(getattr(report, result, 0) or 0)
        if n:
            ALERTS.labels(result).inc(n)
    mark_pass("dispatch")


async def refresh_from_db(db: Any) -> None:
    """Set the gauges the database knows (disputes, outbox, paused destinations, feeds)."""
    d, o, f = s.disputes, s.outbox, s.feeds
    async with db.connect() as conn:
        by_status = dict((await conn.execute(select(d.c.status, func.count()).group_by(d.c.status))).all())
        rows = dict((await conn.execute(select(o.c.status, func.count()).group_by(o.c.status))).all())
        paused = (
            await conn.execute(
                select(func.count()).select_from(s.destinations).where(s.destinations.c.paused.is_(True))
            )
        ).scalar_one()
        enabled, failing = (
            await conn.execute(
                select(
                    func.count().filter(f.c.enabled.is_(True)),
                    func.count().filter(f.c.enabled.is_(True), f.c.consecutive_failures > 0),
                )
            )
        ).one()
    for status in ("disputed", "retracted", "corrected", "confirmed", "dismissed", "muted", *by_status):
        DISPUTES.labels(status).set(int(by_status.get(status, 0)))
    for status in ("pending", "sending", "sent", "dead", "skipped", *rows):
        OUTBOX_ROWS.labels(status).set(int(rows.get(status, 0)))
    OUTBOX_DEPTH.set(int(rows.get("pending", 0)) + int(rows.get("sending", 0)))
    PAUSED.set(int(paused))
    FEEDS.labels("enabled").set(int(enabled or 0))
    FEEDS.labels("failing").set(int(failing or 0))


def exposition(accept: str | None = None) -> tuple[bytes, str]:
    """The metrics and their content type, in the format the scraper's Accept header asks for
    (Prometheus' classic text format by default; OpenMetrics when asked)."""
    encoder, content_type = choose_encoder(accept or "")
    return encoder(REGISTRY), content_type
