"""The ``digest`` commands: see a day's digest as a reader would get it, and send it."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from wirewatch.cli.common import EXIT_PARTIAL, print_json, stderr, user_errors
from wirewatch.clock import now_utc
from wirewatch.errors import ConfigError
from wirewatch.models import Frequency
from wirewatch.present.params import parse_day

#: Where links point in a preview when WIREWATCH_BASE_URL is unset: 'wirewatch serve' on its default port.
PREVIEW_BASE = "http://127.0.0.1:8000"
FORMATS = ("text", "html", "json")

digest_app = typer.Typer(
    help="The daily digest of must-read stories (the Daily Update): preview an edition, or "
    "send it to the confirmed subscribers. How stories are chosen is in docs/digest.md.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

DateOption = Annotated[
    str,
    typer.Option(
        "--date", metavar="YYYY-MM-DD", show_default=False, help="The edition's day (the last day of a weekly edition)."
    ),
]
WeeklyOption = Annotated[bool, typer.Option("--weekly", help="The weekly edition: the 7 days ending on --date.")]


@digest_app.command("preview")
def preview_command(
    ctx: typer.Context,
    date: DateOption,
    output: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="text (the mail's plain-text part), html (its HTML part) or json (every item with its score and reasons).",
        ),
    ] = "text",
    weekly: WeeklyOption = False,
    topics: Annotated[
        list[str] | None,
        typer.Option(
            "--topic", metavar="QUERY", help="Preview for a reader with this topic (a search query); repeatable."
        ),
    ] = None,
    sources: Annotated[
        list[str] | None,
        typer.Option("--source", metavar="NAME", help="Preview for a reader of this source only; repeatable."),
    ] = None,
    languages: Annotated[
        list[str] | None,
        typer.Option(
            "--language", metavar="CODE", help="Preview for a reader of this language only (en, ko…); repeatable."
        ),
    ] = None,
    every: Annotated[
        bool, typer.Option("--all", help="Every story of the edition, not only the best of each section.")
    ] = False,
) -> None:
    """Print an edition of the digest as a subscriber would receive it: the daily one
    of --date (the stories dated that day), or with --weekly the 7 days ending then.

    The subject goes to stderr, the mail's part to stdout. --topic, --source and
    --language show a reader's copy (their topics raised, other sources and languages
    left out). Links point at WIREWATCH_BASE_URL (or http://127.0.0.1:8000 when unset);
    the preferences and unsubscribe links carry no token in a preview.
    Example: wirewatch digest preview --date 2011-08-27 --weekly --format html > digest.html
    """
    from wirewatch.digest.rendering import (
        MailLinks,
        digest_json,
        digest_path,
        render_digest,
    )
    from wirewatch.digest.selection import build_digest, topic_hits
    from wirewatch.models import Preferences
    from wirewatch.present.params import check_sources, search_request

    with user_errors(ctx) as state:
        if output not in FORMATS:
            raise ConfigError(f"--format {output!r}: expected one of {', '.join(FORMATS)}")
        day = parse_day(date, "--date", whole=True)
        days = 7 if weekly else 1
        prefs = Preferences.build(topics=topics or (), sources=sources or (), languages=languages or ())
        for topic in prefs.topics:
            search_request(query=topic)  # a topic that does not parse stops here, with the reason
        store = state.store()
        if prefs.sources:
            check_sources(prefs.sources, store.source_names())
        from dataclasses import replace

        from wirewatch.digest.rising import rising_this_week

        # What the mail will carry: the stories, and what rose that week (as send_edition does).
        edition = build_digest(store, day, days=days)
        edition = replace(edition, rising=rising_this_week(store, day))
        base_url = state.settings.base_url or PREVIEW_BASE
        if not state.settings.base_url:
            stderr.print(f"note: WIREWATCH_BASE_URL is unset; links point at {PREVIEW_BASE}", markup=False)
        hits = topic_hits(store, prefs.topics, edition.since, edition.day) if prefs.topics else {}
        copy = edition.for_reader(prefs, hits, cap=0 if every else None)
        if not edition.articles:
            before, after = store.adjacent_days(day)
            near = ", ".join(d.isoformat() for d in (before, after) if d) or "none"
            span = f"{edition.since} to {day}" if days > 1 else str(day)
            stderr.print(f"no articles are dated {span} (nearest days with articles: {near})", markup=False)
        if output == "json":
            print_json(digest_json(copy, base_url=base_url))
            return
        links = MailLinks(base_url + digest_path(day, days), f"{base_url}/preferences", f"{base_url}/unsubscribe")
        mail = render_digest(copy, links, base_url=base_url)
        stderr.print(f"Subject: {mail.subject}", markup=False, soft_wrap=True)
        sys.stdout.write(mail.html if output == "html" else mail.text)


@digest_app.command("send")
def send_command(
    ctx: typer.Context,
    date: DateOption,
    weekly: WeeklyOption = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Send an edition to every confirmed subscriber of that frequency (daily, or
    weekly with --weekly) who has not had it yet: each gets their own copy (their
    topics raised, only their sources and languages).

    The send log makes this safe to run again: a subscriber already sent the edition
    is skipped, so after a crash or Ctrl-C a second run sends only what is missing.
    Exit status 1 when some mails could not be delivered. Needs WIREWATCH_SMTP_URL and
    WIREWATCH_BASE_URL (docs/email.md). Example: wirewatch digest send --date 2012-05-09
    """
    from rich.progress import (
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    from wirewatch.digest.sending import check_mail_settings, send_edition

    with user_errors(ctx) as state:
        day = parse_day(date, "--date", whole=True)
        check_mail_settings(state.settings)  # said before the progress line starts
        frequency: Frequency = "weekly" if weekly else "daily"
        store = state.store()
        with Progress(
            SpinnerColumn(),
            TextColumn("sending the {task.fields[edition]} edition"),
            MofNCompleteColumn(),
            TextColumn("subscribers"),
            TimeElapsedColumn(),
            console=stderr,
            transient=True,
        ) as progress:
            task = progress.add_task("send", total=None, edition=f"{frequency} {day.isoformat()}")
            summary = send_edition(
                store,
                state.settings,
                day,
                frequency=frequency,
                now=now_utc(),
                progress=lambda _reader, _outcome: progress.advance(task),
            )
        if as_json:
            print_json(summary.as_dict())
        else:
            _print_summary(summary)
        if summary.failed or summary.rejected or summary.stopped:
            raise typer.Exit(EXIT_PARTIAL)


def _print_summary(summary: Any) -> None:
    stderr.print(
        f"{summary.frequency} edition of {summary.edition.isoformat()}: {summary.readers:,} subscribers, "
        f"{summary.sent:,} sent, {summary.already:,} sent before, {summary.empty:,} with nothing in their sources "
        f"and languages, {summary.failed:,} to try again, {summary.rejected:,} refused",
        markup=False,
        soft_wrap=True,
    )
    for address in summary.suspended:
        stderr.print(f"  suspended {address}: too many permanent failures", markup=False)
    for error in summary.errors[:10]:
        stderr.print(f"  {error}", markup=False)
    if summary.stopped:
        stderr.print(f"stopped: {summary.stopped} (run it again: what was sent is not sent twice)", markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(digest_app, name="digest")
