"""The comparison of texts: links between articles, candidate signatures, story threads.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_links",
        sa.Column("a_id", sa.Integer, sa.ForeignKey("articles.id"), primary_key=True),
        sa.Column("b_id", sa.Integer, sa.ForeignKey("articles.id"), primary_key=True),
        sa.Column("relation", sa.String(12), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("rule", sa.String(8), nullable=False),
        sa.Column("slots", sa.JSON(none_as_null=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_article_links_b", "article_links", ["b_id"])
    op.create_table(
        "article_signatures",
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), primary_key=True),
        sa.Column("date", sa.Date),
        sa.Column("language", sa.String(12)),
        sa.Column("minhash", sa.LargeBinary, nullable=False),
        sa.Column("anchors", sa.Text, nullable=False),
        sa.Column("passages", sa.Text, nullable=False),
    )
    op.create_index("ix_article_signatures_date", "article_signatures", ["date"])
    op.create_table(
        "article_stories",
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), primary_key=True),
        sa.Column("story_id", sa.Integer, nullable=False),
    )
    op.create_index("ix_article_stories_story", "article_stories", ["story_id"])
    op.create_table(
        "link_state",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("link_state")
    op.drop_index("ix_article_stories_story", "article_stories")
    op.drop_table("article_stories")
    op.drop_index("ix_article_signatures_date", "article_signatures")
    op.drop_table("article_signatures")
    op.drop_index("ix_article_links_b", "article_links")
    op.drop_table("article_links")
