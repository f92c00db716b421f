"""Read-only queries behind the pages. Each page costs a handful of indexed queries, whatever
the number of stored items (see benchmarks/pages.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage import schema as s
from bot.storage.disputes import load_disputes
from bot.storage.feeds import row_to_feed
from bot.types import Dispute, Feed

__all__ = [
    "STATUSES",
    "DeliveryRow",
    "EvidenceDetail",
    "FeedbackRow",
    "FeedRow",
    "dispute_details",
    "disputes_page",
    "feeds_page",
]

STATUSES = ("disputed", "retracted", "corrected", "confirmed", "dismissed", "muted")


async def disputes_page(
    conn: AsyncConnection, *, status: str | None, before: tuple[datetime, int] | None, limit: int
) -> tuple[list[Dispute], tuple[datetime, int] | None]:
    """Disputes, most recently updated first, optionally of one status (default: all but dismissed);
    keyset pagination: `before` is the (updated_at, id) of the last row of the previous page."""
    d = s.disputes
    q = select(d.c.id, d.c.updated_at).order_by(d.c.updated_at.desc(), d.c.id.desc()).limit(limit + 1)
    q = q.where(d.c.status == status) if status else q.where(d.c.status != "dismissed")
    if before is not None:
        when, last_id = before
        q = q.where(or_(d.c.updated_at < when, and_(d.c.updated_at == when, d.c.id < last_id)))
    rows = (await conn.execute(q)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    found = await load_disputes(conn, [int(r.id) for r in rows])
    cursor = (rows[-1].updated_at, int(rows[-1].id)) if more and rows else None
    return found, cursor


@dataclass(frozen=True, slots=True)
class EvidenceDetail:
    """What the timeline shows of one piece of evidence beyond the alert: why it was linked."""

    item_id: int
    score: float
    reasons: tuple[str, ...]
    cue: str | None
    kind: str | None
    added_at: datetime | None


@dataclass(frozen=True, slots=True)
class FeedbackRow:
    verdict: str
    user: str
    platform: str
    at: datetime


@dataclass(frozen=True, slots=True)
class DeliveryRow:
    destination: str
    event: str
    status: str
    item_id: int | None
    sent_at: datetime | None
    error: str | None


async def dispute_details(
    conn: AsyncConnection, dispute_id: int
) -> tuple[dict[int, EvidenceDetail], list[FeedbackRow], list[DeliveryRow]]:
    """Evidence scores and reasons by item, feedback given, and delivery per destination."""
    ev, st = s.evidence, s.statements
    rows = (
        await conn.execute(
            select(ev.c.item_id, ev.c.score, ev.c.reasons, ev.c.added_at, st.c.cue, st.c.kind)
            .select_from(ev.outerjoin(st, st.c.id == ev.c.statement_id))
            .where(ev.c.dispute_id == dispute_id)
        )
    ).all()
    details = {
        int(r.item_id): EvidenceDetail(
            item_id=int(r.item_id),
            score=float(r.score or 0.0),
            reasons=tuple(r.reasons or ()),
            cue=r.cue,
            kind=r.kind,
            added_at=r.added_at,
        )
        for r in rows
    }
    fb = s.feedback
    feedback = [
        FeedbackRow(r.verdict, r.user_id, r.platform, r.created_at)
        for r in (
            await conn.execute(
                select(fb).where(fb.c.dispute_id == dispute_id).order_by(fb.c.created_at, fb.c.id)
            )
        ).all()
    ]
    o = s.outbox
    delivery = [
        DeliveryRow(r.destination, r.event, r.status, r.evidence_item_id, r.sent_at, r.last_error)
        for r in (await conn.execute(select(o).where(o.c.dispute_id == dispute_id).order_by(o.c.id))).all()
    ]
    return details, feedback, delivery


@dataclass(frozen=True, slots=True)
class FeedRow:
    feed: Feed
    items: int
    last_success_at: datetime | None


async def feeds_page(conn: AsyncConnection, *, offset: int, limit: int) -> tuple[list[FeedRow], int]:
    """A page of feeds (by id) with their item counts, and how many feeds there are."""
    f, it = s.feeds, s.items
    total = int((await conn.execute(select(func.count()).select_from(f))).scalar_one())
    rows = (await conn.execute(select(f).order_by(f.c.id).offset(offset).limit(limit))).all()
    ids = [int(r.id) for r in rows]
    counts: dict[int, int] = {}
    if ids:
        counts = {
            int(r[0]): int(r[1])
            for r in (
                await conn.execute(
                    select(it.c.feed_id, func.count()).where(it.c.feed_id.in_(ids)).group_by(it.c.feed_id)
                )
            ).all()
        }
    return [FeedRow(row_to_feed(r), counts.get(int(r.id), 0), r.last_success_at) for r in rows], total
