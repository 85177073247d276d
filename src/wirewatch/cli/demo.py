"""The demo: an archive built from the sample wirewatch ships, and a first look at it."""

from __future__ import annotations

from importlib.resources import as_file, files
from typing import Annotated

import typer

from wirewatch.cli.common import clean_options, stderr, user_errors
from wirewatch.cli.web import HostOption, PortOption, announce, serve_options
from wirewatch.pipeline.importer import run_import
from wirewatch.search.base import SearchRequest

DEMO_DB = "wirewatch-demo.db"
DEMO_QUERY = 'Lavrov OR "Federation Council"'


def demo_command(
    ctx: typer.Context,
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    serve_it: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the archive on the web once it is built.")
    ] = True,
) -> None:
    """Build a demo archive from the bundled sample (once) and serve it on the web.

    The archive is ./wirewatch-demo.db unless --db or WIREWATCH_DB names another.
    Open the address it prints; Ctrl-C stops it.
    """
    state = ctx.obj
    if not state.db_given:
        from dataclasses import replace

        state.settings = replace(state.settings, db=DEMO_DB)
    with user_errors(ctx) as state:
        store = state.store()
        with as_file(files("wirewatch") / "sample") as sample:
            if not store.stats().articles:
                stderr.print(f"building the demo archive {state.settings.db} from the bundled sample…")
                clean = clean_options(state.settings)
                from wirewatch.analysis.actors import Actors

                # analysed like any import: entity pages, relations and the digest's score need it
                summary = run_import(store, [str(sample)], clean, actors=Actors.load())
                copies = "duplicate" if summary.duplicates == 1 else "duplicates"
                stderr.print(f"  {summary.added} articles added, {summary.duplicates} {copies} linked")
        stats = store.stats()
        db = state.settings.db
        typer.echo(f"\nThe archive {db} holds {stats.articles} articles from {', '.join(stats.sources)}")
        typer.echo(f"dated {stats.first_date} to {stats.last_date}, in {', '.join(stats.languages)}.\n")
        result = store.search(SearchRequest(DEMO_QUERY, order="newest", limit=5))
        typer.echo(f"search {DEMO_QUERY} — {result.total} articles, newest first:")
        for hit in result.hits:
            typer.echo(f"  {hit.id:>4}  {hit.date}  {hit.source:<16} {hit.title}")
        typer.echo("\nTry next:")
        db_option = "" if state.db_given else f"--db {db} "
        typer.echo(f"  wirewatch {db_option}search 'Russia* NOT Soviet' --order newest")
        typer.echo(f"  wirewatch {db_option}search 김정은")
        typer.echo(f"  wirewatch {db_option}show {result.hits[0].id if result.hits else 1}")
        typer.echo(f"  wirewatch {db_option}stats")
        if serve_it:
            from wirewatch.web.server import serve

            options = serve_options(host, port)
            state.close()
            typer.echo("")
            serve(state.settings, options, lambda url: announce(url, host))


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_command)
