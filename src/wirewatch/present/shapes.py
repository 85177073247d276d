"""How articles and results are shown: the date as a reader writes it, and the JSON
shapes that the CLI's ``--json`` and the web API share (one contract, two doors)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from wirewatch.analysis.compare import Comparison
from wirewatch.clean.diff import word_diff
from wirewatch.models import Article, Change, EntityCount, Event, Revision
from wirewatch.search.base import SearchResult
from wirewatch.search.spelling import Expansion, describe
from wirewatch.store.analysis import Relations
from wirewatch.store.base import ArchiveStats

__all__ = [
    "HISTORY_CHANGES",
    "article_json",
    "change_json",
    "comparison_json",
    "date_line",
    "entity_json",
    "event_json",
    "format_date",
    "history_json",
    "json_default",
    "language_name",
    "listing_json",
    "relations_json",
    "result_json",
    "safe_link",
    "stats_json",
    "utc_iso",
]


def utc_iso(moment: dt.datetime) -> str:
    """A moment as the JSON contracts write it: ISO 8601 in UTC with "Z" (2019-03-01T10:00:00Z)."""
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def json_default(value: Any) -> Any:
    """``json.dumps``'s ``default`` for the JSON contracts: days as ISO dates, moments as
    :func:`utc_iso`, tuples and sets as lists."""
    if isinstance(value, dt.datetime):
        return utc_iso(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def safe_link(url: str | None) -> str | None:
    """``url`` if a page or a mail may link to it: http(s) only (no javascript: or data:
    from an input file) and in one piece (no space that would cut it in a plain-text mail)."""
    if not url:
        return None
    url = url.strip()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    if scheme not in ("http", "https") or any(c.isspace() or not c.isprintable() for c in url):
        return None
    return url


#: The months' names, as ``strftime("%B")`` gives them in the C locale (a lookup costs a
#: tenth of a ``strftime``, and a search page writes some thirty dates).
MONTHS = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_date(day: dt.date | None, precision: str | None) -> str:
    """A date as a reader writes it: '11 October 2018', 'October 2018', '2018', 'unknown date'."""
    if day is None:
        return "unknown date"
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return f"{MONTHS[day.month]} {day.year}"
    return f"{day.day} {MONTHS[day.month]} {day.year}"


#: Names for the language codes the archive holds; others show as their code.
LANGUAGE_NAMES = {
    "en": "English",
    "ko": "Korean",
    "ru": "Russian",
    "zh": "Chinese",
    "ja": "Japanese",
    "fr": "French",
    "es": "Spanish",
    "de": "German",
    "ar": "Arabic",
}


def language_name(code: str | None) -> str:
    """A language as a reader names it: "Spanish" for es; an unknown code as written."""
    if not code:
        return "unknown language"
    return LANGUAGE_NAMES.get(code.lower(), code)


def date_line(article: Article) -> str:
    """The article's date, saying so when the input allowed another reading."""
    when = format_date(article.date, article.date_precision)
    if article.date_alternatives:
        other = ", ".join(format_date(d, "day") for d in article.date_alternatives)
        when += f" (ambiguous: or {other})"
    return when


def article_json(
    article: Article,
    duplicates: list[int],
    entities: Sequence[EntityCount] = (),
    events: Sequence[Event] = (),
) -> dict[str, Any]:
    """The ``show --json`` and ``/api/articles/{id}`` contract, with the article's
    analysis (empty lists for an article not analysed)."""
    return {
        "id": article.id,
        "title": article.title,
        "title_derived": article.title_derived,
        "source": article.source,
        "date": article.date,
        "date_precision": article.date_precision,
        "date_alternatives": list(article.date_alternatives),
        "date_note": article.date_note,
        "url": article.url,
        "language": article.language,
        "language_detected": article.language_detected,
        "place": article.place,
        "body": article.body,
        "duplicate_of": article.duplicate_of,
        "duplicates": duplicates,
        "metadata": article.metadata,
        "status": article.status,
        "status_at": article.status_at,
        "revisions": article.revisions,
        "entities": [entity_json(e) for e in entities],
        "events": [event_json(e) for e in events],
    }


def listing_json(article: Article) -> dict[str, Any]:
    """An article in a list (``/api/articles``): its fields without the text."""
    return {
        "id": article.id,
        "title": article.title,
        "date": article.date,
        "date_precision": article.date_precision,
        "source": article.source,
        "url": article.url,
        "language": article.language,
        "duplicate_of": article.duplicate_of,
    }


def also_line(expansions: Sequence[Expansion]) -> str:
    """What a search also looked for, in a line: "Kim Jeong-eun: Kim Jong Un, 김정은; …"."""
    return "; ".join(f"{e.typed}: {', '.join(e.forms)}" for e in expansions)


def result_json(result: SearchResult) -> dict[str, Any]:
    """The ``search --json`` and ``/api/search`` contract."""
    return {
        "total": result.total,
        "hits": [
            {
                "id": h.id,
                "title": h.title,
                "date": h.date,
                "date_precision": h.date_precision,
                "source": h.source,
                "url": h.url,
                "language": h.language,
                "snippet": h.snippet,
                "highlights": [list(span) for span in h.highlights],
                "score": round(h.score, 4) if h.score is not None else None,
            }
            for h in result.hits
        ],
        "facets": result.facets,
        "also_searched": describe(result.also),
    }


