"""The alert outbox: one row per dispute x destination x event, delivered exactly once in effect.

Rows are written by the detector (`enqueue`, inside the transaction that changes the
dispute) and worked by `bot.alerts.dispatcher`. Life of a row:

    pending --claim--> (pending, leased) --mark_sending--> sending --mark_sent--> sent
                                                             |--> pending (retry, backoff)
                                                             |--> dead (bad payload, or failing
                                                                  longer than give_up_after)
    pending --> skipped (dispute dismissed or muted)
    dead --revive_dead--> pending (`factbot outbox retry`, `/factbot resume`)

A lease (`claimed_by`, `claimed_until`) keeps two dispatchers off the same row. `claimed_by`
is an owner of `bot.storage.owners`: when that process dies its claims are freed at once
(`owners.reap`), and `claimed_until` is the backstop. A row left in `sending` by a crash is
claimable again then, and the dispatcher asks the platform whether the message went out
before sending again.

Also here: the `threads` table (where a dispute's parent message lives per destination) and
the `destinations` table (pause state, whether the admin was told, pacing / Retry-After).
All functions take the connection of an open transaction; the caller decides when to commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage import schema as s
from bot.storage.db import dialect_insert

__all__ = [
    "EVENTS",
    "DestinationState",
    "OutboxRow",
    "ThreadRef",
    "backoff_s",
    "claim",
    "counts_by_status",
    "destination_failed",
    "destination_ok",
    "destination_state",
    "give_up_waiting",
    "list_rows",
    "enqueue",
    "get_row",
    "get_row_by_key",
    "get_thread",
    "idempotency_key",
    "mark_admin_notified",
    "mark_dead",
    "mark_outage_notified",
    "mark_sending",
    "mark_sent",
    "mark_skipped",
    "pause_destination",
    "paused_destinations",
    "pending_count",
    "release",
    "resume_destination",
    "revive_dead",
    "row_status",
    "save_thread",
    "set_next_send_at",
    "next_due",
]

# new_dispute: the parent; new_evidence / status_change: replies + parent refresh;
# refresh: only the parent refresh (queued by the dispatcher when an edit failed);
# muted / unmuted: who did it, as a reply (`evidence_item_id` holds the feedback row's id).
EVENTS = ("new_dispute", "new_evidence", "status_change", "refresh", "muted", "unmuted")
_OPEN = ("pending", "sending")


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """One alert event for one destination, as the dispatcher works it."""

    id: int
    idempotency_key: str
    dispute_id: int
    destination: str
    event: str
    evidence_item_id: int | None
    status: str
    attempts: int
    next_attempt_at: datetime
    claimed_by: str | None = None
    claimed_until: datetime | None = None
    last_error: str | None = None
    message_ref: str | None = None
    created_at: datetime | None = None
    sent_at: datetime | None = None
    first_failed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ThreadRef:
    """Where a dispute's parent alert lives on one destination."""

    dispute_id: int
    destination: str
    parent_ref: str  # Slack ts / Discord message id
    thread_ref: str | None = None  # Discord thread channel id


@dataclass(frozen=True, slots=True)
class DestinationState:
    """A destination's delivery state; a destination never seen is active and unpaced."""

    name: str
    paused: bool = False
    paused_reason: str | None = None
    paused_at: datetime | None = None
    admin_notified: bool = False
    next_send_at: datetime | None = None
    failures: int = 0  # consecutive transient failures (an outage when it keeps growing)
    failing_since: datetime | None = None
    outage_notified: bool = False


def idempotency_key(
    destination: str, dispute_id: int, event: str, evidence_item_id: int | None = None
) -> str:
    """The unique key of one alert event on one destination (format shared with the adapters)."""
    return f"{destination}|{dispute_id}|{event}|{evidence_item_id or ''}"


def backoff_s(attempts: int, *, base: float = 10.0, cap: float = 600.0) -> float:
    """Seconds to wait after the `attempts`-th failure: base, 2*base, 4*base, ... up to `cap`."""
    return float(min(cap, base * (2 ** max(attempts - 1, 0))))


