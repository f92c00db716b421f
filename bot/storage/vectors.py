"""Stored sentence vectors of items (`item_vectors`), written by the detector's encoder.

Vectors are kept as float16 bytes (1 KB for 512 dimensions): half the room of float32, and
the cosine of unit vectors changes by less than 0.001. Rows are read back in the order they
were written (`seq`), so each replica's in-memory index can catch up with what the others
encoded without reading everything again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage import schema as s

_DTYPE = np.dtype("<f2")


@dataclass(frozen=True, slots=True)
class StoredVectors:
    """A batch of stored vectors, in write order."""

    seq: np.ndarray  # int64
    item_ids: np.ndarray  # int64
    said_at: np.ndarray  # float64 POSIX seconds
    vectors: np.ndarray  # float32 (n, dim)

    def __len__(self) -> int:
        return int(self.item_ids.shape[0])


def to_bytes(vector: np.ndarray) -> bytes:
    """One vector as stored (float16, little-endian)."""
    return np.asarray(vector, dtype=_DTYPE).tobytes()


def from_bytes(raw: bytes) -> np.ndarray:
    """A stored vector back as float32."""
    return np.frombuffer(raw, dtype=_DTYPE).astype(np.float32)


async def save_vectors(
    conn: AsyncConnection,
    rows: Sequence[tuple[int, datetime, np.ndarray]],
    model: str,
) -> None:
    """Store (item id, said at, vector) rows; an item's old vector (an edited item) is replaced."""
    if not rows:
        return
    ids = [int(i) for i, _, _ in rows]
    await conn.execute(delete(s.item_vectors).where(s.item_vectors.c.item_id.in_(ids)))
    await conn.execute(
        insert(s.item_vectors),
        [{"item_id": int(i), "said_at": when, "model": model, "vector": to_bytes(v)} for i, when, v in rows],
    )


async def load_vectors(
    conn: AsyncConnection,
    *,
    model: str,
    since: datetime | None = None,
    after_seq: int = 0,
    item_ids: Sequence[int] | None = None,
    dim: int,
    limit: int | None = None,
) -> StoredVectors:
    """Vectors written after `after_seq` (and said at or after `since`), in write order."""
    v = s.item_vectors.c
    q = select(v.seq, v.item_id, v.said_at, v.vector).where(v.model == model, v.seq > after_seq)
    if since is not None:
        q = q.where(v.said_at >= since)
    if item_ids is not None:
        q = q.where(v.item_id.in_([int(i) for i in item_ids]))
    q = q.order_by(v.seq)
    if limit is not None:
        q = q.limit(limit)
    rows = (await conn.execute(q)).all()
    n = len(rows)
    vectors = np.zeros((n, dim), dtype=np.float32)
    for k, r in enumerate(rows):
        vectors[k] = from_bytes(r.vector)
    return StoredVectors(
        seq=np.fromiter((int(r.seq) for r in rows), dtype=np.int64, count=n),
        item_ids=np.fromiter((int(r.item_id) for r in rows), dtype=np.int64, count=n),
        said_at=np.fromiter((r.said_at.timestamp() for r in rows), dtype=np.float64, count=n),
        vectors=vectors,
    )


__all__ = ["StoredVectors", "from_bytes", "load_vectors", "save_vectors", "to_bytes"]
