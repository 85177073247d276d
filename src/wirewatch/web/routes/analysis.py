"""Who and what: entity pages, the relations of two countries, and the entities and events
shown beside an article. The reads are the store's (``store.analysis``); names, roles and
the kinds of entity come from the actor data, loaded on first use."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException

from wirewatch.analysis.actors import Actors
from wirewatch.analysis.events import EventRules
from wirewatch.analysis.trends import bursts, period_bounds, periods
from wirewatch.errors import ConfigError
from wirewatch.models import EntityCount, Event, Side
from wirewatch.present.params import parse_day
from wirewatch.present.trends import Companion, companions
from wirewatch.store.analysis import CountryPair, EntityProfile, Relations
from wirewatch.web.charts import BarChart, bar_chart, drawn
from wirewatch.web.rendering import entity_path, relations_path
from wirewatch.web.routes.common import month_counts_of, pages_of, store_of

router = APIRouter(include_in_schema=False)

ENTITY_TYPES = ("person", "organization", "country")
#: How the pages name each kind, one and many.
TYPE_NAMES = {
    "person": ("person", "People"),
    "organization": ("organisation", "Organisations"),
    "country": ("country", "Countries"),
}
#: The search filter that finds an entity's articles (``person:kim-jong-un``).
SEARCH_FILTERS = {"person": "person", "organization": "org", "country": "country"}
#: Events a relations page lists (newest first); the chart and table count them all.
RELATION_EVENTS = 200
#: Pairs of countries on /relations.
PAIRS = 50
#: The persons and bodies an entity page lists as named with it in its last year of mentions.
COMPANIONS = 15


def actors_of(request: Request) -> Actors:
    actors: Actors = request.app.state.actors.get()
    return actors


def event_types() -> list[str]:
    """The event types, in the order the event data declares them."""
    return list(EventRules.load().types)


# -- views ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SideView:
    """One side of an event as a page shows it: a name, and a link when it is an entity."""

    label: str
    href: str | None


@dataclass(frozen=True, slots=True)
class EventView:
    event: Event
    actor: SideView
    target: SideView


@dataclass(frozen=True, slots=True)
class RoleView:
    id: str
    name: str
    country: str | None
    country_name: str | None
    since: dt.date | None
    until: dt.date | None


def entity_type_of(actors: Actors, ident: str | None) -> str | None:
    """The kind of entity an event side's id names (ids are unique across kinds)."""
    if not ident:
        return None
    if ident in actors.countries:
        return "country"
    if ident in actors.persons:
        return "person"
    if ident in actors.organizations:
        return "organization"
    return None


def country_name(actors: Actors, code: str | None) -> str | None:
    if code is None:
        return None
    found = actors.country(code)
    return found.name if found else code


def side_view(actors: Actors, side: Side) -> SideView:
    """ "Vladimir Putin (Russia)", "North Korea", or "international" for a side of no country."""
    country = country_name(actors, side.country)
    label = side.name or country or "international"
    if side.name and country and country != side.name:
        label = f"{side.name} ({country})"
    kind = entity_type_of(actors, side.id)
    return SideView(label, entity_path(kind, side.id) if kind and side.id else None)


def event_views(actors: Actors, events: Sequence[Event]) -> list[EventView]:
    return [EventView(e, side_view(actors, e.actor), side_view(actors, e.target)) for e in events]


def entity_groups(entities: Sequence[EntityCount]) -> list[tuple[str, list[EntityCount]]]:
    """An article's entities by kind (people, organisations, countries), most mentioned first."""
    groups: dict[str, list[EntityCount]] = defaultdict(list)
    for entity in entities:
        groups[entity.type].append(entity)
    return [(TYPE_NAMES[kind][1], groups[kind]) for kind in ENTITY_TYPES if groups.get(kind)]


def roles_of(actors: Actors, entity_type: str, entity_id: str) -> list[RoleView]:
    """A person's offices with their dates, earliest first ([] for others)."""
    person = actors.person(entity_id) if entity_type == "person" else None
    if person is None:
        return []
    views = []
    for tenure in sorted(person.roles, key=lambda t: t.since or dt.date.min):
        role = actors.role(tenure.role)
        name = role.name if role else tenure.role
        country = role.country if role else None
        views.append(RoleView(tenure.role, name, country, country_name(actors, country), tenure.since, tenure.until))
    return views


# -- checking what the address asks for ----------------------------------------------------


def entity_search(entity_type: str, entity_id: str) -> str:
    """The search query that finds the entity's articles: ``person:kim-jong-un``."""
    return f"{SEARCH_FILTERS[entity_type]}:{entity_id}"


