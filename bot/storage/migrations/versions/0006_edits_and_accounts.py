"""silent edits and social account feeds

item_revisions.compared_at: which versions the silent-edit check has compared. Versions stored
before this revision count as compared, so an upgrade raises no alerts about old edits.
feeds.account, items.shared, items.original_author: reposts and quotes on account feeds.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.schema

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("item_revisions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("compared_at", bot.storage.schema.UtcDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(batch_op.f("ix_item_revisions_compared_at"), ["compared_at"], unique=False)
    op.execute("UPDATE item_revisions SET compared_at = seen_at")
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("account", sa.Boolean(), nullable=False, server_default="0"))
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shared", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("original_author", sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.drop_column("original_author")
        batch_op.drop_column("shared")
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        batch_op.drop_column("account")
    with op.batch_alter_table("item_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_item_revisions_compared_at"))
        batch_op.drop_column("compared_at")
