"""The archive: sources, imports, articles and their raw input.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("date_order", sa.String(3)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("inputs", sa.JSON, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("summary", sa.JSON),
    )
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id"), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("title_derived", sa.Boolean, nullable=False),
        sa.Column("date", sa.Date),
        sa.Column("date_precision", sa.String(5)),
        sa.Column("date_alternatives", sa.JSON),
        sa.Column("date_note", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("language", sa.String(12)),
        sa.Column("language_detected", sa.Boolean, nullable=False),
        sa.Column("place", sa.String(200)),
        sa.Column("body", sa.Text),
        sa.Column("body_hash", sa.String(64)),
        sa.Column("duplicate_of", sa.Integer, sa.ForeignKey("articles.id")),
        sa.Column("metadata", sa.JSON),
        sa.Column("record_key", sa.String(80), nullable=False, unique=True),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_articles_source_date", "articles", ["source_id", "date"])
    op.create_index("ix_articles_date", "articles", ["date"])
    op.create_index("ix_articles_body_hash", "articles", ["body_hash"])
    op.create_index("ix_articles_duplicate_of", "articles", ["duplicate_of"])
    op.create_table(
        "article_raw",
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), primary_key=True),
        sa.Column("input", sa.Text, nullable=False),
        sa.Column("line", sa.Integer),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("raw", sa.Text, nullable=False),
    )
