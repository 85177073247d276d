"""Articles as read, stored and changed: records, dates, sources, revisions, changes."""

from __future__ import annotations

import datetime as dt
import traceback
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

DatePrecision = Literal["day", "month", "year"]
#: live: as first seen; edited: changed since; deleted: gone from the source's site.
Status = Literal["live", "edited", "deleted"]
DateOrder = Literal["DMY", "MDY", "YMD"]


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record as a reader found it, before any cleaning.

    ``fields`` holds what the input said, under the corpus field names (``title``,
    ``date``, ``source``, ``url``, ``language``, ``body``) plus any other field the
    input carried. ``raw`` is the record's text exactly as read (a JSON line, a CSV
    row, a whole saved page), kept with the article for provenance.
    """

    input: str
    line: int | None
    kind: str
    fields: dict[str, Any]
    raw: str
    #: Set for a capture of a web page (a crawl, a WARC record): when it was fetched.
    #: A capture is identified by its source and URL, so a later capture of the same
    #: URL is a new version of the same article, not a new article.
    captured_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Rejected:
    """A record a reader or the pipeline could not use, and why.

    ``detail`` is the traceback of an unexpected error (see ``unexpected``), shown with
    ``--debug``; it is not part of the rejection's identity nor of ``as_dict``.
    """

    input: str
    line: int | None
    reason: str
    detail: str | None = field(default=None, compare=False, repr=False)

    @classmethod
    def unexpected(cls, input: str, line: int | None, stage: str, exc: BaseException) -> Rejected:
        """The rejection of a record (or file) that failed in ``stage`` ("read", "cleaned")
        with an error nobody foresaw: "could not be cleaned: ValueError: …", the traceback
        as ``detail``. A bug costs the record it met, not the batch."""
        detail = "".join(traceback.format_exception(exc))
        return cls(input, line, f"could not be {stage}: {type(exc).__name__}: {exc}", detail)

    def as_dict(self) -> dict[str, Any]:
        return {"input": self.input, "line": self.line, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """The outcome of reading a date.

    ``value`` is None when no usable date was found; ``note`` then says why.
    ``alternatives`` holds the other readings of an ambiguous numeric date.
    """

    value: dt.date | None
    precision: DatePrecision | None = None
    alternatives: tuple[dt.date, ...] = ()
    note: str | None = None

    @classmethod
    def unknown(cls, note: str) -> ParsedDate:
        return cls(None, None, (), note)


@dataclass(slots=True)
class Article:
    """An article as wirewatch keeps it."""

    source: str
    title: str
    body: str
    title_derived: bool = False
    date: dt.date | None = None
    date_precision: DatePrecision | None = None
    date_alternatives: tuple[dt.date, ...] = ()
    date_note: str | None = None
    url: str | None = None
    language: str | None = None
    language_detected: bool = False
    place: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    body_hash: str = ""
    id: int | None = None
    duplicate_of: int | None = None
    #: What identifies the record across imports and archives (set once stored).
    record_key: str | None = None
    status: Status = "live"
    #: When the status began (the deletion seen, the last edit seen); None for "live".
    status_at: dt.datetime | None = None
    #: How many versions the archive holds (1 for anything never seen to change).
    revisions: int = 1


@dataclass(frozen=True, slots=True)
class Source:
    """A publisher whose articles the archive holds."""

    name: str
    date_order: DateOrder = "DMY"
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Revision:
    """One version of a collected article, as seen from ``seen_at`` to ``last_seen_at``."""

    number: int
    seen_at: dt.datetime
    last_seen_at: dt.datetime
    title: str
    date: dt.date | None
    date_precision: DatePrecision | None
    body: str
    #: The fields that differ from the revision before: "title", "date", "body".
    changes: tuple[str, ...]
    origin: str | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Change:
    """Something that happened to an article after it was stored."""

    article_id: int
    kind: Literal["edited", "deleted", "restored"]
    seen_at: dt.datetime
    detail: str | None = None
    revision: int | None = None
    #: The article's title and source, for listings of changes.
    title: str = ""
    source: str = ""
    id: int | None = None


class StoredArticle(NamedTuple):
    """An article as the archive holds it, with its raw input (``kind`` is None when
    none was kept). Partitions carry these as plain tuples, in this order: they pickle
    in half the time; ``StoredArticle._make`` gives the names back.

    The stored text is not read: ``body_hash`` (the SHA-256 of the text) stands for it
    and halves what goes to the workers. On a duplicate, ``original_hash`` is its
    original's stored hash, and ``original`` the original itself (a plain tuple) when
    this run covers it too (it is in the run's sources), so that the two can be
    compared after cleaning.
    """

    id: int
    source: str
    title: str
    title_derived: bool
    date: dt.date | None
    date_precision: str | None
    date_alternatives: tuple[dt.date, ...]
    date_note: str | None
    language: str | None
    language_detected: bool
    place: str | None
    body_hash: str | None
    duplicate_of: int | None
    record_key: str
    metadata: dict[str, Any] | None
    kind: str | None
    input: str | None
    line: int | None
    raw: str | None
    original_hash: str | None = None
    original: tuple[Any, ...] | None = None


class ArticleChange(NamedTuple):
    """The values re-cleaning gives an article: every column it may rewrite.

    ``body`` is None for a duplicate (its text is its original's); ``duplicate_of`` None
    for an original, or for a duplicate unlinked because its text no longer matches.
    """

    id: int
    title: str
    title_derived: bool
    date: dt.date | None
    date_precision: str | None
    date_alternatives: tuple[dt.date, ...]
    date_note: str | None
    language: str | None
    language_detected: bool
    place: str | None
    body: str | None
    body_hash: str | None
    duplicate_of: int | None
