"""One dispute per story: near-duplicate grouping and choosing which open dispute to join.

The same denial carried by ten outlets must become one dispute with ten evidence links; a
second denier (the Embassy after the President) joins the same dispute; two different
claims by the same actors in the same week stay two disputes. The actor decides *who*, and
the topical overlap between the new item and the dispute's terms decides *which story*.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from bot.detect.linking import Terms, fold, overlap

_SHINGLE_WORD = re.compile(r"\w+", re.UNICODE)
_NUM_PERM = 32
# Fixed masks so group keys are stable across processes and replicas.
_MASKS = np.array(
    [
        int.from_bytes(hashlib.blake2b(f"factbot-minhash-{i}".encode(), digest_size=8).digest(), "big")
        for i in range(_NUM_PERM)
    ],
    dtype=np.uint64,
)


def _shingles(text: str, k: int = 3) -> set[str]:
    words = _SHINGLE_WORD.findall(fold(text))
    if len(words) < k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def minhash(text: str) -> tuple[int, ...]:
    """A 32-value MinHash signature of the text's word 3-shingles (folded).

    One 64-bit hash per shingle, XOR-ed with 32 fixed masks (the usual cheap family of
    permutations), so a long article costs one hash per word, not thirty-two.
    """
    sh = _shingles(text)
    if not sh:
        return (0,) * _NUM_PERM
    hashes = np.fromiter(
        (int.from_bytes(hashlib.blake2b(x.encode(), digest_size=8).digest(), "big") for x in sh),
        dtype=np.uint64,
        count=len(sh),
    )
    return tuple(int(v) for v in (hashes[:, None] ^ _MASKS[None, :]).min(axis=0))


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of two MinHash signatures."""
    if not a or not b:
        return 0.0
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / len(a)


def group_key(text: str) -> str:
    """A short key shared by copies of the same text (wire copy republished by outlets).

    Uses the first four MinHash values: identical or near-identical texts share it; the
    evidence row keeps it so an alert can count outlets without counting the story twice.
    """
    sig = minhash(text)
    return hashlib.blake2b(repr(sig[:4]).encode(), digest_size=8).hexdigest()


def near_duplicate(a: str, b: str, threshold: float = 0.6) -> bool:
    """True when two texts are (nearly) the same copy."""
    return similarity(minhash(a), minhash(b)) >= threshold


@dataclass(frozen=True, slots=True)
class OpenDispute:
    """What grouping needs to know of a stored dispute."""

    id: int
    speaker_key: str | None
    speaker_name: str
    terms: Terms
    created_at: datetime
    newest_evidence_at: datetime | None
    claim_said_at: datetime | None
    denier_keys: frozenset[str] = frozenset()
    has_claim_item: bool = False  # False: built from one item that reports both sides


# A story continues when the new item shares at least this much topic with the dispute.
# Names and numbers weigh most, so two claims by the same actors about different things
# (a border incident and a trade tariff in the same week) stay apart.
JOIN_OVERLAP = 0.22


# Two bodies of one parent (a ministry's agencies) about the same thing within days.
SIBLING_DAYS = 3
SIBLING_OVERLAP = 0.1


@dataclass(frozen=True, slots=True)
class GroupChoice:
    """The dispute to join, with the overlap that chose it."""

    dispute: OpenDispute
    overlap: float


def choose_dispute(
    speaker_keys: frozenset[str],
    terms: Terms,
    when: datetime,
    disputes: Iterable[OpenDispute],
    window: timedelta,
    *,
    min_overlap: float = JOIN_OVERLAP,
    prefixes: frozenset[str] = frozenset(),
    siblings: frozenset[str] = frozenset(),
) -> GroupChoice | None:
    """The open dispute this statement continues: same speaker, same story, in the window.

    `speaker_keys` are the keys of whose claim is disputed (the denial's target, or the
    retracting speaker's side); `prefixes` widen that to the same state ('ng.'), with a
    higher bar on the topic. `siblings` are bodies under the same parent as the speaker (two
    agencies of one ministry): within SIBLING_DAYS of the dispute's claim they continue its
    story on a lower bar, since two outlets word one story about two offices very differently. The dispute's claim must not be later than the window allows
    in either direction: items arrive in any order.
    """
    best: GroupChoice | None = None
    for d in disputes:
        if d.speaker_key is None:
            continue
        bar = min_overlap
        anchor = d.claim_said_at or d.created_at
        if d.speaker_key not in speaker_keys:
            if d.speaker_key in siblings and abs(when - anchor) <= timedelta(days=SIBLING_DAYS):
                bar = SIBLING_OVERLAP
            elif not any(d.speaker_key.startswith(p) for p in prefixes):
                continue
            else:
                bar = min_overlap + 0.08  # the same state, another body: the topic must say more

        newest = d.newest_evidence_at or anchor
        if when < anchor - window or when > newest + window:
            continue
        o = overlap(terms, d.terms)
        if o < bar:
            continue
        if best is None or o > best.overlap:
            best = GroupChoice(d, o)
    return best
