"""The numbers the learned decision reads: one vector per item, one per (earlier, later) pair.

The rules of `statements` and `cues` (who said what, which cue words, whose statement is
denied, other senses) are features here, not gates: the learned model weighs them against
meaning (the encoder's vectors) on data it never saw. The same functions serve the running
bot and `training/`, so what the model is trained on is what it reads at run time.

Every feature has a name (`ITEM_FEATURES`, `PAIR_FEATURES`); the model file records the names
it was trained with and refuses a different list.
"""

from __future__ import annotations

import collections
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from bot.detect.cues import CUE_GROUPS, find_cues
from bot.detect.encoder import item_text
from bot.detect.reading import Reading
from bot.detect.sides import actor_match
from bot.detect.terms import Terms, overlap
from bot.types import Actor, ActorType, FeedKind, StatementKind

_TARGET_KINDS = ("official", "media", "rumour", "person", "other")
_STATE = frozenset(
    {
        ActorType.HEAD_OF_STATE,
        ActorType.HEAD_OF_GOVERNMENT,
        ActorType.GOVERNMENT,
        ActorType.MINISTRY,
        ActorType.MILITARY,
        ActorType.POLICE,
        ActorType.AGENCY,
        ActorType.EMBASSY,
        ActorType.OFFICIAL,
        ActorType.LOCAL_GOVERNMENT,
        ActorType.REGULATOR,
        ActorType.COURT,
    }
)

ITEM_FEATURES: tuple[str, ...] = (
    "cue_denial",
    "cue_retraction",
    "cue_correction",
    "cue_confirmation",
    "cue_claim",
    *(f"target_{k}" for k in _TARGET_KINDS),
    "target_none",
    "speaker_official",
    "speaker_named",
    "disputed_official",
    "claimant_named",
    "official_feed",
    "official_actors",
    "sense_other",
    "sense_negated",
    "sem_dispute",
    "sem_self",
    "sem_claim",
    "cue_admission",
    "cue_finding",
)

PAIR_FEATURES: tuple[str, ...] = (
    "cos",
    "cos_margin",
    "cos_rank",
    "disputed_is_speaker",
    "disputed_named_earlier",
    "same_side",
    "opposing_states",
    "shared_actors",
    "earlier_official",
    "earlier_claim",
    "earlier_disputing",
    "earlier_sem_dispute",
    "term_overlap",
    "distinct_overlap",
    "distinct_margin",
    "shared_names",
    "shared_numbers",
    "figure_conflict",
    "later_regulator",
    "gap_log_days",
    "stance_disagree",
    "sem_contradiction",
    # conjunctions a linear model cannot form on its own
    "cos_x_disputed",
    "cos_x_opposing",
    "cos_x_contradiction",
    "cos_x_own_side",
)


@dataclass(frozen=True, slots=True)
class Semantics:
    """What the encoder-based heads say about an item (probabilities from `model.ItemHead`)."""

    dispute: float = 0.0  # reports that someone disputes an official statement (any kind)
    self_: float = 0.0  # the speaker's own side retracts or corrects
    claim: float = 0.0  # an official statement of fact, undisputed


def _score(r: Reading, kind: StatementKind) -> float:
    return max((st.score for st in r.statements if st.kind is kind), default=0.0)


def _official(actor: Actor | None) -> bool:
    return actor is not None and actor.official


def claimant_named(r: Reading) -> bool:
    """True when the item says whose statement it disputes (an actor, or words naming one)."""
    d = r.disputing
    return r.disputed is not None or bool(d is not None and d.target_text)


@dataclass(frozen=True, slots=True)
class CueFlags:
    """What the cue words of an item's headline and lead say beyond its statements."""

    other_sense: bool = False  # a cue word in another sense ("denied bail")
    negated: bool = False  # a negated cue ("did not deny")
    groups: tuple[float, ...] = (0.0,) * len(CUE_GROUPS)  # strongest active cue of each group


