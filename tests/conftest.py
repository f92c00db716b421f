"""Shared fixtures: a real database on SQLite and on PostgreSQL (127.0.0.1:5432, database `test`),
and the packaged gazetteer."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import pytest

from bot.detect.actors import Gazetteer
from bot.storage.db import Database

PG_URL = os.environ.get("FACTBOT_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


async def _pg_database() -> AsyncIterator[Database]:
    """A fresh schema per test inside the shared `test` database, dropped afterwards."""
    import asyncpg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin_url = PG_URL.replace("postgresql://", "postgres://", 1)
    try:
        conn = await asyncpg.connect(admin_url, timeout=5)
    except (OSError, asyncpg.PostgresError) as e:  # pragma: no cover - CI starts PostgreSQL
        pytest.fail(f"PostgreSQL at {PG_URL} is not reachable: {e}")
    await conn.execute(f'CREATE SCHEMA "{schema}"')
    await conn.close()
    db = Database(PG_URL, pg_schema=schema)
    try:
        await db.migrate()
        yield db
    finally:
        await db.close()
        conn = await asyncpg.connect(admin_url, timeout=5)
        await conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await conn.close()


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    """The packaged gazetteer, loaded once: it holds no state a test could change."""
    return Gazetteer.load()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def db(request: pytest.FixtureRequest, tmp_path) -> AsyncIterator[Database]:
    """The same storage tests run against SQLite and PostgreSQL."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path}/factbot.db")
        await database.migrate()
        try:
            yield database
        finally:
            await database.close()
    else:
        async for database in _pg_database():
            yield database


@pytest.fixture
async def sqlite_db(tmp_path) -> AsyncIterator[Database]:
    """SQLite only, for tests that are about something other than the storage backend."""
    database = Database(f"sqlite:///{tmp_path}/factbot.db")
    await database.migrate()
    try:
        yield database
    finally:
        await database.close()
