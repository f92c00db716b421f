"""Who holds leases, and whether they are still alive: one liveness mechanism for feeds and alerts.

Every factbot process (a `run`, a `run --once`) registers as an owner, heartbeats every
`HEARTBEAT_S` seconds, and puts its owner id on what it claims (`feeds.lease_owner`,
`outbox.claimed_by`). An owner is dead when

* its heartbeat is older than `DEAD_AFTER_S` (a process on another host that stopped), or
* it ran on this host and its process is gone (pid not running, or running but started at
  another time: a reused pid, a restarted container), which a new process sees at once.

`reap` deletes dead owners and frees everything they held in the same transaction, so their
feeds and alerts are claimed again on the next round instead of when a long lease runs out.
A clean shutdown (`unregister`) frees its own leases the same way.

Leases keep their `lease_until` / `claimed_until` as a backstop for holders that never
registered. Replicas compare heartbeats written with their own clocks: keep them in sync
(NTP), as any lease scheme needs.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import psutil
from sqlalchemy import and_, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.logging import kv
from bot.storage import schema as s
from bot.storage.db import Database, dialect_insert

__all__ = [
    "DEAD_AFTER_S",
    "HEARTBEAT_S",
    "Liveness",
    "Owner",
    "ProcessIdentity",
    "heartbeat",
    "live_owners",
    "new_owner_id",
    "reap",
    "register",
    "release_leases",
    "this_process",
    "unregister",
]

log = logging.getLogger("bot.owners")

HEARTBEAT_S = 5.0
# A dead owner's leases are free within DEAD_AFTER_S + HEARTBEAT_S (the reaper runs with the
# heartbeat): 25 s, inside the 30 s a replica's feeds may wait. It must stay above the
# dispatcher's send timeout, so a send of a stalled owner has ended before its row is taken.
DEAD_AFTER_S = 20.0


@dataclass(frozen=True, slots=True)
class ProcessIdentity:
    """A process as other processes on the same host can check it: host, pid, start time."""

    host: str
    pid: int
    started: float  # seconds since the epoch, as psutil reports it

    def is_running(self) -> bool:
        """True if this exact process (not another one that reused its pid) still runs here."""
        try:
            return abs(psutil.Process(self.pid).create_time() - self.started) < 1.0
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            return False


def this_process() -> ProcessIdentity:
    """The identity of the running process."""
    return ProcessIdentity(socket.gethostname(), os.getpid(), psutil.Process().create_time())


def new_owner_id(process: ProcessIdentity | None = None) -> str:
    """A fresh owner id, readable in logs: host:pid:random."""
    p = process or this_process()
    return f"{p.host[:60]}:{p.pid}:{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True, slots=True)
class Owner:
    """One registered owner."""

    id: str
    process: ProcessIdentity
    started_at: datetime
    heartbeat_at: datetime


async def register(
    conn: AsyncConnection, owner_id: str, *, now: datetime, process: ProcessIdentity | None = None
) -> None:
    """Record `owner_id` as alive now (again, if it was reaped meanwhile)."""
    p = process or this_process()
    stmt = dialect_insert(conn)(s.owners).values(
        id=owner_id, host=p.host[:255], pid=p.pid, pid_started=p.started, started_at=now, heartbeat_at=now
    )
    await conn.execute(stmt.on_conflict_do_update(index_elements=["id"], set_={"heartbeat_at": now}))


async def heartbeat(conn: AsyncConnection, owner_id: str, *, now: datetime) -> bool:
    """Say `owner_id` is alive. False if it was reaped (its leases were freed; register again)."""
    o = s.owners
    res = await conn.execute(update(o).where(o.c.id == owner_id).values(heartbeat_at=now))
    return (res.rowcount or 0) == 1


async def release_leases(conn: AsyncConnection, owner_ids: Sequence[str]) -> tuple[int, int]:
    """Free every feed lease, open outbox claim and item claimed for analysis of these owners:
    (feeds, outbox rows)."""
    if not owner_ids:
        return 0, 0
    f, o, i = s.feeds, s.outbox, s.items
    ids = list(owner_ids)
    feeds = await conn.execute(
        update(f).where(f.c.lease_owner.in_(ids)).values(lease_owner=None, lease_until=None)
    )
    await conn.execute(
        update(i)
        .where(i.c.analysis_owner.in_(ids), i.c.analysed_at.is_(None))
        .values(analysis_owner=None, analysis_until=None)
    )

    rows = await conn.execute(
        update(o)
        .where(o.c.claimed_by.in_(ids), o.c.status.in_(("pending", "sending")))
        .values(claimed_by=None, claimed_until=None)
    )
    return max(feeds.rowcount or 0, 0), max(rows.rowcount or 0, 0)


async def unregister(conn: AsyncConnection, owner_id: str) -> tuple[int, int]:
    """A clean shutdown: free this owner's leases and forget it. (feeds, outbox rows) freed."""
    freed = await release_leases(conn, [owner_id])
    await conn.execute(delete(s.owners).where(s.owners.c.id == owner_id))
    return freed


