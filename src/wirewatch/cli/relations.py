"""``wirewatch relations``: what passed between two countries, over time, from the stored events."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from wirewatch.cli.common import print_json, stderr, user_errors
from wirewatch.errors import ConfigError
from wirewatch.present.params import parse_day, resolve_filter

if TYPE_CHECKING:
    from wirewatch.analysis.actors import Actors
    from wirewatch.store.analysis import Relations

stdout = Console(highlight=False)
PERIODS = ("month", "year")
DIRECTIONS = ("a>b", "b>a")


def relations_command(
    ctx: typer.Context,
    a: Annotated[
        str,
        typer.Argument(
            metavar="A", show_default=False, help="A country: ISO alpha-3 (PRK), a name or a demonym (Russia, Russian)."
        ),
    ],
    b: Annotated[str, typer.Argument(metavar="B", show_default=False, help="The other country.")],
    since: Annotated[
        str | None, typer.Option(metavar="DATE", help="Events from this date on (YYYY, YYYY-MM or YYYY-MM-DD).")
    ] = None,
    until: Annotated[
        str | None, typer.Option(metavar="DATE", help="Events up to this date (YYYY, YYYY-MM or YYYY-MM-DD).")
    ] = None,
    by: Annotated[str, typer.Option("--by", metavar="PERIOD", help="Count per month or year.")] = "month",
    types: Annotated[
        list[str] | None,
        typer.Option("--type", metavar="TYPE", help="Only events of this type (visit, meeting, message…); repeatable."),
    ] = None,
    limit: Annotated[
        int, typer.Option(min=1, max=10_000, metavar="N", help="Events listed (the newest); the counts cover all.")
    ] = 100,
    actors: Annotated[
        list[Path] | None,
        typer.Option("--actors", metavar="FILE", help="An extra actor data file, for the country names; repeatable."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the timeline as JSON.")] = False,
) -> None:
    """The timeline of two countries' relations: visits, meetings, messages,
    anniversaries, agreements, praise, denunciations and threats between them, counted
    per month or year and type in each direction, then each event with its article.

    Events are those stored at import (or by 'reprocess --stage analyse'), dated by the
    text where it gives a date ("visited Russia in 2001"), else by the article.
    Example: wirewatch relations PRK RUS --by year --since 2000
    """
    from wirewatch.analysis.actors import Actors
    from wirewatch.analysis.events import EventRules

    with user_errors(ctx) as state:
        if by not in PERIODS:
            raise ConfigError(f"--by {by!r}: expected one of {', '.join(PERIODS)}")
        known_types = EventRules.load().types
        unknown = [t for t in types or () if t not in known_types]
        if unknown:
            raise ConfigError(f"--type {', '.join(map(repr, unknown))}: the event types are {', '.join(known_types)}")
        data = Actors.load(tuple(actors or ()))
        first, second = country_code(data, a), country_code(data, b)
        if first == second:
            raise ConfigError(f"{a!r} and {b!r} are the same country ({first})")
        result = state.store().relations(
            first,
            second,
            since=parse_day(since, "--since"),
            until=parse_day(until, "--until", end=True),
            by=by,
            limit=limit,
            types=tuple(types or ()),
        )
        if as_json:
            from wirewatch.present.shapes import relations_json

            print_json(relations_json(result))
        else:
            _print_relations(result, data)


def country_code(actors: Actors, name: str) -> str:
    """The ISO alpha-3 code of a country given by its code, a name, an adjective or a
    demonym, in any case (the search filters' lookup); ConfigError naming ``name``."""
    try:
        return resolve_filter("country", " ".join(name.split()), actors)
    except ValueError as error:
        raise ConfigError(f"country {name!r}: {error}") from None


def _print_relations(result: Relations, actors: Actors) -> None:
    from wirewatch.present.shapes import format_date

    names = {code: getattr(actors.country(code), "name", code) for code in (result.a, result.b)}
    arrows = {"a>b": f"{result.a}→{result.b}", "b>a": f"{result.b}→{result.a}"}
    if not result.total:
        stderr.print(f"no events between {names[result.a]} and {names[result.b]} in the archive")
        return
    stderr.print(f"{result.total:,} events between {names[result.a]} ({result.a}) and {names[result.b]} ({result.b})")
    table: dict[str, dict[tuple[str, str], int]] = {}
    for (period, kind, direction), n in result.counts.items():
        table.setdefault(period, {})[(kind, direction)] = n
    kinds = sorted({kind for (_, kind, _) in result.counts})
    columns = [(kind, direction) for kind in kinds for direction in DIRECTIONS]
    columns = [c for c in columns if any(c in row for row in table.values())]
    labels = [f"{kind} {arrows[direction]}" for kind, direction in columns]
    widths = [max(len(label), 4) for label in labels]
    stdout.print(
        f"{'period':<8}  " + "  ".join(f"{label:>{w}}" for label, w in zip(labels, widths, strict=True)),
        markup=False,
        soft_wrap=True,
    )
    for period, row in table.items():
        cells = "  ".join(f"{row.get(c, 0) or '':>{w}}" for c, w in zip(columns, widths, strict=True))
        stdout.print(f"{period:<8}  {cells}", markup=False, soft_wrap=True)
    stdout.print()
    for item in result.events:
        event = item.event
        when = format_date(event.date, event.date_precision)
        arrow = arrows["a>b" if event.actor.country == result.a else "b>a"]
        stdout.print(
            f"{when:<18} {event.type:<11} {arrow:<8} #{item.article_id} {item.title}",
            markup=False,
            soft_wrap=True,
        )
    if len(result.events) < result.total:
        stderr.print(f"the newest {len(result.events):,} of {result.total:,} events (--limit for more)")


def register(app: typer.Typer) -> None:
    app.command("relations")(relations_command)
