#!/usr/bin/env bash
# Add an Alembic revision after changing bot/storage/schema.py.
#
#   scripts/new_migration.sh "add items.summary"
#
# Builds a scratch SQLite database at the current head, then lets Alembic autogenerate
# compare it with schema.metadata and write bot/storage/migrations/versions/NNNN_<slug>.py.
# The full-text tables of bot/storage/search.py are ignored by the comparison (they are
# dialect specific and created by explicit calls in the migrations). Review the file, then
# run `.venv/bin/pytest tests/test_migrations.py` (SQLite and PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
msg=${1:?usage: scripts/new_migration.sh "what changed"}
PY=${PYTHON:-.venv/bin/python}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$PY" - "$scratch/scratch.db" "$msg" <<'PYEOF'
import asyncio
import sys

from alembic import command
from alembic.script import ScriptDirectory

from bot.storage.db import Database
from bot.storage.migrate import alembic_config, upgrade

path, message = sys.argv[1], sys.argv[2]
url = f"sqlite:///{path}"


async def at_head() -> None:
    db = Database(url)
    await upgrade(db)
    await db.close()


asyncio.run(at_head())
cfg = alembic_config(url)
head = ScriptDirectory.from_config(cfg).get_current_head()
rev_id = f"{int(head or 0) + 1:04d}"
command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)
PYEOF
.venv/bin/ruff check --fix -q bot/storage/migrations/versions || true
.venv/bin/ruff format -q bot/storage/migrations/versions
echo "review the new file in bot/storage/migrations/versions/ before committing"
