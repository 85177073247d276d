"""``wirewatch extract``: entities and events of input files, analysed without storing them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from wirewatch.cli.common import EXIT_PARTIAL, clean_options, print_json, stderr, user_errors
from wirewatch.errors import ConfigError

stdout = Console(highlight=False)


def extract_command(
    ctx: typer.Context,
    paths: Annotated[
        list[Path], typer.Argument(metavar="PATH...", help="Files or folders, in any format 'import' reads.")
    ],
    actors: Annotated[
        list[Path] | None,
        typer.Option("--actors", metavar="FILE", help="An extra actor data file (TOML, docs/analysis.md); repeatable."),
    ] = None,
    source: Annotated[str | None, typer.Option(metavar="NAME", help="The source of records that name none.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the articles' entities and events as JSON.")] = False,
) -> None:
    """Name the people, countries and organisations in articles, and the events between
    countries (visits, meetings, messages, anniversaries, agreements, praise,
    denunciations, threats), without storing anything.

    Example: wirewatch extract ../shared/corpus/pyongyang-times-dprk-russia-friendship.txt --json
    """
    from wirewatch.analysis.actors import Actors
    from wirewatch.analysis.analyse import analyse
    from wirewatch.ingest import ReadOptions, read_inputs
    from wirewatch.pipeline.prepare import ImportSummary, prepare
    from wirewatch.present.shapes import entity_json, event_json, format_date

    with user_errors(ctx) as state:
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise ConfigError(f"no such file or folder: {', '.join(missing)}")
        clean = clean_options(state.settings, source=source)
        known = Actors.load(tuple(actors or ()))
        summary = ImportSummary()
        articles: list[dict[str, Any]] = []
        for incoming in prepare(
            read_inputs([str(p) for p in paths], ReadOptions(boilerplate=clean.rules)), clean, summary
        ):
            article = incoming.article
            found = analyse(article, known)
            articles.append(
                {
                    "title": article.title,
                    "date": article.date,
                    "date_precision": article.date_precision,
                    "source": article.source,
                    "entities": [entity_json(e) for e in found.entities],
                    "events": [event_json(e) for e in found.events],
                }
            )
        if as_json:
            print_json({"articles": articles, "rejected": [e.as_dict() for e in summary.errors]})
        else:
            for item in articles:
                stdout.print(
                    f"[bold]{item['title']}[/] ({item['source']}, {format_date(item['date'], item['date_precision'])})"
                )
                for kind, label in (("person", "people"), ("country", "countries"), ("organization", "organisations")):
                    names = [
                        f"{e['name']}{' (by title)' if e['by_title'] else ''} ×{e['count']}"
                        for e in item["entities"]
                        if e["type"] == kind
                    ]
                    if names:
                        stdout.print(f"  {label}: " + ", ".join(names), markup=False, soft_wrap=True)
                for event in item["events"]:
                    when = format_date(event["date"], event["date_precision"])
                    sides = f"{event['actor']['country'] or 'international'} → {event['target']['country'] or 'international'}"
                    stdout.print(
                        f"  {event['type']} {sides}, {when}: {event['sentence']}", markup=False, soft_wrap=True
                    )
        for error in summary.errors:
            where = f"{error.input}:{error.line}" if error.line else error.input
            stderr.print(f"rejected {where}: {error.reason}", markup=False)
        if summary.errors:
            raise typer.Exit(EXIT_PARTIAL)


def register(app: typer.Typer) -> None:
    app.command("extract")(extract_command)