def _owner(r: object) -> Owner:
    m = r._mapping  # type: ignore[attr-defined]
    return Owner(
        id=m["id"],
        process=ProcessIdentity(m["host"], int(m["pid"]), float(m["pid_started"])),
        started_at=m["started_at"],
        heartbeat_at=m["heartbeat_at"],
    )


async def live_owners(conn: AsyncConnection) -> list[Owner]:
    """Every registered owner (reaping decides which of them are dead)."""
    return [_owner(r) for r in (await conn.execute(select(s.owners).order_by(s.owners.c.id))).all()]


async def reap(
    conn: AsyncConnection,
    *,
    now: datetime,
    dead_after_s: float = DEAD_AFTER_S,
    host: str | None = None,
    is_running: Callable[[ProcessIdentity], bool] = ProcessIdentity.is_running,
) -> list[Owner]:
    """Delete dead owners and free their leases; the owners reaped.

    Dead: no heartbeat for `dead_after_s`, or on this host (`host`, default ours) and the
    process is not running any more.
    """
    here = (host if host is not None else socket.gethostname())[:255]
    stale = now - timedelta(seconds=dead_after_s)
    found = await live_owners(conn)
    gone = [o.id for o in found if o.process.host == here and not is_running(o.process)]
    silent = [o.id for o in found if o.heartbeat_at < stale and o.id not in gone]
    o_ = s.owners
    ids: list[str] = []
    if gone:  # the process is not running: nothing can bring it back
        ids += (await conn.execute(delete(o_).where(o_.c.id.in_(gone)).returning(o_.c.id))).scalars().all()
    if silent:  # re-checked in the delete: one that heartbeated since we read it stays
        cond = and_(o_.c.id.in_(silent), o_.c.heartbeat_at < stale)
        ids += (await conn.execute(delete(o_).where(cond).returning(o_.c.id))).scalars().all()
    if not ids:
        return []
    feeds, rows = await release_leases(conn, ids)
    dead = [o for o in found if o.id in ids]
    for o in dead:
        log.warning(
            "owner reaped: its leases are free",
            extra=kv(
                owner=o.id,
                last_heartbeat=o.heartbeat_at.isoformat(),
                silent_s=round((now - o.heartbeat_at).total_seconds(), 1),
                feeds_freed=feeds,
                alerts_freed=rows,
            ),
        )
    return dead


class Liveness:
    """This process as an owner: `start()` (register + reap), `beat()` every HEARTBEAT_S, `stop()`."""

    def __init__(
        self,
        db: Database,
        owner_id: str | None = None,
        *,
        dead_after_s: float = DEAD_AFTER_S,
        process: ProcessIdentity | None = None,
    ) -> None:
        self.db = db
        self.process = process or this_process()
        self.id = owner_id or new_owner_id(self.process)
        self.dead_after_s = dead_after_s

    async def start(self) -> list[Owner]:
        """Register, and free the leases of owners that died (a restart takes its own back at once)."""
        now = datetime.now(UTC)
        async with self.db.begin() as conn:
            await register(conn, self.id, now=now, process=self.process)
            reaped = await reap(conn, now=now, dead_after_s=self.dead_after_s, host=self.process.host)
        log.info("owner registered", extra=kv(owner=self.id, reaped=len(reaped)))
        return reaped

    async def beat(self) -> list[Owner]:
        """Heartbeat, then reap dead owners (the lease clean-up job). The owners reaped."""
        now = datetime.now(UTC)
        async with self.db.begin() as conn:
            if not await heartbeat(conn, self.id, now=now):
                # We were silent long enough to be reaped: our leases went to others, which is
                # safe (claims check the owner before acting); carry on as alive again.
                log.warning("owner was reaped while alive; registering again", extra=kv(owner=self.id))
                await register(conn, self.id, now=now, process=self.process)
            return await reap(conn, now=now, dead_after_s=self.dead_after_s, host=self.process.host)

    async def stop(self) -> None:
        """Unregister and free every lease this owner holds."""
        async with self.db.begin() as conn:
            feeds, rows = await unregister(conn, self.id)
        log.info("owner unregistered", extra=kv(owner=self.id, feeds_freed=feeds, alerts_freed=rows))