async def enqueue(
    conn: AsyncConnection,
    *,
    dispute_id: int,
    event: str,
    destinations: Sequence[str],
    evidence_item_id: int | None = None,
    now: datetime,
) -> int:
    """Queue `event` of a dispute for each destination; how many rows were new.

    Call it in the transaction that changes the dispute. A key that is already queued (or
    sent) is left alone (`ON CONFLICT DO NOTHING`), so replays and re-analysis never alert twice.
    """
    if event not in EVENTS:
        raise ValueError(f"unknown outbox event {event!r}; expected one of {', '.join(EVENTS)}")
    added = 0
    for dest in dict.fromkeys(destinations):
        stmt = (
            dialect_insert(conn)(s.outbox)
            .values(
                idempotency_key=idempotency_key(dest, dispute_id, event, evidence_item_id),
                dispute_id=dispute_id,
                destination=dest,
                event=event,
                evidence_item_id=evidence_item_id,
                status="pending",
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
            .on_conflict_do_nothing(index_elements=["idempotency_key"])
        )
        res = await conn.execute(stmt)
        added += max(res.rowcount or 0, 0)
    return added


def _row(r: object) -> OutboxRow:
    m = r._mapping  # type: ignore[attr-defined]
    return OutboxRow(
        id=int(m["id"]),
        idempotency_key=m["idempotency_key"],
        dispute_id=int(m["dispute_id"]),
        destination=m["destination"],
        event=m["event"],
        evidence_item_id=m["evidence_item_id"],
        status=m["status"],
        attempts=int(m["attempts"]),
        next_attempt_at=m["next_attempt_at"],
        claimed_by=m["claimed_by"],
        claimed_until=m["claimed_until"],
        last_error=m["last_error"],
        message_ref=m["message_ref"],
        created_at=m["created_at"],
        sent_at=m["sent_at"],
        first_failed_at=m["first_failed_at"],
    )


async def claim(
    conn: AsyncConnection,
    *,
    owner: str,
    now: datetime,
    limit: int = 100,
    lease_s: float = 120.0,
    destinations: Sequence[str] | None = None,
    per_destination: int | None = None,
) -> list[OutboxRow]:
    """Lease up to `limit` due rows to `owner`, earliest due first; paused destinations are left out.

    Due: `pending` with `next_attempt_at <= now` and no live lease, or `sending` whose lease
    ran out (its dispatcher died mid-send). With `per_destination`, at most that many rows of
    one destination, taken round-robin: a backlog for one channel (paced at ~1 message a
    second) does not fill the claim while the other channels wait. PostgreSQL skips rows
    other replicas hold (`FOR UPDATE SKIP LOCKED`); SQLite has one writer at a time anyway.
    """
    o = s.outbox
    paused = select(s.destinations.c.name).where(s.destinations.c.paused.is_(True))
    lease_free = or_(o.c.claimed_until.is_(None), o.c.claimed_until <= now)
    due = [
        or_(and_(o.c.status == "pending", o.c.next_attempt_at <= now), o.c.status == "sending"),
        lease_free,
        o.c.destination.not_in(paused),
    ]
    if destinations is not None:
        due.append(o.c.destination.in_(list(destinations)))
    # Due order, not id order: a row retried after a failure goes behind fresh ones, so a
    # message that alone keeps failing does not stand in front of a destination's queue.
    order = (o.c.next_attempt_at, o.c.id)
    if per_destination is None:
        q = select(o).where(*due).order_by(*order).limit(limit)
    else:
        rank = func.row_number().over(partition_by=o.c.destination, order_by=order).label("rank")
        ranked = select(o.c.id, o.c.next_attempt_at, rank).where(*due).subquery()
        picked = (
            select(ranked.c.id)
            .where(ranked.c.rank <= per_destination)
            .order_by(ranked.c.rank, ranked.c.next_attempt_at, ranked.c.id)
            .limit(limit)
        )
        ids = [int(r[0]) for r in (await conn.execute(picked)).all()]
        if not ids:
            return []
        # The pick had no locks (window functions cannot take them): check and lock again.
        q = select(o).where(o.c.id.in_(ids), *due).order_by(*order)
    if conn.dialect.name == "postgresql":
        q = q.with_for_update(skip_locked=True, of=o)
    rows = [_row(r) for r in (await conn.execute(q)).all()]
    if not rows:
        return []
    until = now + timedelta(seconds=lease_s)
    await conn.execute(
        update(o).where(o.c.id.in_([r.id for r in rows])).values(claimed_by=owner, claimed_until=until)
    )
    return [replace(r, claimed_by=owner, claimed_until=until) for r in rows]


async def get_row(conn: AsyncConnection, row_id: int) -> OutboxRow | None:
    """One outbox row by id."""
    r = (await conn.execute(select(s.outbox).where(s.outbox.c.id == row_id))).first()
    return _row(r) if r is not None else None


async def get_row_by_key(conn: AsyncConnection, key: str) -> OutboxRow | None:
    """One outbox row by its idempotency key."""
    r = (await conn.execute(select(s.outbox).where(s.outbox.c.idempotency_key == key))).first()
    return _row(r) if r is not None else None


async def row_status(conn: AsyncConnection, dispute_id: int, destination: str, event: str) -> list[str]:
    """Statuses of the rows of one event kind for a dispute on a destination."""
    o = s.outbox
    rows = await conn.execute(
        select(o.c.status).where(
            o.c.dispute_id == dispute_id, o.c.destination == destination, o.c.event == event
        )
    )
    return [r[0] for r in rows]


async def mark_sending(
    conn: AsyncConnection, row_id: int, *, owner: str, now: datetime, lease_s: float
) -> bool:
    """Mark a leased row `sending` (commit before calling the platform). False if the lease was lost.

    It also counts as the owner's heartbeat: a send starts only right after one, so a reaper
    that finds the owner silent knows its last send has ended (sends are time-bounded).
    """
    o = s.outbox
    await conn.execute(update(s.owners).where(s.owners.c.id == owner).values(heartbeat_at=now))
    res = await conn.execute(
        update(o)
        .where(o.c.id == row_id, o.c.claimed_by == owner, o.c.status.in_(_OPEN))
        .values(
            status="sending",
            attempts=o.c.attempts + 1,
            claimed_until=now + timedelta(seconds=lease_s),
        )
    )
    return (res.rowcount or 0) == 1


async def mark_sent(conn: AsyncConnection, row_id: int, *, message_ref: str, now: datetime) -> None:
    """Record a delivered row and the platform's reference to the message."""
    o = s.outbox
    await conn.execute(
        update(o)
        .where(o.c.id == row_id)
        .values(
            status="sent",
            message_ref=message_ref[:200],
            sent_at=now,
            claimed_by=None,
            claimed_until=None,
            last_error=None,
        )
    )


async def release(
    conn: AsyncConnection,
    row_id: int,
    *,
    next_attempt_at: datetime | None = None,
    error: str | None = None,
    undo_attempt: bool = False,
    failed_at: datetime | None = None,
) -> None:
    """Give a row back to `pending` (retry later, wait for its parent, paused destination).

    `undo_attempt` takes back the attempt `mark_sending` counted when the failure was not the
    message's fault (a paused channel, a rate limit). `failed_at` records a transient failure:
    the first one starts the row's `give_up_after` clock.
    """
    o = s.outbox
    values: dict[str, object] = {"status": "pending", "claimed_by": None, "claimed_until": None}
    if next_attempt_at is not None:
        values["next_attempt_at"] = next_attempt_at
    if error is not None:
        values["last_error"] = error[:2000]
    if failed_at is not None:
        values["first_failed_at"] = func.coalesce(o.c.first_failed_at, failed_at)
    if undo_attempt:
        values["attempts"] = (
            func.max(o.c.attempts - 1, 0)
            if conn.dialect.name == "sqlite"
            else func.greatest(o.c.attempts - 1, 0)
        )
    await conn.execute(update(o).where(o.c.id == row_id, o.c.status.in_(_OPEN)).values(**values))


async def mark_dead(conn: AsyncConnection, row_id: int, *, error: str) -> None:
    """Give up on a row (refused payload, too many attempts); it stays for inspection."""
    o = s.outbox
    await conn.execute(
        update(o)
        .where(o.c.id == row_id)
        .values(status="dead", last_error=error[:2000], claimed_by=None, claimed_until=None)
    )


async def give_up_waiting(conn: AsyncConnection, destination: str, *, owner: str, error: str) -> int:
    """Mark dead every pending row of a destination that no other dispatcher holds; how many.

    Used when a destination has failed for longer than `give_up_after`: everything queued for
    it waited through the whole outage. `revive_dead` brings the rows back.
    """
    o = s.outbox
    res = await conn.execute(
        update(o)
        .where(
            o.c.destination == destination,
            o.c.status == "pending",
            or_(o.c.claimed_by.is_(None), o.c.claimed_by == owner),
        )
        .values(status="dead", last_error=error[:2000])
    )
    return max(res.rowcount or 0, 0)


async def revive_dead(
    conn: AsyncConnection,
    *,
    now: datetime,
    ids: Sequence[int] | None = None,
    destination: str | None = None,
) -> int:
    """Queue dead rows again (all, these ids, or one destination's), as if new; how many.

    Their destinations start afresh too: a revived alert gets the whole `give_up_after` again
    instead of dying on its first failure because the old outage began long ago.
    """
    o, d = s.outbox, s.destinations
    cond = [o.c.status == "dead"]
    if ids is not None:
        cond.append(o.c.id.in_(list(ids)))
    if destination is not None:
        cond.append(o.c.destination == destination)
    names = (await conn.execute(select(o.c.destination).where(*cond).distinct())).scalars().all()
    if not names:
        return 0
    res = await conn.execute(
        update(o)
        .where(*cond)
        .values(
            status="pending",
            attempts=0,
            next_attempt_at=now,
            first_failed_at=None,
            claimed_by=None,
            claimed_until=None,
        )
    )
    await conn.execute(
        update(d).where(d.c.name.in_(names)).values(failures=0, failing_since=None, outage_notified=False)
    )
    return max(res.rowcount or 0, 0)


async def list_rows(
    conn: AsyncConnection,
    *,
    statuses: Sequence[str] | None = None,
    destination: str | None = None,
    limit: int = 50,
) -> list[OutboxRow]:
    """Outbox rows, newest first, optionally of some statuses and one destination."""
    o = s.outbox
    q = select(o).order_by(o.c.id.desc()).limit(limit)
    if statuses:
        q = q.where(o.c.status.in_(list(statuses)))
    if destination is not None:
        q = q.where(o.c.destination == destination)
    return [_row(r) for r in (await conn.execute(q)).all()]


async def mark_skipped(conn: AsyncConnection, row_id: int, *, reason: str) -> None:
    """Do not send a row (dispute dismissed/muted or gone, superseded); the reason is kept."""
    o = s.outbox
    await conn.execute(
        update(o)
        .where(o.c.id == row_id)
        .values(status="skipped", last_error=reason[:2000], claimed_by=None, claimed_until=None)
    )


async def pending_count(conn: AsyncConnection) -> int:
    """Rows not delivered yet (`pending` or `sending`)."""
    o = s.outbox
    return int(
        (await conn.execute(select(func.count()).select_from(o).where(o.c.status.in_(_OPEN)))).scalar_one()
    )


async def counts_by_status(conn: AsyncConnection) -> dict[str, int]:
    """How many rows are in each status."""
    o = s.outbox
    rows = await conn.execute(select(o.c.status, func.count()).group_by(o.c.status))
    return {r[0]: int(r[1]) for r in rows}


async def next_due(conn: AsyncConnection) -> datetime | None:
    """When the earliest pending row on an active destination becomes due (None: nothing waits)."""
    o = s.outbox
    paused = select(s.destinations.c.name).where(s.destinations.c.paused.is_(True))
    q = select(func.min(o.c.next_attempt_at)).where(o.c.status.in_(_OPEN), o.c.destination.not_in(paused))
    value = (await conn.execute(q)).scalar_one()
    if isinstance(value, str):  # SQLite may hand back an aggregate's raw text
        return s.UtcDateTime().process_result_value(value, conn.dialect)
    return value


# --- threads ----------------------------------------------------------------------------


async def get_thread(conn: AsyncConnection, dispute_id: int, destination: str) -> ThreadRef | None:
    """The recorded parent of a dispute on a destination, if it was posted."""
    t = s.threads
    r = (
        await conn.execute(select(t).where(t.c.dispute_id == dispute_id, t.c.destination == destination))
    ).first()
    if r is None:
        return None
    return ThreadRef(
        dispute_id=dispute_id, destination=destination, parent_ref=r.parent_ref, thread_ref=r.thread_ref
    )


async def save_thread(
    conn: AsyncConnection,
    dispute_id: int,
    destination: str,
    parent_ref: str,
    thread_ref: str | None,
    now: datetime,
) -> None:
    """Record where a dispute's parent lives (the first record wins)."""
    stmt = (
        dialect_insert(conn)(s.threads)
        .values(
            dispute_id=dispute_id,
            destination=destination,
            parent_ref=parent_ref,
            thread_ref=thread_ref,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["dispute_id", "destination"])
    )
    await conn.execute(stmt)


# --- destinations -----------------------------------------------------------------------


async def destination_state(conn: AsyncConnection, name: str) -> DestinationState:
    """A destination's pause and pacing state."""
    d = s.destinations
    r = (await conn.execute(select(d).where(d.c.name == name))).first()
    if r is None:
        return DestinationState(name=name)
    return DestinationState(
        name=name,
        paused=bool(r.paused),
        paused_reason=r.paused_reason,
        paused_at=r.paused_at,
        admin_notified=bool(r.admin_notified),
        next_send_at=r.next_send_at,
        failures=int(r.failures or 0),
        failing_since=r.failing_since,
        outage_notified=bool(r.outage_notified),
    )


async def _ensure_destination(conn: AsyncConnection, name: str) -> None:
    stmt = (
        dialect_insert(conn)(s.destinations)
        .values(name=name, paused=False, admin_notified=False, failures=0, outage_notified=False)
        .on_conflict_do_nothing(index_elements=["name"])
    )
    await conn.execute(stmt)


async def pause_destination(conn: AsyncConnection, name: str, *, reason: str, now: datetime) -> bool:
    """Pause a destination (its rows stay pending). True if it was not paused before."""
    await _ensure_destination(conn, name)
    d = s.destinations
    res = await conn.execute(
        update(d)
        .where(d.c.name == name, d.c.paused.is_(False))
        .values(paused=True, paused_reason=reason[:2000], paused_at=now, admin_notified=False)
    )
    return (res.rowcount or 0) == 1


async def _first_to_set(conn: AsyncConnection, name: str, flag: str) -> bool:
    d = s.destinations
    res = await conn.execute(update(d).where(d.c.name == name, d.c[flag].is_(False)).values({flag: True}))
    return (res.rowcount or 0) == 1


async def mark_admin_notified(conn: AsyncConnection, name: str) -> bool:
    """Note that the admin was told about this pause. True only for the first caller."""
    return await _first_to_set(conn, name, "admin_notified")


async def resume_destination(conn: AsyncConnection, name: str) -> bool:
    """Unpause a destination; its waiting rows go out on the next dispatch. True if it was paused."""
    await _ensure_destination(conn, name)
    d = s.destinations
    res = await conn.execute(
        update(d)
        .where(d.c.name == name, d.c.paused.is_(True))
        .values(paused=False, paused_reason=None, paused_at=None, admin_notified=False, next_send_at=None)
    )
    return (res.rowcount or 0) == 1


async def destination_failed(conn: AsyncConnection, name: str, *, now: datetime) -> DestinationState:
    """Count a transient failure against a destination (an outage is a run of them); its state after."""
    await _ensure_destination(conn, name)
    d = s.destinations
    await conn.execute(
        update(d)
        .where(d.c.name == name)
        .values(
            failures=d.c.failures + 1,
            failing_since=func.coalesce(d.c.failing_since, now),
        )
    )
    return await destination_state(conn, name)


async def destination_ok(conn: AsyncConnection, name: str) -> bool:
    """A message got through: end the destination's outage. True if it was failing."""
    d = s.destinations
    res = await conn.execute(
        update(d)
        .where(d.c.name == name, d.c.failures > 0)
        .values(failures=0, failing_since=None, outage_notified=False)
    )
    return (res.rowcount or 0) == 1


async def mark_outage_notified(conn: AsyncConnection, name: str) -> bool:
    """Note that the admin was told about this outage. True only for the first caller."""
    return await _first_to_set(conn, name, "outage_notified")


async def paused_destinations(conn: AsyncConnection) -> list[DestinationState]:
    """Every paused destination with its reason."""
    d = s.destinations
    rows = await conn.execute(select(d.c.name).where(d.c.paused.is_(True)).order_by(d.c.name))
    return [await destination_state(conn, r[0]) for r in rows.all()]


async def set_next_send_at(conn: AsyncConnection, name: str, when: datetime | None) -> None:
    """When the destination may be sent to next (pacing, a platform's Retry-After)."""
    await _ensure_destination(conn, name)
    d = s.destinations
    await conn.execute(update(d).where(d.c.name == name).values(next_send_at=when))
