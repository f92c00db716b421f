"""owners (liveness of lease holders), outbox.first_failed_at, destination outage state

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.schema

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "owners",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("pid_started", sa.Float(), nullable=False),
        sa.Column("started_at", bot.storage.schema.UtcDateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", bot.storage.schema.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_owners")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("first_failed_at", bot.storage.schema.UtcDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("destinations", schema=None) as batch_op:
        # Existing rows get 0 / false; the server defaults go again so the table matches schema.py.
        batch_op.add_column(sa.Column("failures", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column("failing_since", bot.storage.schema.UtcDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("outage_notified", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("destinations", schema=None) as batch_op:
        batch_op.alter_column("failures", server_default=None)
        batch_op.alter_column("outage_notified", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("destinations", schema=None) as batch_op:
        batch_op.drop_column("outage_notified")
        batch_op.drop_column("failing_since")
        batch_op.drop_column("failures")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("first_failed_at")
    op.drop_table("owners")
