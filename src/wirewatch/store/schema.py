"""The archive's tables, in SQLAlchemy Core: the same on SQLite and PostgreSQL.

Migrations (``store/migrations/versions``) create and change these tables; this
module describes the current shape for the queries. Back-end specific search
structures (FTS5, tsvector) belong to the search back ends, not here.
"""

from __future__ import annotations

from typing import Any

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
    # Collection's schedule (migration 0004): when the next crawl is due, when the last began.
    sa.Column("next_crawl_at", sa.DateTime(timezone=True)),
    sa.Column("last_crawl_at", sa.DateTime(timezone=True)),
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
    # Versions (migration 0004): live, edited (more than one revision) or deleted; when
    # that status began; how many revisions the article has had.
    sa.Column("status", sa.String(8), nullable=False, server_default="live"),
    sa.Column("status_at", sa.DateTime(timezone=True)),
    sa.Column("revisions", sa.Integer, nullable=False, server_default="1"),
)

sa.Index("ix_articles_source_date", articles.c.source_id, articles.c.date)
sa.Index("ix_articles_date", articles.c.date)
sa.Index("ix_articles_body_hash", articles.c.body_hash)
sa.Index("ix_articles_duplicate_of", articles.c.duplicate_of)
sa.Index("ix_articles_status", articles.c.status)

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

# Every version of a collected article, in the order seen. The article row holds the
# newest; a revision is never changed but to note that its text was seen again.
article_revisions = sa.Table(
    "article_revisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=False),
    sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("date", sa.Date),
    sa.Column("date_precision", sa.String(5)),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("body_hash", sa.String(64)),
    # The fields that differ from the revision before ("title", "date", "body"); [] for the first.
    sa.Column("changes", sa.JSON, nullable=False),
    # Where this version was seen: "crawl", or the WARC file it came from.
    sa.Column("origin", sa.Text),
)
sa.Index("ix_article_revisions_article", article_revisions.c.article_id, article_revisions.c.seen_at)

# What happened to articles after they were first stored: edits, deletions, returns.
article_changes = sa.Table(
    "article_changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=False),
    # edited, deleted or restored
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revision_id", sa.Integer, sa.ForeignKey("article_revisions.id")),
    # Why: "HTTP 404", "absent from the index in 3 crawls", the fields that changed.
    sa.Column("detail", sa.Text),
)
sa.Index("ix_article_changes_seen_at", article_changes.c.seen_at)
sa.Index("ix_article_changes_article", article_changes.c.article_id)

