"""Re-cleaning: an archived article's record rebuilt from its raw input and cleaned with
today's rules. Pure functions over plain values, run by ``reprocessing`` on a Dask
worker or in-process: nothing here opens the archive.

Each article
    Its record is rebuilt from ``article_raw`` the way the reader of its kind built it:
    ``jsonl`` (JSON Lines and JSON arrays) parses the raw text as JSON; ``page`` and
    ``text`` split the saved text again (``page`` stripping chrome with today's
    boilerplate rules); ``html`` extracts it again with trafilatura. A ``csv`` row alone
    does not say which cell is which column (the header row is not kept), so the
    header is recovered: the assignment of the row's cells to column names that
    reproduces the article's record key (the digest of its source and fields as read)
    — verified, not guessed; an article for which none does is skipped. Any other kind,
    and a web capture (whose fields the collector builds), is skipped with the reason.
    ``build_article`` then runs with today's options; a record without a source field
    gets the source its article is stored under (what the import's ``--source`` gave).

    Only the cleaned columns are compared and rewritten: title, title_derived, date,
    date_precision, date_alternatives, date_note, language, language_detected, place,
    body, body_hash (the text compared by its hash, so the stored text is never read).
    An unchanged article is not written. The source, URL, metadata and
    record key are the article's identity and never change; an article today's
    cleaning rejects is skipped (with the reason), never deleted. A collected article's
    earlier versions (its revisions) are history and are left as they are.

Duplicates
    A duplicate (its text kept once, on its original) is re-cleaned too. When its new
    text hash equals the hash its original has after this run (the original's
    re-cleaned hash when the run covers it, its stored hash otherwise), the link stays
    and the row's own columns are updated. Otherwise its text no longer duplicates the
    original's: the row keeps its own text, is unlinked and indexed (``unlinked``).
    No link is made: an original whose new text equals another's stays an original.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import itertools
import json
import operator
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from wirewatch.analysis.analyse import analyse
from wirewatch.clean.record import CleanOptions, build_article
from wirewatch.errors import RecordError
from wirewatch.ingest import ReadOptions
from wirewatch.ingest.csvfile import FIELDS
from wirewatch.ingest.html import extract_html
from wirewatch.ingest.options import ReadContext
from wirewatch.ingest.page import parse_page
from wirewatch.ingest.text import split_first_line, split_paragraphs
from wirewatch.models import Article, ArticleChange, RawRecord, Rejected, StoredArticle
from wirewatch.pipeline.prepare import record_key
from wirewatch.store.analysis import AnalysisRow

if TYPE_CHECKING:
    from wirewatch.analysis.actors import Actors

__all__ = [
    "STAGES",
    "Partition",
    "PartitionResult",
    "StageOptions",
    "analyse_partition",
    "process_partition",
    "reclean_partition",
]

#: What a run can do to each partition, in order (see ``reprocessing``): clean the
#: articles again from their raw input; analyse them again (entities and events).
STAGES = ("clean", "analyse")
#: The record key of a web capture ends so (see ``pipeline.prepare.prepare``).
CAPTURE_KEY_SUFFIX = ":u"
#: The delimiters the CSV reader chooses among, tried in turn on a row.
_DELIMITERS = (",", "\t", ";")

NO_RAW = "no raw input kept"
CAPTURE = "a web capture (its fields are the collector's)"
CSV_HEADER = "csv: no column order reproduces the record key (the header row is not kept)"


@dataclass(frozen=True, slots=True)
class Partition:
    """A partition's rows (StoredArticle tuples) as one object, so that Dask moves them
    in one piece. ``texts``: each row's stored text (its original's, for a duplicate),
    read only for the analyse stage."""

    rows: list[tuple[Any, ...]]
    texts: list[str | None] | None = None


@dataclass(frozen=True, slots=True)
class StageOptions:
    """What the stages need beside the rows: the cleaning options, and the actor data
    for the analyse stage. Sent to each worker once."""

    clean: CleanOptions
    actors: Actors | None = None


@dataclass(slots=True)
class PartitionResult:
    """What a partition's work found: the changes to write, the analyses to store, and counts."""

    examined: int = 0
    unchanged: int = 0
    unlinked: int = 0
    changes: list[ArticleChange] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    analyses: list[AnalysisRow] = field(default_factory=list)


