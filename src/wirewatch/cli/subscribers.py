"""The ``subscribers`` commands: who receives the Daily Update."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from wirewatch.cli.common import EXIT_PARTIAL, print_json, stderr, user_errors
from wirewatch.errors import InvalidPreferences, MailError, QueryError
from wirewatch.models import WEEKDAYS, Preferences, Subscriber, normalize_email

stdout = Console(highlight=False, soft_wrap=True)

subscribers_app = typer.Typer(
    help="Who receives the Daily Update by mail. Readers usually subscribe on the web "
    "(/subscribe) and confirm by mail; these commands add, list and remove them "
    "(docs/email.md).",
    no_args_is_help=True,
    rich_markup_mode=None,
)

STATUSES = ("pending", "confirmed", "unsubscribed", "suspended")


def _check_topics(topics: list[str]) -> None:
    """Each topic is a search query: one that does not parse would find nothing."""
    from wirewatch.search.query import parse_query

    for topic in topics:
        try:
            parse_query(topic)
        except QueryError as exc:
            raise InvalidPreferences("--topic", f"{topic!r} is not a search query: {exc}") from None


@subscribers_app.command("add")
def add_command(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(metavar="EMAIL", show_default=False, help="The reader's address.")],
    confirmed: Annotated[
        bool,
        typer.Option(
            "--confirmed",
            help="The address is already confirmed (importing an existing list): send no confirmation mail.",
        ),
    ] = False,
    topic: Annotated[
        list[str] | None,
        typer.Option(
            "--topic",
            metavar="QUERY",
            help="A search query whose matches are raised in the reader's digest, e.g. 'Kim Jong Un' or 'missile OR rocket'; repeatable.",
        ),
    ] = None,
    source: Annotated[
        list[str] | None,
        typer.Option(
            "--source", metavar="NAME", help="Only stories carried by this source; repeatable (default: every source)."
        ),
    ] = None,
    language: Annotated[
        list[str] | None,
        typer.Option(
            "--language",
            metavar="CODE",
            help="Only stories in this language (en, ko…); repeatable (default: every language).",
        ),
    ] = None,
    frequency: Annotated[
        str, typer.Option(metavar="FREQUENCY", help="daily, or weekly (the seven days before, on --weekday).")
    ] = "daily",
    hour: Annotated[
        int, typer.Option(metavar="HOUR", help="The local hour (0-23) the digest is sent at by 'wirewatch watch'.")
    ] = 7,
    timezone: Annotated[
        str, typer.Option(metavar="ZONE", help="The reader's time zone (IANA name: Asia/Seoul, Europe/Berlin, UTC).")
    ] = "UTC",
    weekday: Annotated[
        str, typer.Option(metavar="DAY", help="The day a weekly digest is sent: monday … sunday.")
    ] = "monday",
) -> None:
    """Subscribe an address to the Daily Update.

    Without --confirmed, the address is pending and gets a confirmation mail with a
    link valid for seven days (double opt-in: nothing else is sent to it before it is
    confirmed); adding a pending address again sends the mail again. This needs
    WIREWATCH_SMTP_URL and WIREWATCH_BASE_URL.
    Example: wirewatch subscribers add reader@example.org --topic 'Kim Jong Un' --timezone Asia/Seoul
    """
    from wirewatch.digest.sending import check_mail_settings, send_confirmation

    with user_errors(ctx) as state:
        try:
            address = normalize_email(email)
            prefs = Preferences.build(
                topics=topic or [],
                sources=source or [],
                languages=language or [],
                frequency=frequency,
                hour=hour,
                timezone=timezone,
                weekday=weekday,
            )
        except InvalidPreferences as exc:  # named as typed here: EMAIL, --hour, --timezone…
            name = "EMAIL" if exc.field == "email" else f"--{exc.field.removesuffix('s')}"
            raise InvalidPreferences(name, exc.reason) from None
        _check_topics(list(prefs.topics))
        if not confirmed:
            check_mail_settings(state.settings)  # no server: say so before adding anyone
        store = state.store()
        known_sources = {name.casefold() for name in store.source_names()}
        for name in prefs.sources:
            if name.casefold() not in known_sources:
                stderr.print(f"note: no source {name!r} in the archive yet", markup=False, soft_wrap=True)
        reader, created = store.add_subscriber(address, prefs, confirmed=confirmed)
        if confirmed and reader.status == "pending":
            reader = store.confirm_subscriber(reader.id)
        if reader.status == "confirmed":
            said = "added" if created else "already subscribed:"
            stdout.print(f"{said} {reader.email} (confirmed, {_when(reader)})", markup=False)
            return
        try:
            send_confirmation(store, state.settings, reader)
        except MailError as exc:
            stderr.print(
                f"{reader.email} is pending, but the confirmation mail was not sent: {exc}",
                markup=False,
                soft_wrap=True,
            )
            stderr.print("run the same command again to send it", markup=False)
            raise typer.Exit(EXIT_PARTIAL) from None
        said = "added" if created else "still pending:"
        stdout.print(f"{said} {reader.email}: confirmation mail sent (the link works for 7 days)", markup=False)


def _when(reader: Subscriber) -> str:
    prefs = reader.preferences
    if prefs.frequency == "weekly":
        return f"weekly on {WEEKDAYS[prefs.weekday].title()} at {prefs.hour:02d}:00 {prefs.timezone}"
    return f"daily at {prefs.hour:02d}:00 {prefs.timezone}"


@subscribers_app.command("list")
def list_command(
    ctx: typer.Context,
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status", metavar="STATUS", help="Only pending, confirmed, unsubscribed or suspended ones; repeatable."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print every field as JSON.")] = False,
) -> None:
    """List the subscribers, in the order they subscribed."""
    with user_errors(ctx) as state:
        for value in status or []:
            if value not in STATUSES:
                raise InvalidPreferences("--status", f"{value!r} is not one of {', '.join(STATUSES)}")
        readers = state.store().list_subscribers(status or [])
        if as_json:
            print_json([r.as_dict() for r in readers])
            return
        if not readers:
            stderr.print("no subscribers" + (f" with status {', '.join(status)}" if status else ""), markup=False)
            return
        table = Table(box=None, pad_edge=False)
        for column in ("id", "email", "status", "delivery", "topics", "sources", "languages"):
            # an address is copied from here: never broken over two lines
            table.add_column(column, overflow="fold", no_wrap=column in ("id", "email", "status"))
        for r in readers:
            p = r.preferences
            table.add_row(
                str(r.id),
                r.email,
                r.status,
                _when(r),
                "; ".join(p.topics) or "-",
                ", ".join(p.sources) or "all",
                ", ".join(p.languages) or "all",
            )
        stdout.print(table)
        counts = {s: sum(r.status == s for r in readers) for s in STATUSES}
        stderr.print(", ".join(f"{n} {s}" for s, n in counts.items() if n), markup=False)


@subscribers_app.command("remove")
def remove_command(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(metavar="EMAIL", show_default=False, help="The reader's address (any case).")],
) -> None:
    """Remove a subscriber and their send log for good (to stop mail but keep the
    record, the reader unsubscribes with the link in any mail)."""
    with user_errors(ctx) as state:
        store = state.store()
        reader = store.subscriber_by_email(email)
        if reader is None:
            stderr.print(f"no subscriber {email.strip()!r}", markup=False, soft_wrap=True)
            raise typer.Exit(EXIT_PARTIAL)
        store.remove_subscriber(reader.id)
        stdout.print(f"removed {reader.email}", markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(subscribers_app, name="subscribers")
