"""Full-text index on PostgreSQL: a tsvector per article with a GIN index (SQLite has FTS5).

The vector is built by the search back end from the same tokens as FTS5's (words, and
Korean, Chinese and Japanese as character bigrams), so a query means the same thing on
both databases and Korean is found inside longer word forms.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE TABLE article_index (article_id integer PRIMARY KEY REFERENCES articles (id), vector tsvector NOT NULL)"
    )
    op.execute("CREATE INDEX ix_article_index_vector ON article_index USING gin (vector)")