def process_partition(partition: Partition, options: StageOptions, stages: tuple[str, ...] = STAGES) -> PartitionResult:
    """Run ``stages`` over one partition: what a worker is given to do. With both, the
    analysis is of each article as cleaned today (as stored, when it cannot be re-cleaned)."""
    result = PartitionResult()
    cleaned: dict[int, Article] = {}
    if "clean" in stages:
        result = _reclean(partition.rows, options.clean, cleaned)
    if "analyse" in stages:
        if options.actors is None or partition.texts is None:
            raise ValueError("the analyse stage needs the actor data and the partition's texts")
        result.analyses = analyse_partition(partition.rows, partition.texts, options.actors, cleaned)
        if "clean" not in stages:
            result.examined = len(partition.rows)
    return result


def analyse_partition(
    rows: Sequence[tuple[Any, ...]],
    texts: Sequence[str | None],
    actors: Actors,
    cleaned: dict[int, Article] | None = None,
) -> list[AnalysisRow]:
    """The entities and events of each article of ``rows`` (StoredArticle tuples), from
    its stored title, date and text (``texts``, in the same order), or from ``cleaned``
    (article id → the article cleaned today) when it holds the article. Pure."""
    found: list[AnalysisRow] = []
    for values, text in zip(rows, texts, strict=True):
        row = StoredArticle._make(values)
        article = (cleaned or {}).get(row.id) or Article(row.source, row.title, text or "", date=row.date)
        analysis = analyse(article, actors)
        found.append((row.id, tuple(analysis.entities), tuple(analysis.events)))
    return found


def reclean_partition(rows: Sequence[tuple[Any, ...]], options: CleanOptions) -> PartitionResult:
    """What today's cleaning changes in ``rows`` (StoredArticle tuples): a change for
    each article whose cleaned columns differ from the stored ones (its text compared
    by its hash), a count of those that do not, and the reasons for those it cannot
    re-clean. Pure: it reads nothing but its arguments."""
    return _reclean(rows, options, {})


def _reclean(rows: Sequence[tuple[Any, ...]], options: CleanOptions, cleaned: dict[int, Article]) -> PartitionResult:
    """``reclean_partition``, keeping in ``cleaned`` each article today's cleaning makes."""
    result = PartitionResult()
    articles = [StoredArticle._make(values) for values in rows]
    cleaner = _Recleaner(options, keep={row.duplicate_of for row in articles if row.duplicate_of is not None})
    for row in articles:
        result.examined += 1
        article = cleaner.article(row)
        if isinstance(article, str):
            result.skipped[article] += 1
            continue
        cleaned[row.id] = article
        if row.duplicate_of is None:
            new = _change(row.id, article, article.body, None)
        else:
            target = row.original_hash  # the original's hash, when this run leaves it as it is
            if row.original is not None:
                original = cleaner.article(StoredArticle._make(row.original))
                if isinstance(original, Article):
                    target = original.body_hash or None
            linked = bool(article.body_hash) and article.body_hash == target
            new = _change(row.id, article, None if linked else article.body, row.duplicate_of if linked else None)
            result.unlinked += not linked
        if _compared(new) == _compared(row):
            result.unchanged += 1
        else:
            result.changes.append(new)
    return result


def _change(article_id: int, article: Article, body: str | None, duplicate_of: int | None) -> ArticleChange:
    return ArticleChange(
        article_id,
        article.title,
        article.title_derived,
        article.date,
        article.date_precision,
        tuple(article.date_alternatives),
        article.date_note,
        article.language,
        article.language_detected,
        article.place,
        body,
        article.body_hash or None,
        duplicate_of,
    )


#: What tells a change from the stored article: every rewritten column, the text by its hash.
_compared = operator.attrgetter(*(name for name in ArticleChange._fields[1:] if name != "body"))


class _Skip(Exception):
    """The article cannot be re-cleaned; the message says why."""


