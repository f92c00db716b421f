"""Opening the database: SQLite (embedded default) or PostgreSQL, both through async SQLAlchemy."""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine


def async_url(url: str) -> str:
    """Map a user-facing URL to its async driver: sqlite -> aiosqlite, postgresql -> asyncpg."""
    u = make_url(url)
    backend = u.get_backend_name()
    if backend == "sqlite" and u.drivername != "sqlite+aiosqlite":
        u = u.set(drivername="sqlite+aiosqlite")
    elif backend == "postgresql" and u.drivername != "postgresql+asyncpg":
        u = u.set(drivername="postgresql+asyncpg")
    return u.render_as_string(hide_password=False)


def dialect_insert(conn: AsyncConnection) -> Any:
    """`insert` of the connection's dialect, which has `on_conflict_do_nothing/do_update` on both."""
    from sqlalchemy.dialects import postgresql, sqlite

    return postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets readers (slash commands) work while the poller writes; foreign keys are off by default.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


class Database:
    """An async engine plus what the rest of the code asks about it (dialect, transactions)."""

    def __init__(self, url: str, *, echo: bool = False, pg_schema: str | None = None) -> None:
        self.url = async_url(url)
        kwargs: dict[str, Any] = {"echo": echo}
        if make_url(self.url).get_backend_name() == "postgresql":
            kwargs.update(pool_size=10, max_overflow=10, pool_pre_ping=True)
            if pg_schema:  # tests isolate themselves in a schema of their own
                kwargs["connect_args"] = {"server_settings": {"search_path": pg_schema}}
        self.engine: AsyncEngine = create_async_engine(self.url, **kwargs)
        self._schema = pg_schema or ""
        self._local_locks: dict[str, asyncio.Lock] = {}
        if self.dialect == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)

    @property
    def dialect(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self.engine.dialect.name

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncConnection]:
        """One transaction: committed when the block ends, rolled back on error."""
        async with self.engine.begin() as conn:
            yield conn

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[AsyncConnection]:
        """A connection for reads (no transaction held open longer than needed)."""
        async with self.engine.connect() as conn:
            yield conn

    @asynccontextmanager
    async def exclusive(self, name: str) -> AsyncIterator[bool]:
        """Try to become the only holder of `name` among every process on this database.

        Yields True if this process holds it for the block, False at once if another does (the
        caller skips that round). On PostgreSQL it is a session advisory lock, so replicas
        share one job and a crashed holder's lock ends with its connection; on SQLite (one
        process by design) a lock inside this process.
        """
        if self.dialect != "postgresql":
            lock = self._local_locks.setdefault(name, asyncio.Lock())
            if lock.locked():
                yield False
                return
            async with lock:
                yield True
            return
        # Schema-qualified, so two bots sharing one database in different schemas do not collide.
        key = zlib.crc32(f"factbot:{self._schema}:{name}".encode())
        async with self.engine.connect() as conn:
            got = bool((await conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key})).scalar())
            await conn.commit()
            try:
                yield got
            finally:
                if got:
                    await conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                    await conn.commit()

    async def migrate(self) -> None:
        """Bring the schema up to date (Alembic migrations, which also create search indexes).

        A database already at the newest revision is left alone without loading Alembic.
        """
        from bot.storage.schema_version import at_head

        if await at_head(self):
            return
        from bot.storage.migrate import upgrade

        await upgrade(self)

    async def close(self) -> None:
        """Release all pooled connections."""
        await self.engine.dispose()
