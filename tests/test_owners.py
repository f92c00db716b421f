"""Lease liveness: owners heartbeat; a dead owner's feeds and alerts are free at once, on both backends."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psutil
from sqlalchemy import select

from bot.config import load_config
from bot.storage import outbox, owners
from bot.storage import schema as s
from bot.storage.db import Database
from bot.storage.feeds import FeedStore
from bot.types import FeedSpec
from tests.test_outbox import make_story


def dead_process() -> owners.ProcessIdentity:
    """A process that really ran on this host and has exited."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(0.2)"])
    started = psutil.Process(proc.pid).create_time()
    proc.wait()
    return owners.ProcessIdentity(owners.this_process().host, proc.pid, started)


async def _hold(db: Database, owner: str, process: owners.ProcessIdentity, when: datetime) -> None:
    """`owner` registers, leases every feed for 5 minutes and claims every alert for 2."""
    async with db.begin() as conn:
        await owners.register(conn, owner, now=when, process=process)
    await FeedStore(db).claim_due(when, owner=owner, limit=100, lease_s=300)
    async with db.begin() as conn:
        await outbox.claim(conn, owner=owner, now=when, lease_s=120)


async def _free(db: Database, now: datetime) -> tuple[int, int]:
    feeds = await FeedStore(db).claim_due(now, owner="probe", limit=100, lease_s=1)
    async with db.begin() as conn:
        rows = await outbox.claim(conn, owner="probe", now=now, lease_s=1)
    return len(feeds), len(rows)


async def _setup(db: Database) -> None:
    """Five feeds (three here, two of the story) and one alert waiting."""
    await FeedStore(db).upsert_specs([FeedSpec(f"https://feeds.example/{i}.xml") for i in range(3)])
    await make_story(db, ["chat:C1"])


async def test_a_dead_process_on_this_host_is_reaped_at_once(db: Database) -> None:
    await _setup(db)
    now = datetime.now(UTC)
    await _hold(db, "crashed", dead_process(), now)
    assert await _free(db, now) == (0, 0)  # within its leases nobody else gets them...
    me = owners.Liveness(db)
    reaped = await me.start()  # ...until a process starts (a restart, `run --once`)
    assert [o.id for o in reaped] == ["crashed"]
    assert await _free(db, now) == (5, 1)
    async with db.connect() as conn:
        assert [o.id for o in await owners.live_owners(conn)] == [me.id]


async def test_a_reused_pid_is_not_mistaken_for_the_old_process(db: Database) -> None:
    await _setup(db)
    now = datetime.now(UTC)
    me = owners.this_process()
    # Our own pid, but an older start: the process that held it before (a restarted container).
    await _hold(db, "before-restart", owners.ProcessIdentity(me.host, me.pid, me.started - 3600), now)
    async with db.begin() as conn:
        assert [o.id for o in await owners.reap(conn, now=now)] == ["before-restart"]
    assert await _free(db, now) == (5, 1)


async def test_a_silent_owner_elsewhere_is_reaped_after_dead_after_s(db: Database) -> None:
    await _setup(db)
    now = datetime.now(UTC)
    elsewhere = owners.ProcessIdentity("another-host", 4242, 1.0)  # its pid means nothing here
    await _hold(db, "remote", elsewhere, now)
    async with db.begin() as conn:
        assert await owners.reap(conn, now=now + timedelta(seconds=owners.DEAD_AFTER_S - 1)) == []
        assert await owners.heartbeat(conn, "remote", now=now + timedelta(seconds=15))
        # 15 s after that heartbeat it is still alive; 21 s after it, dead.
        assert await owners.reap(conn, now=now + timedelta(seconds=30)) == []
        reaped = await owners.reap(conn, now=now + timedelta(seconds=36))
        assert [o.id for o in reaped] == ["remote"]
        assert not await owners.heartbeat(conn, "remote", now=now + timedelta(seconds=37))
    assert await _free(db, now + timedelta(seconds=36)) == (5, 1)


async def test_a_clean_stop_gives_everything_back_and_a_live_owner_keeps_its_leases(db: Database) -> None:
    await _setup(db)
    now = datetime.now(UTC)
    me = owners.Liveness(db)
    await me.start()
    await _hold(db, me.id, me.process, now)
    assert await me.beat() == []  # alive: nothing reaped, nothing freed
    assert await _free(db, now) == (0, 0)
    await me.stop()
    assert await _free(db, now) == (5, 1)
    async with db.connect() as conn:
        assert (await conn.execute(select(s.owners.c.id))).all() == []


async def test_run_once_right_after_a_crash_delivers_at_once(tmp_path: Path, capsys) -> None:
    """The issue's stall: a killed dispatcher's claimed alert waited out a 120 s lease."""
    from bot import app

    url = f"sqlite:///{tmp_path}/crash.db"
    cfg = tmp_path / "factbot.toml"
    cfg.write_text(f'[database]\nurl = "{url}"\n[alerts]\nmax_age_days = 0\n')
    db = Database(url)
    await db.migrate()
    await make_story(db, ["console:stdout"])
    await _hold(db, "killed", dead_process(), datetime.now(UTC))
    async with db.begin() as conn:
        [row] = await outbox.list_rows(conn)
        await outbox.mark_sending(conn, row.id, owner="killed", now=datetime.now(UTC), lease_s=120)
    await db.close()

    started = asyncio.get_running_loop().time()
    report = await app.run_once(load_config(cfg))
    assert report.ok and report.dispatch.sent == 1
    assert asyncio.get_running_loop().time() - started < 20  # not the 120 s lease, nor the 30 s drain
    assert "[alert #" in capsys.readouterr().out
