"""Is the database already at the newest schema? Answered without loading Alembic.

Every start of factbot (`run`, `run --once` from cron) migrates first. When there is nothing to
migrate, importing Alembic and running its upgrade command costs 0.1-0.3 s of a warm cycle that
is otherwise about a second, so `Database.migrate` asks here first: the newest revision shipped
in `migrations/versions/` (read from the files' `revision` / `down_revision` lines) against the
one recorded in `alembic_version`. Anything unusual (no table, several heads, a line this reader
does not understand) answers "no", and Alembic does the real work as before.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text

if TYPE_CHECKING:
    from bot.storage.db import Database

VERSIONS_DIR = Path(__file__).resolve().parent / "migrations" / "versions"
_REVISION = re.compile(r"""^revision(?:\s*:\s*str)?\s*=\s*["']([^"']+)["']\s*$""", re.M)
_DOWN = re.compile(r"""^down_revision(?:\s*:[^=\n]+)?\s*=\s*(?:["']([^"']+)["']|(None))\s*$""", re.M)


@lru_cache(maxsize=1)
def shipped_head() -> str | None:
    """The single newest revision in the versions folder, or None when that is not clear."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in VERSIONS_DIR.glob("*.py"):
        body = path.read_text(encoding="utf-8")
        rev, down = _REVISION.search(body), _DOWN.search(body)
        if rev is None and down is None:
            continue  # not a revision file (__init__.py)
        if rev is None or down is None:
            return None  # a form this reader does not know (a merge's tuple): ask Alembic
        revisions.add(rev.group(1))
        if down.group(1):
            parents.add(down.group(1))
    heads = revisions - parents
    return next(iter(heads)) if len(heads) == 1 else None


async def at_head(db: Database) -> bool:
    """True when the database's recorded revision is the shipped head (nothing to migrate)."""
    head = shipped_head()
    if head is None:
        return False
    try:
        async with db.connect() as conn:
            versions = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
    except Exception:  # noqa: BLE001 - no table yet (a new database), or unreadable: migrate properly
        return False
    return list(versions) == [head]
