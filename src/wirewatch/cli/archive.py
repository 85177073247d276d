"""Commands that fill, empty and move the archive: import, export, copy."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wirewatch.analysis.actors import Actors
from wirewatch.cli.common import EXIT_PARTIAL, article_progress, clean_options, print_json, stderr, user_errors
from wirewatch.errors import ConfigError
from wirewatch.ingest import count_records_hint
from wirewatch.models import Rejected
from wirewatch.pipeline.importer import ImportSummary, run_import
from wirewatch.pipeline.linking import LinkOptions
from wirewatch.present.export import FORMATS, export_articles

#: Rejections listed in the human summary; --json lists them all.
SHOWN_ERRORS = 20


def import_command(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH",
            show_default=False,
            help="Files or folders: JSONL, CSV, saved pages, text, HTML; .gz read as is.",
        ),
    ],
    source: Annotated[
        str | None, typer.Option("--source", metavar="NAME", help="Source name for records that do not name one.")
    ] = None,
    source_date_order: Annotated[
        list[str] | None,
        typer.Option(
            "--source-date-order", metavar="NAME=ORDER", help="A source's date order, e.g. 'Yonhap=YMD'; repeatable."
        ),
    ] = None,
    actors: Annotated[
        list[Path] | None,
        typer.Option(
            "--actors",
            metavar="FILE",
            help="An extra actor data file (TOML, docs/analysis.md) for the analysis; repeatable.",
        ),
    ] = None,
    no_analysis: Annotated[
        bool,
        typer.Option(
            "--no-analysis", help="Store no entities and events (analyse later with 'reprocess --stage analyse')."
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Import articles from files into the archive.

    Records already in the archive are left alone, so an import can be re-run (after
    an interruption, or on a grown file) to add only what is new. Each new article is
    analysed as it is imported: its people, countries and organisations, and the
    events between countries, are stored with it (see 'relations'). Exit status 1 means
    some records were rejected; they are listed with the reason.
    """
    with user_errors(ctx) as state:
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise ConfigError(f"no such file or folder: {', '.join(missing)}")
        clean = clean_options(state.settings, source=source, source_date_order=source_date_order)
        if no_analysis and actors:
            raise ConfigError("--actors is for the analysis, which --no-analysis turns off")
        known = None if no_analysis else Actors.load(tuple(actors or ()))
        store = state.store()
        with article_progress("importing") as progress:
            # Counting lines costs a read of the input: only worth it for a visible bar.
            hints = [count_records_hint(p) for p in paths] if stderr.is_terminal else [None]
            total = None if None in hints else sum(h for h in hints if h is not None)
            task = progress.add_task("import", total=total)
            compared = progress.add_task("comparing texts", total=None, visible=False)

            def comparing(n: int) -> None:
                progress.update(compared, visible=True, advance=n)

            summary = run_import(
                store,
                [str(p) for p in paths],
                clean,
                progress=lambda n: progress.advance(task, n),
                actors=known,
                compare=LinkOptions(state.settings.compare_window),
                compare_progress=comparing,
            )
        if as_json:
            print_json(summary.as_dict())
        else:
            _print_summary(summary)
        if state.settings.debug:
            _print_tracebacks(summary)
        if summary.rejected:
            raise typer.Exit(EXIT_PARTIAL)


def _print_summary(s: ImportSummary) -> None:
    stderr.print(
        f"read {s.read:,} records: {s.added:,} added, {s.duplicates:,} duplicates linked, "
        f"{s.unchanged:,} already in the archive, {s.rejected:,} rejected"
    )
    notes = []
    if s.derived_titles:
        notes.append(f"{s.derived_titles:,} titles derived from the text")
    if s.undated:
        notes.append(f"{s.undated:,} without a usable date")
    if s.ambiguous_dates:
        notes.append(f"{s.ambiguous_dates:,} ambiguous dates (see 'show')")
    if s.detected_languages:
        notes.append(f"{s.detected_languages:,} languages detected")
    if s.compared and s.compared["examined"]:
        links = ", ".join(f"{n:,} {relation}" for relation, n in s.compared["links"].items() if n)
        notes.append(f"{s.compared['examined']:,} compared: {links or 'no links'}")
    if notes:
        stderr.print("  " + "; ".join(notes))
    for error in s.errors[:SHOWN_ERRORS]:
        stderr.print(f"  rejected {_where(error)}: {error.reason}", markup=False)
    if len(s.errors) > SHOWN_ERRORS:
        stderr.print(f"  … and {len(s.errors) - SHOWN_ERRORS:,} more (use --json for the full list)")


