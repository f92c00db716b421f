"""Near-duplicate copies: the same wire text carried by several outlets shares a group key.

Evidence rows keep the key, so an alert can count outlets without counting one story twice.
Which story an item belongs to is decided by meaning (`threads.py`); this is only about copies.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from bot.text import fold

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


__all__ = ["group_key", "minhash", "near_duplicate", "similarity"]
