"""Alembic environment for factbot.

At run time `bot.storage.migrate.upgrade` hands us an open connection through
`config.attributes["connection"]` (no alembic.ini needed). For developers generating a
revision (`scripts/new_migration.sh`), we open our own async engine from the URL in the
Alembic config or `$FACTBOT_DATABASE_URL`.
"""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy import Connection

from bot.storage.migrate import include_object
from bot.storage.schema import metadata

config = context.config


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        include_object=include_object,
        compare_type=True,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        user_module_prefix="bot.storage.schema.",
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_with_own_engine(url: str) -> None:
    from bot.storage.db import Database

    db = Database(url)
    try:
        async with db.begin() as conn:
            await conn.run_sync(_configure_and_run)
    finally:
        await db.close()


def run_migrations_online() -> None:
    """Run against the connection we were given, or against a database URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    url = os.environ.get("FACTBOT_DATABASE_URL") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("set FACTBOT_DATABASE_URL (or sqlalchemy.url) to the database to compare against")
    asyncio.run(_run_with_own_engine(url))


if context.is_offline_mode():  # pragma: no cover - we never emit SQL scripts
    raise SystemExit("offline (--sql) mode is not supported; run against a database")
run_migrations_online()
