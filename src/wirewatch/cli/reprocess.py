"""The commands that derive again what the archive derives from its articles: reprocess
(cleaning, analysis, comparison) and reindex (the search index)."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Annotated

import typer

from wirewatch.analysis.actors import Actors
from wirewatch.cli.common import article_progress, clean_options, print_json, stderr, user_errors
from wirewatch.errors import ConfigError
from wirewatch.pipeline.reprocess import (
    ALL_STAGES,
    CONNECT_TIMEOUT,
    DEFAULT_WORKERS,
    PARTITION_SIZE,
    ReprocessOptions,
    ReprocessSummary,
    run_reprocess,
)


def reprocess_command(
    ctx: typer.Context,
    stage: Annotated[
        list[str] | None,
        typer.Option(
            "--stage",
            metavar="STAGE",
            help=f"What to run again: {', '.join(ALL_STAGES)} (the default: all); repeatable.",
        ),
    ] = None,
    source: Annotated[
        list[str] | None,
        typer.Option("--source", "-s", metavar="NAME", help="Only this source's articles; repeatable."),
    ] = None,
    source_date_order: Annotated[
        list[str] | None,
        typer.Option(
            "--source-date-order", metavar="NAME=ORDER", help="A source's date order, e.g. 'Yonhap=YMD'; repeatable."
        ),
    ] = None,
    partition_size: Annotated[
        int, typer.Option(min=1, max=100_000, metavar="N", help="Articles per partition (one task, one transaction).")
    ] = PARTITION_SIZE,
    workers: Annotated[
        int | None,
        typer.Option(
            min=0,
            max=256,
            metavar="N",
            help=f"The local cluster's worker processes (default {DEFAULT_WORKERS}); 0: work in this process, without Dask.",
        ),
    ] = None,
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            metavar="ADDRESS",
            help="Use the Dask scheduler at this address (tcp://host:8786) instead of a local cluster.",
        ),
    ] = None,
    cluster_timeout: Annotated[
        float, typer.Option(min=0.1, metavar="SECONDS", help="How long to keep trying to reach --cluster.")
    ] = CONNECT_TIMEOUT,
    actors: Annotated[
        list[Path] | None,
        typer.Option(
            "--actors",
            metavar="FILE",
            help="An extra actor data file (TOML, docs/analysis.md) for the analyse stage; repeatable.",
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count what would change; write nothing.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Clean the archive's articles again with today's rules and write back those that
    change; analyse them again with today's actor data; compare them again.

    The clean stage re-reads each article from the input it was imported from (kept in
    the archive) and cleans it with the current boilerplate rules (--boilerplate) and
    date orders; articles whose title, date, language, place or text come out different
    are rewritten, and the search index with them. The analyse stage finds every
    article's people, countries, organisations and events again with the packaged actor
    data and any --actors files, and stores them in place of the old ones (articles
    imported without analysis get one). The work runs in partitions on a Dask
    cluster: a local one by default (--workers), an existing one with --cluster; the
    workers never open the archive. Each partition is written in one transaction, so an
    interrupted run leaves a consistent archive, and running it again rewrites only what
    still differs. The compare stage, last, forgets every link between articles (reprints,
    translations, formulas, story threads) and compares the whole archive again, in this
    process, within WIREWATCH_COMPARE_WINDOW days; an archive imported before the comparison
    existed gets its links this way.
    Example: wirewatch --boilerplate my-rules.toml reprocess --source KCNA --dry-run
    """
    with user_errors(ctx) as state:
        if cluster is not None and workers is not None:
            raise ConfigError("--workers starts a local cluster; with --cluster the scheduler's workers do the work")
        settings = state.settings
        clean = clean_options(settings, source_date_order=source_date_order)
        options = ReprocessOptions(
            stages=tuple(dict.fromkeys(stage)) if stage else ALL_STAGES,
            sources=tuple(source or ()),
            partition_size=partition_size,
            workers=DEFAULT_WORKERS if workers is None else workers,
            cluster=cluster,
            dry_run=dry_run,
            connect_timeout=cluster_timeout,
            # Dask logs every worker's start and stop at INFO: noise on a terminal.
            dask_log_level=logging.DEBUG if settings.debug else logging.WARNING,
            compare_window=settings.compare_window,
        )
        known = Actors.load(tuple(actors or ())) if "analyse" in options.stages else None
        if actors and known is None:
            raise ConfigError("--actors is for the analyse stage, which this run leaves out")
        store = state.store()
        with article_progress("re-processing") as progress:
            task = progress.add_task("reprocess", total=None)
            summary = run_reprocess(
                store,
                clean,
                options,
                actors=known,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
        if as_json:
            print_json(summary.as_dict())
        else:
            _print_summary(summary)


def _print_summary(s: ReprocessSummary) -> None:
    would = "would change" if s.dry_run else "changed"
    where = f"{s.workers} Dask worker{'s' * (s.workers != 1)}" if s.workers else "this process"
    if s.partitions or s.compared is None:
        stderr.print(
            f"examined {s.examined:,} articles: {s.changed:,} {would}, {s.unchanged:,} unchanged, "
            f"{s.skipped:,} skipped ({s.partitions:,} partition{'s' * (s.partitions != 1)} on {where}, {s.seconds:.1f} s)"
        )
    if s.analysed:
        stderr.print(f"  {s.analysed:,} articles {'would be ' if s.dry_run else ''}analysed again")
    if s.unlinked:
        stderr.print(f"  {s.unlinked:,} duplicates no longer match their original and keep their own text")
    for reason, count in s.skipped_reasons.most_common():
        stderr.print(f"  skipped {count:,}: {reason}", markup=False)
    if s.compared is not None:
        links = ", ".join(f"{n:,} {relation}" for relation, n in s.compared["links"].items() if n) or "none"
        stderr.print(
            f"  compared {s.compared['examined']:,} articles ({s.compared['candidates']:,} candidate pairs): links {links}"
        )


def reindex_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Build the search index anew from the archive.

    With the tantivy engine (WIREWATCH_SEARCH_ENGINE, the default) the index is a directory
    derived from the archive (WIREWATCH_SEARCH_INDEX; beside an SQLite file by default). It
    follows the archive by itself: each search first applies what was written since, and
    an index that is missing, of another archive or cut short by a crash is built again
    where it stopped. Run this after moving or restoring an index directory, or to start
    one afresh; it commits every 50,000 articles, and a run stopped part-way goes on from
    there. With the sql engine, the database's own full-text tables are emptied and filled
    again, a transaction per 2,000 articles: needed after the tantivy engine kept the archive.
    Example: wirewatch reindex
    """
    with user_errors(ctx) as state:
        store = state.store()
        stats = store.stats()
        total = stats.articles - stats.duplicates
        started = time.perf_counter()
        with article_progress("indexing") as progress:
            task = progress.add_task("reindex", total=total)
            indexed = store.reindex(progress=lambda n: progress.advance(task, n))
        seconds = time.perf_counter() - started
        engine = state.settings.search_engine
        if as_json:
            print_json({"engine": engine, "indexed": indexed, "seconds": round(seconds, 2)})
        else:
            stderr.print(f"indexed {indexed:,} articles with the {engine} engine in {seconds:.1f} s")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("reprocess")(reprocess_command)
    app.command("reindex")(reindex_command)