def cue_flags(title: str, text: str, language: str | None) -> CueFlags:
    """The cue flags of an item's headline and lead."""
    cues = find_cues(item_text(title, text, 400), language)
    groups = tuple(
        max((c.strength for c in cues if c.active and c.group == g), default=0.0) for g in CUE_GROUPS
    )
    return CueFlags(any(c.other_sense for c in cues), any(c.negated for c in cues), groups)


def item_features(r: Reading, sem: Semantics, flags: CueFlags) -> np.ndarray:
    """The item's own features, in `ITEM_FEATURES` order (`flags`: its `cue_flags`)."""
    d = r.disputing
    tk = d.target_kind if d is not None else None
    speaker = d.speaker if d is not None else (r.claim.speaker if r.claim else None)
    officials = sum(1 for a in r.actors if a.official)
    f = [
        _score(r, StatementKind.DENIAL),
        _score(r, StatementKind.RETRACTION),
        _score(r, StatementKind.CORRECTION),
        _score(r, StatementKind.CONFIRMATION),
        _score(r, StatementKind.CLAIM),
        *(float(d is not None and tk == k) for k in _TARGET_KINDS),
        float(d is not None and tk is None),
        float(_official(speaker)),
        float(speaker is not None or bool(d is not None and d.speaker_text)),
        float(_official(r.disputed)),
        float(claimant_named(r)),
        float(r.item.feed_kind is FeedKind.OFFICIAL or str(r.item.feed_kind) == "official"),
        min(officials, 3) / 3.0,
        float(flags.other_sense),
        float(flags.negated),
        sem.dispute,
        sem.self_,
        sem.claim,
        *flags.groups,  # cue_admission, cue_finding
    ]
    return np.asarray(f, dtype=np.float32)


@dataclass(frozen=True, slots=True)
class PairContext:
    """How a candidate came to be: its cosine with the later item and its place among the others."""

    cos: float
    best_cos: float
    rank: int  # 1 = nearest
    stance_disagree: float = 0.0
    contradiction: float = 0.0  # the encoder's pair head: the two accounts cannot both be true
    distinct: float = 0.0  # `distinctive_overlaps`: what it alone shares with the later item
    distinct_best_other: float = 0.0  # ... and the most any other candidate has of that


# A candidate sharing this much weight of rare terms with the later item counts as fully distinct.
_DISTINCT_CAP = 3.0


def distinctive_overlaps(later: Terms, candidates: Sequence[Terms]) -> list[float]:
    """For each candidate, how much it shares with the later item that the other candidates do
    not: the sum over shared terms of 1 / (how many candidates carry the term), capped, in [0, 1].

    A real desk's candidates for a denial of the president share his name with it, all of them;
    only the statement it answers shares the event's own words ("memo", "Sinaloa"). Counting
    within the candidate list needs no stream-wide statistics, so every replica and the
    training replay compute it the same way.
    """
    mine = later.all  # names count across the word/name split, as in `terms.overlap`
    bags = [c.all & mine for c in candidates]
    df = collections.Counter(t for b in bags for t in b)
    # fsum: exact whatever the order a set iterates in, so a rerun reads the same features
    return [min(math.fsum(1.0 / df[t] for t in b), _DISTINCT_CAP) / _DISTINCT_CAP for b in bags]


def _best_other(values: Sequence[float]) -> list[float]:
    """For each position, the largest of the other values (0 when there is none)."""
    if len(values) < 2:
        return [0.0] * len(values)
    order = sorted(range(len(values)), key=lambda k: -values[k])
    top, second = values[order[0]], values[order[1]]
    return [second if k == order[0] else top for k in range(len(values))]


def candidate_distinctness(pairs: Sequence[tuple[Hashable, Terms, Terms]]) -> list[tuple[float, float]]:
    """(`distinctive_overlaps` of the pair, the best other candidate's) for each (later item's
    key, later terms, earlier terms), the candidates of one later item being the pairs with its key."""
    groups: dict[Hashable, list[int]] = {}
    for k, (key, _, _) in enumerate(pairs):
        groups.setdefault(key, []).append(k)
    out: list[tuple[float, float]] = [(0.0, 0.0)] * len(pairs)
    for ks in groups.values():
        d = distinctive_overlaps(pairs[ks[0]][1], [pairs[k][2] for k in ks])
        for k, v, o in zip(ks, d, _best_other(d), strict=True):
            out[k] = (v, o)
    return out


