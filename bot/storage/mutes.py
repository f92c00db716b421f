"""Muting a story for the whole desk, and unmuting it: the verdict, and a note in its thread.

A mute is a verdict (`set_verdict(..., "muted")`: status MUTED, no further alerts). Both a
mute and an unmute also queue a `muted` / `unmuted` outbox event for every destination the
story was posted to, so the thread says who did it; the event's `evidence_item_id` is the
feedback row, which the dispatcher reads back with `notice`. An unmute puts back the status
the story would have without the mute: its evidence and the other verdicts replayed in order.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage import schema as s
from bot.storage.disputes import announced_destinations, load_dispute, set_verdict, status_after
from bot.storage.outbox import enqueue
from bot.types import Dispute, DisputeStatus, EvidenceRole

__all__ = ["mute", "notice", "unmute"]

# Verdicts that set a status when the story is replayed; mutes are what an unmute undoes.
_REPLAYED = {"confirmed": DisputeStatus.CONFIRMED, "not_a_dispute": DisputeStatus.DISMISSED}


async def _announce(conn: AsyncConnection, dispute_id: int, event: str, now: datetime) -> None:
    feedback_id = (
        await conn.execute(select(func.max(s.feedback.c.id)).where(s.feedback.c.dispute_id == dispute_id))
    ).scalar_one()
    await enqueue(
        conn,
        dispute_id=dispute_id,
        event=event,
        destinations=sorted(await announced_destinations(conn, dispute_id)),
        evidence_item_id=int(feedback_id),
        now=now,
    )


async def mute(conn: AsyncConnection, dispute_id: int, user: str, platform: str, now: datetime) -> Dispute:
    """Mute the story and queue the note "Muted by ..." in its threads. The dispute after it."""
    dispute = await set_verdict(conn, dispute_id, "muted", user, platform, now)
    await _announce(conn, dispute_id, "muted", now)
    return dispute


async def _replayed_status(conn: AsyncConnection, dispute_id: int) -> tuple[DisputeStatus, str | None]:
    ev, fb = s.evidence, s.feedback
    steps: list[tuple[datetime, int, EvidenceRole | str]] = []
    for r in (
        await conn.execute(select(ev.c.added_at, ev.c.id, ev.c.role).where(ev.c.dispute_id == dispute_id))
    ).all():
        steps.append((r.added_at, 0, EvidenceRole(r.role)))
    q = select(fb.c.created_at, fb.c.id, fb.c.verdict).where(
        fb.c.dispute_id == dispute_id, fb.c.verdict.in_(list(_REPLAYED))
    )
    for r in (await conn.execute(q)).all():
        steps.append((r.created_at, 1, r.verdict))
    status, verdict = DisputeStatus.DISPUTED, None
    for _, _, step in sorted(steps, key=lambda t: (t[0], t[1])):
        if isinstance(step, EvidenceRole):
            status = status_after(status, step)
        else:
            status, verdict = _REPLAYED[step], step
    return status, verdict


async def unmute(conn: AsyncConnection, dispute_id: int, user: str, platform: str, now: datetime) -> Dispute:
    """Unmute the story (its status as if never muted) and queue "Unmuted by ..."; the dispute after it.

    Raises KeyError for an unknown dispute and ValueError if it is not muted.
    """
    dispute = await load_dispute(conn, dispute_id)
    if dispute.status is not DisputeStatus.MUTED:
        raise ValueError(f"dispute {dispute_id} is not muted")
    await conn.execute(
        insert(s.feedback).values(
            dispute_id=dispute_id, verdict="unmuted", user_id=user, platform=platform, created_at=now
        )
    )
    status, verdict = await _replayed_status(conn, dispute_id)
    await conn.execute(
        update(s.disputes)
        .where(s.disputes.c.id == dispute_id)
        .values(
            status=status.value,
            verdict=verdict,
            verdict_by=f"{platform}:{user}"[:100],
            verdict_at=now,
            updated_at=now,
        )
    )
    await _announce(conn, dispute_id, "unmuted", now)
    return await load_dispute(conn, dispute_id)


async def notice(conn: AsyncConnection, feedback_id: int | None) -> tuple[str, str, str] | None:
    """(action, user, platform) of the mute or unmute a `muted` / `unmuted` outbox event reports."""
    if feedback_id is None:
        return None
    fb = s.feedback
    r = (await conn.execute(select(fb).where(fb.c.id == feedback_id))).first()
    if r is None or r.verdict not in ("muted", "unmuted"):
        return None
    return r.verdict, r.user_id, r.platform
