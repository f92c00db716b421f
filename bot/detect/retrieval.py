"""Finding candidates in the running bot: the vector index of the search windows, and the database.

`Retriever` keeps the in-memory `VectorIndex` filled from `item_vectors` (what this process
and other replicas encoded), answers the meaning search for a batch of new items (including
earlier items of the same batch, so an item never sees one analysed after it), and asks the
database for earlier statements by the actor an item disputes (`candidates.actor_search_keys`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.detect.candidates import ACTOR_KINDS, LINK_K, SLACK, actor_search_keys, meaning_window, window
from bot.detect.reading import Reading
from bot.detect.vector_index import Neighbour, VectorIndex
from bot.storage import disputes as store
from bot.storage.db import Database
from bot.storage.vectors import load_vectors


class Retriever:
    """The vectors of the longest meaning search (the link or the finding window) in memory,
    kept in step with the database."""

    def __init__(
        self,
        db: Database,
        model: str,
        dim: int,
        link_days: int,
        retraction_days: int,
        finding_days: int,
    ) -> None:
        self.db = db
        self.model = model
        self.index = VectorIndex(dim)
        self.link = timedelta(days=link_days)
        self.link_days, self.retraction_days, self.finding_days = link_days, retraction_days, finding_days
        # how far back the meaning search may look for any item (`candidates.meaning_window`)
        self.reach = timedelta(days=max(link_days, finding_days))
        self._seq = 0
        self._since: datetime | None = None

    def window_of(self, reading: Reading) -> timedelta:
        """How far back the meaning search looks for this item."""
        return meaning_window(reading, self.link_days, self.finding_days)

    async def refresh(self, oldest: datetime) -> None:
        """Load the vectors written since the last look (all of the window the first time)."""
        since = oldest - self.reach - SLACK
        if self._since is None or since < self._since:
            self._since, self._seq = since, 0  # (re)load from the start of the window
        async with self.db.connect() as conn:
            while True:
                got = await load_vectors(
                    conn,
                    model=self.model,
                    since=self._since,
                    after_seq=self._seq,
                    dim=self.index.dim,
                    limit=20000,
                )
                if not len(got):
                    break
                self.index.add(got.item_ids, got.said_at, got.vectors)
                self._seq = int(got.seq[-1])

    def neighbours(
        self,
        ids: Sequence[int],
        times: Sequence[float],
        vectors: np.ndarray,
        windows: Sequence[timedelta],
    ) -> list[list[Neighbour]]:
        """For each new item (in analysis order): its nearest earlier items within its window
        (`windows`, one per item: `window_of`).

        Items of the same batch count as earlier only when analysed before it.
        """
        t = np.asarray(times, dtype=np.float64)
        back = np.array([w.total_seconds() for w in windows], dtype=np.float64)
        lo, hi = t - back, t + SLACK.total_seconds()
        found: list[list[Neighbour]] = [[] for _ in ids]
        # One search per window length: the product covers the widest range of the queries it
        # serves, so the few items that look back months are searched apart from the others.
        for length in np.unique(back):
            rows = np.nonzero(back == length)[0]
            got = self.index.search(vectors[rows], lo[rows], hi[rows], LINK_K, exclude=list(ids))
            for r, nb in zip(rows, got, strict=True):
                found[int(r)] = nb
        if len(ids) > 1:
            sims = vectors @ vectors.T
            for j in range(1, len(ids)):
                inside = np.nonzero((t[:j] >= lo[j]) & (t[:j] <= hi[j]))[0]
                if inside.size:
                    # Only the LINK_K best of the batch can make the cut (a stable sort keeps
                    # ties in batch order, as sorting them all would).
                    best = inside[np.argsort(-sims[inside, j], kind="stable")[:LINK_K]]
                    extra = [Neighbour(int(ids[i]), float(sims[i, j])) for i in best]
                    found[j] = sorted(found[j] + extra, key=lambda n: -n.score)[:LINK_K]
        return found

    def later_neighbours(self, item_id: int, when: float, vector: np.ndarray) -> list[Neighbour]:
        """Items said after this one (within the link window) nearest in meaning: where a claim
        that arrives late finds the dispute that reported its denial first."""
        link_s, slack_s = self.link.total_seconds(), SLACK.total_seconds()
        return self.index.search(
            vector[None, :], [when - slack_s], [when + link_s], LINK_K, exclude=[item_id]
        )[0]

    async def by_actor(
        self, conn: AsyncConnection, reading: Reading, vector: np.ndarray
    ) -> list[tuple[int, float]]:
        """Earlier statements by the actor the item disputes, as (item id, cosine)."""
        keys = actor_search_keys(reading)
        if not keys:
            return []
        when = reading.item.when
        span = window(reading, self.link_days, self.retraction_days)
        rows = await store.claim_candidates(
            conn,
            keys,
            when - span,
            when + SLACK,
            exclude_item_id=reading.item.id,
            kinds=ACTOR_KINDS,
            limit=40,
        )
        ids = list(dict.fromkeys(r.item_id for r in rows))
        vecs = await self.vectors(conn, ids)
        return [(i, float(vecs[i] @ vector)) for i in ids if i in vecs]

    async def vectors(self, conn: AsyncConnection, ids: Sequence[int]) -> dict[int, np.ndarray]:
        """Vectors of items, from the index or else the database."""
        out: dict[int, np.ndarray] = {}
        missing = []
        for i in ids:
            v = self.index.vector(i)
            if v is None:
                missing.append(i)
            else:
                out[i] = v
        if missing:
            got = await load_vectors(conn, model=self.model, item_ids=missing, dim=self.index.dim)
            out.update({int(i): v for i, v in zip(got.item_ids, got.vectors, strict=True)})
        return out

    def add(self, ids: Sequence[int], times: Sequence[float], vectors: np.ndarray) -> None:
        """Analysed items become candidates for later ones; the window's far end is dropped."""
        self.index.add(ids, times, vectors)
        if len(times):
            keep = max(self.link * 4, self.reach) + SLACK
            self.index.prune(max(times) - keep.total_seconds())


__all__ = ["Retriever"]
