"""Schema migrations. TEMPORARY: create_all until the Alembic migrations land (storage owner replaces this)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.storage.schema import metadata

if TYPE_CHECKING:
    from bot.storage.db import Database


async def upgrade(db: Database) -> None:
    """Bring the schema to the newest revision."""
    async with db.begin() as conn:
        await conn.run_sync(metadata.create_all)
