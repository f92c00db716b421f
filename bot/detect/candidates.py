"""Earlier items a new item may answer: nearest in meaning, or claims by the actor it disputes.

Two sources, merged:

* meaning: the `LINK_K` earlier items nearest to the new item's vector within the link window
  (any language: the encoder puts a Spanish denial near the English claim it answers), or the
  finding window when an authority that judges others' statements speaks (`sides.judges`: an
  audit report or a regulator's ruling comes months after the figure it judges);
* actor: earlier statements by the actor the item disputes (a denial's target, a retraction's
  own side), within the link window, or the retraction window for the speaker's own side,
  which reaches back months to claims the meaning search no longer holds.

A candidate is only a candidate: the learned pair decision says whether the new item answers
it. The bot finds them in the database (`bot/detect/detector.py`); the training scripts find
them the same way in memory (`training/replay.py`), through `merge`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

import numpy as np

from bot.detect.reading import Reading
from bot.detect.sides import actor_keys, judges
from bot.detect.vector_index import Neighbour
from bot.types import StatementKind

LINK_K = 8  # nearest items by meaning kept per new item
ACTOR_K = 6  # claims by the disputed actor kept beyond those
SLACK = timedelta(days=1)  # a claim dated up to a day after its denial (time zones, late feeds)
ACTOR_KINDS = (StatementKind.CLAIM, StatementKind.DENIAL)  # what an actor said that may be disputed


@dataclass(frozen=True, slots=True)
class Candidate:
    """An earlier item, how near it is in meaning, and how it was found."""

    item_id: int
    cos: float
    rank: int  # 1 = nearest in meaning; LINK_K + 1 for one found only through the actor
    via: str  # "meaning" | "actor"


def own_side(reading: Reading) -> bool:
    """True when the item's own side retracts or corrects (its window reaches further back)."""
    st = reading.disputing
    return st is not None and st.kind in (StatementKind.RETRACTION, StatementKind.CORRECTION)


def window(reading: Reading, link_days: int, retraction_days: int) -> timedelta:
    """How far back the item may answer a claim by the actor it disputes.

    The long window when the item names that actor outright or retracts its own words: a
    named claimant narrows the search to its own statements, so months back stays precise.
    The meaning search (no actor) always keeps to the link window.
    """
    named = reading.disputed is not None
    return timedelta(days=retraction_days if own_side(reading) or named else link_days)


def meaning_window(reading: Reading, link_days: int, finding_days: int) -> timedelta:
    """How far back the meaning search looks: the link window, or the finding window (the longer
    of the two) when the item's speaker is an authority that judges others' statements.

    Only those speakers reach back by meaning alone: a government's denial follows the claim
    within days, and a longer look would only offer it more unrelated claims.
    """
    days = max(link_days, finding_days) if judges(reading.protagonist) else link_days
    return timedelta(days=days)


def actor_search_keys(reading: Reading) -> frozenset[str]:
    """Speaker keys whose earlier statements the item may answer."""
    keys = set(actor_keys(reading.disputed))
    if own_side(reading):
        keys |= actor_keys(reading.speaker)
    return frozenset(keys)


def by_actor_in(
    reading: Reading,
    vector: np.ndarray,
    earlier: Sequence[tuple[Reading, np.ndarray]],
    link_days: int,
    retraction_days: int,
) -> list[tuple[int, float]]:
    """Earlier readings (in memory) with a claim or denial by the actor `reading` disputes, within
    its window, as (item id, cosine): the in-memory twin of the database's `claim_candidates`."""
    keys = actor_search_keys(reading)
    if not keys:
        return []
    t = reading.when
    since = t - window(reading, link_days, retraction_days).total_seconds()
    return [
        (r.item.id, float(v @ vector))
        for r, v in earlier
        if since <= r.when <= t + SLACK.total_seconds()
        and any(
            st.kind in ACTOR_KINDS and st.speaker is not None and st.speaker.key in keys
            for st in r.statements
        )
    ]


def merge(neighbours: Sequence[Neighbour], by_actor: Iterable[tuple[int, float]]) -> list[Candidate]:
    """Nearest-by-meaning first, then up to `ACTOR_K` more found through the actor (by cosine)."""
    out = [Candidate(n.item_id, n.score, rank, "meaning") for rank, n in enumerate(neighbours[:LINK_K], 1)]
    seen = {c.item_id for c in out}
    extra = sorted(((i, cos) for i, cos in by_actor if i not in seen), key=lambda x: -x[1])
    out += [Candidate(i, cos, LINK_K + 1, "actor") for i, cos in extra[:ACTOR_K]]
    return out


__all__ = [
    "ACTOR_K",
    "LINK_K",
    "SLACK",
    "Candidate",
    "actor_search_keys",
    "meaning_window",
    "merge",
    "own_side",
    "window",
]
