"""`Database.exclusive`: one holder per job name, across replicas on PostgreSQL and within a process."""

from __future__ import annotations

import asyncio

from bot.storage.db import Database
from tests.conftest import PG_URL


async def test_second_holder_is_refused_until_the_first_lets_go(db: Database) -> None:
    # On PostgreSQL the second "replica" is an engine of its own on the same schema; on
    # SQLite the lock lives in the process, so the same Database stands for both.
    other = Database(PG_URL, pg_schema=db._schema) if db.dialect == "postgresql" else db  # noqa: SLF001
    try:
        async with db.exclusive("detect") as first:
            assert first is True
            async with other.exclusive("detect") as second:
                assert second is False
            async with other.exclusive("dispatch") as unrelated:
                assert unrelated is True  # other job names are not blocked
        async with other.exclusive("detect") as after:
            assert after is True
    finally:
        if other is not db:
            await other.close()


async def test_lock_is_released_when_the_block_fails(db: Database) -> None:
    try:
        async with db.exclusive("detect") as got:
            assert got
            raise RuntimeError("detector crashed")
    except RuntimeError:
        pass
    async with db.exclusive("detect") as again:
        assert again is True


async def test_concurrent_tasks_get_one_holder(sqlite_db: Database) -> None:
    holders: list[bool] = []
    gate = asyncio.Event()

    async def job() -> None:
        async with sqlite_db.exclusive("detect") as got:
            holders.append(got)
            await gate.wait() if got else None

    tasks = [asyncio.create_task(job()) for _ in range(3)]
    await asyncio.sleep(0.05)
    gate.set()
    await asyncio.gather(*tasks)
    assert sorted(holders) == [False, False, True]
