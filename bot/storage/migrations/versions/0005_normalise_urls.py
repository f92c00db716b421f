"""normalise stored feed URLs and item links; merge feeds and items that become duplicates

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

A data migration (no schema change): see `bot.storage.url_merge`. It cannot be undone (the
original spellings are not kept), so the downgrade leaves the data as it is.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from bot.storage.url_merge import normalise_stored_urls

    normalise_stored_urls(op.get_bind())


def downgrade() -> None:
    pass  # normalised URLs are valid URLs for the older code too