def stats_json(stats: ArchiveStats) -> dict[str, Any]:
    """The ``stats --json`` and ``/api/stats`` contract."""
    return {
        "articles": stats.articles,
        "duplicates": stats.duplicates,
        "sources": stats.sources,
        "languages": stats.languages,
        "first_date": stats.first_date,
        "last_date": stats.last_date,
        "undated": stats.undated,
        "derived_titles": stats.derived_titles,
    }


def _diff_json(old: str, new: str) -> list[dict[str, str]]:
    return [{"op": p.op, "text": p.text} for p in word_diff(old, new)]


def revision_json(revision: Revision, previous: Revision | None) -> dict[str, Any]:
    """A version of an article, with its word-level differences from the one before."""
    diff: dict[str, Any] = {}
    if previous is not None:
        if "title" in revision.changes:
            diff["title"] = _diff_json(previous.title, revision.title)
        if "body" in revision.changes:
            diff["body"] = _diff_json(previous.body, revision.body)
    return {
        "number": revision.number,
        "seen_at": revision.seen_at,
        "last_seen_at": revision.last_seen_at,
        "title": revision.title,
        "date": revision.date,
        "date_precision": revision.date_precision,
        "changes": list(revision.changes),
        "origin": revision.origin,
        "diff": diff,
    }


def change_json(change: Change) -> dict[str, Any]:
    """An edit, deletion or return, as ``/api/changes`` and ``history --json`` give it."""
    return {
        "article_id": change.article_id,
        "title": change.title,
        "source": change.source,
        "kind": change.kind,
        "seen_at": change.seen_at,
        "revision": change.revision,
        "detail": change.detail,
    }


#: The changes ``history`` shows of one article, at most (an article edited every hour for a month).
HISTORY_CHANGES = 1000


def history_json(article: Article, revisions: list[Revision], changes: list[Change]) -> dict[str, Any]:
    """The ``history --json`` and ``/api/articles/{id}/history`` contract."""
    return {
        "id": article.id,
        "title": article.title,
        "source": article.source,
        "url": article.url,
        "status": article.status,
        "status_at": article.status_at,
        "revisions": [revision_json(r, revisions[n - 1] if n else None) for n, r in enumerate(revisions)],
        "changes": [change_json(c) for c in changes],
    }


def entity_json(entity: EntityCount) -> dict[str, Any]:
    """An article's entity as ``extract --json`` and the API give it."""
    return {
        "type": entity.type,
        "name": entity.name,
        "id": entity.id,
        "country": entity.country,
        "count": entity.count,
        "by_title": entity.by_title,
    }


def event_json(event: Event) -> dict[str, Any]:
    """An event as ``extract --json`` and the API give it."""
    return {
        "type": event.type,
        "cameo": event.cameo,
        "plover": event.plover,
        "actor": {"name": event.actor.name, "country": event.actor.country},
        "target": {"name": event.target.name, "country": event.target.country},
        "date": event.date,
        "date_precision": event.date_precision,
        "date_from_text": event.date_from_text,
        "sentence": event.sentence,
    }


def relations_json(found: Relations) -> dict[str, Any]:
    """The ``relations --json`` and ``/api/relations/{a}/{b}`` contract."""
    return {
        "a": found.a,
        "b": found.b,
        "counts": [
            {"period": period, "type": kind, "direction": direction, "events": n}
            for (period, kind, direction), n in found.counts.items()
        ],
        "total": found.total,
        "events": [
            {
                **event_json(item.event),
                "direction": "a>b" if item.event.actor.country == found.a else "b>a",
                "article": {
                    "id": item.article_id,
                    "title": item.title,
                    "source": item.source,
                    "date": item.article_date,
                },
            }
            for item in found.events
        ],
    }


#: The columns of an export: the corpus fields first, so 'import' reads them back.
COLUMNS = (
    "id",
    "title",
    "date",
    "source",
    "url",
    "language",
    "body",
    "title_derived",
    "date_precision",
    "date_alternatives",
    "date_note",
    "place",
    "duplicate_of",
)


def article_record(article: Article) -> dict[str, Any]:
    """An article as a flat record with the export's columns plus its metadata."""
    record: dict[str, Any] = {
        "id": article.id,
        "title": article.title,
        "date": article.date.isoformat() if article.date else None,
        "source": article.source,
        "url": article.url,
        "language": article.language,
        "body": article.body,
        "title_derived": article.title_derived,
        "date_precision": article.date_precision,
        "date_alternatives": [d.isoformat() for d in article.date_alternatives],
        "date_note": article.date_note,
        "place": article.place,
        "duplicate_of": article.duplicate_of,
    }
    for key, value in article.metadata.items():
        record.setdefault(key, value)
    return record


def comparison_json(a: int, b: int, found: Comparison) -> dict[str, Any]:
    """``wirewatch compare A B --json`` and ``/api/compare/{a}/{b}``: the relation, how alike
    the texts are, the word-level changes from ``a`` to ``b`` and a template's differing slots."""
    return {
        "a": a,
        "b": b,
        "relation": found.relation,
        "similarity": found.score,
        "changes": [{"op": c.op, "a": c.a, "b": c.b} for c in found.changes],
        "slots": [{"kind": s.kind, "a": s.a, "b": s.b} for s in found.slots],
    }
