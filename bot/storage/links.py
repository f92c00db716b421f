"""The detector's per-item reading (`item_links`): which earlier item an item answers, how likely.

Written for every analysed item, alerted or not, so that a later, stronger item can find its
story's claim through a weaker one that came before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage import schema as s


@dataclass(frozen=True, slots=True)
class ItemLink:
    """One analysed item's best reading."""

    item_id: int
    earlier_item_id: int | None
    label: str
    p: float
    alone_p: float


async def save_links(conn: AsyncConnection, links: Sequence[ItemLink], now: datetime) -> None:
    """Store (or replace, for an edited item) the readings of analysed items."""
    if not links:
        return
    await conn.execute(delete(s.item_links).where(s.item_links.c.item_id.in_([x.item_id for x in links])))
    await conn.execute(
        insert(s.item_links),
        [
            {
                "item_id": x.item_id,
                "earlier_item_id": x.earlier_item_id,
                "label": x.label,
                "p": x.p,
                "alone_p": x.alone_p,
                "decided_at": now,
            }
            for x in links
        ],
    )


async def get_link(conn: AsyncConnection, item_id: int) -> ItemLink | None:
    """The stored reading of one item, if it was analysed."""
    c = s.item_links.c
    r = (
        await conn.execute(
            select(c.item_id, c.earlier_item_id, c.label, c.p, c.alone_p).where(c.item_id == item_id)
        )
    ).first()
    if r is None:
        return None
    return ItemLink(
        int(r.item_id),
        None if r.earlier_item_id is None else int(r.earlier_item_id),
        r.label,
        float(r.p),
        float(r.alone_p),
    )


__all__ = ["ItemLink", "get_link", "save_links"]