# One pass over a source's entry points and the article pages they list.
crawls = sa.Table(
    "crawls",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id"), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    # Every entry point answered: only then does "absent from the index" mean something.
    sa.Column("index_complete", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("summary", sa.JSON),
)
sa.Index("ix_crawls_source", crawls.c.source_id, crawls.c.finished_at)

# The work of crawls: one row per URL to fetch. Workers claim rows by locking them
# (FOR UPDATE SKIP LOCKED on PostgreSQL), so several can share a queue.
crawl_jobs = sa.Table(
    "crawl_jobs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("crawl_id", sa.Integer, sa.ForeignKey("crawls.id"), nullable=False),
    sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id"), nullable=False),
    # feed, sitemap, index (entry points) or article
    sa.Column("kind", sa.String(8), nullable=False),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("url_hash", sa.String(64), nullable=False),
    # The politeness key: the host name. One job per host runs at a time.
    sa.Column("host", sa.String(300), nullable=False),
    # What the entry point said of the article (title, date): a fallback for extraction.
    sa.Column("hints", sa.JSON(none_as_null=True)),
    # queued, running, done or failed
    sa.Column("state", sa.String(8), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("run_after", sa.DateTime(timezone=True), nullable=False),
    sa.Column("claimed_by", sa.String(120)),
    sa.Column("lease_until", sa.DateTime(timezone=True)),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    # added, edited, unchanged, not_modified, deleted, listed, refused, timeout, http_500…
    sa.Column("outcome", sa.String(16)),
    sa.Column("http_status", sa.Integer),
    sa.Column("elapsed", sa.Float),
    sa.Column("error", sa.Text),
    sa.UniqueConstraint("crawl_id", "url_hash", name="uq_crawl_jobs_url"),
)
sa.Index("ix_crawl_jobs_state", crawl_jobs.c.state, crawl_jobs.c.run_after)
sa.Index("ix_crawl_jobs_crawl", crawl_jobs.c.crawl_id, crawl_jobs.c.state)

# Per host: when the next request may start (politeness shared by every worker).
crawl_hosts = sa.Table(
    "crawl_hosts",
    metadata,
    sa.Column("host", sa.String(300), primary_key=True),
    sa.Column("next_fetch_at", sa.DateTime(timezone=True), nullable=False),
)

# What the collector knows of each URL of a source: validators for conditional GETs,
# the article it holds, and when it was last listed by an entry point.
crawl_pages = sa.Table(
    "crawl_pages",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id"), nullable=False),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("url_hash", sa.String(64), nullable=False),
    sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id")),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    # SHA-256 of the last body fetched: the same bytes need no extraction.
    sa.Column("content_hash", sa.String(64)),
    sa.Column("http_status", sa.Integer),
    sa.Column("fetched_at", sa.DateTime(timezone=True)),
    sa.Column("listed_at", sa.DateTime(timezone=True)),
    # Consecutive complete crawls whose entry points did not list this URL.
    sa.Column("missing_crawls", sa.Integer, nullable=False, server_default="0"),
    sa.UniqueConstraint("source_id", "url_hash", name="uq_crawl_pages_url"),
)
sa.Index("ix_crawl_pages_article", crawl_pages.c.article_id)

# Analysis (migration 0005): the entities an article names, with how often and whether
# only by a title, and the events it reports between countries.
article_entities = sa.Table(
    "article_entities",
    metadata,
    sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), primary_key=True),
    # person, country or organization
    sa.Column("entity_type", sa.String(12), primary_key=True),
    # ISO alpha-3 for a country, the actor data's slug otherwise
    sa.Column("entity_id", sa.String(120), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("country", sa.String(3)),
    sa.Column("count", sa.Integer, nullable=False),
    sa.Column("by_title", sa.Boolean, nullable=False),
)
sa.Index("ix_article_entities_entity", article_entities.c.entity_type, article_entities.c.entity_id)


def _side(prefix: str) -> list[sa.Column[Any]]:
    return [
        sa.Column(f"{prefix}_name", sa.Text),
        sa.Column(f"{prefix}_id", sa.String(120)),
        sa.Column(f"{prefix}_country", sa.String(3)),
    ]


article_events = sa.Table(
    "article_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=False),
    # visit, meeting, message, anniversary, agreement, praise, denounce, threaten
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
sa.Index("ix_article_events_article", article_events.c.article_id)
sa.Index(
    "ix_article_events_dyad", article_events.c.actor_country, article_events.c.target_country, article_events.c.date
)
sa.Index("ix_article_events_type", article_events.c.type, article_events.c.date)

# The Daily Update (migration 0006). Values this instance keeps for itself: the key that
# signs mail links when WIREWATCH_SECRET_KEY is unset, generated once, shared by every process.
instance_secrets = sa.Table(
    "instance_secrets",
    metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

# People who asked for the digest. ``email_key`` is the address case-folded: one
# subscription per address however it is typed.
subscribers = sa.Table(
    "subscribers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(320), nullable=False),
    sa.Column("email_key", sa.String(320), nullable=False, unique=True),
    # pending, confirmed, unsubscribed or suspended
    sa.Column("status", sa.String(12), nullable=False),
    sa.Column("topics", sa.JSON, nullable=False),
    sa.Column("sources", sa.JSON, nullable=False),
    sa.Column("languages", sa.JSON, nullable=False),
    # daily or weekly; the local hour (0-23) in ``timezone`` (IANA); the weekday (0 = Monday)
    sa.Column("frequency", sa.String(6), nullable=False),
    sa.Column("hour", sa.Integer, nullable=False),
    sa.Column("timezone", sa.String(64), nullable=False),
    sa.Column("weekday", sa.Integer, nullable=False),
    # Raised to invalidate every preferences and unsubscribe link mailed so far.
    sa.Column("token_version", sa.Integer, nullable=False, server_default="1"),
    # Consecutive 5xx answers; at the suspend_after setting, the address is suspended.
    sa.Column("permanent_failures", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_error", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("confirmed_at", sa.DateTime(timezone=True)),
    sa.Column("unsubscribed_at", sa.DateTime(timezone=True)),
)
sa.Index("ix_subscribers_status", subscribers.c.status)

# The send log: one row per subscriber and edition, claimed before the mail goes out and
# marked sent once the server accepts it, so that a re-run never sends an edition twice.
digest_sends = sa.Table(
    "digest_sends",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("subscriber_id", sa.Integer, sa.ForeignKey("subscribers.id", ondelete="CASCADE"), nullable=False),
    # The edition's (last) day; ``frequency`` daily or weekly (the 7 days ending then).
    sa.Column("edition", sa.Date, nullable=False),
    sa.Column("frequency", sa.String(6), nullable=False),
    # claimed, sent, failed (temporary: tried again), rejected (5xx: not tried again) or
    # skipped (the reader's copy was empty: no mail)
    sa.Column("status", sa.String(8), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("message_id", sa.Text),
    # Who holds the claim ("host:pid") and until when: a dead holder's claim is taken over.
    sa.Column("claimed_by", sa.String(200)),
    sa.Column("claimed_at", sa.DateTime(timezone=True)),
    sa.Column("lease_until", sa.DateTime(timezone=True)),
    sa.Column("sent_at", sa.DateTime(timezone=True)),
    sa.Column("error", sa.Text),
    sa.UniqueConstraint("subscriber_id", "edition", "frequency", name="uq_digest_sends_edition"),
)
sa.Index("ix_digest_sends_edition", digest_sends.c.edition, digest_sends.c.frequency, digest_sends.c.status)

# Saved-search alerts (store/alerts.py): by email or signed webhook, optionally on edits
# and deletions of matching articles too.
alerts = sa.Table(
    "alerts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("query", sa.Text, nullable=False),
    # email or webhook
    sa.Column("channel", sa.String(8), nullable=False),
    sa.Column("email", sa.String(320)),
    sa.Column("webhook_url", sa.Text),
    sa.Column("secret", sa.Text, nullable=False),
    sa.Column("changes", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_checked_at", sa.DateTime(timezone=True)),
    sa.Column("last_article_id", sa.Integer),
    sa.Column("last_change_id", sa.Integer),
    sa.Column("last_sent_at", sa.DateTime(timezone=True)),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
)

alert_deliveries = sa.Table(
    "alert_deliveries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("alert_id", sa.Integer, sa.ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("article_ids", sa.JSON, nullable=False),
    sa.Column("change_ids", sa.JSON, nullable=False),
    # pending, sent or failed
    sa.Column("status", sa.String(8), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("next_try_at", sa.DateTime(timezone=True)),
    sa.Column("error", sa.Text),
)
sa.Index("ix_alert_deliveries_status", alert_deliveries.c.status, alert_deliveries.c.next_try_at)
sa.Index("ix_alert_deliveries_alert", alert_deliveries.c.alert_id, alert_deliveries.c.created_at)

# The comparison of texts (migration 0007, issue 14). A link between two articles, kept once
# with the lower id first: how they relate (duplicate, reprint, translation, quotes, template),
# the score and the guide's rule that decided, and a template's differing slots read from
# ``a_id`` to ``b_id`` (``[{"kind", "a", "b"}]``).
article_links = sa.Table(
    "article_links",
    metadata,
    sa.Column("a_id", sa.Integer, sa.ForeignKey("articles.id"), primary_key=True),
    sa.Column("b_id", sa.Integer, sa.ForeignKey("articles.id"), primary_key=True),
    sa.Column("relation", sa.String(12), nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("rule", sa.String(8), nullable=False),
    sa.Column("slots", sa.JSON(none_as_null=True)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
sa.Index("ix_article_links_b", article_links.c.b_id)

# What the candidate step keeps of each article with a text: its day, its language as read
# from the text, its MinHash signature (128 unsigned 32-bit values, little-endian) over the word
# shingles less the common ones, its anchors (names, ids and numbers that survive a
# translation) and its passage marks (sampled shingles, as numbers), so that a later article
# is matched against it without reading its text again.
article_signatures = sa.Table(
    "article_signatures",
    metadata,
    sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), primary_key=True),
    sa.Column("date", sa.Date),
    sa.Column("language", sa.String(12)),
    sa.Column("minhash", sa.LargeBinary, nullable=False),
    sa.Column("anchors", sa.Text, nullable=False),
    sa.Column("passages", sa.Text, nullable=False),
)
sa.Index("ix_article_signatures_date", article_signatures.c.date)

# Story threads: the articles joined by duplicate, reprint and translation links. ``story_id``
# is the story's first carrier (earliest date, then lowest id); an article alone is in no row.
article_stories = sa.Table(
    "article_stories",
    metadata,
    sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), primary_key=True),
    sa.Column("story_id", sa.Integer, nullable=False),
)
sa.Index("ix_article_stories_story", article_stories.c.story_id)

# What the linking keeps between runs: ``linked_upto``, the highest article id compared (new
# articles above it are compared by the next run: a killed run catches up), and
# ``common_shingles``, the shingles found in very many articles (formulas), left out of signatures.
link_state = sa.Table(
    "link_state",
    metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("value", sa.JSON, nullable=False),
)

# The search index's change log and state (migration 0008, issue 15): triggers on ``articles``
# log each write to a searchable field; the derived index (``search.engine``) reads from its
# horizon on. ``seq`` orders the rows; on PostgreSQL ``xid`` is the writing transaction's id.
search_changes = sa.Table(
    "search_changes",
    metadata,
    sa.Column("seq", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("article_id", sa.Integer, nullable=False),
    sqlite_autoincrement=True,
)
search_state = sa.Table(
    "search_state",
    metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
