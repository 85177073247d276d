"""The root command: global options, settings, and the error boundary."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from wirewatch import __version__
from wirewatch.cli import (
    alerts,
    analysis,
    archive,
    collect,
    compare,
    demo,
    digest,
    reading,
    relations,
    reprocess,
    sources,
    subscribers,
    trends,
    web,
)
from wirewatch.cli.common import State, fail
from wirewatch.config.settings import Settings
from wirewatch.errors import WirewatchError

app = typer.Typer(
    name="wirewatch",
    help="Archive, search and read state-media articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"wirewatch {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="PATH",
            help="The archive: an SQLite file (default ./wirewatch.db, or $WIREWATCH_DB) or a postgresql:// URL.",
        ),
    ] = None,
    date_order: Annotated[
        str | None,
        typer.Option(
            "--date-order", metavar="ORDER", help="How to read ambiguous numeric dates: DMY (default), MDY or YMD."
        ),
    ] = None,
    boilerplate: Annotated[
        list[Path] | None,
        typer.Option("--boilerplate", metavar="FILE", help="An extra boilerplate rules file (TOML); repeatable."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Archive, search and read state-media articles."""
    try:
        from wirewatch.config.settings import parse_date_order

        settings = Settings.from_env(
            db=db,
            date_order=parse_date_order(date_order, "--date-order") if date_order else None,
            debug=debug,
        )
        if boilerplate:
            from dataclasses import replace

            settings = replace(settings, boilerplate=settings.boilerplate + tuple(boilerplate))
    except WirewatchError as exc:
        fail(str(exc), debug=debug)
    ctx.obj = State(settings, db_given=db is not None or bool(os.environ.get("WIREWATCH_DB")))


archive.register(app)
reading.register(app)
compare.register(app)
demo.register(app)
web.register(app)
sources.register(app)
collect.register(app)
reprocess.register(app)
analysis.register(app)
relations.register(app)
trends.register(app)
alerts.register(app)
digest.register(app)
subscribers.register(app)


def main() -> None:
    """The console script's entry point."""
    app(prog_name="wirewatch")