def _figure(token: str) -> float | None:
    """A number term ('#262') as a value; years are dates, not figures."""
    try:
        v = float(token.lstrip("#"))
    except ValueError:
        return None
    return None if 1900 <= v <= 2100 or v == 0 else v


def figure_conflict(earlier: frozenset[str], later: frozenset[str]) -> bool:
    """True when the later item gives a figure of the same order as one of the earlier item's
    but a different one ("262, not 400"; "890 schools instead of 1,300")."""
    a = [v for t in earlier if (v := _figure(t)) is not None]
    b = [v for t in later - earlier if (v := _figure(t)) is not None]
    return any(0.1 <= y / x <= 10 for x in a for y in b)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:

    return len(a & b) / len(a | b) if a and b else 0.0


def _state(actor: Actor | None) -> str | None:
    if actor is None or actor.type not in _STATE or not actor.country:
        return None
    return actor.country


def pair_features(
    earlier: Reading, later: Reading, earlier_sem: Semantics, ctx: PairContext, later_self: float = 0.0
) -> np.ndarray:
    """Features of (earlier item, later item), in `PAIR_FEATURES` order.

    `later_self` is the later item's semantic "own side retracts or corrects" probability.
    """
    disputed = later.disputed
    e_claim = earlier.claim or earlier.disputing
    e_speaker = (e_claim.speaker if e_claim is not None else None) or earlier.protagonist
    match = 0.0
    if disputed is not None and e_speaker is not None:
        match = actor_match(disputed, None, e_speaker.key, e_speaker.parent, e_speaker.name)
    named = 0.0
    if disputed is not None:
        if disputed.key in earlier.actor_keys:
            named = 1.0
        elif disputed.parent and disputed.parent in earlier.actor_keys:
            named = 0.7
    l_speaker = later.protagonist
    same_side = float(
        l_speaker is not None
        and e_speaker is not None
        and actor_match(l_speaker, None, e_speaker.key, e_speaker.parent) >= 0.7
    )
    s1, s2 = _state(e_speaker), _state(l_speaker)
    opposing = float(s1 is not None and s2 is not None and s1 != s2)
    t1, t2 = earlier.terms, later.terms
    gap_days = max(0.0, (later.when - earlier.when) / 86400.0)
    f = [
        ctx.cos,
        ctx.cos - ctx.best_cos,
        1.0 / max(1, ctx.rank),
        match,
        named,
        same_side,
        opposing,
        _jaccard(earlier.families | earlier.actor_keys, later.families | later.actor_keys),
        float(_official(e_speaker)),
        _score(earlier, StatementKind.CLAIM),
        max(
            _score(earlier, k)
            for k in (StatementKind.DENIAL, StatementKind.RETRACTION, StatementKind.CORRECTION)
        ),
        earlier_sem.dispute,
        overlap(t1, t2),
        ctx.distinct,
        ctx.distinct - ctx.distinct_best_other,
        min(len(t1.names & t2.names), 4) / 4.0,
        min(len(t1.numbers & t2.numbers), 3) / 3.0,
        float(figure_conflict(t1.numbers, t2.numbers)),
        # "later_regulator": an authority whose findings judge others' statements
        float(l_speaker is not None and l_speaker.type in (ActorType.REGULATOR, ActorType.COURT)),
        math.log1p(gap_days),
        ctx.stance_disagree,
        ctx.contradiction,
        ctx.cos * max(match, named),
        ctx.cos * opposing,
        ctx.cos * ctx.contradiction,
        ctx.cos
        * same_side
        * max(later_self, _score(later, StatementKind.RETRACTION), _score(later, StatementKind.CORRECTION)),
    ]
    return np.asarray(f, dtype=np.float32)


__all__ = [
    "CueFlags",
    "cue_flags",
    "ITEM_FEATURES",
    "PAIR_FEATURES",
    "PairContext",
    "candidate_distinctness",
    "distinctive_overlaps",
    "Semantics",
    "item_features",
    "pair_features",
]
