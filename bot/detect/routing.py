"""Where a dispute's alerts go: the alert destinations, the review channel, or nowhere (stored).

The detector's probability is calibrated (`model.py`), so `[alerts] alert_threshold` reads as
"alert when at least this likely to be real"; evidence older than `max_age_days` is stored but
not posted, so a first fetch's backlog does not flood the channel.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.config import AlertsConfig


@dataclass(frozen=True, slots=True)
class Routing:
    """Where a dispute's alerts go, and a one-line why."""

    destinations: tuple[str, ...]
    level: str  # alert | review | stored
    why: str
    extra: dict[str, str] = field(default_factory=dict)


def route(
    conf: float,
    alerts: AlertsConfig,
    destinations: Sequence[str],
    *,
    official: bool,
    newest_evidence_at: datetime | None,
    now: datetime,
) -> Routing:
    """Thresholds from `[alerts]`: alert -> destinations; review -> review channel; else stored."""
    if not official:
        return Routing((), "stored", "the disputed statement is not official")
    if alerts.max_age_days and newest_evidence_at is not None:
        if newest_evidence_at < now - timedelta(days=alerts.max_age_days):
            return Routing((), "stored", f"newest evidence older than {alerts.max_age_days} days")
    if conf >= alerts.alert_threshold:
        return Routing(tuple(destinations), "alert", f"confidence {conf:.2f} >= {alerts.alert_threshold}")
    if conf >= alerts.review_threshold:
        if alerts.review_channel:
            return Routing((alerts.review_channel,), "review", f"confidence {conf:.2f}: review channel")
        return Routing((), "stored", f"confidence {conf:.2f} below alert, no review channel")
    return Routing((), "stored", f"confidence {conf:.2f} < {alerts.review_threshold}")
