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


# how an alert that went out on `retraction_threshold` says so
OWN_WORDS_BAR = "a retraction in the speaker's own words"


def alert_bar(alerts: AlertsConfig, *, own_retraction: bool = False) -> float:
    """The confidence an alert needs: `alert_threshold`, or `retraction_threshold` (when set and
    lower) for a side taking back its own words (`decision.takes_back_own_words`)."""
    if own_retraction and alerts.retraction_threshold is not None:
        return min(alerts.alert_threshold, alerts.retraction_threshold)
    return alerts.alert_threshold


def words_agree(wording: float | None, threshold: float) -> bool:
    """Whether the wording model's second opinion lets an alert out: it was not asked (None), or
    it reads the item as a dispute at least `threshold` (`[alerts] wording_threshold`)."""
    return wording is None or wording >= threshold


def _review(alerts: AlertsConfig, review_why: str, stored_why: str) -> Routing:
    """To the review channel when the desk has one, else stored."""
    if alerts.review_channel:
        return Routing((alerts.review_channel,), "review", review_why)
    return Routing((), "stored", stored_why)


def route(
    conf: float,
    alerts: AlertsConfig,
    destinations: Sequence[str],
    *,
    official: bool,
    newest_evidence_at: datetime | None,
    now: datetime,
    own_retraction: bool = False,
    wording: float | None = None,
) -> Routing:
    """Thresholds from `[alerts]`: alert -> destinations; review -> review channel; else stored.

    `own_retraction`: the evidence is its speaker taking back their own words, which alert from
    `alert_bar`'s lower bar. `wording`: how far the item's words read as a dispute
    (`wording.WordingModel`); below `wording_threshold`, what would alert goes to review."""
    if not official:
        return Routing((), "stored", "the disputed statement is not official")
    if alerts.max_age_days and newest_evidence_at is not None:
        if newest_evidence_at < now - timedelta(days=alerts.max_age_days):
            return Routing((), "stored", f"newest evidence older than {alerts.max_age_days} days")
    bar = alert_bar(alerts, own_retraction=own_retraction)
    if conf >= bar and words_agree(wording, alerts.wording_threshold):
        own = f" ({OWN_WORDS_BAR})" if bar < alerts.alert_threshold else ""
        return Routing(tuple(destinations), "alert", f"confidence {conf:.2f} >= {bar}{own}")
    if conf >= bar:
        why = f"confidence {conf:.2f} >= {bar}, but its words read as a dispute only {wording:.2f}"
        return _review(alerts, f"{why}: review channel", f"{why}, no review channel")
    if conf >= alerts.review_threshold:
        why = f"confidence {conf:.2f}"
        return _review(alerts, f"{why}: review channel", f"{why} below alert, no review channel")
    return Routing((), "stored", f"confidence {conf:.2f} < {alerts.review_threshold}")
