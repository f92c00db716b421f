"""The start-up shortcut: a database at the newest revision is not handed to Alembic again."""

from __future__ import annotations

from bot.storage import migrate
from bot.storage.db import Database
from bot.storage.schema_version import at_head, shipped_head


def test_shipped_head_is_alembics_head() -> None:
    assert shipped_head() is not None
    assert shipped_head() == migrate.head_revision()


async def test_at_head_follows_the_recorded_revision(db: Database, tmp_path) -> None:
    assert await at_head(db)
    await migrate.downgrade(db, "0002")
    assert not await at_head(db)
    await db.migrate()  # not at head: Alembic runs and brings it there
    assert await at_head(db) and await migrate.current_revision(db) == migrate.head_revision()
    fresh = Database(f"sqlite:///{tmp_path}/empty.db")
    try:
        assert not await at_head(fresh)  # no alembic_version table yet
    finally:
        await fresh.close()