class _Recleaner:
    """Today's cleaning of one partition's articles, with what it can reuse between them."""

    def __init__(self, options: CleanOptions, keep: set[int]) -> None:
        self.options = options
        self.context = ReadContext(ReadOptions(boilerplate=options.rules))
        self._keep = keep  # ids whose result a duplicate may ask for again
        self._kept: dict[int, Article | str] = {}
        self._by_source: dict[str, CleanOptions] = {}
        self._headers: dict[str, tuple[str, list[str]]] = {}  # CSV input -> delimiter, header found

    def article(self, row: StoredArticle) -> Article | str:
        """The article today's cleaning makes of ``row``'s raw input, or why there is none."""
        if row.id in self._kept:
            return self._kept[row.id]
        result: Article | str
        try:
            result = build_article(self._record(row), self._options(row.source))
        except _Skip as skip:
            result = str(skip)
        except RecordError as exc:
            result = f"rejected now: {exc}"
        except Exception as exc:  # a cleaning bug skips its article, not the partition
            result = Rejected.unexpected(row.input or "", row.line, "cleaned", exc).reason
        if row.id in self._keep:
            self._kept[row.id] = result
        return result

    def _options(self, source: str) -> CleanOptions:
        if source not in self._by_source:
            self._by_source[source] = dataclasses.replace(self.options, default_source=source)
        return self._by_source[source]

    def _record(self, row: StoredArticle) -> RawRecord:
        if row.kind is None or row.raw is None:
            raise _Skip(NO_RAW)
        if row.record_key.endswith(CAPTURE_KEY_SUFFIX):
            raise _Skip(CAPTURE)
        if row.kind == "jsonl":
            fields = _json_fields(row.raw)
        elif row.kind == "csv":
            fields = self._csv_fields(row)
        elif row.kind == "page":
            fields = parse_page(row.raw, self.context)
        elif row.kind == "html":
            fields = extract_html(row.raw)
        elif row.kind == "text":
            fields = _text_fields(row.raw)
        else:
            raise _Skip(f"kind {row.kind!r} cannot be re-read")
        return RawRecord(row.input or "", row.line, row.kind, fields, row.raw)

    def _csv_fields(self, row: StoredArticle) -> dict[str, Any]:
        """The row's cells under the header that reproduces its record key: the one found
        for its input before, else each assignment of the cells to the columns its
        metadata names and the corpus fields."""
        assert row.raw is not None
        digest = row.record_key.rsplit(":", 1)[0]
        # The csv module's limit is process-wide (the reader raises it the same way).
        csv.field_size_limit(max(csv.field_size_limit(), len(row.raw) + 1))
        known = self._headers.get(row.input or "")
        delimiters = ((known[0],) if known else ()) + _DELIMITERS
        for delimiter in delimiters:
            try:
                parsed = list(csv.reader(io.StringIO(row.raw), delimiter=delimiter))
            except csv.Error:
                continue
            if len(parsed) != 1:
                continue
            cells = parsed[0]
            headers: Iterable[list[str]] = _candidate_headers(cells, row.metadata or {})
            if known and known[0] == delimiter and len(cells) <= len(known[1]):
                headers = itertools.chain([known[1]], headers)
            for header in headers:
                fields = dict(zip(header, cells, strict=False))
                if record_key(row.source, RawRecord("", None, "csv", fields, "")) == digest:
                    if not known or len(header) >= len(known[1]):  # the longest fits every row of the input
                        self._headers[row.input or ""] = (delimiter, header)
                    return fields
        raise _Skip(CSV_HEADER)


def _json_fields(raw: str) -> dict[str, Any]:
    try:
        value = json.loads(raw)
    except ValueError:
        raise _Skip("jsonl: the raw text is not JSON") from None
    if not isinstance(value, dict):
        raise _Skip("jsonl: the raw text is not a JSON object")
    return value


def _text_fields(raw: str) -> dict[str, Any]:
    """What ``ingest.text.read_text`` makes of a text file: the first line, the rest."""
    title, rest = split_first_line(raw)
    fields: dict[str, Any] = {"title": title}
    body = "\n\n".join(split_paragraphs(rest))
    if body:
        fields["body"] = body
    return fields


def _candidate_headers(cells: list[str], metadata: dict[str, Any]) -> Iterator[list[str]]:
    """Every header the reader may have read ``cells`` under: the metadata's columns on
    cells holding their values, the corpus fields (``title``, ``date``…) on the rest."""
    header: list[str | None] = [None] * len(cells)
    for name, value in metadata.items():
        position = next((i for i, cell in enumerate(cells) if header[i] is None and cell == value), None)
        if position is None:
            return
        header[position] = name
    free = [i for i, name in enumerate(header) if name is None]
    if len(free) > len(FIELDS):
        return
    for names in itertools.permutations(FIELDS, len(free)):
        for position, name in zip(free, names, strict=True):
            header[position] = name
        yield [name for name in header if name is not None]  # every free position has its name now
