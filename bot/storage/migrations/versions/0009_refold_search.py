"""re-fold the full-text documents of text in scripts the new fold leaves whole

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

A data migration (no schema change). `bot.text.fold`, the form search documents and queries
are indexed in, used to take Hangul syllables apart into letters and drop kana voicing marks,
Arabic hamzas and other scripts' marks; it now leaves those scripts whole (Latin, Greek and
Cyrillic text folds as before). Documents holding such text are indexed again, so that new
queries find them; the downgrade folds them back the old way.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fold_0006(value: str) -> str:
    """The fold of revisions up to 0006, kept here as it was: NFKD, every combining mark dropped,
    case folded."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def upgrade() -> None:
    from bot.storage.search import refold_stored
    from bot.text import fold

    refold_stored(op.get_bind(), _fold_0006, fold)


def downgrade() -> None:
    from bot.storage.search import refold_stored
    from bot.text import fold

    refold_stored(op.get_bind(), fold, _fold_0006)
