"""Korean in both Koreas' spellings: the full-text tables must be built again.

The search indexes Korean text a second time, as the South writes it at morpheme starts
(``wirewatch.search.korean``), so that 노동당 finds 조선로동당. The SQL engine's tables
(FTS5, tsvector) of an archive that holds Korean text were built without it: they are
marked behind, and a search with ``WIREWATCH_SEARCH_ENGINE=sql`` asks for
``wirewatch reindex`` (which shows its progress) until they are built again. The tantivy
engine's index knows its own version and is rebuilt by the next search or import.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    korean = op.get_bind().scalar(sa.text("SELECT 1 FROM articles WHERE language = 'ko' LIMIT 1"))
    if korean:
        op.execute("UPDATE search_state SET value = 'stale' WHERE name = 'sql_index'")


def downgrade() -> None:
    """Nothing to undo: the tables stay marked until ``wirewatch reindex`` builds them."""
