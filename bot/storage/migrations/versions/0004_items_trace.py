"""items.trace (the detector's stage-by-stage account, JSON) and an index for disputes by status

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 10:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("trace", sa.Text(), nullable=True))
    with op.batch_alter_table("disputes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_disputes_status_updated_at"), ["status", "updated_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("disputes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_disputes_status_updated_at"))
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.drop_column("trace")
