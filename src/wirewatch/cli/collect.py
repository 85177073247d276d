"""``wirewatch crawl``, ``watch`` and ``history``: collection and the versions it keeps."""

from __future__ import annotations

import json
import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

from wirewatch.cli.common import EXIT_PARTIAL, State, clean_options, print_json, stderr, user_errors
from wirewatch.clock import now_utc
from wirewatch.errors import ConfigError

if TYPE_CHECKING:
    from wirewatch.collect.sources import SourceProfile
    from wirewatch.pipeline.collector import Collector, CrawlSummary, JobReport

stdout = Console(highlight=False)

#: How often ``watch`` looks for sources that are due, at most.
PLAN_EVERY = 5.0
SHOWN_ERRORS = 20


def _profiles(state: State, names: list[str]) -> list[SourceProfile]:
    """The sources file's profiles named (any case), or its enabled ones when none is."""
    from wirewatch.collect.sources import load_sources

    path = state.settings.sources
    profiles = load_sources(path)
    if not profiles:
        raise ConfigError(
            f"{path}: no sources to collect from (add one with 'wirewatch source add', or set WIREWATCH_SOURCES)"
        )
    if not names:
        return profiles
    by_name = {p.name.casefold(): p for p in profiles}
    unknown = [n for n in names if n.casefold() not in by_name]
    if unknown:
        listed = ", ".join(p.name for p in profiles)
        raise ConfigError(f"no source {', '.join(map(repr, unknown))} in {path} (sources: {listed})")
    return [by_name[n.casefold()] for n in names]


def _collector(
    state: State,
    profiles: list[SourceProfile],
    report: Callable[[JobReport], None] | None = None,
    worker: str | None = None,
) -> Collector:
    from wirewatch.analysis.actors import Actors
    from wirewatch.collect.fetch import Fetcher, FetchOptions
    from wirewatch.pipeline.collector import Collector
    from wirewatch.pipeline.linking import LinkOptions

    settings = state.settings
    clean = clean_options(settings)
    agent: dict[str, Any] = {"user_agent": settings.user_agent} if settings.user_agent else {}
    options = FetchOptions(
        read_timeout=settings.fetch_timeout,
        connect_timeout=min(10.0, settings.fetch_timeout),
        max_time=4 * settings.fetch_timeout,
        retries=settings.fetch_retries,
        max_bytes=int(settings.max_page_mb * 1024 * 1024),
        **agent,
    )
    fetcher = Fetcher(options)
    actors = Actors.load()
    return Collector(
        state.store(),
        fetcher,
        profiles,
        clean,
        report=report,
        worker=worker,
        actors=actors,
        compare=LinkOptions(state.settings.compare_window),
    )


@contextmanager
def _stopping_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGTERM and SIGINT set ``stop`` instead of killing the process mid-job."""

    def handler(signum: int, _frame: object) -> None:
        stop.set()

    previous = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def crawl_command(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None, typer.Argument(metavar="[SOURCE]...", help="Sources to crawl (default: every enabled one).")
    ] = None,
    concurrency: Annotated[
        int, typer.Option(min=1, max=64, metavar="N", help="Pages fetched at once (one per host at a time).")
    ] = 4,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Crawl sources once: their feeds, sitemaps and index pages, then the articles they list.

    New articles are added, changed ones get a new revision, pages that answer 404/410
    are marked deleted. An interrupted crawl resumes where it stopped when run again.
    Exit status 1 means some pages failed; they are listed with the reason.
    """
    with user_errors(ctx) as state:
        profiles = _profiles(state, names or [])
        chosen = [p for p in profiles if p.enabled or names]
        if not chosen:
            raise ConfigError(f"every source in {state.settings.sources} is disabled: name one to crawl it anyway")
        stop = threading.Event()
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=stderr,
            transient=True,
        ) as progress:
            task = progress.add_task("crawling", total=None)
            done = 0

            def report(r: JobReport) -> None:
                nonlocal done
                done += 1
                progress.update(task, description=f"crawling: {done:,} pages ({r.source}: {r.outcome})")

            collector = _collector(state, chosen, report)
            try:
                crawl_ids = _resume_or_start(collector, [p.name for p in chosen])
                with _stopping_on_signals(stop):
                    summary = collector.run(crawl_ids, stop, concurrency=concurrency)
            finally:
                collector.fetcher.close()
        if stop.is_set():
            stderr.print("stopped: run 'wirewatch crawl' again to finish the crawl")
        if as_json:
            print_json(summary.as_dict())
        else:
            _print_summary(summary)
        if stop.is_set():
            raise typer.Exit(130)
        if summary.errors:
            raise typer.Exit(EXIT_PARTIAL)


def _resume_or_start(collector: Collector, names: list[str]) -> list[int]:
    """An unfinished crawl of a source (an interrupted run) goes on; the others start."""
    pending = collector.queue.unfinished_by_source(names)
    fresh = collector.start([n for n in names if n not in pending])
    return sorted(list(pending.values()) + fresh)


