"""Full-text index: on SQLite an FTS5 table (PostgreSQL gets its own in a later revision).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # Contentless (content=''): the text lives in `articles`; the index keeps only
        # tokens and positions, and snippets are cut from the stored body.
        op.execute(
            "CREATE VIRTUAL TABLE article_fts USING fts5("
            "title, body, content='', tokenize='unicode61 remove_diacritics 2')"
        )
