"""Collection and versions: article status and revisions, change log, crawls, the job
queue, per-host politeness and per-URL fetch state.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.add_column("sources", _when("next_crawl_at"))
    op.add_column("sources", _when("last_crawl_at"))
    op.add_column("articles", sa.Column("status", sa.String(8), nullable=False, server_default="live"))
    op.add_column("articles", _when("status_at"))
    op.add_column("articles", sa.Column("revisions", sa.Integer, nullable=False, server_default="1"))
    op.create_index("ix_articles_status", "articles", ["status"])

    op.create_table(
        "article_revisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=False),
        _when("seen_at", nullable=False),
        _when("last_seen_at", nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("date", sa.Date),
        sa.Column("date_precision", sa.String(5)),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("body_hash", sa.String(64)),
        sa.Column("changes", sa.JSON, nullable=False),
        sa.Column("origin", sa.Text),
    )
    op.create_index("ix_article_revisions_article", "article_revisions", ["article_id", "seen_at"])
    op.create_table(
        "article_changes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        _when("seen_at", nullable=False),
        sa.Column("revision_id", sa.Integer, sa.ForeignKey("article_revisions.id")),
        sa.Column("detail", sa.Text),
    )
    op.create_index("ix_article_changes_seen_at", "article_changes", ["seen_at"])
    op.create_index("ix_article_changes_article", "article_changes", ["article_id"])

    op.create_table(
        "crawls",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id"), nullable=False),
        _when("started_at", nullable=False),
        _when("finished_at"),
        sa.Column("index_complete", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("summary", sa.JSON),
    )
    op.create_index("ix_crawls_source", "crawls", ["source_id", "finished_at"])
    op.create_table(
        "crawl_jobs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("crawl_id", sa.Integer, sa.ForeignKey("crawls.id"), nullable=False),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id"), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("url_hash", sa.String(64), nullable=False),
        sa.Column("host", sa.String(300), nullable=False),
        sa.Column("hints", sa.JSON),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        _when("run_after", nullable=False),
        sa.Column("claimed_by", sa.String(120)),
        _when("lease_until"),
        _when("finished_at"),
        sa.Column("outcome", sa.String(16)),
        sa.Column("http_status", sa.Integer),
        sa.Column("elapsed", sa.Float),
        sa.Column("error", sa.Text),
        sa.UniqueConstraint("crawl_id", "url_hash", name="uq_crawl_jobs_url"),
    )
    op.create_index("ix_crawl_jobs_state", "crawl_jobs", ["state", "run_after"])
    op.create_index("ix_crawl_jobs_crawl", "crawl_jobs", ["crawl_id", "state"])
    op.create_table(
        "crawl_hosts",
        sa.Column("host", sa.String(300), primary_key=True),
        _when("next_fetch_at", nullable=False),
    )
    op.create_table(
        "crawl_pages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id"), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("url_hash", sa.String(64), nullable=False),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id")),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("content_hash", sa.String(64)),
        sa.Column("http_status", sa.Integer),
        _when("fetched_at"),
        _when("listed_at"),
        sa.Column("missing_crawls", sa.Integer, nullable=False, server_default="0"),
        sa.UniqueConstraint("source_id", "url_hash", name="uq_crawl_pages_url"),
    )
    op.create_index("ix_crawl_pages_article", "crawl_pages", ["article_id"])
