"""Several replicas on one PostgreSQL: three `factbot run` processes started at the same moment.

The first deploy of web + workers starts them together: each migrates (behind the migration
lock), stores the same config feeds (an upsert), registers as an owner and starts polling.
None may crash, no feed may be stored twice or polled twice, and a clean stop hands back
every lease.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import uuid
from pathlib import Path

import asyncpg
import pytest

from tests import feedserver as _feedserver_module
from tests.conftest import PG_URL
from tests.feedserver import FeedServer, rss

feedserver = _feedserver_module.feedserver  # the fixture, used by name below

FACTBOT = str(Path(sys.executable).with_name("factbot"))
FEEDS = 40

pytestmark = pytest.mark.postgres


@pytest.fixture
async def fresh_database() -> str:
    """A database of its own (the processes connect by URL, so a schema per test would not do)."""
    admin = PG_URL.replace("postgresql://", "postgres://", 1)
    name = f"factbot_replicas_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(admin, timeout=5)
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    yield PG_URL.rsplit("/", 1)[0] + "/" + name
    conn = await asyncpg.connect(admin, timeout=5)
    await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await conn.close()


async def _wait_running(proc: asyncio.subprocess.Process, lines: list[str]) -> None:
    assert proc.stderr is not None
    while True:
        line = (await proc.stderr.readline()).decode()
        assert line, "exited before running:\n" + "".join(lines)
        lines.append(line)
        if "factbot running" in line:
            return


async def _drain(proc: asyncio.subprocess.Process, lines: list[str]) -> None:
    assert proc.stderr is not None
    while line := await proc.stderr.readline():
        lines.append(line.decode())


async def test_three_replicas_started_together(
    fresh_database: str,
    feedserver: FeedServer,
    tmp_path: Path,
) -> None:
    urls = [
        feedserver.add(f"/r{i}.xml", rss([(f"g{i}", f"Notice {i}", f"District {i} water notice.")]))
        for i in range(FEEDS)
    ]
    config = tmp_path / "factbot.toml"
    config.write_text(
        f'[database]\nurl = "{fresh_database}"\n[poll]\ninterval = "1h"\ntimeout = "5s"\n'
        '[logging]\nlevel = "INFO"\n' + "".join(f'[[feeds]]\nurl = "{u}"\n' for u in urls)
    )
    procs = await asyncio.gather(
        *(
            asyncio.create_subprocess_exec(
                FACTBOT,
                "run",
                "--no-chat",
                "--config",
                str(config),
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
                env=dict(os.environ),
            )
            for _ in range(3)
        )
    )
    logs: list[list[str]] = [[] for _ in procs]
    drains: list[asyncio.Task[None]] = []
    try:
        await asyncio.wait_for(
            asyncio.gather(*(_wait_running(p, lg) for p, lg in zip(procs, logs, strict=True))), 90
        )
        drains = [asyncio.create_task(_drain(p, lg)) for p, lg in zip(procs, logs, strict=True)]
        conn = await asyncpg.connect(fresh_database.replace("postgresql://", "postgres://", 1), timeout=5)
        try:
            for _ in range(300):
                polled = await conn.fetchval("SELECT count(*) FROM feeds WHERE last_poll_at IS NOT NULL")
                if polled == FEEDS:
                    break
                await asyncio.sleep(0.1)
            assert await conn.fetchval("SELECT count(*) FROM feeds") == FEEDS
            assert polled == FEEDS
            assert await conn.fetchval("SELECT count(*) FROM owners") == 3
            await asyncio.sleep(1.5)  # a few more poll rounds: nothing is due for an hour
        finally:
            await conn.close()
        assert all(p.returncode is None for p in procs), "a replica died"
        assert all(feedserver.hits[f"/r{i}.xml"] == 1 for i in range(FEEDS))
        for p in procs:
            p.send_signal(signal.SIGTERM)
        codes = await asyncio.wait_for(asyncio.gather(*(p.wait() for p in procs)), 60)
        await asyncio.gather(*drains)
    finally:
        for p in procs:
            if p.returncode is None:
                p.kill()
                await p.wait()
    text = "".join("".join(lg) for lg in logs)
    assert codes == [0, 0, 0], text
    assert "Traceback" not in text and "UniqueViolation" not in text
    conn = await asyncpg.connect(fresh_database.replace("postgresql://", "postgres://", 1), timeout=5)
    try:
        assert await conn.fetchval("SELECT count(*) FROM owners") == 0  # each gave its leases back
        assert await conn.fetchval("SELECT count(*) FROM feeds WHERE lease_owner IS NOT NULL") == 0
    finally:
        await conn.close()
