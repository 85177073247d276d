"""The tantivy back end: a full-text index outside the archive, derived from it.

Why: SQLite's FTS5 and PostgreSQL's ``ts_rank`` score every match before the best 20 are
known, so a broad query ("Kim Jong Il", 120,000 matches at 10^6 articles) takes 200 ms
to a second. Tantivy (the Rust engine under Quickwit and ParadeDB) ranks with block-max
WAND and counts facets from columnar fast fields: the same query takes milliseconds
(``bench/bench_search_engine.py``, ``docs/scaling.md``).

How it stays right: the archive is the source of truth. Triggers log every write to an
article's searchable fields (migration 0008, ``changes.py``); the index keeps, in a small
state file beside its segments, the *horizon* it has applied the log up to. Before each
search the index compares the log's tail with the one it recorded (one indexed query)
and, when something was written, re-indexes the articles named since its horizon.
Applying a change is idempotent (delete the article's document, add it again if it is
searchable), so a crash anywhere — between the index's commit and the state's, or in
the middle of a build — costs only doing some of it again.

Where it lives: one directory per index (``SearchOptions.index_dir``), beside an SQLite
archive by default. Every node of a team on PostgreSQL keeps an index of its own, fed
from the archive's log: nodes share nothing but the database. Within a directory,
tantivy's lock lets one process write at a time; a search that finds the lock taken
searches what is committed (what the writer is adding was stored a moment ago).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import tantivy

from wirewatch.errors import QueryError, SearchTimeout
from wirewatch.search import changes
from wirewatch.search.base import DayCount, IndexRow, SearchRequest, SearchResult
from wirewatch.search.documents import SCHEMA_VERSION, document, index_schema, register_analyzer
from wirewatch.search.query import Node, positive_terms
from wirewatch.search.results import hits_of, words_and_filters
from wirewatch.search.tantivy_query import MAX_EXPANSION, to_tantivy

log = logging.getLogger(__name__)

#: Bumped when the documents change shape: an index of another version is rebuilt.
STATE_FILE = "wirewatch-index.json"
#: The writer's memory, shared by its indexing threads: a segment is written when a thread's
#: share fills. Two threads: a build runs once an import has stored everything (its worker
#: process has stopped), and the analyser cutting text in Rust is then what a build waits
#: for: one thread left the importing process blocked in add_document (the shared corpus's
#: build 3.2 -> 2.3 s).
WRITER_HEAP = 64_000_000
WRITER_THREADS = 2
#: Threads per process that count and facet beside the searches that rank (the web's
#: search threads, ``web.routes.common.SEARCH_THREADS``, and room for the CLI's one).
BESIDE_THREADS = 4
#: How many timelines' totals (by sources, languages, statuses, dates) a process keeps.
TOTALS_KEPT = 64
#: A build commits, and records how far it got, every so many articles.
BUILD_COMMIT = 50_000
BUILD_PAGE = 2_000
#: How long a catch-up that must happen (an import's end, reindex) waits for another
#: process's writer; a search waits not at all.
WRITER_WAIT = 120.0
_FACETS = {
    "source": {"terms": {"field": "source", "size": 10_000}},
    "year": {"terms": {"field": "year", "size": 1_000}},
    "language": {"terms": {"field": "language", "size": 1_000}},
}

#: A timeline's counts: per day (day ordinals, interval 1: only the days with matches come
#: back), then per source; and per source over all, for the undated matches.
_DAYS = {
    "days": {
        "histogram": {"field": "day", "interval": 1, "min_doc_count": 1},
        "aggs": {"source": {"terms": {"field": "source", "size": 10_000}}},
    },
    "source": {"terms": {"field": "source", "size": 10_000}},
}


@dataclass(frozen=True, slots=True)
class IndexState:
    """What the state file records: whose index, how far it has applied the log."""

    archive: str
    schema: int
    horizon: int
    tail_rows: int = 0
    tail_last: int | None = None
    #: During a build, the last article id indexed; None once the build is complete.
    built_upto: int | None = None

    @property
    def tail(self) -> changes.Tail:
        return changes.Tail(self.tail_rows, self.tail_last)


class TantivyBackend:
    """Search through a tantivy index at ``path`` (None: in memory, for an in-memory
    archive), kept in step with the archive ``engine`` holds (see the module)."""

    name = "tantivy"

    def __init__(self, engine: sa.Engine, path: Path | None) -> None:
        self.engine = engine
        self.path = path
        self.schema = index_schema()
        self._index: tantivy.Index | None = None
        self._lock = threading.RLock()
        self._seen: IndexState | None = None  # the state this process's reader is at
        self._memory_state: IndexState | None = None  # the state of an in-memory index
        self._archive: str | None = None  # the archive's identity, read once
        self._source_names: dict[int, str] = {}  # for the facets, read when one is missing
        self._read: tuple[tuple[int, int, int], IndexState] | None = None  # the state file, last read
        self._totals: dict[object, list[DayCount]] = {}  # the timelines' totals, by index state
        self._totals_lock = threading.Lock()

    # -- the SearchBackend protocol ----------------------------------------------------

    def add(self, conn: sa.Connection, rows: Iterable[IndexRow]) -> None:
        # The triggers have logged the change; the SQL tables of the other engine fall behind.
        _sql_index_stale(conn)

    def remove(self, conn: sa.Connection, rows: Iterable[IndexRow]) -> None:
        _sql_index_stale(conn)

    def clear(self, conn: sa.Connection) -> None:
        """Forget the index: the next search (or ``rebuild``) builds it again."""
        with self._lock:
            self._index = None
            self._seen = self._memory_state = None
            if self.path is not None and self.path.exists():
                shutil.rmtree(self.path)

    def search(self, conn: sa.Connection, request: SearchRequest, source_ids: Sequence[int]) -> SearchResult:
        deadline = _Deadline(request.time_limit)
        self._follow(conn)
        tree, request = words_and_filters(request)
        searcher = self._open().searcher()

        expand = self._expander(searcher, deadline)
        ranked = tree is not None and request.order == "relevance"
        oldest = request.order == "oldest"
        try:
            words = to_tantivy(tree, self.schema, expand) if tree is not None else None
            query = self._with_filters(conn, words, request, source_ids)
            deadline.check()
            # The count and facets visit every match, the page only the best: two passes,
            # run side by side (tantivy releases the GIL), so a broad query costs the
            # longer of the two, not their sum.
            counting = _beside().submit(searcher.aggregate, query, _FACETS)
            try:
                if ranked:
                    found = searcher.search(query, request.limit, count=False, offset=request.offset)
                else:
                    found = searcher.search(
                        query,
                        request.limit,
                        count=False,
                        offset=request.offset,
                        order_by_field="oldest" if oldest else "newest",
                        order=tantivy.Order.Asc if oldest else tantivy.Order.Desc,
                    )
            finally:
                counted = counting.result()
        except ValueError as exc:  # tantivy refuses what the parser let through
            raise QueryError(f"the search index cannot run this query: {exc}") from exc
        facets, total = self._facets(conn, counted)
        if not total:
            return SearchResult(total=0, hits=[], facets=facets)
        deadline.check()
        ids = [int(v or 0) for v in searcher.fast_field_values("id", [address for _, address in found.hits])]
        scores = {i: float(score) for i, (score, _) in zip(ids, found.hits, strict=True)} if ranked else {}
        deadline.check()
        return SearchResult(total=total, hits=hits_of(conn, ids, scores, positive_terms(tree)), facets=facets)

    def day_counts(self, conn: sa.Connection, request: SearchRequest, source_ids: Sequence[int]) -> list[DayCount]:
        self._follow(conn)
        tree, request = words_and_filters(request)
        # A timeline's totals (every article of some sources) are asked for with each of
        # its queries, and cost the most: kept until the index changes.
        key = None
        if tree is None and not request.filters and request.id_range is None and request.article_ids is None:
            state = self._state()
            key = (
                state,
                tuple(source_ids),
                request.languages,
                request.statuses,
                request.since,
                request.until,
            )
            with self._totals_lock:
                if key in self._totals:
                    return self._totals[key]
        counts = self._day_counts(conn, tree, request, source_ids)
        if key is not None:
            with self._totals_lock:
                if len(self._totals) >= TOTALS_KEPT:
                    self._totals.clear()
                self._totals[key] = counts
        return counts

    def _day_counts(
        self, conn: sa.Connection, tree: Node | None, request: SearchRequest, source_ids: Sequence[int]
    ) -> list[DayCount]:
        searcher = self._open().searcher()
        try:
            words = (
                to_tantivy(tree, self.schema, self._expander(searcher, _Deadline(request.time_limit))) if tree else None
            )
            counted = searcher.aggregate(self._with_filters(conn, words, request, source_ids), _DAYS)
        except ValueError as exc:
            raise QueryError(f"the search index cannot run this query: {exc}") from exc
        out: list[DayCount] = []
        dated: Counter[int] = Counter()
        for bucket in counted.get("days", {}).get("buckets", []):
            day = dt.date.fromordinal(int(bucket["key"]))
            for inner in bucket.get("source", {}).get("buckets", []):
                out.append(DayCount(day, int(inner["key"]), int(inner["doc_count"])))
                dated[int(inner["key"])] += int(inner["doc_count"])
        for bucket in counted.get("source", {}).get("buckets", []):
            undated = int(bucket["doc_count"]) - dated[int(bucket["key"])]
            if undated:
                out.append(DayCount(None, int(bucket["key"]), undated))
        return out

    # -- keeping up with the archive ---------------------------------------------------

    def _follow(self, conn: sa.Connection) -> None:
        """Before a search: catch up when the log moved, checked on the search's own
        connection (one indexed query; on PostgreSQL a second connection would cost more
        round trips than the search itself)."""
        state = self._state()
        if self._current(conn, state):
            self._reload(state)
            return
        self.catch_up(wait=False)

    def _current(self, conn: sa.Connection, state: IndexState | None) -> bool:
        """True when the index holds everything the archive's log holds."""
        return (
            state is not None
            and state.built_upto is None
            and state.schema == SCHEMA_VERSION
            and state.archive == self._identity(conn)
            and changes.tail(conn, state.horizon) == state.tail
        )

    def catch_up(self, *, wait: bool = True, progress: Callable[[int], None] | None = None) -> int:
        """Apply what the archive's log holds past the index's horizon (building the index
        first when there is none, it belongs to another archive or a build was cut short).
        The articles re-indexed; 0 when another process holds the writer and ``wait`` is
        False (it is catching up already)."""
        with self._lock:
            state = self._state()
            with self.engine.connect() as conn:
                identity = self._identity(conn)
                if self._current(conn, state):
                    self._reload(state)
                    return 0
            if state is None or state.archive != identity or state.schema != SCHEMA_VERSION:
                state = None
            with self._writer(wait) as writer:
                if writer is None:
                    self._reload(self._state())
                    return 0
                done = 0
                if state is None or state.built_upto is not None:
                    done, state = self._build(writer, state, identity, progress)
                return done + self._apply_log(writer, state, progress)

    def rebuild(self, progress: Callable[[int], None] | None = None) -> int:
        """Build the index anew from the archive (``wirewatch reindex``): the articles indexed."""
        with self._lock:
            with self.engine.connect() as conn:
                identity = self._identity(conn)
            with self._writer(True) as writer:
                assert writer is not None  # waited for
                done, state = self._build(writer, None, identity, progress)
                return done + self._apply_log(writer, state, progress)

    def _build(
        self,
        writer: tantivy.IndexWriter,
        state: IndexState | None,
        identity: str,
        progress: Callable[[int], None] | None,
    ) -> tuple[int, IndexState]:
        """Index every searchable article, from where a cut-short build stopped (``state``)
        or from the start; commits every ``BUILD_COMMIT`` articles, recording how far."""
        if state is None:
            writer.delete_all_documents()
            with self.engine.connect() as conn:
                state = IndexState(identity, SCHEMA_VERSION, changes.horizon_now(conn), built_upto=0)
        else:  # the documents past the last recorded point may be in the index already
            writer.delete_documents_by_query(
                tantivy.Query.range_query(self.schema, "id", tantivy.FieldType.Unsigned, state.built_upto, None, False)
            )
        after = state.built_upto or 0
        done = since_commit = 0
        while True:
            with self.engine.connect() as conn:
                docs, last = changes.documents_after(conn, after, BUILD_PAGE)
            if last is None:
                break
            for doc in docs:
                writer.add_document(document(doc))
            after, done, since_commit = last, done + len(docs), since_commit + len(docs)
            if progress:
                progress(len(docs))
            if since_commit >= BUILD_COMMIT:
                writer.commit()
                state = IndexState(identity, SCHEMA_VERSION, state.horizon, built_upto=after)
                self._save(state)
                since_commit = 0
        writer.commit()
        state = IndexState(identity, SCHEMA_VERSION, state.horizon)
        self._save(state)
        log.info("search index built", extra={"articles": done, "index": str(self.path or "memory")})
        return done, state

    def _apply_log(self, writer: tantivy.IndexWriter, state: IndexState, progress: Callable[[int], None] | None) -> int:
        with self._snapshot() as conn:
            found = changes.changes_since(conn, state.horizon)
        if not found.article_ids:
            self._save(IndexState(state.archive, state.schema, found.horizon, found.tail.rows, found.tail.last))
            return 0
        ids = found.article_ids
        with self.engine.connect() as conn:
            for start in range(0, len(ids), changes.READ_CHUNK):
                chunk = ids[start : start + changes.READ_CHUNK]
                # By query: tantivy's delete by term takes a Python int as i64, not the
                # field's u64, and would delete nothing.
                writer.delete_documents_by_query(tantivy.Query.term_set_query(self.schema, "id", chunk))
                for _, doc in changes.documents(conn, chunk):
                    if doc is not None:
                        writer.add_document(document(doc))
                if progress:
                    progress(len(chunk))
        writer.commit()
        done = len(ids)
        self._save(IndexState(state.archive, state.schema, found.horizon, found.tail.rows, found.tail.last))
        return done

    def _identity(self, conn: sa.Connection) -> str:
        if self._archive is None:
            self._archive = changes.archive_identity(conn)
        return self._archive

    # -- the index directory -----------------------------------------------------------

    def _open(self) -> tantivy.Index:
        if self._index is not None:
            return self._index
        with self._lock:  # the web's search threads: one Index object per backend
            return self._open_locked()

    def _open_locked(self) -> tantivy.Index:
        if self._index is None:
            if self.path is None:
                index = tantivy.Index(self.schema)
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                try:
                    # Segments without a state are a build cut short, or one another process
                    # has just started: the build that follows clears them under the writer's
                    # lock. (Removing them here removed a concurrent first build's index.)
                    index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
                except ValueError:
                    if self._state() is not None:
                        raise
                    # Segments of another schema that no state describes: nothing can read them.
                    shutil.rmtree(self.path, ignore_errors=True)
                    self.path.mkdir(parents=True, exist_ok=True)
                    index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
            register_analyzer(index)
            self._index = index
        return self._index

    @contextlib.contextmanager
    def _writer(self, wait: bool) -> Iterator[tantivy.IndexWriter | None]:
        """The index's writer, or None when another process holds it and ``wait`` is False
        (or it stayed held past ``WRITER_WAIT``)."""
        index = self._open()
        deadline = time.monotonic() + (WRITER_WAIT if wait else 0.0)
        pause = 0.05
        while True:
            try:
                writer = index.writer(WRITER_HEAP, WRITER_THREADS)
                break
            except ValueError as exc:
                if "LockBusy" not in str(exc) or time.monotonic() >= deadline:
                    if "LockBusy" in str(exc):
                        log.info("search index busy", extra={"index": str(self.path)})
                        yield None
                        return
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 1.0)
        try:
            yield writer
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()
        self._reload(self._state())

    @contextlib.contextmanager
    def _snapshot(self) -> Iterator[sa.Connection]:
        """A connection that reads one snapshot of the archive throughout."""
        if self.engine.dialect.name == "postgresql":
            with self.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
                yield conn
        else:
            with self.engine.connect() as conn, conn.begin():
                yield conn

    def _state(self) -> IndexState | None:
        """The state file as it is now: read again only when it was replaced (its inode or
        time changed), since every search asks."""
        if self.path is None:
            return self._memory_state
        where = self.path / STATE_FILE
        try:
            seen = where.stat()
            stamp = (seen.st_ino, seen.st_mtime_ns, seen.st_size)
            if self._read is not None and self._read[0] == stamp:
                return self._read[1]
            values: dict[str, Any] = json.loads(where.read_text(encoding="utf-8"))
            state = IndexState(**values)
        except (OSError, ValueError, TypeError):
            return None
        self._read = (stamp, state)
        return state

    def _save(self, state: IndexState) -> None:
        if self.path is None:
            self._memory_state = state
            return
        temporary = self.path / (STATE_FILE + ".tmp")
        temporary.write_text(json.dumps(asdict(state)), encoding="utf-8")
        os.replace(temporary, self.path / STATE_FILE)

    def _reload(self, state: IndexState | None) -> None:
        """Point this process's searcher at the last commit when the state moved on."""
        if state != self._seen:
            self._open().reload()
            self._seen = state

    # -- filters and facets --------------------------------------------------------------

    @staticmethod
    def _expander(searcher: tantivy.Searcher, deadline: _Deadline) -> Callable[[str, str], list[str]]:
        """How a prefix* is widened: the index's words that start with it, at most
        ``MAX_EXPANSION`` + 1 (one more tells the parser the prefix was too broad)."""

        def expand(field: str, prefix: str) -> list[str]:
            deadline.check()
            return [word for word, _ in searcher.terms_with_prefix(field, prefix, limit=MAX_EXPANSION + 1)]

        return expand

    def _with_filters(
        self, conn: sa.Connection, words: tantivy.Query | None, request: SearchRequest, source_ids: Sequence[int]
    ) -> tantivy.Query:
        must: list[tantivy.Query] = [words] if words is not None else []
        must_not: list[tantivy.Query] = []
        schema = self.schema
        if request.sources:
            must.append(tantivy.Query.term_set_query(schema, "source", list(source_ids)))
        if request.languages:
            must.append(tantivy.Query.term_set_query(schema, "language", list(request.languages)))
        if request.statuses:
            must.append(tantivy.Query.term_set_query(schema, "status", list(request.statuses)))
        if request.since or request.until:
            low = request.since.toordinal() if request.since else None
            high = request.until.toordinal() if request.until else None
            must.append(tantivy.Query.range_query(schema, "day", tantivy.FieldType.Integer, low, high))
        if request.id_range is not None:
            after, upto = request.id_range
            must.append(tantivy.Query.range_query(schema, "id", tantivy.FieldType.Unsigned, after, upto, False, True))
        if request.article_ids is not None:
            must.append(tantivy.Query.term_set_query(schema, "id", list(request.article_ids)))
        for wanted in dict.fromkeys(request.filters):
            ids = tantivy.Query.term_set_query(schema, "id", _analysed(conn, wanted.kind, wanted.id))
            (must_not if wanted.exclude else must).append(ids)
        if not must:
            must.append(tantivy.Query.all_query())
        clauses = [(tantivy.Occur.Must, q) for q in must] + [(tantivy.Occur.MustNot, q) for q in must_not]
        return must[0] if len(clauses) == 1 else tantivy.Query.boolean_query(clauses)

    def _facets(self, conn: sa.Connection, counted: dict[str, Any]) -> tuple[dict[str, dict[str, int]], int]:
        names = self._source_names
        if any(int(b["key"]) not in names for b in counted.get("source", {}).get("buckets", [])):
            # A source this process has not seen yet (they are never renamed): read them all.
            names = self._source_names = dict(conn.execute(sa.text("SELECT id, name FROM sources")).all())

        def buckets(name: str) -> list[tuple[Any, int]]:
            return [(b["key"], int(b["doc_count"])) for b in counted.get(name, {}).get("buckets", [])]

        sources = buckets("source")
        facets = {
            "source": dict(sorted(((names.get(int(k), str(k)), n) for k, n in sources), key=lambda kv: -kv[1])),
            "year": dict(sorted((str(int(k)), n) for k, n in buckets("year"))),
            "language": dict(sorted(((str(k), n) for k, n in buckets("language")), key=lambda kv: -kv[1])),
        }
        return facets, sum(n for _, n in sources)


