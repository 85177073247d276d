"""The archive on a relational database through SQLAlchemy Core: ``SQLStore``, a facade.

Each method opens a connection (to read) or a transaction (to write, through the one
``Writer``) and runs a function of the module that owns the aggregate: ``articles``,
``versions``, ``browsing``, ``analysis``, ``digests``, ``rewriting``, ``subscribers``,
``sends``, ``alerts``, ``copying``; the crawl queue is ``queue`` (``store.queue``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from wirewatch.clock import now_utc, worker_name
from wirewatch.config.settings import cache_home
from wirewatch.errors import StoreError
from wirewatch.models import (
    Alert,
    AlertDelivery,
    Article,
    ArticleChange,
    Change,
    EntityCount,
    Event,
    Frequency,
    Preferences,
    Revision,
    SimilarArticle,
    Story,
    Subscriber,
    normalize_email,
)
from wirewatch.search.base import DayCount, SearchBackend, SearchOptions, SearchRequest, SearchResult
from wirewatch.search.fts5 import FTS5Backend
from wirewatch.search.results import also_searched
from wirewatch.store import (
    alerts,
    analysis,
    articles,
    browsing,
    rewriting,
    sends,
    sources,
    subscribers,
    trends,
    versions,
)
from wirewatch.store.analysis import AnalysisRow, CountryPair, EntityProfile, Relations
from wirewatch.store.base import ArchiveStats, BatchCounts, Browse, Incoming, Page
from wirewatch.store.copying import CopySummary, copy_archive
from wirewatch.store.digests import EditionData, read_edition
from wirewatch.store.engine import Writer, create_engine, upgrade
from wirewatch.store.links import LinkStore
from wirewatch.store.links import stories_of as stories_on
from wirewatch.store.queue import CollectionQueue
from wirewatch.store.reindexing import reindex
from wirewatch.store.sends import MAX_SEND_ATTEMPTS, SEND_LEASE, SendClaim, SendRecord

__all__ = ["SQLStore", "open_store"]


def open_store(target: str, search: SearchOptions | None = None) -> SQLStore:
    """The archive at ``target`` (a path or URL), created or upgraded as needed, searched
    as ``search`` says (by default through a tantivy index in its default place)."""
    search = search or SearchOptions()
    engine = create_engine(target)
    upgrade(engine)
    if search.engine == "tantivy":
        from wirewatch.search.engine import TantivyBackend

        return SQLStore(engine, TantivyBackend(engine, search.index_dir or default_index_dir(engine.url)))
    if engine.dialect.name == "postgresql":
        from wirewatch.search.postgres import PostgresBackend

        return SQLStore(engine, PostgresBackend())
    return SQLStore(engine, FTS5Backend())


def default_index_dir(url: sa.URL) -> Path | None:
    """Where a tantivy index lives by default: ``ARCHIVE.search`` beside an SQLite file (None
    for an in-memory archive: the index is in memory too); for PostgreSQL, a directory of
    this machine's cache named after the server and database (each node keeps its own)."""
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            return None
        return Path(url.database + ".search")
    where = url.render_as_string(hide_password=True)
    digest = hashlib.sha1(where.encode(), usedforsecurity=False).hexdigest()[:10]
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{url.host or 'local'}-{url.database or ''}")
    return cache_home() / "wirewatch" / "search" / f"{name}-{digest}"


def _message(exc: sa.exc.SQLAlchemyError) -> str:
    return str(getattr(exc, "orig", exc)).strip()


