"""The archive on a relational database through SQLAlchemy Core."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa

from wirewatch.errors import StoreError
from wirewatch.models import Article, Change, EntityCount, Event, Revision
from wirewatch.search.base import IndexRow, SearchBackend, SearchRequest, SearchResult
from wirewatch.search.fts5 import FTS5Backend
from wirewatch.store import analysis, browsing, versions
from wirewatch.store.alerts import AlertStore
from wirewatch.store.base import ArchiveStats, BatchCounts, Browse, Incoming, Page
from wirewatch.store.bulk import insert_columns
from wirewatch.store.collection import CrawlQueue
from wirewatch.store.digests import EditionData, read_edition
from wirewatch.store.engine import Writer, create_engine, upgrade
from wirewatch.store.schema import article_raw, articles, imports, sources
from wirewatch.store.subscribers import SubscriberStore


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# The lookups of every batch, built once; the lists go in as expanding parameters,
# which SQLAlchemy renders at execution instead of building a parameter per item.
_KNOWN_KEYS = sa.select(articles.c.record_key).where(articles.c.record_key.in_(sa.bindparam("keys", expanding=True)))
_IDS_BY_KEY = sa.select(articles.c.record_key, articles.c.id).where(
    articles.c.record_key.in_(sa.bindparam("keys", expanding=True))
)
# "duplicate_of + 0": the same test as "duplicate_of IS NULL", but one SQLite cannot
# answer from the duplicate_of index. With that index it walked every original in the
# archive instead of looking up the hashes, so each batch took longer than the last.
_ORIGINALS = sa.select(articles.c.body_hash, articles.c.id).where(
    articles.c.body_hash.in_(sa.bindparam("hashes", expanding=True)), (articles.c.duplicate_of + 0).is_(None)
)


def open_store(target: str) -> SQLStore:
    """The archive at ``target`` (a path or URL), created or upgraded as needed."""
    engine = create_engine(target)
    upgrade(engine)
    if engine.dialect.name == "postgresql":
        from wirewatch.search.postgres import PostgresBackend

        return SQLStore(engine, PostgresBackend())
    return SQLStore(engine, FTS5Backend())


class SQLStore(SubscriberStore, AlertStore):
    """Sources and articles in SQL tables, with the search index kept in step; the Daily
    Update's subscribers, send log and secrets (``store.subscribers``); saved-search
    alerts and their deliveries (``store.alerts``)."""

    def __init__(self, engine: sa.Engine, index: SearchBackend) -> None:
        self.engine = engine
        self.index = index
        self._source_ids: dict[str, int] = {}
        self._folded_sources: dict[str, list[int]] = {}
        self.writer = Writer(engine)
        #: Collection's crawls and job queue, in the same database.
        self.queue = CrawlQueue(engine, self.writer)

    def close(self) -> None:
        self.engine.dispose()

    # -- writing -----------------------------------------------------------------

    def add_batch(self, batch: Sequence[Incoming], import_id: int | None = None) -> BatchCounts:
        counts = BatchCounts()
        if not batch:
            return counts
        plain = [item for item in batch if item.raw.captured_at is None]
        captures = [item for item in batch if item.raw.captured_at is not None]
        try:
            with self.writer.begin() as conn:
                if plain:
                    self._add(conn, plain, import_id, counts)
                if captures:
                    counts.outcomes.update(versions.record_captures(self, conn, captures, import_id, counts))
        except sa.exc.SQLAlchemyError as exc:
            self._source_ids.clear()  # the rolled-back transaction may have created sources
            raise StoreError(f"could not write to the archive: {exc}") from exc
        return counts

    def _add(self, conn: sa.Connection, batch: Sequence[Incoming], import_id: int | None, counts: BatchCounts) -> None:
        keys = [item.record_key for item in batch]
        known = set(conn.scalars(_KNOWN_KEYS, {"keys": keys}))
        fresh: list[Incoming] = []
        for item in batch:
            if item.record_key in known:
                counts.unchanged += 1
            else:
                known.add(item.record_key)  # a key twice in one batch is stored once
                fresh.append(item)
        if not fresh:
            return
        hashes = {item.article.body_hash for item in fresh if item.article.body_hash}
        originals: dict[str, int] = dict(conn.execute(_ORIGINALS, {"hashes": list(hashes)}).all()) if hashes else {}
        # Rows go in input order, so article numbers follow the input. A duplicate of
        # an article earlier in this same batch is linked once that article has an id.
        links: list[int | None] = []
        first_at: dict[str, int] = {}  # body hash -> position of its original in this batch
        later: dict[int, int] = {}  # position of a duplicate -> position of its original
        for position, item in enumerate(fresh):
            h = item.article.body_hash
            links.append(originals.get(h) if h else None)
            if h and h not in originals:
                if h in first_at:
                    later[position] = first_at[h]
                else:
                    first_at[h] = position
        ids = self._insert(conn, fresh, links, set(later), import_id, _now())
        # Every new row, duplicates too: each has its own title and date.
        analysis.write_analysis(conn, (
            (ids[pos], item.entities, item.events or ()) for pos, item in enumerate(fresh) if item.entities is not None
        ))  # fmt: skip
        if later:
            conn.execute(
                sa.update(articles)
                .where(articles.c.id == sa.bindparam("dup"))
                .values(duplicate_of=sa.bindparam("orig")),
                [{"dup": ids[p], "orig": ids[o]} for p, o in later.items()],
            )
        firsts = [(item, ids[pos]) for pos, item in enumerate(fresh) if links[pos] is None and pos not in later]
        self.index.add(conn, (IndexRow(i, item.article.title, item.article.body) for item, i in firsts))
        counts.added += len(firsts)
        counts.duplicates += len(fresh) - len(firsts)

    def _insert(
        self,
        conn: sa.Connection,
        items: list[Incoming],
        links: list[int | None],
        later_dupes: set[int],
        import_id: int | None,
        now: dt.datetime,
    ) -> list[int]:
        # In order of first appearance, so that new sources are numbered as they come.
        names = dict.fromkeys(item.article.source for item in items)
        source_ids = {name: self._source_id(conn, name) for name in names}
        new_articles = [item.article for item in items]
        copies = [link is not None or position in later_dupes for position, link in enumerate(links)]
        keys = [item.record_key for item in items]
        # One executemany, then the ids by record key: RETURNING with ordered rows would
        # make SQLAlchemy insert one row per statement on SQLite. The rows go column by
        # column: no dict per row, and each column's values converted in one go.
        insert_columns(conn, articles, {
            "source_id": [source_ids[a.source] for a in new_articles],
            "title": [a.title for a in new_articles],
            "title_derived": [a.title_derived for a in new_articles],
            "date": [a.date for a in new_articles],
            "date_precision": [a.date_precision for a in new_articles],
            "date_alternatives": [[d.isoformat() for d in a.date_alternatives] or None for a in new_articles],
            "date_note": [a.date_note for a in new_articles],
            "url": [a.url for a in new_articles],
            "language": [a.language for a in new_articles],
            "language_detected": [a.language_detected for a in new_articles],
            "place": [a.place for a in new_articles],
            "body": [None if copy else a.body for a, copy in zip(new_articles, copies)],
            "body_hash": [a.body_hash or None for a in new_articles],
            "duplicate_of": links,
            "metadata": [a.metadata or None for a in new_articles],
            "record_key": keys,
            "import_id": [import_id] * len(items),
            "created_at": [now] * len(items),
        })  # fmt: skip
        by_key = dict(conn.execute(_IDS_BY_KEY, {"keys": keys}).all())
        ids = [by_key[key] for key in keys]
        insert_columns(conn, article_raw, {
            "article_id": ids,
            "input": [item.raw.input for item in items],
            "line": [item.raw.line for item in items],
            "kind": [item.raw.kind for item in items],
            "raw": [item.raw.raw for item in items],
        })  # fmt: skip
        return ids

    def _source_id(self, conn: sa.Connection, name: str) -> int:
        if name in self._source_ids:
            return self._source_ids[name]
        found = conn.scalar(sa.select(sources.c.id).where(sources.c.name == name))
        if found is None:
            found = conn.scalar(sa.insert(sources).values(name=name, created_at=_now()).returning(sources.c.id))
        self._source_ids[name] = int(found)
        return int(found)

    # -- versions ----------------------------------------------------------------

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
            source_id = None
            if source is not None:
                found = self._source_ids_folded(conn, source)
                if not found:
                    return []
                source_id = found[0]
            return versions.changes(
                conn, article_id=article_id, kinds=kinds, source_id=source_id, before=before, limit=limit
            )

    # -- analysis ----------------------------------------------------------------

    def entities_of(self, article_id: int) -> list[EntityCount]:
        with self.engine.connect() as conn:
            return analysis.entities_of(conn, article_id)

    def events_of(self, article_id: int) -> list[Event]:
        with self.engine.connect() as conn:
            return analysis.events_of(conn, article_id)

    def entity_profile(self, entity_type: str, entity_id: str) -> analysis.EntityProfile | None:
        with self.engine.connect() as conn:
            return analysis.entity_profile(conn, entity_type, entity_id)

    def country_pairs(self, limit: int = 50) -> list[analysis.CountryPair]:
        """The pairs of countries with the most events between them."""
        with self.engine.connect() as conn:
            return analysis.country_pairs(conn, limit)

    def relations(self, a: str, b: str, **options: Any) -> analysis.Relations:
        """Events between countries ``a`` and ``b`` (see ``store.analysis.relations``)."""
        with self.engine.connect() as conn:
            return analysis.relations(conn, a, b, **options)

    def edition_data(self, since: dt.date, until: dt.date, *, history_days: int = 30) -> EditionData:
        """What a digest of the days ``since``..``until`` is made from (see ``store.digests``)."""
        return read_edition(self, since, until, history_days=history_days)

    def article_id_by_key(self, record_key: str) -> int | None:
        with self.engine.connect() as conn:
            return conn.scalar(sa.select(articles.c.id).where(articles.c.record_key == record_key))

    def begin_import(self, inputs: Sequence[str]) -> int:
        with self.writer.begin() as conn:
            return int(
                conn.scalar(sa.insert(imports).values(inputs=list(inputs), started_at=_now()).returning(imports.c.id))
            )

    def finish_import(self, import_id: int, summary: dict[str, object]) -> None:
        with self.writer.begin() as conn:
            conn.execute(
                sa.update(imports).where(imports.c.id == import_id).values(finished_at=_now(), summary=summary)
            )

    # -- reading -----------------------------------------------------------------

    # Built once: constructing a select costs more than SQLite takes to answer it.
    _SELECT = sa.select(*browsing.ARTICLE_COLUMNS, articles.c.body).join(sources, sources.c.id == articles.c.source_id)
    _GET = _SELECT.where(articles.c.id == sa.bindparam("id"))
    _BODY = sa.select(articles.c.body).where(articles.c.id == sa.bindparam("id"))
    _DUPLICATES = sa.select(articles.c.id).where(articles.c.duplicate_of == sa.bindparam("id")).order_by(articles.c.id)

    def _select(self) -> sa.Select[Any]:
        return self._SELECT

    @staticmethod
    def _article(row: sa.Row[Any], body: str | None = None) -> Article:
        m = row._mapping
        return Article(
            id=m["id"],
            source=m["source"],
            title=m["title"],
            title_derived=bool(m["title_derived"]),
            date=m["date"],
            date_precision=m["date_precision"],
            date_alternatives=tuple(dt.date.fromisoformat(d) for d in m["date_alternatives"] or ()),
            date_note=m["date_note"],
            url=m["url"],
            language=m["language"],
            language_detected=bool(m["language_detected"]),
            place=m["place"],
            body=body if body is not None else (m["body"] or ""),
            body_hash=m["body_hash"] or "",
            duplicate_of=m["duplicate_of"],
            metadata=m["metadata"] or {},
            record_key=m["record_key"],
            status=m["status"],
            status_at=versions.aware(m["status_at"]) if m["status_at"] else None,
            revisions=m["revisions"],
        )

    def get_article(self, article_id: int) -> Article | None:
        with self.engine.connect() as conn:
            row = conn.execute(self._GET, {"id": article_id}).first()
            if row is None:
                return None
            body = None
            if row._mapping["duplicate_of"] is not None:
                body = conn.scalar(self._BODY, {"id": row._mapping["duplicate_of"]})
            return self._article(row, body)

    def duplicates_of(self, article_id: int) -> list[int]:
        with self.engine.connect() as conn:
            return list(conn.scalars(self._DUPLICATES, {"id": article_id}))

    def raw_record(self, article_id: int) -> dict[str, Any] | None:
        """The input an article was read from: file, line, kind and text as read."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(article_raw).where(article_raw.c.article_id == article_id)).first()
        if row is None:
            return None
        m = row._mapping
        return {"input": m["input"], "line": m["line"], "kind": m["kind"], "raw": m["raw"]}

    def iter_articles(self, *, include_duplicates: bool = True, page: int = 1000) -> Iterator[Article]:
        """Every article in id order, a page at a time (duplicates carry their original's text)."""
        last = 0
        while True:
            query = self._select().where(articles.c.id > last).order_by(articles.c.id).limit(page)
            if not include_duplicates:
                query = query.where(articles.c.duplicate_of.is_(None))
            with self.engine.connect() as conn:
                rows = conn.execute(query).all()
                wanted = {r._mapping["duplicate_of"] for r in rows if r._mapping["duplicate_of"]}
                bodies = (
                    dict(conn.execute(sa.select(articles.c.id, articles.c.body).where(articles.c.id.in_(wanted))).all())
                    if wanted
                    else {}
                )
            if not rows:
                return
            for row in rows:
                yield self._article(row, bodies.get(row._mapping["duplicate_of"]))
            last = rows[-1]._mapping["id"]

    def stats(self) -> ArchiveStats:
        originals = articles.c.duplicate_of.is_(None)
        with self.engine.connect() as conn:
            total, dupes, undated, derived, first, last = conn.execute(
                sa.select(
                    sa.func.count(),
                    sa.func.count(articles.c.duplicate_of),
                    sa.func.count().filter(articles.c.date.is_(None)),
                    sa.func.count().filter(articles.c.title_derived.is_(True)),
                    sa.func.min(articles.c.date),
                    sa.func.max(articles.c.date),
                )
            ).one()
            by_source = conn.execute(
                sa.select(sources.c.name, sa.func.count(articles.c.id))
                .join(articles, articles.c.source_id == sources.c.id)
                .group_by(sources.c.name)
                .order_by(sa.func.count(articles.c.id).desc())
            ).all()
            by_language = conn.execute(
                sa.select(articles.c.language, sa.func.count())
                .where(originals)
                .group_by(articles.c.language)
                .order_by(sa.func.count().desc())
            ).all()
        return ArchiveStats(
            articles=total,
            duplicates=dupes,
            sources={name: n for name, n in by_source},
            languages={(lang or "unknown"): n for lang, n in by_language},
            first_date=first,
            last_date=last,
            undated=undated,
            derived_titles=derived,
        )

    def source_names(self) -> list[str]:
        with self.engine.connect() as conn:
            return list(conn.scalars(sa.select(sources.c.name).order_by(sources.c.name)))

    def _ids_of_sources(self, conn: sa.Connection, names: Sequence[str]) -> list[int]:
        return [sid for name in names for sid in self._source_ids_folded(conn, name)]

    def _source_ids_folded(self, conn: sa.Connection, name: str) -> list[int]:
        """The ids of the sources called ``name`` regardless of case, from a map read
        again only when a name is not in it (sources are only ever added).
        Matched in Python: SQLite's lower() folds ASCII only ("Минджу Чосон")."""
        key = name.casefold()
        if key not in self._folded_sources:
            folded: dict[str, list[int]] = {}
            for sid, stored in conn.execute(sa.select(sources.c.id, sources.c.name).order_by(sources.c.id)):
                folded.setdefault(stored.casefold(), []).append(sid)
            self._folded_sources = folded
        return self._folded_sources.get(key, [])

    def search(self, request: SearchRequest) -> SearchResult:
        with self.engine.connect() as conn:
            source_ids = self._ids_of_sources(conn, request.sources) if request.sources else []
            return self.index.search(conn, request, source_ids)

    # -- browsing ----------------------------------------------------------------

    def _scope(self, conn: sa.Connection, source: str | None, *, originals_only: bool) -> list[Any]:
        conditions: list[Any] = []
        if source is not None:
            ids = self._source_ids_folded(conn, source) or [-1]
            conditions.append(articles.c.source_id == ids[0] if len(ids) == 1 else articles.c.source_id.in_(ids))
        if originals_only:
            # "+ 0" keeps SQLite off the duplicate_of index (see _ORIGINALS): with it, a
            # list by date read every original and sorted them.
            conditions.append((articles.c.duplicate_of + 0).is_(None))
        return conditions

    def browse(self, request: Browse) -> Page:
        with self.engine.connect() as conn:
            source_id = None
            if request.source is not None:
                found = self._source_ids_folded(conn, request.source)
                if not found:
                    return Page([])
                source_id = found[0]
            rows: list[sa.Row[Any]] = []
            for statement, values in browsing.runs(request, source_id):
                if len(rows) > request.limit:
                    break
                rows += conn.execute(statement, {**values, "n": request.limit + 1 - len(rows)}).all()
            bodies: dict[int, str] = {}
            wanted = {r._mapping["duplicate_of"] for r in rows[: request.limit] if r._mapping["duplicate_of"]}
            if wanted:  # a copy's text is kept once, on its original
                text = browsing.text_column(request.with_body)
                bodies = dict(conn.execute(sa.select(articles.c.id, text).where(articles.c.id.in_(wanted))).all())
        found_articles = [self._article(row, bodies.get(row._mapping["duplicate_of"])) for row in rows[: request.limit]]
        following = None
        if len(rows) > request.limit and found_articles:
            following = (found_articles[-1].date, int(found_articles[-1].id or 0))
        return Page(found_articles, following)

    def day_counts(self, since: dt.date, until: dt.date, source: str | None = None) -> dict[dt.date, int]:
        with self.engine.connect() as conn:
            scope = self._scope(conn, source, originals_only=False)
            rows = conn.execute(
                sa.select(articles.c.date, sa.func.count())
                .where(*scope, articles.c.date.between(since, until), articles.c.date_precision == "day")
                .group_by(articles.c.date)
                .order_by(articles.c.date)
            ).all()
        return {day: n for day, n in rows}

    def month_counts(self, source: str | None = None) -> dict[tuple[int, int], int]:
        year, month = sa.extract("year", articles.c.date), sa.extract("month", articles.c.date)
        with self.engine.connect() as conn:
            scope = self._scope(conn, source, originals_only=False)
            rows = conn.execute(
                sa.select(year, month, sa.func.count())
                .where(*scope, articles.c.date.is_not(None))
                .group_by(year, month)
                .order_by(year, month)
            ).all()
        return {(int(y), int(m)): n for y, m, n in rows}

    def adjacent_days(self, day: dt.date) -> tuple[dt.date | None, dt.date | None]:
        date = articles.c.date
        precise = articles.c.date_precision == "day"
        with self.engine.connect() as conn:
            before = conn.scalar(sa.select(date).where(date < day, precise).order_by(date.desc()).limit(1))
            after = conn.scalar(sa.select(date).where(date > day, precise).order_by(date.asc()).limit(1))
        return before, after
