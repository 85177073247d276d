"""What users type into options, forms and URLs, parsed once for the CLI and the web:
dates, list cursors, source names, the names search filters take. Each error names the
input and says what was expected."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import TYPE_CHECKING, overload

from wirewatch.errors import ConfigError, QueryError
from wirewatch.search.base import ORDERS, STATUSES, AnalysisFilter, SearchRequest
from wirewatch.search.query import PREFIXES, parse_query, split_filters, without_filters
from wirewatch.store.base import Cursor

if TYPE_CHECKING:
    from wirewatch.analysis.actors import Actors, Country, Organization, Person

__all__ = [
    "LANGUAGE",
    "MAX_PAGE",
    "YEAR_OR_MONTH",
    "check_sources",
    "format_cursor",
    "parse_cursor",
    "parse_day",
    "parse_languages",
    "parse_number",
    "resolve_filter",
    "search_request",
]

#: What a date option accepts besides a whole day (YYYY-MM-DD, JSON Schema's "date"): a year
#: or a month, in ASCII digits, year 0001 on. The API's description declares the same.
YEAR_OR_MONTH = r"^(?!0000)[0-9]{4}(-(0[1-9]|1[0-2]))?$"
_DAY_FORM = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")
#: A language as the archive stores it (ISO 639-1, or a three-letter code), in any case.
LANGUAGE = r"^[A-Za-z]{2,3}$"

#: The largest article number a database stores (a signed 64-bit integer).
MAX_ID = 2**63 - 1
#: Far past any archive's last page at the smallest page size, and safe from overflow.
MAX_PAGE = 1_000_000


def parse_number(value: str, option: str, *, largest: int = MAX_ID) -> int:
    """A whole number as typed: ASCII digits only (not '²' or '４'), from 1 to ``largest``."""
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= largest:
        raise ConfigError(f"{option} {value!r}: expected a whole number from 1 to {largest:,}")
    return int(text)


@overload
def parse_day(value: str, option: str, *, end: bool = False, whole: bool = False) -> dt.date: ...


@overload
def parse_day(value: None, option: str, *, end: bool = False, whole: bool = False) -> None: ...


@overload
def parse_day(value: str | None, option: str, *, end: bool = False, whole: bool = False) -> dt.date | None: ...


def parse_day(value: str | None, option: str, *, end: bool = False, whole: bool = False) -> dt.date | None:
    """A date option: YYYY, YYYY-MM or YYYY-MM-DD (a year or month means its first or last
    day); ``whole``: only YYYY-MM-DD (a day, such as a digest's edition)."""
    if value is None:
        return None
    parts = value.strip().split("-")
    if whole and (len(parts) != 3 or len(value.strip()) != 10):
        raise ConfigError(f"{option} {value!r}: expected a date as YYYY-MM-DD, e.g. 2012-05-09")
    try:
        if not _DAY_FORM.fullmatch(value.strip()):  # not '1', '+2012' or '٢٠١٢', which int() reads
            raise ValueError(value)
        if len(parts) == 1:
            year = int(parts[0])
            return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
        if len(parts) == 2:
            year, month = int(parts[0]), int(parts[1])
            if end:
                following = dt.date(year + month // 12, month % 12 + 1, 1)
                return following - dt.timedelta(days=1)
            return dt.date(year, month, 1)
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        expected = "YYYY-MM-DD, e.g. 2012-05-09" if whole else "YYYY, YYYY-MM or YYYY-MM-DD"
        raise ConfigError(f"{option} {value!r}: expected a date as {expected}") from None


def format_cursor(cursor: Cursor) -> str:
    """A list position for a URL: ``2012-05-09_36``, or ``_36`` for an undated article."""
    day, ident = cursor
    return f"{day.isoformat() if day else ''}_{ident}"


def parse_cursor(value: str | None, option: str) -> Cursor | None:
    """The inverse of :func:`format_cursor`."""
    if not value:
        return None
    day, sep, ident = value.partition("_")
    try:
        if not sep or not (ident.isascii() and ident.isdigit()) or int(ident) > MAX_ID:
            raise ValueError(value)
        return (dt.date.fromisoformat(day) if day else None, int(ident))
    except ValueError:
        raise ConfigError(
            f"{option} {value!r}: expected a position such as 2012-05-09_36, as the page's links give"
        ) from None


def check_sources(requested: Iterable[str], known: Iterable[str], option: str = "--source") -> None:
    """Fail on a source the archive does not hold (names match regardless of case)."""
    known = list(known)
    folded = {name.casefold() for name in known}
    for name in requested:
        if name.casefold() not in folded:
            listed = ", ".join(known) or "none yet"
            raise ConfigError(f"{option} {name!r}: no such source in the archive (sources: {listed})")


#: An id as the extractor makes one for a name the actor data do not hold.
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _key(name: str) -> str:
    """A name as looked up: any case, hyphens as spaces, no full stops ("U.S." is "US"),
    no leading "the"."""
    key = " ".join(name.casefold().replace(".", "").replace("-", " ").split())
    return key[4:] if key.startswith("the ") else key


def _actor_names(actors: Actors) -> dict[str, dict[str, set[str]]]:
    """kind -> name key -> ids, for every id, name, alias and (countries) adjective."""
    names = actors.cache.get("search_names")
    if names is None:
        names = {"person": {}, "country": {}, "organization": {}}
        entries: list[tuple[str, str, Iterable[str]]] = []
        for c in actors.countries.values():
            # Demonyms as people say them too: "Russians", "Americans".
            entries.append(("country", c.id, (c.id, c.name, *c.names, *c.adjectives, *(f"{a}s" for a in c.adjectives))))
        for p in actors.persons.values():
            # A homonym found only by title is named by its id (its name is another's).
            entries.append(("person", p.id, (p.id, *((p.name, *p.aliases) if p.match_name else p.aliases))))
        for o in actors.organizations.values():
            entries.append(("organization", o.id, (o.id, o.name, *o.aliases)))
        for kind, ident, forms in entries:
            for form in forms:
                names[kind].setdefault(_key(form), set()).add(ident)
        actors.cache["search_names"] = names
    return names


@cache
def _packaged_actors() -> Actors:
    """The packaged actor data, read once per process (a web server resolves every search)."""
    from wirewatch.analysis.actors import Actors  # not needed by searches without filters

    return Actors.load()


def _display(actors: Actors, kind: str, ident: str) -> str:
    tables: dict[str, Mapping[str, Person | Country | Organization]] = {
        "person": actors.persons,
        "country": actors.countries,
        "organization": actors.organizations,
    }
    table = tables[kind]
    entry = table.get(ident)
    return f"{entry.name} ({ident})" if entry else ident


def resolve_filter(kind: str, value: str, actors: Actors | None = None) -> str:
    """The id a filter value names: a person's, organisation's or country's name, alias
    or id in any case (countries also by adjective: "Russian"), or an event type. A slug
    (persons, organisations) or alpha-3 code (countries) the actor data do not hold is
    taken as it is, since the extractor gives such ids to names it does not know.

    Raises ValueError with the reason, for the caller to name the input."""
    if kind == "event":
        from wirewatch.analysis.events import EventRules  # its import compiles the date patterns

        types = EventRules.load().types
        if value.casefold() not in types:
            raise ValueError(f"no such event type (types: {', '.join(types)})")
        return value.casefold()
    actors = actors or _packaged_actors()
    names = _actor_names(actors)[kind]
    found = names.get(_key(value), set())
    if len(found) == 1:
        return next(iter(found))
    if found:
        listed = ", ".join(_display(actors, kind, i) for i in sorted(found))
        raise ValueError(f"names more than one {kind}: {listed}; give the id")
    if kind == "country" and len(value) == 3 and value.isascii() and value.isalpha():
        return value.upper()
    if kind != "country" and _SLUG.fullmatch(value):
        return value
    close = difflib.get_close_matches(_key(value), names, n=1, cutoff=0.8)
    hint = f" (did you mean {_display(actors, kind, next(iter(names[close[0]])))}?)" if close else ""
    what = (
        "a country name, adjective or ISO alpha-3 code"
        if kind == "country"
        else "a name, alias or id (a slug such as kim-jong-un)"
    )
    raise ValueError(f"not in the actor data{hint}; expected {what}")


def parse_languages(values: Iterable[str], prefix: str = "--") -> tuple[str, ...]:
    """Language codes as typed, in lower case; ConfigError naming a malformed one."""
    languages = tuple(value.strip().lower() for value in values)
    for language in languages:
        if not re.fullmatch(LANGUAGE, language):
            raise ConfigError(f"{prefix}language {language!r}: expected a language code such as en or ko")
    return languages


def search_request(
    *,
    query: str = "",
    sources: Iterable[str] = (),
    languages: Iterable[str] = (),
    statuses: Iterable[str] = (),
    since: str | None = None,
    until: str | None = None,
    filters: Mapping[str, Iterable[str]] | None = None,
    actors: Actors | None = None,
    order: str = "relevance",
    limit: int = 20,
    page: int = 1,
    prefix: str = "--",
    exact_spelling: bool = False,
) -> SearchRequest:
    """A search from what a user typed; ``prefix`` is how the inputs are named in messages
    ('--' for the CLI's options, '' for a form's fields).

    ``filters`` maps a kind (person, country, organization, event) to the names or ids
    typed for it (each must match). These and the filters typed in the query are resolved
    with ``actors`` (the packaged actor data when None): the request holds their ids in
    ``filters`` and the query without them. An unknown name raises ConfigError (an option)
    or QueryError (the query), naming it. ``exact_spelling``: Korean names only as typed
    (``SearchRequest.spellings`` off)."""
    _, typed = split_filters(parse_query(query))
    found: list[AnalysisFilter] = []
    for f in typed:
        try:
            found.append(AnalysisFilter(f.kind, resolve_filter(f.kind, f.value, actors), f.negated))
        except ValueError as error:
            raise QueryError(f"{PREFIXES[f.kind]}:{f.value!r} at position {f.start + 1}: {error}", f.start) from None
    for kind, values in (filters or {}).items():
        for value in values:
            if value.strip():
                try:
                    found.append(AnalysisFilter(kind, resolve_filter(kind, " ".join(value.split()), actors)))
                except ValueError as error:
                    raise ConfigError(f"{prefix}{PREFIXES[kind]} {value!r}: {error}") from None
    if order not in ORDERS:
        raise ConfigError(f"{prefix}order {order!r}: use one of {', '.join(ORDERS)}")
    if not 1 <= page <= MAX_PAGE:
        raise ConfigError(f"{prefix}page {page}: pages are numbered from 1 to {MAX_PAGE:,}")
    start, end = parse_day(since, f"{prefix}since"), parse_day(until, f"{prefix}until", end=True)
    if start and end and start > end:
        raise ConfigError(f"{prefix}since {since!r} is after {prefix}until {until!r}")
    languages = parse_languages(languages, prefix)
    wanted = tuple(dict.fromkeys(s.strip().lower() for s in statuses))
    for status in wanted:
        if status not in STATUSES:
            raise ConfigError(f"{prefix}status {status!r}: use one of {', '.join(STATUSES)}")
    return SearchRequest(
        query=without_filters(query, typed) if typed else query,
        sources=tuple(sources),  # a blank name is no source: the archive check names it
        languages=languages,
        statuses=wanted,
        since=start,
        until=end,
        filters=tuple(dict.fromkeys(found)),
        order=order,
        limit=limit,
        offset=(page - 1) * limit,
        spellings=not exact_spelling,
    )