_BESIDE: list[ThreadPoolExecutor] = []
_BESIDE_LOCK = threading.Lock()


def _beside() -> ThreadPoolExecutor:
    """The threads that run a search's count and facets beside its page: kept for the
    process (starting a thread per search cost 0.7 ms), as many as searches can run at
    once in a server process, and created when the first search needs one."""
    with _BESIDE_LOCK:
        if not _BESIDE:
            _BESIDE.append(ThreadPoolExecutor(max_workers=BESIDE_THREADS, thread_name_prefix="wirewatch-facets"))
        return _BESIDE[0]


class _Deadline:
    """A search's time limit (``SearchRequest.time_limit``). Tantivy cannot be stopped
    within a call, so the limit is checked between the steps (each prefix's words, the
    count and facets, the page): a search past it is stopped at the next step, each step
    taking milliseconds at 10^6 articles."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.at = None if seconds is None else time.monotonic() + seconds

    def check(self) -> None:
        if self.at is not None and self.seconds is not None and time.monotonic() > self.at:
            raise SearchTimeout(self.seconds)


def _analysed(conn: sa.Connection, kind: str, value: str) -> list[int]:
    """The articles whose stored analysis names the entity, or reports an event of the type."""
    if kind == "event":
        sql, params = "SELECT DISTINCT article_id FROM article_events WHERE type = :v", {"v": value}
    else:
        sql = "SELECT DISTINCT article_id FROM article_entities WHERE entity_type = :k AND entity_id = :v"
        params = {"k": kind, "v": value}
    return [int(i) for i in conn.scalars(sa.text(sql), params)]


def _sql_index_stale(conn: sa.Connection) -> None:
    conn.execute(sa.text("UPDATE search_state SET value = 'stale' WHERE name = 'sql_index' AND value <> 'stale'"))
