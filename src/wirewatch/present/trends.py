"""Trends as the CLI, the API and the pages give them: a query's timeline, what rose in a
week, and who is named with whom. The statistics are ``analysis.trends``; this module
reads what they need through the store and shapes the answers (docs/trends.md)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any

from wirewatch.analysis.trends import (
    BY,
    By,
    Point,
    Scored,
    bursts,
    collapse,
    log_odds,
    period_bounds,
    terms_of,
    timeline,
    words_of,
)
from wirewatch.config.rules import TrendsFile
from wirewatch.config.toml import check_file, parse_toml, read_toml
from wirewatch.errors import ConfigError
from wirewatch.search.base import DayCount, SearchRequest
from wirewatch.store import SQLStore
from wirewatch.store.trends import PeriodScope

__all__ = [
    "MAX_QUERIES",
    "BurstSpan",
    "Companion",
    "Emerging",
    "Rising",
    "TrendRules",
    "TrendSeries",
    "companions",
    "companions_json",
    "emerging",
    "emerging_json",
    "last_full_week",
    "load_trend_rules",
    "period_bounds",
    "term_query",
    "trend",
    "trend_json",
    "week_start",
]

#: How many queries one chart compares.
MAX_QUERIES = 4
#: A term is listed only when its z-score says the rise is unlikely to be chance (two-sided 5 %).
MIN_Z = 1.96
#: Per language, a period needs this many articles before its words are compared.
MIN_ARTICLES = 20
ENTITY_KINDS = ("person", "organization", "country")
#: At most this many articles of the week, and of the baseline, are read for the words and
#: phrases (a uniform, seeded sample past it; entities are counted over all): the rates
#: the statistic compares barely move, and a week's list stays within 2 s at 10^6 articles.
SAMPLE = 2000


# -- timelines -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BurstSpan:
    start: str
    end: str
    weight: float


@dataclass(frozen=True, slots=True)
class TrendSeries:
    """One query's timeline: ``matches`` is its search total (the points' counts plus
    ``undated``), ``sources`` the same per source when asked."""

    query: str
    points: list[Point]
    matches: int
    undated: int
    bursts: list[BurstSpan] = field(default_factory=list)
    sources: dict[str, list[Point]] = field(default_factory=dict)


def _by(by: str) -> By:
    if by not in BY:
        raise ConfigError(f"--by {by!r}: use one of {', '.join(BY)}")
    return by


def _days(counts: Iterable[DayCount], source_id: int | None = None) -> list[tuple[dt.date, int]]:
    return [(c.day, c.count) for c in counts if c.day is not None and (source_id is None or c.source_id == source_id)]


def trend(
    store: SQLStore,
    requests: Sequence[SearchRequest],
    by: str = "month",
    *,
    per_source: bool = False,
    labels: Sequence[str] = (),
) -> list[TrendSeries]:
    """The timelines of up to ``MAX_QUERIES`` searches over the same periods, each named
    by its ``labels`` entry (the query as typed; default the request's words). Each
    period's ``total`` is the number of all articles of the same sources, languages and
    statuses (the request without its words and analysis filters): the share's base."""
    period = _by(by)
    if not requests:
        raise ConfigError("give at least one query")
    if len(requests) > MAX_QUERIES:
        raise ConfigError(f"{len(requests)} queries: a chart compares at most {MAX_QUERIES}")
    if labels and len(labels) != len(requests):
        raise ValueError("one label per request")
    names_of = list(labels) or [r.query for r in requests]
    found = [store.match_counts(r) for r in requests]
    first = requests[0]
    base = store.match_counts(replace(first, query="", filters=()))
    dated = [c.day for counts in found for c in counts if c.day is not None]
    since = first.since or (min(dated) if dated else None)
    until = first.until or (max(dated) if dated else None)
    if since is None or until is None:
        return [
            TrendSeries(r.query, [], sum(c.count for c in f), sum(c.count for c in f))
            for r, f in zip(requests, found, strict=True)
        ]
    names = store.trends.source_labels() if per_source else {}
    out = []
    for label, counts in zip(names_of, found, strict=True):
        points = timeline(_days(counts), _days(base), period, since=since, until=until)
        sources: dict[str, list[Point]] = {}
        for source_id in sorted({c.source_id for c in counts}) if per_source else ():
            sources[names.get(source_id, str(source_id))] = timeline(
                _days(counts, source_id), _days(base, source_id), period, since=since, until=until
            )
        spans = [
            BurstSpan(points[b.start].period, points[b.end].period, round(b.weight, 2))
            for b in bursts([p.count for p in points], [p.total for p in points])
        ]
        total = sum(c.count for c in counts)
        undated = sum(c.count for c in counts if c.day is None)
        out.append(TrendSeries(label, points, total, undated, spans, sources))
    return out


def _points_json(points: Sequence[Point]) -> list[dict[str, Any]]:
    return [
        {
            "period": p.period,
            "count": p.count,
            "share": None if p.share is None else round(p.share, 6),
            "total": p.total,
        }
        for p in points
    ]


def trend_json(series: Sequence[TrendSeries], by: str) -> dict[str, Any]:
    """``{"query", "by", "series": [{"period", "count", "share", "total"}], "matches",
    "undated", "bursts"}`` for one query; for several, ``{"by", "queries": [that, …]}``."""

    def one(s: TrendSeries) -> dict[str, Any]:
        out: dict[str, Any] = {
            "query": s.query,
            "by": by,
            "series": _points_json(s.points),
            "matches": s.matches,
            "undated": s.undated,
            "bursts": [{"start": b.start, "end": b.end, "weight": b.weight} for b in s.bursts],
        }
        if s.sources:
            out["sources"] = {name: _points_json(points) for name, points in s.sources.items()}
        return out

    if len(series) == 1:
        return one(series[0])
    return {"by": by, "queries": [one(s) for s in series]}


# -- rising terms --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TrendRules:
    baseline_weeks: int = 8
    min_count: int = 3
    top: int = 30
    formulas: frozenset[str] = frozenset()
    keep: frozenset[str] = frozenset()


def _rules(data: TrendsFile) -> TrendRules:
    return TrendRules(
        data.baseline_weeks,
        data.min_count,
        data.top,
        frozenset(f.casefold() for f in data.formulas),
        frozenset(k.casefold() for k in data.keep),
    )


@lru_cache(maxsize=1)
def _packaged_rules() -> TrendRules:
    text = (resources.files("wirewatch.data") / "trends.toml").read_text(encoding="utf-8")
    return _rules(check_file(TrendsFile, parse_toml(text, "trends.toml"), "trends.toml"))


def load_trend_rules(path: str | None = None) -> TrendRules:
    """The packaged ``data/trends.toml``, or the user's file at ``path`` (ConfigError
    naming the file and key when it is wrong)."""
    if path is None:
        return _packaged_rules()
    return _rules(check_file(TrendsFile, read_toml(path, what="the trends rules"), path))


@dataclass(frozen=True, slots=True)
class Rising:
    """A term of the list: ``kind`` word, phrase, person, organization or country; ``key``
    the entity's id for an entity (the word itself otherwise)."""

    term: str
    kind: str
    key: str
    score: float
    delta: float
    count: int
    baseline_count: int
    new: bool = False


@dataclass(frozen=True, slots=True)
class Emerging:
    """A week's list. ``sampled``: how many articles of the week and of the baseline the
    words and phrases were read off (fewer than all past ``SAMPLE``: their counts are then
    estimates, scaled to all)."""

    period: PeriodScope
    baseline: PeriodScope
    articles: int
    baseline_articles: int
    terms: list[Rising]
    sampled: tuple[int, int] = (0, 0)


def week_start(day: dt.date) -> dt.date:
    """The Monday of the week a day is in (weeks run Monday to Sunday, as ISO's)."""
    return day - dt.timedelta(days=day.weekday())


def last_full_week(newest: dt.date) -> dt.date:
    """The Monday of the last full week of an archive whose newest article is of ``newest``:
    the week before the newest article's (which may still be filling)."""
    return week_start(newest) - dt.timedelta(days=7)


def _term_counts(texts: Iterable[tuple[str | None, str]], rules: TrendRules) -> dict[str, tuple[int, Counter[str]]]:
    """Per language: how many articles, and in how many of them each term occurs."""
    out: dict[str, tuple[int, Counter[str]]] = {}
    for language, text in texts:
        key = language or "und"
        n, counts = out.get(key, (0, Counter()))
        counts.update(terms_of(text, formulas=rules.formulas, keep=rules.keep))
        out[key] = (n + 1, counts)
    return out


def emerging(
    store: SQLStore,
    week: dt.date,
    *,
    sources: Sequence[str] = (),
    languages: Sequence[str] = (),
    rules: TrendRules | None = None,
    days: int = 7,
) -> Emerging:
    """What rose in the week starting on ``week``'s Monday (``days`` long) against the
    ``rules.baseline_weeks`` weeks before it: words and phrases (per language, each against
    the same language's baseline) and entities, by weighted log-odds z-score, best first."""
    rules = rules or _packaged_rules()
    start = week_start(week) if days == 7 else week
    source_ids = tuple(store.source_ids(sources)) if sources else ()
    period = PeriodScope(start, start + dt.timedelta(days=days - 1), source_ids, tuple(languages))
    baseline = replace(
        period, since=start - dt.timedelta(weeks=rules.baseline_weeks), until=start - dt.timedelta(days=1)
    )
    now_total, before_total = _count(store, period, sources), _count(store, baseline, sources)
    now_texts = store.trends.texts(period, SAMPLE)
    before_texts = store.trends.texts(baseline, SAMPLE)
    now = _term_counts(now_texts, rules)
    before = _term_counts(before_texts, rules)

    words: list[Scored] = []
    for language, (n, counts) in now.items():
        if n < MIN_ARTICLES:
            continue
        n_base, base = before.get(language, (0, Counter()))
        # Terms under the list's floor are not scored (the others' scores do not change).
        common = {term: c for term, c in counts.items() if c >= rules.min_count}
        # Read off a sample, the counts are scaled to the whole week and baseline.
        scale_now = now_total / max(len(now_texts), 1) if len(now_texts) < now_total else 1.0
        scale_before = before_total / max(len(before_texts), 1) if len(before_texts) < before_total else 1.0
        words.extend(
            replace(s, count=round(s.count * scale_now), baseline_count=round(s.baseline_count * scale_before))
            for s in log_odds(common, base, sizes=(n, n_base))
            if _listed(s, rules)
        )
    words.sort(key=lambda s: (-s.z, s.term))

    tallies = store.trends.entity_tallies(period)
    names = {(t.entity_type, t.entity_id): t.name for t in tallies}
    entity_scores = log_odds(
        {f"{t.entity_type}:{t.entity_id}": t.articles for t in tallies},
        {f"{t.entity_type}:{t.entity_id}": t.articles for t in store.trends.entity_tallies(baseline)},
        sizes=(now_total, before_total),
    )
    entities = [s for s in entity_scores if _listed(s, rules)]
    top_entities = entities[: rules.top]
    keys = [tuple(s.term.split(":", 1)) for s in top_entities]
    first = store.trends.first_seen([(k[0], k[1]) for k in keys])

    listed: list[Rising] = []
    entity_names = set()
    for s in top_entities:
        kind, ident = s.term.split(":", 1)
        name = names.get((kind, ident), ident)
        entity_names.add(name.casefold())
        seen = first.get((kind, ident))
        listed.append(
            Rising(
                name,
                kind,
                ident,
                round(s.z, 2),
                round(s.delta, 3),
                s.count,
                s.baseline_count,
                seen is not None and seen >= start,
            )
        )
    name_words = [set(words_of(name)) for name in entity_names]
    for s in collapse(words[: rules.top * 4]):
        its_words = set(s.term.split())
        if any(len(its_words & name) >= min(2, len(its_words)) for name in name_words):
            continue  # a listed entity stands for it, under its name ("jong un vice": Kim Jong Un)
        kind = "phrase" if " " in s.term else "word"
        listed.append(Rising(s.term, kind, s.term, round(s.z, 2), round(s.delta, 3), s.count, s.baseline_count))
    listed.sort(key=lambda r: (-r.score, r.term))
    return Emerging(period, baseline, now_total, before_total, listed[: rules.top], (len(now_texts), len(before_texts)))


def _count(store: SQLStore, scope: PeriodScope, sources: Sequence[str]) -> int:
    """The period's original articles of ``sources``, counted by the search engine as the
    timelines are."""
    request = SearchRequest(
        sources=tuple(sources),
        languages=scope.languages,
        since=scope.since,
        until=scope.until,
    )
    return sum(c.count for c in store.match_counts(request))


def _listed(s: Scored, rules: TrendRules) -> bool:
    return s.count >= rules.min_count and s.delta > 0 and s.z >= MIN_Z


def _scope_json(scope: PeriodScope, articles: int, read: int) -> dict[str, Any]:
    return {
        "since": scope.since.isoformat(),
        "until": scope.until.isoformat(),
        "articles": articles,
        "words_read_from": read,
    }


def emerging_json(result: Emerging, sources: Sequence[str] = ()) -> dict[str, Any]:
    """``{"period", "baseline", "sources", "terms": [{"term", "kind", "score", "count",
    "baseline_count", "new", "id", "delta"}]}``."""
    return {
        "period": _scope_json(result.period, result.articles, result.sampled[0]),
        "baseline": _scope_json(result.baseline, result.baseline_articles, result.sampled[1]),
        "sources": list(sources),
        "statistic": "weighted log-odds, informative Dirichlet prior (Monroe, Colaresi and Quinn 2008): z-score",
        "terms": [
            {
                "term": r.term,
                "kind": r.kind,
                "id": r.key,
                "score": r.score,
                "delta": r.delta,
                "count": r.count,
                "baseline_count": r.baseline_count,
                "new": r.new,
            }
            for r in result.terms
        ],
    }


def term_query(rising: Rising) -> str:
    """The search that finds a listed term: its entity filter, or the word or phrase."""
    if rising.kind in ENTITY_KINDS:
        return f"{rising.kind}:{rising.key}"
    return f'"{rising.term}"' if " " in rising.term else rising.term


# -- who is named with whom -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Companion:
    entity_type: str
    entity_id: str
    name: str
    together: int
    before: int
    rank: int
    rank_before: int | None


def _before(since: dt.date, until: dt.date) -> PeriodScope | None:
    """The period as long as ``since``..``until`` just before it (None before year 1)."""
    length = dt.timedelta(days=(until - since).days + 1)
    if since - dt.date.min < length:
        return None
    return PeriodScope(since - length, since - dt.timedelta(days=1))


def companions(
    store: SQLStore, entity_type: str, entity_id: str, since: dt.date, until: dt.date, *, limit: int = 15
) -> list[Companion]:
    """The persons and bodies most often named with an entity between two dates, with the
    same figures for the period of the same length just before (how that changed)."""
    scope = PeriodScope(since, until)
    earlier = _before(since, until)
    now = store.trends.companions(entity_type, entity_id, scope, limit)
    before = store.trends.companions(entity_type, entity_id, earlier, limit * 4) if earlier else []
    ranks = {(t.entity_type, t.entity_id): (i + 1, t.articles) for i, t in enumerate(before)}
    out = []
    for i, t in enumerate(now):
        rank_before, count_before = ranks.get((t.entity_type, t.entity_id), (None, 0))
        out.append(Companion(t.entity_type, t.entity_id, t.name, t.articles, count_before, i + 1, rank_before))
    return out


def companions_json(
    entity: Mapping[str, str], since: dt.date, until: dt.date, found: Sequence[Companion]
) -> dict[str, Any]:
    earlier = _before(since, until)
    return {
        "entity": dict(entity),
        "period": {"since": since.isoformat(), "until": until.isoformat()},
        "before": {"since": earlier.since.isoformat(), "until": earlier.until.isoformat()} if earlier else None,
        "companions": [
            {
                "type": c.entity_type,
                "id": c.entity_id,
                "name": c.name,
                "articles": c.together,
                "articles_before": c.before,
                "rank": c.rank,
                "rank_before": c.rank_before,
            }
            for c in found
        ],
    }
