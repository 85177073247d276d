"""The archive's tables, in SQLAlchemy Core: the same on SQLite and PostgreSQL.

Migrations (``store/migrations/versions``) create and change these tables; this
module describes the current shape for the queries. Back-end specific search
structures (FTS5, tsvector) belong to the search back ends, not here.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

sources = sa.Table(
    "sources",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    # DMY / MDY / YMD: how this source writes numeric dates (None: the default order).
    sa.Column("date_order", sa.String(3)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

imports = sa.Table(
    "imports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("inputs", sa.JSON, nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Column("summary", sa.JSON),
)

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id"), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("title_derived", sa.Boolean, nullable=False, default=False),
    sa.Column("date", sa.Date),
    sa.Column("date_precision", sa.String(5)),
    sa.Column("date_alternatives", sa.JSON(none_as_null=True)),
    sa.Column("date_note", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("language", sa.String(12)),
    sa.Column("language_detected", sa.Boolean, nullable=False, default=False),
    sa.Column("place", sa.String(200)),
    # NULL for a duplicate: the text is kept once, on the article it duplicates.
    sa.Column("body", sa.Text),
    sa.Column("body_hash", sa.String(64)),
    sa.Column("duplicate_of", sa.Integer, sa.ForeignKey("articles.id")),
    sa.Column("metadata", sa.JSON(none_as_null=True)),
    # What makes a record the same record on a second import (see pipeline.record_key).
    sa.Column("record_key", sa.String(80), nullable=False, unique=True),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id")),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

sa.Index("ix_articles_source_date", articles.c.source_id, articles.c.date)
sa.Index("ix_articles_date", articles.c.date)
sa.Index("ix_articles_body_hash", articles.c.body_hash)
sa.Index("ix_articles_duplicate_of", articles.c.duplicate_of)

# The input each article came from, exactly as read: provenance,
# and the means to re-run cleaning when the rules improve.
article_raw = sa.Table(
    "article_raw",
    metadata,
    sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), primary_key=True),
    sa.Column("input", sa.Text, nullable=False),
    sa.Column("line", sa.Integer),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("raw", sa.Text, nullable=False),
)