def _print_summary(summary: CrawlSummary) -> None:
    for source, counts in sorted(summary.outcomes.items()):
        parts = ", ".join(
            f"{n:,} {outcome.replace('_', ' ')}" for outcome, n in sorted(counts.items(), key=lambda kv: -kv[1])
        )
        missing = summary.deleted.get(source, 0)
        if missing:
            parts += f"; {missing:,} marked deleted (no longer listed)"
        stderr.print(f"{escape(source)}: {parts}")
    for error in summary.errors[:SHOWN_ERRORS]:
        stderr.print(f"  {error.outcome}: {error.url}: {error.error}", markup=False)
    if len(summary.errors) > SHOWN_ERRORS:
        stderr.print(f"  … and {len(summary.errors) - SHOWN_ERRORS:,} more (use --json for the full list)")


class _LineFormatter(logging.Formatter):
    """One line per event: a timestamp, the message, then the event's fields, as
    ``key=value`` pairs (or one JSON object per line)."""

    FIELDS = (
        "source",
        "kind",
        "url",
        "status",
        "outcome",
        "elapsed",
        "error",
        "crawl",
        "index_complete",
        "deleted",
        "worker",
        "pages",
        "edition",
        "frequency",
        "readers",
        "sent",
        "already",
        "empty",
        "failed",
        "rejected",
        "subscriber_id",
        "suspended",
        "alert",
        "articles",
        "changes",
        "mails",
        "posts",
    )

    def __init__(self, as_json: bool) -> None:
        super().__init__()
        self.as_json = as_json

    def format(self, record: logging.LogRecord) -> str:
        when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(record.created))
        fields = {k: getattr(record, k) for k in self.FIELDS if getattr(record, k, None) is not None}
        if isinstance(fields.get("elapsed"), float):
            fields["elapsed"] = round(fields["elapsed"], 3)
        if self.as_json:
            return json.dumps(
                {"time": when, "level": record.levelname.lower(), "event": record.getMessage(), **fields},
                ensure_ascii=False,
            )
        pairs = " ".join(
            f"{k}={json.dumps(v, ensure_ascii=False) if isinstance(v, str) and (' ' in v or not v) else v}"
            for k, v in fields.items()
        )
        return f"{when} {record.levelname.lower()} {record.getMessage()} {pairs}".rstrip()


#: How often ``watch`` sends the digests that are due (each at its reader's local hour).
MAIL_EVERY = 60.0


def _mail_loop(state: State, stop: threading.Event) -> None:
    """The Daily Update beside the crawls: every minute, the digests whose readers'
    delivery hour has come (``digest.sending.send_due``). A failure is logged and the
    next minute tries again; the send log keeps every digest to one mail."""
    from wirewatch.digest.sending import send_due

    log = logging.getLogger("wirewatch.digest")
    while not stop.is_set():
        try:
            send_due(state.store(), state.settings, now_utc(), stop=stop)
        except Exception as exc:
            log.error("digests not sent", extra={"error": f"{type(exc).__name__}: {exc}"})
        stop.wait(MAIL_EVERY)


def _start_mail(state: State, stop: threading.Event) -> threading.Thread | None:
    """The mail thread, when mail is set up; otherwise a line saying why not."""
    from wirewatch.digest.sending import check_mail_settings

    try:
        check_mail_settings(state.settings)
    except ConfigError as exc:
        logging.getLogger("wirewatch.digest").info("digests are not sent", extra={"error": str(exc)})
        return None
    thread = threading.Thread(target=_mail_loop, args=(state, stop), name="wirewatch-mail", daemon=True)
    thread.start()
    return thread


def _start_alerts(state: State, stop: threading.Event) -> threading.Thread:
    """The alerts thread: saved searches checked and delivered about every minute
    (``digest.alerts.watch_alerts``), in a thread of their own so that a slow webhook
    holds up neither the crawls nor the digests."""
    from wirewatch.digest.alerts import watch_alerts

    thread = threading.Thread(
        target=watch_alerts, args=(state.store(), state.settings, stop), name="wirewatch-alerts", daemon=True
    )
    thread.start()
    return thread