def _where(error: Rejected) -> str:
    return f"{error.input}:{error.line}" if error.line else error.input


def _print_tracebacks(s: ImportSummary) -> None:
    """With --debug: the traceback of each record an unexpected error rejected."""
    for error in s.errors:
        if error.detail:
            stderr.print(f"rejected {_where(error)}: {error.reason}\n{error.detail}", markup=False, highlight=False)


def export_command(
    ctx: typer.Context,
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help=f"One of: {', '.join(FORMATS)}.")
    ] = "jsonl",
    out: Annotated[
        str,
        typer.Option(
            "--out",
            "-o",
            metavar="FILE",
            help="Output file ('-' for standard output); a .gz name is compressed; a new folder for parquet.",
        ),
    ] = "-",
    no_duplicates: Annotated[
        bool, typer.Option("--no-duplicates", help="Leave out articles that duplicate another.")
    ] = False,
) -> None:
    """Export the archive as JSON Lines or CSV (the fields 'import' reads back), or as a
    Parquet dataset partitioned by source and year for pandas, Polars or DuckDB.

    Example: wirewatch export --format parquet --out archive-parquet/
    """
    with user_errors(ctx) as state:
        count = export_articles(state.store(), fmt, out, include_duplicates=not no_duplicates)
        if out != "-":
            stderr.print(f"exported {count:,} articles to {out}")


def copy_command(
    ctx: typer.Context,
    source: Annotated[
        str, typer.Option("--from", metavar="DB", help="The archive to copy: an SQLite file or a postgresql:// URL.")
    ],
    target: Annotated[
        str,
        typer.Option(
            "--to",
            metavar="DB",
            help="Where to: an SQLite file or a postgresql:// URL (an empty database, or an earlier copy to finish).",
        ),
    ],
    batch: Annotated[int, typer.Option(min=1, max=100_000, metavar="N", help="Articles per transaction.")] = 2000,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Copy an archive to another database, e.g. from SQLite to PostgreSQL, and verify it.

    Articles keep their numbers, so links to them stay good. An interrupted copy goes on
    where it stopped when run again. At the end the row counts of every table and a
    checksum of every article are compared; exit status 1 if they differ.
    Example: wirewatch copy --from wirewatch.db --to postgresql://me@localhost/wirewatch
    """
    with user_errors(ctx):
        from wirewatch.store import open_store

        if source == target:
            raise ConfigError("--from and --to name the same archive")
        origin = open_store(source)
        destination = open_store(target)
        try:
            total = origin.stats().articles
            with article_progress("copying") as progress:
                task = progress.add_task("copy", total=total)
                summary = origin.copy_to(destination, batch=batch, progress=lambda n: progress.advance(task, n))
        finally:
            origin.close()
            destination.close()
        if as_json:
            print_json(
                {
                    "copied": summary.copied,
                    "already": summary.already,
                    "verified": summary.verified,
                    "counts": {name: {"from": a, "to": b} for name, (a, b) in summary.counts.items()},
                    "checksums": {"from": summary.checksums[0], "to": summary.checksums[1]},
                }
            )
        else:
            stderr.print(f"copied {summary.copied:,} articles ({summary.already:,} were there already)")
            for name, (a, b) in summary.counts.items():
                stderr.print(f"  {name:<17} {a:>10,} → {b:>10,}" + ("" if a == b else "  DIFFERENT"))
            stderr.print(
                "checksums "
                + ("match" if summary.checksums[0] == summary.checksums[1] else "DIFFER")
                + f": {summary.checksums[0][:16]}…"
            )
        if not summary.verified:
            stderr.print("[bold red]The copy does not match its source.[/]")
            raise typer.Exit(EXIT_PARTIAL)


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
    app.command("export")(export_command)
    app.command("copy")(copy_command)
