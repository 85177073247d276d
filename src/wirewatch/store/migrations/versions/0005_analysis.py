"""Analysis: each article's entities and events.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _side(prefix: str) -> list[sa.Column]:
    return [
        sa.Column(f"{prefix}_name", sa.Text),
        sa.Column(f"{prefix}_id", sa.String(120)),
        sa.Column(f"{prefix}_country", sa.String(3)),
    ]


def upgrade() -> None:
    op.create_table(
        "article_entities",
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), primary_key=True),
        sa.Column("entity_type", sa.String(12), primary_key=True),
        sa.Column("entity_id", sa.String(120), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("country", sa.String(3)),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("by_title", sa.Boolean, nullable=False),
    )
    op.create_index("ix_article_entities_entity", "article_entities", ["entity_type", "entity_id"])
    op.create_table(
        "article_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=False),
        sa.Column("type", sa.String(12), nullable=False),
        sa.Column("cameo", sa.String(8), nullable=False),
        sa.Column("plover", sa.String(16), nullable=False),
        *_side("actor"),
        *_side("target"),
        sa.Column("date", sa.Date),
        sa.Column("date_precision", sa.String(5)),
        sa.Column("date_from_text", sa.Boolean, nullable=False),
        sa.Column("sentence", sa.Text, nullable=False),
    )
    op.create_index("ix_article_events_article", "article_events", ["article_id"])
    op.create_index("ix_article_events_dyad", "article_events", ["actor_country", "target_country", "date"])
    op.create_index("ix_article_events_type", "article_events", ["type", "date"])