def check_entity_type(value: str) -> str:
    if value not in ENTITY_TYPES:
        raise ConfigError(f"entity type {value!r}: expected one of {', '.join(ENTITY_TYPES)}")
    return value


def profile_or_404(request: Request, entity_type: str, entity_id: str) -> EntityProfile:
    profile: EntityProfile | None = store_of(request).entity_profile(check_entity_type(entity_type), entity_id)
    if profile is None:
        raise HTTPException(404, f"No article of this archive mentions the {entity_type} {entity_id!r}.")
    return profile


def country_code(request: Request, value: str) -> str:
    """An ISO 3166 alpha-3 code the actor data knows (any case), or a 400 or 404."""
    code = value.upper()
    if not (len(code) == 3 and code.isascii() and code.isalpha()):
        raise ConfigError(f"country {value!r}: expected an ISO 3166 alpha-3 code such as PRK or RUS")
    if actors_of(request).country(code) is None:
        raise HTTPException(404, f"The actor data knows no country {code!r}.")
    return code


def check_event_types(values: Sequence[str]) -> list[str]:
    known = event_types()
    for value in values:
        if value not in known:
            raise ConfigError(f"type {value!r}: expected one of {', '.join(known)}")
    return list(values)


def read_relations(
    request: Request,
    a: str,
    b: str,
    *,
    by: str,
    since: str | None,
    until: str | None,
    types: Sequence[str],
    limit: int = RELATION_EVENTS,
) -> Relations:
    """The store's timeline of two countries, from the address's values checked."""
    first, second = country_code(request, a), country_code(request, b)
    if first == second:
        raise ConfigError(f"relations of {first} with itself: name two different countries")
    found: Relations = store_of(request).relations(
        first,
        second,
        since=parse_day(since, "since"),
        until=parse_day(until, "until", end=True),
        by=by,
        limit=limit,
        types=check_event_types(types),
    )
    return found


def mentions_chart(profile: EntityProfile, by: str) -> BarChart:
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for (year, month), n in profile.by_month.items():
        period = f"{year:04d}" if by == "year" else f"{year:04d}-{month:02d}"
        counts[period]["articles"] = counts[period].get("articles", 0) + n
    return bar_chart(counts, series=("articles",), by=by)


@dataclass(frozen=True, slots=True)
class BurstView:
    """A burst of an entity's mentions: its first and last month ("2011-12")."""

    start: str
    end: str


def mention_bursts(profile: EntityProfile, totals: dict[tuple[int, int], int]) -> list[BurstView]:
    """The months where the entity's share of all articles burst (Kleinberg's model,
    ``analysis.trends.bursts``), from its first month of mentions to its last."""
    if not profile.by_month:
        return []
    first, last = min(profile.by_month), max(profile.by_month)
    months = list(periods(dt.date(*first, 1), dt.date(*last, 1), "month"))
    keys = [(int(m[:4]), int(m[5:])) for m in months]
    # The entity's articles are among all articles: a month never counts fewer of the second.
    counts = [profile.by_month.get(k, 0) for k in keys]
    found = bursts(counts, [max(totals.get(k, 0), n) for k, n in zip(keys, counts, strict=True)])
    return [BurstView(months[b.start], months[b.end]) for b in found]


def burst_periods(spans: Sequence[BurstView], by: str) -> set[str]:
    """The chart's periods (months, or the years they fall in) that a burst covers."""
    months = {
        month
        for span in spans
        for month in periods(period_bounds(span.start, "month")[0], period_bounds(span.end, "month")[0], "month")
    }
    return {m[:4] for m in months} if by == "year" else months


@dataclass(frozen=True, slots=True)
class CompanionView:
    """Someone named with the entity, with their rank now and in the period before."""

    companion: Companion
    href: str
    kind: str

    @property
    def change(self) -> str:
        """ "new", "up" (a better rank than before), "down" or "same"."""
        before = self.companion.rank_before
        if before is None:
            return "new"
        now = self.companion.rank
        return "up" if now < before else "down" if now > before else "same"


@dataclass(frozen=True, slots=True)
class NamedWith:
    """Who is named with an entity from ``since`` to ``until``, most often first."""

    since: dt.date
    until: dt.date
    companions: list[CompanionView]


def named_with(request: Request, profile: EntityProfile) -> NamedWith | None:
    """Who is named with the entity in its last year of mentions (None: it has no dated one)."""
    if profile.last_date is None:
        return None
    until = profile.last_date
    since = until - dt.timedelta(days=364)
    found = companions(store_of(request), profile.type, profile.id, since, until, limit=COMPANIONS)
    views = [CompanionView(c, entity_path(c.entity_type, c.entity_id), TYPE_NAMES[c.entity_type][0]) for c in found]
    return NamedWith(since, until, views)


