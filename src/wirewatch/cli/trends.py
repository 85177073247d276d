"""``wirewatch trend``, ``emerging`` and ``companions``: attention over time, what rose in a
week, who is named with whom (docs/trends.md)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from wirewatch.cli.common import print_json, stderr, user_errors
from wirewatch.errors import ConfigError

if TYPE_CHECKING:
    from wirewatch.present.trends import Emerging, TrendSeries

stdout = Console(highlight=False)
BAR = 40


def trend_command(
    ctx: typer.Context,
    queries: Annotated[
        list[str],
        typer.Argument(
            metavar="QUERY…",
            show_default=False,
            help="One to four searches (the search syntax, filters included) to compare on one timeline.",
        ),
    ],
    by: Annotated[str, typer.Option("--by", metavar="PERIOD", help="Count per day, week, month or year.")] = "month",
    source: Annotated[
        list[str] | None, typer.Option("--source", "-s", metavar="NAME", help="Only this source; repeatable.")
    ] = None,
    language: Annotated[
        list[str] | None, typer.Option("--language", "-l", metavar="CODE", help="Only this language code; repeatable.")
    ] = None,
    since: Annotated[
        str | None, typer.Option(metavar="DATE", help="From this date on (YYYY, YYYY-MM or YYYY-MM-DD).")
    ] = None,
    until: Annotated[
        str | None, typer.Option(metavar="DATE", help="Up to this date (YYYY, YYYY-MM or YYYY-MM-DD).")
    ] = None,
    per_source: Annotated[bool, typer.Option("--per-source", help="Also give each source's own timeline.")] = False,
    exact_spelling: Annotated[bool, typer.Option("--exact-spelling", help="Find Korean names only as typed.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the timelines as JSON.")] = False,
) -> None:
    """How often a query appears over time: its matching articles per day, week, month or
    year, and their share of all articles the same sources published then (state outlets
    publish steady volumes, so the share is the signal). Bursts (Kleinberg's model) are
    marked. The counts of a query add up to its search total (undated articles apart).

    Examples: wirewatch trend '"nuclear deterrent"' '"economic construction"' --by year;
    wirewatch trend person:kim-jong-un --by week --since 2011-12 --until 2012-03.
    """
    from wirewatch.present.params import check_sources, search_request
    from wirewatch.present.trends import trend, trend_json

    with user_errors(ctx) as state:
        requests = [
            search_request(
                query=q,
                sources=source or (),
                languages=language or (),
                since=since,
                until=until,
                exact_spelling=exact_spelling,
            )
            for q in queries
        ]
        store = state.store()
        check_sources(requests[0].sources, store.source_names())
        series = trend(store, requests, by, per_source=per_source, labels=queries)
        if as_json:
            print_json(trend_json(series, by))
        else:
            for one in series:
                _print_series(one)


def _print_series(series: TrendSeries) -> None:
    stdout.print(f"{series.query}: {series.matches:,} articles", markup=False)
    if not series.points:
        stderr.print("  none dated")
        return
    top = max((p.share or 0.0) for p in series.points) or 1.0
    in_burst: set[str] = set()
    for b in series.bursts:
        inside = False
        for p in series.points:
            inside = inside or p.period == b.start
            if inside:
                in_burst.add(p.period)
            if p.period == b.end:
                break
    for p in series.points:
        share = p.share or 0.0
        bar = "█" * round(BAR * share / top)
        mark = " burst" if p.period in in_burst else ""
        percent = f"{100 * share:6.2f}%" if p.share is not None else "      –"
        stdout.print(
            f"{p.period:<10} {p.count:>7,} {percent} of {p.total:>7,}  {bar}{mark}", markup=False, soft_wrap=True
        )
    if series.undated:
        stdout.print(f"undated    {series.undated:>7,}", markup=False)
    stdout.print()


def emerging_command(
    ctx: typer.Context,
    week: Annotated[
        str | None,
        typer.Option(
            "--week",
            metavar="DATE",
            help="A day of the week to look at (YYYY-MM-DD; weeks run Monday to Sunday). Default: the last full week.",
        ),
    ] = None,
    source: Annotated[
        list[str] | None, typer.Option("--source", "-s", metavar="NAME", help="Only this source; repeatable.")
    ] = None,
    language: Annotated[
        list[str] | None, typer.Option("--language", "-l", metavar="CODE", help="Only this language code; repeatable.")
    ] = None,
    baseline: Annotated[
        int | None,
        typer.Option(min=1, max=104, metavar="WEEKS", help="Weeks before the week that make the baseline (default 8)."),
    ] = None,
    top: Annotated[int | None, typer.Option(min=1, max=500, metavar="N", help="Terms listed (default 30).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False,
) -> None:
    """What rose in a week: the words, phrases, persons, organisations and countries most
    over-represented against the weeks before it, by weighted log-odds with an informative
    Dirichlet prior (Monroe, Colaresi and Quinn 2008). Function words and the outlets'
    fixed formulas are left out; names first seen in the week are marked new.

    Example: wirewatch emerging --week 2011-12-19 --source KCNA
    """
    from dataclasses import replace

    from wirewatch.present.params import check_sources, parse_day
    from wirewatch.present.trends import emerging, emerging_json, last_full_week, load_trend_rules

    with user_errors(ctx) as state:
        store = state.store()
        check_sources(source or (), store.source_names())
        day = parse_day(week, "--week") if week else None
        if day is None:
            last = store.stats().last_date
            if last is None:
                raise ConfigError("the archive holds no dated article: give --week")
            day = last_full_week(last)
        rules = load_trend_rules()
        if baseline:
            rules = replace(rules, baseline_weeks=baseline)
        if top:
            rules = replace(rules, top=top)
        result = emerging(store, day, sources=source or (), languages=language or (), rules=rules)
        if as_json:
            print_json(emerging_json(result, source or ()))
        else:
            _print_emerging(result)


def _print_emerging(result: Emerging) -> None:
    p, b = result.period, result.baseline
    stderr.print(
        f"week {p.since} to {p.until}: {result.articles:,} articles, against {b.since} to {b.until}: "
        f"{result.baseline_articles:,}",
        markup=False,
    )
    if not result.terms:
        stderr.print("nothing rose clearly above the baseline")
        return
    stdout.print(f"{'term':<40} {'kind':<12} {'z':>6} {'week':>6} {'before':>7}", markup=False)
    for r in result.terms:
        new = "  new" if r.new else ""
        stdout.print(
            f"{r.term[:40]:<40} {r.kind:<12} {r.score:>6.2f} {r.count:>6} {r.baseline_count:>7}{new}", markup=False
        )


def companions_command(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(metavar="NAME", show_default=False, help="A person or organisation: name, alias or id.")
    ],
    kind: Annotated[str, typer.Option("--kind", metavar="KIND", help="person or organization.")] = "person",
    since: Annotated[
        str | None, typer.Option(metavar="DATE", help="From this date on (default: a year before --until).")
    ] = None,
    until: Annotated[
        str | None, typer.Option(metavar="DATE", help="Up to this date (default: the newest article).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=200, metavar="N", help="How many to list.")] = 15,
    as_json: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False,
) -> None:
    """Who appears with whom: the persons and bodies most often named in the same articles
    as NAME in a period, and their rank in the period of the same length before it
    (appearing beside the leader is a classic signal of rank).

    Example: wirewatch companions "Kim Jong Un" --since 2012-01 --until 2012-12
    """
    from wirewatch.present.params import parse_day, resolve_filter
    from wirewatch.present.trends import companions, companions_json

    with user_errors(ctx) as state:
        if kind not in ("person", "organization"):
            raise ConfigError(f"--kind {kind!r}: use person or organization")
        try:
            ident = resolve_filter(kind, " ".join(name.split()))
        except ValueError as error:
            raise ConfigError(f"{kind} {name!r}: {error}") from None
        store = state.store()
        end = parse_day(until, "--until", end=True) or store.stats().last_date
        if end is None:
            raise ConfigError("the archive holds no dated article")
        start = parse_day(since, "--since") or end - dt.timedelta(days=364)
        if start > end:
            raise ConfigError(f"--since {since!r} is after --until {until!r}")
        found = companions(store, kind, ident, start, end, limit=limit)
        if as_json:
            print_json(companions_json({"type": kind, "id": ident}, start, end, found))
            return
        if not found:
            stderr.print(f"no one is named with {name} between {start} and {end}", markup=False)
            return
        stderr.print(f"named with {name} ({ident}) between {start} and {end}; rank in the period before", markup=False)
        for c in found:
            before = f"#{c.rank_before}" if c.rank_before else "new"
            stdout.print(
                f"{c.rank:>3}. {c.name[:40]:<40} {c.together:>6} articles  (before: {before}, {c.before})", markup=False
            )


def register(app: typer.Typer) -> None:
    app.command("trend")(trend_command)
    app.command("emerging")(emerging_command)
    app.command("companions")(companions_command)