def watch_command(
    ctx: typer.Context,
    concurrency: Annotated[
        int, typer.Option(min=1, max=64, metavar="N", help="Pages fetched at once (one per host at a time).")
    ] = 4,
    worker: Annotated[
        str | None, typer.Option(metavar="NAME", help="This worker's name in the job table (default host:pid).")
    ] = None,
    log_format: Annotated[
        str, typer.Option("--log-format", metavar="FORMAT", help="text (key=value) or json.")
    ] = "text",
) -> None:
    """Collect continuously: crawl each enabled source when its interval has passed,
    and send the Daily Update to each subscriber at their local delivery hour (when
    WIREWATCH_SMTP_URL and WIREWATCH_BASE_URL are set; see docs/email.md). About every
    minute, the alerts on saved searches are checked and sent (docs/alerts.md).

    State is kept in the archive: a restart resumes unfinished crawls, and several
    watch processes on one PostgreSQL archive share the work without fetching a page
    twice. SIGTERM or Ctrl-C stops cleanly after the pages in hand. Logs one line per
    page (source, url, status, outcome, timing) on stderr.
    """
    with user_errors(ctx) as state:
        if log_format not in ("text", "json"):
            raise ConfigError(f"--log-format {log_format!r}: use text or json")
        profiles = _profiles(state, [])
        handler = logging.StreamHandler()
        handler.setFormatter(_LineFormatter(log_format == "json"))
        logger = logging.getLogger("wirewatch")
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        # One line per page, the collector's (with the outcome); the fetcher's own only for warnings.
        logging.getLogger("wirewatch.fetch").setLevel(logging.WARNING)
        stop = threading.Event()
        collector = _collector(state, profiles, worker=worker)
        enabled = [p.name for p in profiles if p.enabled]
        if worker:  # a fixed name: this worker's previous life may have left jobs claimed
            collector.queue.release_worker(worker, collector.clock())
        logging.getLogger("wirewatch.collect").info(
            "watch started", extra={"worker": collector.worker, "source": ", ".join(enabled)}
        )
        try:
            with _stopping_on_signals(stop):
                working = threading.Thread(
                    target=collector.run,
                    args=(None, stop),
                    kwargs={"concurrency": concurrency, "until_done": False},
                    name="wirewatch-watch",
                    daemon=True,
                )
                working.start()
                mailing = _start_mail(state, stop)
                alerting = _start_alerts(state, stop)
                while not stop.is_set():
                    collector.start_due()
                    collector.end_crawls(None)
                    stop.wait(PLAN_EVERY)
                working.join()
                if mailing is not None:
                    mailing.join(timeout=60)  # the mail in hand, then it stops
                alerting.join(timeout=60)  # the delivery in hand, then it stops
            done = sum(sum(c.values()) for c in collector.summary.outcomes.values())
            logging.getLogger("wirewatch.collect").info(
                "watch stopped", extra={"worker": collector.worker, "pages": done}
            )
        finally:
            collector.fetcher.close()
            logger.removeHandler(handler)


def history_command(
    ctx: typer.Context,
    article_id: Annotated[int, typer.Argument(metavar="ID", help="The article's number.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the versions and changes as JSON.")] = False,
    full: Annotated[
        bool, typer.Option("--full", help="Show whole texts around the changes, not only nearby words.")
    ] = False,
) -> None:
    """An article's versions as the collector saw them, with word-level differences,
    and its deletions and returns."""
    from wirewatch.clean.diff import CONTEXT, render_text, word_diff
    from wirewatch.present.shapes import HISTORY_CHANGES, history_json

    with user_errors(ctx) as state:
        store = state.store()
        article = store.get_article(article_id)
        if article is None:
            stderr.print(f"no article {article_id} in {state.settings.db}")
            raise typer.Exit(EXIT_PARTIAL)
        revisions = store.history(article_id)
        changes = store.changes(article_id=article_id, limit=HISTORY_CHANGES)
        if as_json:
            print_json(history_json(article, revisions, changes))
            return
        stdout.print(Text(article.title, style="bold"))
        stdout.print(f"{article.source} | status: {article.status} | {len(revisions) or 1} version(s)", markup=False)
        if not revisions:
            stdout.print("imported from a file: no other version on record", style="dim")
        context = None if full else CONTEXT
        for n, revision in enumerate(revisions):
            stamp = f"seen {revision.seen_at:%Y-%m-%d %H:%M} UTC"
            if revision.last_seen_at != revision.seen_at:
                stamp += f", last seen {revision.last_seen_at:%Y-%m-%d %H:%M} UTC"
            changed = f"; changed: {', '.join(revision.changes)}" if revision.changes else ""
            stdout.print(Text(f"\nversion {revision.number}: {stamp}{changed}", style="cyan"))
            if n == 0:
                continue
            previous = revisions[n - 1]
            if "title" in revision.changes:
                stdout.print(
                    "  title: " + render_text(word_diff(previous.title, revision.title), context=None),
                    markup=False,
                    soft_wrap=True,
                )
            if "date" in revision.changes:
                stdout.print(f"  date: {previous.date} → {revision.date}", markup=False)
            if "body" in revision.changes:
                stdout.print(
                    "  " + render_text(word_diff(previous.body, revision.body), context=context),
                    markup=False,
                    soft_wrap=True,
                )
        for change in reversed(changes):
            if change.kind != "edited":
                stdout.print(
                    f"{change.kind} {change.seen_at:%Y-%m-%d %H:%M} UTC: {change.detail or ''}",
                    markup=False,
                    style="yellow",
                )


def register(app: typer.Typer) -> None:
    app.command("crawl")(crawl_command)
    app.command("watch")(watch_command)
    app.command("history")(history_command)
