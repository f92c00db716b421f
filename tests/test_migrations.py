"""Alembic migrations: run from the package on SQLite and PostgreSQL, idempotent, matching schema.py."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect

from bot.storage import migrate, search
from bot.storage.db import Database
from bot.storage.schema import metadata


def _diff(conn: Connection) -> list:
    ctx = MigrationContext.configure(
        conn, opts={"include_object": migrate.include_object, "compare_type": True}
    )
    return compare_metadata(ctx, metadata)


def _tables(conn: Connection) -> set[str]:
    return set(inspect(conn).get_table_names())


async def test_upgrade_reaches_head_and_matches_schema(db: Database) -> None:
    assert await migrate.current_revision(db) == migrate.head_revision()
    async with db.connect() as conn:
        diff = await conn.run_sync(_diff)
        tables = await conn.run_sync(_tables)
    assert diff == [], f"migrations and schema.py disagree: {diff}"
    assert set(metadata.tables) <= tables
    assert set(search.SEARCH_TABLES[db.dialect]) <= tables


async def test_upgrade_twice_is_a_noop(db: Database) -> None:
    async with db.connect() as conn:
        before = await conn.run_sync(_tables)
    await migrate.upgrade(db)
    await db.migrate()
    async with db.connect() as conn:
        after = await conn.run_sync(_tables)
    assert after == before
    assert await migrate.current_revision(db) == migrate.head_revision()


async def test_downgrade_to_base_and_back(db: Database) -> None:
    await migrate.downgrade(db, "base")
    async with db.connect() as conn:
        left = await conn.run_sync(_tables)
    assert not (set(metadata.tables) & left)
    assert not any(search.is_search_table(t) for t in left)
    assert await migrate.current_revision(db) is None
    await migrate.upgrade(db)
    async with db.connect() as conn:
        assert await conn.run_sync(_diff) == []


async def test_fresh_sqlite_file_is_created_and_migrated(tmp_path) -> None:
    path = tmp_path / "sub" / "fresh.db"
    path.parent.mkdir()
    database = Database(f"sqlite:///{path}")
    try:
        assert await migrate.current_revision(database) is None
        await migrate.upgrade(database)
        assert await migrate.current_revision(database) == migrate.head_revision()
    finally:
        await database.close()
    assert path.exists()


def test_search_table_names_are_recognised() -> None:
    assert search.is_search_table("items_fts")
    assert search.is_search_table("items_fts_data")
    assert search.is_search_table("dispute_search")
    assert not search.is_search_table("items")
    assert not search.is_search_table(None)
