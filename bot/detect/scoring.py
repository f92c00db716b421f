"""Confidence and reasons for a dispute, and where its alert goes.

The confidence is a logistic function of a few signals (cue strength, actor match, topical
overlap, time gap, whether a separate claim item was found, and the stance model's
'disagree' when it is present). The weights were chosen by hand and checked with a
reliability table on dev-cases (`factbot eval cases` prints it), so that about 80 % of
disputes scored 0.8 are real ones. Reasons are written for a desk editor, not for us.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.config import AlertsConfig


@dataclass(frozen=True, slots=True)
class Signals:
    """The evidence a score is made from; every field is in [0, 1] unless said otherwise."""

    cue: float  # the statement extractor's confidence in the denial/retraction
    actor: float  # 1 target == claim speaker, 0.7 same body, 0.5 by name, 0 unknown
    overlap: float  # topical overlap of claim and denial
    time: float  # 1 same day .. 0.5 at the edge of the window
    claim_item: bool  # a separate claim item was linked (not one item reporting both sides)
    official: bool  # the disputed statement's speaker is official
    stance_disagree: float | None = None  # the learned model, when present
    kind: str = "denial"
    joined: int = 0  # how many deniers/outlets the dispute already has


_BIAS = -2.6
_W_CUE = 2.4
_W_ACTOR = 1.2
_W_OVERLAP = 2.2
_W_TIME = 0.5
_W_CLAIM_ITEM = 0.6
_W_STANCE = 1.0
_W_JOINED = 0.25


def confidence(s: Signals) -> float:
    """Calibrated probability that this is a real dispute about an official statement."""
    if not s.official:
        return 0.0  # not a dispute under this product's definition, however strong the cue
    z = _BIAS + _W_CUE * s.cue + _W_ACTOR * s.actor + _W_OVERLAP * s.overlap + _W_TIME * s.time
    if s.claim_item:
        z += _W_CLAIM_ITEM
    else:
        # One item reporting both sides: the actor link is the item's own words, so the
        # overlap of "claim" and "denial" is meaningless; count it as a middling match.
        z += _W_OVERLAP * 0.3 + _W_ACTOR * 0.3
    if s.stance_disagree is not None:
        z += _W_STANCE * (s.stance_disagree - 0.35)
    z += _W_JOINED * min(s.joined, 3)
    return round(1.0 / (1.0 + math.exp(-z)), 3)


def describe_gap(gap: timedelta | float) -> str:
    """'same day', '1 day later', '3 months later'."""
    days = gap.total_seconds() / 86400 if isinstance(gap, timedelta) else float(gap)
    if days < 1:
        return "same day"
    if days < 2:
        return "1 day later"
    if days < 60:
        return f"{int(days)} days later"
    return f"{int(days // 30)} months later"


def reasons(
    *,
    cue: str | None,
    kind: str,
    speaker: str,
    denier: str,
    actor: float,
    shared: Sequence[str],
    gap_days: float | None,
    stance_disagree: float | None,
    official: bool,
    single_item: bool,
) -> tuple[str, ...]:
    """Human-readable reasons for the alert's context line."""
    out: list[str] = []
    if cue:
        out.append(f'{kind} cue: "{cue}"')
    if actor >= 1.0:
        out.append(f"{denier} answers {speaker} by name")
    elif actor >= 0.7:
        out.append(f"{denier} answers {speaker}'s organisation")
    elif actor > 0:
        out.append(f"{denier} names {speaker}")
    if shared:
        out.append("shared terms: " + ", ".join(shared))
    if gap_days is not None and not single_item:
        out.append("time gap: " + describe_gap(gap_days))
    if single_item:
        out.append("one item reports both the claim and the denial")
    if stance_disagree is not None:
        out.append(f"stance model: disagree {stance_disagree:.2f}")
    if not official:
        out.append(f"{speaker} is not an official source: stored, not alerted")
    return tuple(out)


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
