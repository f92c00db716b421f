"""item_revisions.compared_at: which versions the silent-edit check has compared

Revision ID: 0004_w12
Revises: 0003_w12
Create Date: 2026-12-06

Versions stored before this revision count as compared, so an upgrade does not raise alerts
about edits made long ago.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.schema import UtcDateTime

revision: str = "0004_w12"
down_revision: str | None = "0003_w12"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("item_revisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("compared_at", UtcDateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_item_revisions_compared_at"), ["compared_at"], unique=False)
    op.execute("UPDATE item_revisions SET compared_at = seen_at")


def downgrade() -> None:
    with op.batch_alter_table("item_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_item_revisions_compared_at"))
        batch_op.drop_column("compared_at")
