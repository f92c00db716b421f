"""Schema migrations: Alembic, run programmatically from the package (no alembic.ini at run time).

`upgrade(db)` brings any database (new or old) to the newest revision, including the
full-text structures of `bot.storage.search`. It is safe to call at every start: an
up-to-date database is left alone, and on PostgreSQL an advisory lock keeps two replicas
that start together from migrating at the same time.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from bot.storage.search import is_search_table

if TYPE_CHECKING:
    from bot.storage.db import Database

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# An arbitrary constant: the key of the PostgreSQL advisory lock held while migrating.
_PG_LOCK_KEY = 0x0FAC7B07


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic filter: the dialect-specific full-text tables belong to `bot.storage.search`."""
    if type_ == "table":
        return not is_search_table(name)
    table = getattr(obj, "table", None)
    return table is None or not is_search_table(getattr(table, "name", None))


def alembic_config(url: str | None = None) -> AlembicConfig:
    """An Alembic config pointing at the migrations shipped inside the package."""
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str | None:
    """The newest revision shipped with this version of factbot."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _current(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _upgrade(conn: Connection, revision: str) -> None:
    if conn.dialect.name == "postgresql":
        # Released when the surrounding transaction ends.
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    cfg = alembic_config()
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, revision)


def _downgrade(conn: Connection, revision: str) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = conn
    command.downgrade(cfg, revision)


async def upgrade(db: Database, revision: str = "head") -> None:
    """Bring the schema to `revision` (default: the newest). A no-op when already there."""
    async with db.begin() as conn:
        await conn.run_sync(_upgrade, revision)


async def downgrade(db: Database, revision: str) -> None:
    """Step the schema back to `revision` ("base" drops everything factbot created)."""
    async with db.begin() as conn:
        await conn.run_sync(_downgrade, revision)


async def current_revision(db: Database) -> str | None:
    """The revision the database is at (None for an empty database)."""
    async with db.connect() as conn:
        return await conn.run_sync(_current)