class SQLStore:
    """Sources and articles in SQL tables, with the search index kept in step; their
    versions and analysis; the Daily Update's subscribers, send log and secrets;
    saved-search alerts and their deliveries; and (``queue``) collection's crawls."""

    def __init__(self, engine: sa.Engine, index: SearchBackend) -> None:
        self.engine = engine
        self.index = index
        self.writer = Writer(engine)
        self._sources = sources.SourceCache()
        #: Collection's crawls and job queue, in the same database.
        self.queue = CollectionQueue(engine, self.writer)
        #: The comparison of texts: links between articles, story threads (``pipeline.linking``).
        self.links = LinkStore(engine, self.writer)

    def close(self) -> None:
        self.engine.dispose()

    @contextlib.contextmanager
    def _writing(self, *, immediate: bool = False) -> Iterator[sa.Connection]:
        """A write transaction whose database errors are StoreErrors, but for a broken
        constraint (another process wrote the row first), which the caller handles."""
        try:
            with self.writer.begin(immediate=immediate) as conn:
                yield conn
        except sa.exc.IntegrityError:
            raise
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"could not write to the archive: {exc}") from exc

    # -- articles ---------------------------------------------------------------------

    def add_batch(self, batch: Sequence[Incoming], import_id: int | None = None) -> BatchCounts:
        """Store a batch in one transaction, all of it or none of it: records as new
        articles (``store.articles``), captures of web pages as versions (``store.versions``)."""
        counts = BatchCounts()
        if not batch:
            return counts
        plain = [item for item in batch if item.raw.captured_at is None]
        captures = [item for item in batch if item.raw.captured_at is not None]
        try:
            with self.writer.begin() as conn:
                if plain:
                    articles.add(conn, self.index, plain, counts, import_id=import_id, cache=self._sources)
                if captures:
                    counts.outcomes.update(
                        versions.record_captures(
                            conn, self.index, captures, counts, import_id=import_id, cache=self._sources
                        )
                    )
        except sa.exc.SQLAlchemyError as exc:
            self._sources.forget_new()  # the rolled-back transaction may have created sources
            raise StoreError(f"could not write to the archive: {exc}") from exc
        return counts

    def begin_import(self, inputs: Sequence[str]) -> int:
        with self.writer.begin() as conn:
            return articles.begin_import(conn, inputs)

    def finish_import(self, import_id: int, summary: dict[str, object]) -> None:
        with self.writer.begin() as conn:
            articles.finish_import(conn, import_id, summary)

    def get_article(self, article_id: int) -> Article | None:
        with self.engine.connect() as conn:
            return articles.get(conn, article_id)

    def article_id_by_key(self, record_key: str) -> int | None:
        with self.engine.connect() as conn:
            return articles.id_by_key(conn, record_key)

    def duplicates_of(self, article_id: int) -> list[int]:
        with self.engine.connect() as conn:
            return articles.duplicates_of(conn, article_id)

    def raw_record(self, article_id: int) -> dict[str, Any] | None:
        """The input an article was read from: ``input``, ``line``, ``kind``, ``raw``."""
        with self.engine.connect() as conn:
            return articles.raw_record(conn, article_id)

    def iter_articles(self, *, include_duplicates: bool = True, page: int = 1000) -> Iterator[Article]:
        """Every article in id order, a page at a time, each page on a connection of its own."""
        last = 0
        while True:
            with self.engine.connect() as conn:
                found = articles.articles_after(conn, last, page, include_duplicates=include_duplicates)
            if not found:
                return
            yield from found
            last = int(found[-1].id or 0)

    def stats(self) -> ArchiveStats:
        with self.engine.connect() as conn:
            return articles.stats(conn)

    def source_names(self) -> list[str]:
        with self.engine.connect() as conn:
            return sources.source_names(conn)

    def catch_up_index(self, progress: Callable[[int], None] | None = None) -> int:
        """Bring a derived search index (tantivy) up to the archive, waiting for another
        process that holds it; the articles re-indexed (0 for the SQL engine, always current)."""
        return self.index.catch_up(wait=True, progress=progress)

    def reindex(self, progress: Callable[[int], None] | None = None) -> int:
        """Build the search index anew from the archive; the articles indexed."""
        return reindex(self.engine, self.writer, self.index, progress)

    def search(self, request: SearchRequest) -> SearchResult:
        with self.engine.connect() as conn:
            return self._search(conn, request)

    def search_stories(self, request: SearchRequest) -> tuple[SearchResult, dict[int, Story]]:
        """The search, and the stories of its hits (as :meth:`stories_of`) read on the same
        connection: on PostgreSQL a second connection costs more round trips than a page
        of a narrow search takes."""
        with self.engine.connect() as conn:
            result = self._search(conn, request)
            return result, stories_on(conn, [h.id for h in result.hits]) if result.hits else {}

    def _search(self, conn: sa.Connection, request: SearchRequest) -> SearchResult:
        source_ids = sources.ids_of(conn, request.sources, self._sources) if request.sources else []
        result = self.index.search(conn, request, source_ids)
        return replace(result, also=also) if (also := also_searched(request)) else result

    # -- trends (store.trends) -------------------------------------------------------------

    def match_counts(self, request: SearchRequest) -> list[DayCount]:
        """The search's matches per day and source (they add up to its total)."""
        with self.engine.connect() as conn:
            source_ids = sources.ids_of(conn, request.sources, self._sources) if request.sources else []
            return self.index.day_counts(conn, request, source_ids)

    @property
    def trends(self) -> trends.TrendReader:
        """What the trends read besides the search: texts, entities, companions."""
        return trends.TrendReader(self.engine)

    # -- lists by date ------------------------------------------------------------------

    def browse(self, request: Browse) -> Page:
        """Articles by date (see :class:`Browse`)."""
        with self.engine.connect() as conn:
            return browsing.browse(conn, request, self._sources)

    def day_counts(self, since: dt.date, until: dt.date, source: str | None = None) -> dict[dt.date, int]:
        with self.engine.connect() as conn:
            return browsing.day_counts(conn, since, until, source, self._sources)

    def month_counts(self, source: str | None = None) -> dict[tuple[int, int], int]:
        with self.engine.connect() as conn:
            return browsing.month_counts(conn, source, self._sources)

    def adjacent_days(self, day: dt.date) -> tuple[dt.date | None, dt.date | None]:
        with self.engine.connect() as conn:
            return browsing.adjacent_days(conn, day)

    # -- versions ---------------------------------------------------------------------

    def mark_deleted(self, article_ids: Sequence[int], seen_at: dt.datetime, detail: str) -> list[int]:
        """Mark articles deleted from their source's site (``detail`` says how it was seen)."""
        with self.writer.begin() as conn:
            return versions.mark_deleted(conn, article_ids, seen_at, detail)

    def confirm_seen(self, article_id: int, seen_at: dt.datetime) -> str:
        """The article's page still holds the known text (see ``versions.confirm``)."""
        with self.writer.begin() as conn:
            return versions.confirm(conn, article_id, seen_at)

    def restore_listed(self, article_ids: Sequence[int], seen_at: dt.datetime, detail: str) -> list[int]:
        with self.writer.begin() as conn:
            return versions.restore_listed(conn, article_ids, seen_at, detail)

    def history(self, article_id: int) -> list[Revision]:
        """The article's versions, oldest first ([] for one never collected from the web)."""
        with self.engine.connect() as conn:
            return versions.history(conn, article_id)

    def changes(
        self,
        *,
        article_id: int | None = None,
        kinds: Sequence[str] = (),
        source: str | None = None,
        before: tuple[dt.datetime, int] | None = None,
        limit: int = 50,
    ) -> list[Change]:
        """Edits, deletions and returns, newest first (see ``versions.changes``)."""
        with self.engine.connect() as conn:
            return versions.changes(
                conn, article_id=article_id, kinds=kinds, source=source, before=before, limit=limit, cache=self._sources
            )

    # -- analysis ---------------------------------------------------------------------

    def entities_of(self, article_id: int) -> list[EntityCount]:
        """The article's entities, most mentioned first ([] before it is analysed)."""
        with self.engine.connect() as conn:
            return analysis.entities_of(conn, article_id)

    def similar_of(self, article_id: int) -> list[SimilarArticle]:
        """The articles linked to this one (``store.links``), strongest first."""
        return self.links.similar_of(article_id)

    def story_of(self, article_id: int) -> Story | None:
        """The story thread the article belongs to; None when it is carried alone."""
        return self.links.stories_of([article_id]).get(article_id)

    def stories_of(self, ids: Sequence[int]) -> dict[int, Story]:
        return self.links.stories_of(ids)

    def events_of(self, article_id: int) -> list[Event]:
        with self.engine.connect() as conn:
            return analysis.events_of(conn, article_id)

    def entity_profile(self, entity_type: str, entity_id: str) -> EntityProfile | None:
        with self.engine.connect() as conn:
            return analysis.entity_profile(conn, entity_type, entity_id)

    def country_pairs(self, limit: int = 50) -> list[CountryPair]:
        """The pairs of countries with the most events between them."""
        with self.engine.connect() as conn:
            return analysis.country_pairs(conn, limit)

    def relations(self, a: str, b: str, **options: Any) -> Relations:
        """Events between countries ``a`` and ``b`` (see ``store.analysis.relations``)."""
        with self.engine.connect() as conn:
            return analysis.relations(conn, a, b, **options)

    def edition_data(self, since: dt.date, until: dt.date, *, history_days: int = 30) -> EditionData:
        """What a digest of the days ``since``..``until`` is made from (see ``store.digests``)."""
        with self.engine.connect() as conn:
            return read_edition(conn, since, until, history_days=history_days)

    # -- re-processing (store.rewriting) ----------------------------------------------------

    def source_ids(self, names: Sequence[str]) -> list[int]:
        """The ids of the sources named (in any letter case); ConfigError naming those the
        archive does not hold."""
        with self.engine.connect() as conn:
            return sources.named_ids(conn, names)

    def count_articles(self, scope: Sequence[int] = ()) -> int:
        """How many articles the sources ``scope`` (every source when empty) hold."""
        with self.engine.connect() as conn:
            return rewriting.count_articles(conn, scope)

    def read_partitions(
        self, scope: Sequence[int] = (), size: int = 5000, *, texts: bool = False
    ) -> Iterator[tuple[list[tuple[Any, ...]], list[str | None] | None]]:
        """The articles of the sources ``scope`` (every source when empty) in id order,
        ``size`` at a time (see ``rewriting.read_partition``), each partition read on a
        connection of its own: no read transaction stays open while the caller writes."""
        last = 0
        while True:
            with self.engine.connect() as conn:
                partition = rewriting.read_partition(conn, scope, last, size, texts=texts)
            if partition is None:
                return
            yield partition.rows, partition.texts
            last = partition.last

    def write_changes(self, changes: Sequence[ArticleChange], analyses: Sequence[AnalysisRow] = ()) -> None:
        """Write a partition's changes and analyses in one transaction, the search index
        with them (see ``rewriting.write_changes``)."""
        if not changes and not analyses:
            return
        try:
            with self.writer.begin() as conn:
                rewriting.write_changes(conn, self.index, changes, analyses)
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"could not write to the archive: {_message(exc)}") from exc

    def copy_to(
        self, target: SQLStore, *, batch: int = 2000, progress: Callable[[int], None] | None = None
    ) -> CopySummary:
        """Copy what ``target`` lacks of this archive into it, and compare the two (see ``store.copying``)."""
        return copy_archive(self.engine, target.engine, target.index, batch=batch, progress=progress)

    # -- the Daily Update: subscribers and secrets --------------------------------------

    def add_subscriber(
        self, email: str, preferences: Preferences, *, confirmed: bool = False, now: dt.datetime | None = None
    ) -> tuple[Subscriber, bool]:
        """Subscribe an address (see ``subscribers.add_subscriber``); the subscriber and
        whether the address was new."""
        address = normalize_email(email)
        try:
            with self._writing(immediate=True) as conn:
                return subscribers.add_subscriber(conn, address, preferences, confirmed, now or now_utc())
        except sa.exc.IntegrityError:
            # Another process added the address between our look and our insert (two forms
            # at once on PostgreSQL): theirs is the subscription.
            found = self.subscriber_by_email(address)
            if found is None:
                raise
            return found, False

    def get_subscriber(self, subscriber_id: int) -> Subscriber | None:
        with self.engine.connect() as conn:
            return subscribers.get_subscriber(conn, subscriber_id)

    def subscriber_by_email(self, email: str) -> Subscriber | None:
        with self.engine.connect() as conn:
            return subscribers.subscriber_by_email(conn, email)

    def list_subscribers(self, statuses: Sequence[str] = (), *, ids: Sequence[int] | None = None) -> list[Subscriber]:
        with self.engine.connect() as conn:
            return subscribers.list_subscribers(conn, statuses, ids=ids)

    def update_preferences(self, subscriber_id: int, preferences: Preferences) -> Subscriber:
        with self._writing() as conn:
            return subscribers.update_preferences(conn, subscriber_id, preferences)

    def confirm_subscriber(self, subscriber_id: int, now: dt.datetime | None = None) -> Subscriber:
        with self._writing() as conn:
            return subscribers.confirm_subscriber(conn, subscriber_id, now or now_utc())

    def unsubscribe(self, subscriber_id: int, now: dt.datetime | None = None) -> Subscriber:
        with self._writing() as conn:
            return subscribers.unsubscribe(conn, subscriber_id, now or now_utc())

    def remove_subscriber(self, subscriber_id: int) -> bool:
        with self._writing() as conn:
            return subscribers.remove_subscriber(conn, subscriber_id)

    def bump_token_version(self, subscriber_id: int) -> int:
        with self._writing() as conn:
            return subscribers.bump_token_version(conn, subscriber_id)

    def instance_secret(self, name: str, make: Callable[[], str]) -> str:
        """The secret called ``name``, made with ``make`` and stored on first use; every
        process gets the same one (the first to store it wins)."""
        with self.engine.connect() as conn:
            found = subscribers.instance_secret(conn, name)
        if found is not None:
            return found
        try:
            with self._writing() as conn:
                subscribers.store_secret(conn, name, make(), now_utc())
        except sa.exc.IntegrityError:
            pass  # another process stored it first: theirs is the one
        with self.engine.connect() as conn:
            return str(subscribers.instance_secret(conn, name))

    # -- the Daily Update: the send log (store.sends) --------------------------------------

    def claim_send(
        self,
        subscriber_id: int,
        edition: dt.date,
        frequency: Frequency,
        *,
        now: dt.datetime | None = None,
        holder: str | None = None,
        lease: dt.timedelta = SEND_LEASE,
        max_attempts: int = MAX_SEND_ATTEMPTS,
        retry_failed_now: bool = False,
    ) -> SendClaim | None:
        """Claim a subscriber's mail of an edition before sending it (for ``holder``, this
        process by default); None: not to send (see ``sends.claim_send``)."""
        try:
            with self._writing(immediate=True) as conn:
                return sends.claim_send(
                    conn,
                    subscriber_id,
                    edition,
                    frequency,
                    now or now_utc(),
                    holder or worker_name(),
                    lease=lease,
                    max_attempts=max_attempts,
                    retry_failed_now=retry_failed_now,
                )
        except sa.exc.IntegrityError:
            return None  # another sender inserted the row first: it is theirs

    def mark_sent(
        self, claim: SendClaim, message_id: str, now: dt.datetime | None = None, *, reset_failures: bool = True
    ) -> None:
        with self._writing() as conn:
            sends.mark_sent(conn, claim, message_id, now or now_utc(), reset_failures=reset_failures)

    def mark_failed(
        self,
        claim: SendClaim,
        error: str,
        *,
        permanent: bool,
        suspend_after: int,
        retry_after: dt.timedelta = dt.timedelta(minutes=10),
        message_id: str | None = None,
        now: dt.datetime | None = None,
    ) -> bool:
        """The mail was not delivered (see ``sends.mark_failed``); True if the address is now suspended."""
        with self._writing() as conn:
            return sends.mark_failed(
                conn,
                claim,
                error,
                now or now_utc(),
                permanent=permanent,
                suspend_after=suspend_after,
                retry_after=retry_after,
                message_id=message_id,
            )

    def mark_skipped(self, claim: SendClaim, reason: str, now: dt.datetime | None = None) -> None:
        with self._writing() as conn:
            sends.mark_skipped(conn, claim, reason, now or now_utc())

    def release_send(self, claim: SendClaim) -> None:
        with self._writing() as conn:
            sends.release_send(conn, claim)

    def send_log(
        self, edition: dt.date | None = None, frequency: Frequency | None = None, *, subscriber_id: int | None = None
    ) -> list[SendRecord]:
        with self.engine.connect() as conn:
            return sends.send_log(conn, edition, frequency, subscriber_id=subscriber_id)

    # -- alerts on saved searches (store.alerts) --------------------------------------------

    def add_alert(self, values: dict[str, Any], now: dt.datetime | None = None) -> Alert:
        """Save an alert that reports what the archive gains from now on."""
        with self.writer.begin() as conn:
            return alerts.add_alert(conn, values, now or now_utc())

    def get_alert(self, alert_id: int) -> Alert | None:
        with self.engine.connect() as conn:
            return alerts.get_alert(conn, alert_id)

    def alerts(self, *, active_only: bool = False) -> list[Alert]:
        with self.engine.connect() as conn:
            return alerts.list_alerts(conn, active_only=active_only)

    def remove_alert(self, alert_id: int) -> bool:
        with self.writer.begin() as conn:
            return alerts.remove_alert(conn, alert_id)

    def pending_alert_deliveries(self) -> dict[int, int]:
        """Deliveries not yet sent, by alert."""
        with self.engine.connect() as conn:
            return alerts.pending_counts(conn)

    def alert_cursors(self, now: dt.datetime | None = None, floor: tuple[int, int] = (0, 0)) -> tuple[int, int]:
        """How far an alert check may look: article number, change number (see ``alerts.check_cursors``)."""
        with self.engine.connect() as conn:
            return alerts.check_cursors(conn, now, floor)

    def alert_changes_between(self, after: int, upto: int) -> list[Change]:
        with self.engine.connect() as conn:
            return alerts.changes_between(conn, after, upto)

    def alert_changes_by_id(self, change_ids: Sequence[int]) -> list[Change]:
        with self.engine.connect() as conn:
            return alerts.changes_by_id(conn, change_ids)

    def record_alert_check(
        self,
        alert: Alert,
        upto: tuple[int, int],
        article_ids: Sequence[int],
        change_ids: Sequence[int],
        now: dt.datetime,
    ) -> int | None:
        """Move the alert's cursors and record what matched as a pending delivery (see ``alerts.record_check``)."""
        with self.writer.begin(immediate=True) as conn:
            return alerts.record_check(conn, alert, upto, article_ids, change_ids, now)

    def due_alert_deliveries(self, now: dt.datetime, alert_id: int | None = None) -> list[AlertDelivery]:
        with self.engine.connect() as conn:
            return alerts.due_deliveries(conn, now, alert_id)

    def claim_alert_deliveries(self, delivery_ids: Sequence[int], now: dt.datetime, lease: dt.timedelta) -> list[int]:
        """See ``alerts.claim_deliveries``."""
        with self.writer.begin(immediate=True) as conn:
            return alerts.claim_deliveries(conn, delivery_ids, now, lease)

    def finish_alert_deliveries(
        self,
        delivery_ids: Sequence[int],
        status: str,
        *,
        error: str | None = None,
        next_try_at: dt.datetime | None = None,
    ) -> None:
        with self.writer.begin() as conn:
            alerts.finish_deliveries(conn, delivery_ids, status, error=error, next_try_at=next_try_at)

    def mark_alert_sent(self, alert_id: int, now: dt.datetime) -> None:
        with self.writer.begin() as conn:
            alerts.mark_sent(conn, alert_id, now)