def relations_chart(found: Relations, by: str) -> BarChart:
    """A → B stacked above the line by event type, B → A below it."""
    up: dict[str, dict[str, int]] = defaultdict(dict)
    down: dict[str, dict[str, int]] = defaultdict(dict)
    for (period, kind, direction), n in found.counts.items():
        (up if direction == "a>b" else down)[period][kind] = n
    return bar_chart(up, down, series=event_types(), by=by)


def relations_table(found: Relations, chart: BarChart, by: str) -> list[tuple[str, str, dict[str, int]]]:
    """The figures as rows (period, direction, counts by type): the chart's bars, then what
    no bar shows (by month, events known only to their year; undated events)."""
    rows = [
        (bar.label, direction, {s.series: s.value for s in segments})
        for bar in chart.filled
        for direction, segments in (("a>b", bar.up), ("b>a", bar.down))
        if segments
    ]
    apart: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for (period, kind, direction), n in found.counts.items():
        if not drawn(period, by):
            apart[(period, direction)][kind] = n
    for (period, direction), counts in sorted(apart.items(), key=lambda item: (item[0][0] == "undated", item[0])):
        label = "Undated" if period == "undated" else f"{period} (month not known)"
        rows.append((label, direction, counts))
    return rows


# -- pages -----------------------------------------------------------------------------------

By = Annotated[Literal["year", "month"], Query(description="Count by year or by month.")]


@router.get("/entities/{entity_type}/{entity_id}")
def entity(request: Request, entity_type: str, entity_id: str, by: By = "year") -> Response:
    profile = profile_or_404(request, entity_type, entity_id)
    actors = actors_of(request)
    co_mentioned = [(TYPE_NAMES[t][0], entity_path(t, i), n, count) for t, i, n, count in profile.co_mentioned]
    partners = [i for t, i, _n, _c in profile.co_mentioned if t == "country"] if entity_type == "country" else []
    spans = mention_bursts(profile, month_counts_of(request))
    return pages_of(request).render(
        request,
        "entity.html",
        profile=profile,
        kind=TYPE_NAMES[entity_type][0],
        country=country_name(actors, profile.country) if entity_type != "country" else None,
        chart=mentions_chart(profile, by),
        by=by,
        roles=roles_of(actors, entity_type, entity_id),
        co_mentioned=co_mentioned,
        partners=[(code, country_name(actors, code)) for code in partners],
        search=entity_search(entity_type, entity_id),
        bursts=spans,
        burst_periods=burst_periods(spans, by),
        named_with=named_with(request, profile),
    )


@router.get("/relations")
def relations_index(request: Request, a: str | None = None, b: str | None = None) -> Response:
    if a or b:
        # The form's two codes: on to that pair's page.
        first, second = country_code(request, a or ""), country_code(request, b or "")
        return RedirectResponse(relations_path(first, second), status_code=303)
    actors = actors_of(request)
    store = store_of(request)
    pairs: list[CountryPair] = store.country_pairs(PAIRS)
    named = [(p, country_name(actors, p.a), country_name(actors, p.b)) for p in pairs]
    countries = sorted(((c.name, c.id) for c in actors.countries.values()), key=lambda pair: pair[0].casefold())
    return pages_of(request).render(request, "relations_index.html", pairs=named, countries=countries)


@router.get("/relations/{a}/{b}")
def relations(
    request: Request,
    a: str,
    b: str,
    by: By = "year",
    since: str | None = None,
    until: str | None = None,
    type: Annotated[list[str] | None, Query()] = None,
) -> Response:
    found = read_relations(request, a, b, by=by, since=since, until=until, types=type or ())
    actors = actors_of(request)
    chart = relations_chart(found, by)
    kinds = [k for k in event_types() if any(key[1] == k for key in found.counts)]
    table = relations_table(found, chart, by)
    return pages_of(request).render(
        request,
        "relations.html",
        found=found,
        names=(country_name(actors, found.a), country_name(actors, found.b)),
        chart=chart,
        kinds=kinds,
        series_names={kind: kind for kind in kinds},
        unplaced=sum(n for (period, _k, _d), n in found.counts.items() if not drawn(period, by)),
        table=table,
        events=[
            (r, view)
            for r, view in zip(found.events, event_views(actors, [r.event for r in found.events]), strict=True)
        ],
        by=by,
        since=since or "",
        until=until or "",
        chosen=type or [],
        all_types=event_types(),
    )
