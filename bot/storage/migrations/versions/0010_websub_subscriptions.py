"""websub_subscriptions: WebSub (push) subscriptions, one per feed that advertises a hub

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 13:47:58.449743
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.schema

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "websub_subscriptions",
        sa.Column("feed_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("hub", sa.String(length=2048), nullable=False),
        sa.Column("topic", sa.String(length=2048), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("secret", sa.String(length=128), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", bot.storage.schema.UtcDateTime(timezone=True), nullable=False),
        sa.Column("requested_at", bot.storage.schema.UtcDateTime(timezone=True), nullable=True),
        sa.Column("verified_at", bot.storage.schema.UtcDateTime(timezone=True), nullable=True),
        sa.Column("lease_seconds", sa.Integer(), nullable=True),
        sa.Column("lease_expires_at", bot.storage.schema.UtcDateTime(timezone=True), nullable=True),
        sa.Column("renew_at", bot.storage.schema.UtcDateTime(timezone=True), nullable=True),
        sa.Column("last_push_at", bot.storage.schema.UtcDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["feed_id"], ["feeds.id"], name=op.f("fk_websub_subscriptions_feed_id_feeds"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("feed_id", name=op.f("pk_websub_subscriptions")),
        sa.UniqueConstraint("token", name=op.f("uq_websub_subscriptions_token")),
    )
    with op.batch_alter_table("websub_subscriptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_websub_subscriptions_state_renew_at"), ["state", "renew_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("websub_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_websub_subscriptions_state_renew_at"))
    op.drop_table("websub_subscriptions")
