"""The ``alerts`` commands: saved searches that mail or post what newly matches."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from wirewatch.cli.common import EXIT_PARTIAL, print_json, stderr, user_errors

stdout = Console(highlight=False, soft_wrap=True)

alerts_app = typer.Typer(
    help="Saved searches that tell you of new matching articles, by email (at most one mail "
    "an hour per alert) or by a signed webhook, and optionally of edits and deletions of "
    "matching articles. 'wirewatch watch' checks them about every minute; see docs/alerts.md.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@alerts_app.command("add")
def add_command(
    ctx: typer.Context,
    query: Annotated[
        str,
        typer.Argument(
            metavar="QUERY",
            show_default=False,
            help="A search query, as 'wirewatch search' takes it (e.g. 'Lavrov', 'country:RUS visit').",
        ),
    ],
    email: Annotated[str | None, typer.Option(metavar="ADDRESS", help="Mail the matches to this address.")] = None,
    webhook: Annotated[
        str | None, typer.Option(metavar="URL", help="POST the matches as signed JSON to this http(s) address.")
    ] = None,
    changes: Annotated[
        bool, typer.Option("--changes", help="Also report edits, deletions and returns of matching articles.")
    ] = False,
    name: Annotated[str | None, typer.Option(metavar="NAME", help="A name for the alert (default: the query).")] = None,
) -> None:
    """Save a search as an alert: what the archive gains from now on that matches it is
    sent by email or webhook.

    Give --email or --webhook. For a webhook, the secret that signs its posts
    (X-Wirewatch-Signature) is printed once: keep it. A query that cannot be parsed,
    or names an unknown person or country, is refused with the reason (exit status 2);
    so is a webhook to a private, loopback or link-local address, unless
    WIREWATCH_WEBHOOK_ALLOW_PRIVATE=1.

    Examples: wirewatch alerts add 'Lavrov' --email me@example.org;
    wirewatch alerts add 'country:RUS visit' --webhook https://example.org/hook --changes.
    """
    from wirewatch.digest.alerts import alert_values

    with user_errors(ctx) as state:
        values = alert_values(
            query,
            email=email,
            webhook=webhook,
            changes=changes,
            name=name,
            allow_private=state.settings.webhook_allow_private,
        )
        alert = state.store().add_alert(values)
        what = "and its edits and deletions " if alert.changes else ""
        stdout.print(
            f"alert {alert.id} added: {alert.name!r}: new matches {what}go to {alert.channel} {alert.target}",
            markup=False,
        )
        if alert.channel == "webhook":
            stdout.print(f"webhook secret (shown only now): {alert.secret}", markup=False)


@alerts_app.command("list")
def list_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the alerts as JSON.")] = False,
) -> None:
    """List the alerts: query, where they go, when last checked and sent, deliveries pending."""
    from wirewatch.digest.alerts import alert_json

    with user_errors(ctx) as state:
        store = state.store()
        found = store.alerts()
        pending = store.pending_alert_deliveries()
        if as_json:
            print_json([alert_json(a, pending.get(a.id, 0)) for a in found])
            return
        if not found:
            stderr.print("no alerts yet: add one with 'wirewatch alerts add QUERY --email ADDRESS'")
            return
        table = Table("id", "name", "query", "to", "changes", "last checked", "last sent", "pending", box=None)
        for a in found:
            table.add_row(
                str(a.id),
                a.name,
                a.query,
                f"{a.channel} {a.target}",
                "yes" if a.changes else "no",
                f"{a.last_checked_at:%Y-%m-%d %H:%M}" if a.last_checked_at else "never",
                f"{a.last_sent_at:%Y-%m-%d %H:%M}" if a.last_sent_at else "never",
                str(pending.get(a.id, 0)),
            )
        stdout.print(table)


@alerts_app.command("remove")
def remove_command(
    ctx: typer.Context,
    alert_id: Annotated[int, typer.Argument(metavar="ID", help="The alert's number, as 'alerts list' shows it.")],
) -> None:
    """Remove an alert and its deliveries not yet sent. An unknown number exits with status 1."""
    with user_errors(ctx) as state:
        if not state.store().remove_alert(alert_id):
            stderr.print(f"no alert {alert_id} (see: wirewatch alerts list)", markup=False)
            raise typer.Exit(EXIT_PARTIAL)
        stdout.print(f"removed alert {alert_id}", markup=False)


@alerts_app.command("run")
def run_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Check every alert once and send what is due, as 'wirewatch watch' does each minute.

    Mails go through WIREWATCH_SMTP_URL. Exit status 1 when a delivery failed (it is
    tried again by a later run, with growing pauses) or an alert could not be checked.
    """
    from wirewatch.digest.alerts import run_alerts

    with user_errors(ctx) as state:
        run = run_alerts(state.store(), state.settings)
        if as_json:
            print_json(run.as_dict())
        else:
            stdout.print(
                f"checked {run.checked} alert(s): {run.articles} new matching article(s), {run.changes} change(s); "
                f"sent {run.mails} mail(s) and {run.posts} webhook post(s)"
                + (f"; {run.waiting} alert(s) wait for their hourly mail" if run.waiting else ""),
                markup=False,
            )
            for error in run.errors:
                stderr.print(error, markup=False)
        if run.errors:
            raise typer.Exit(EXIT_PARTIAL)


def register(app: typer.Typer) -> None:
    app.add_typer(alerts_app, name="alerts")
