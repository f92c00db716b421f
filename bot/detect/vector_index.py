"""An in-memory index of recent item vectors: the earlier items nearest in meaning to new ones.

Candidates for a link are searched only within the link window before the new item (30 days
by default), so the index holds just that window: the cost of a search follows how many items
the feeds carry in a month, not how many are stored. A search is one matrix product over the
window for a whole batch of new items (about 5 ms per 1,000 new items per 10,000 held on one
core), which is why no approximate index is needed at newsroom volumes; `benchmarks/detect.py`
prints the figures at 100k stored items.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Neighbour:
    """An earlier item near a query, with its cosine similarity."""

    item_id: int
    score: float


class VectorIndex:
    """Item vectors with the time each item was said; searches by cosine within a time range."""

    def __init__(self, dim: int, capacity: int = 1024) -> None:
        self.dim = dim
        self._ids = np.zeros(capacity, dtype=np.int64)
        self._times = np.zeros(capacity, dtype=np.float64)
        self._vecs = np.zeros((capacity, dim), dtype=np.float32)
        self._n = 0
        self._where: dict[int, int] = {}

    def __len__(self) -> int:
        return self._n

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._where

    def add(
        self, item_ids: Sequence[int] | np.ndarray, times: Sequence[float] | np.ndarray, vectors: np.ndarray
    ) -> None:
        """Add (or replace) vectors; `times` are POSIX seconds of when each item was said."""
        for item_id, t, v in zip(item_ids, times, vectors, strict=True):
            row = self._where.get(int(item_id))
            if row is None:
                if self._n == len(self._ids):
                    self._grow()
                row = self._n
                self._n += 1
                self._where[int(item_id)] = row
                self._ids[row] = int(item_id)
            self._times[row] = float(t)
            self._vecs[row] = v

    def vector(self, item_id: int) -> np.ndarray | None:
        """The stored vector of an item, if held."""
        row = self._where.get(int(item_id))
        return None if row is None else self._vecs[row]

    def search(
        self,
        queries: np.ndarray,
        since: Sequence[float] | np.ndarray,
        until: Sequence[float] | np.ndarray,
        k: int,
        exclude: Sequence[int] = (),
    ) -> list[list[Neighbour]]:
        """For each query row: the `k` nearest items said within [since, until], best first."""
        if self._n == 0 or len(queries) == 0:
            return [[] for _ in range(len(queries))]
        vecs, times, ids = self._vecs[: self._n], self._times[: self._n], self._ids[: self._n]
        lo, hi = np.asarray(since, dtype=np.float64), np.asarray(until, dtype=np.float64)
        # Rows outside every query's range are dropped before the product.
        rows = np.nonzero((times >= lo.min()) & (times <= hi.max()))[0]
        out: list[list[Neighbour]] = [[] for _ in range(len(queries))]
        if rows.size == 0:
            return out
        scores = vecs[rows] @ np.asarray(queries, dtype=np.float32).T  # (rows, queries)
        t = times[rows][:, None]
        scores[(t < lo[None, :]) | (t > hi[None, :])] = -np.inf
        if exclude:
            scores[np.isin(ids[rows], np.asarray(exclude, dtype=np.int64))] = -np.inf
        kk = min(k, rows.size)
        for j in range(scores.shape[1]):
            col = scores[:, j]
            top = np.argpartition(-col, kk - 1)[:kk] if kk < rows.size else np.arange(rows.size)
            top = top[np.argsort(-col[top], kind="stable")]
            out[j] = [Neighbour(int(ids[rows[r]]), float(col[r])) for r in top if np.isfinite(col[r])]
        return out

    def prune(self, before: float) -> int:
        """Drop items said before `before` (POSIX seconds); how many were dropped."""
        keep = np.nonzero(self._times[: self._n] >= before)[0]
        dropped = self._n - keep.size
        if dropped:
            self._ids[: keep.size] = self._ids[keep]
            self._times[: keep.size] = self._times[keep]
            self._vecs[: keep.size] = self._vecs[keep]
            self._n = keep.size
            self._where = {int(i): r for r, i in enumerate(self._ids[: self._n])}
        return dropped

    def _grow(self) -> None:
        cap = len(self._ids) * 2
        self._ids = np.resize(self._ids, cap)
        self._times = np.resize(self._times, cap)
        vecs = np.zeros((cap, self.dim), dtype=np.float32)
        vecs[: self._n] = self._vecs[: self._n]
        self._vecs = vecs


__all__ = ["Neighbour", "VectorIndex"]
