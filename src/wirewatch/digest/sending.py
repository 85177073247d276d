"""Sending the Daily Update: each subscriber's copy of an edition, exactly once.

``send_edition`` is the coordinator: it reads who is to get an edition, builds the
edition once (``selection.build_digest``, with what rose that week: ``rising``)
and each distinct topic's matches once (``selection.topic_hits``), then for each
subscriber claims the mail in the send log, renders their copy, sends it and marks it
sent (see ``store.sends`` for how the log makes a killed run and its re-run send each
digest once). ``send_due`` is what ``wirewatch watch`` runs every minute: the
subscribers whose local delivery hour has come, each given the edition of their local
yesterday (weekly subscribers, on their weekday, the seven days before).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from wirewatch.clock import now_utc
from wirewatch.digest.mailer import Mailer, Outgoing, mail_domain
from wirewatch.digest.tokens import CONFIRM_MAX_AGE, link, make_token, secret_key
from wirewatch.errors import ConfigError, MailError, MailServerError

if TYPE_CHECKING:
    from wirewatch.config.settings import Settings
    from wirewatch.digest.selection import Digest
    from wirewatch.models import Frequency, Subscriber
    from wirewatch.store import SQLStore
    from wirewatch.store.sends import SendRecord

__all__ = ["SendSummary", "check_mail_settings", "due_editions", "send_confirmation", "send_due", "send_edition"]

log = logging.getLogger("wirewatch.digest")

#: Send-log states after which an edition is not sent to that subscriber again.
FINAL = ("sent", "rejected", "skipped")
#: A callback told of each subscriber's outcome: sent, already, empty, failed, rejected.
Progress = Callable[["Subscriber", str], None]


@dataclass(slots=True)
class SendSummary:
    """What a run did for one edition. ``already``: sent (or being sent) before;
    ``empty``: nothing in the reader's sources and languages; ``failed``: a temporary
    failure (a later run tries again); ``rejected``: refused for good (5xx).
    ``stopped``: the mail server's error that ended the run early, if one did."""

    edition: dt.date
    frequency: Frequency
    readers: int = 0
    sent: int = 0
    already: int = 0
    empty: int = 0
    failed: int = 0
    rejected: int = 0
    suspended: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    stopped: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "edition": self.edition.isoformat(),
            "frequency": self.frequency,
            "readers": self.readers,
            "sent": self.sent,
            "already": self.already,
            "empty": self.empty,
            "failed": self.failed,
            "rejected": self.rejected,
            "suspended": list(self.suspended),
            "errors": list(self.errors),
            "stopped": self.stopped,
        }


def check_mail_settings(settings: Settings) -> None:
    """Mail needs a server and the public address its links point to."""
    if settings.smtp is None:
        raise ConfigError(
            "no mail server: set WIREWATCH_SMTP_URL (e.g. smtp://user:password@mail.example.org:587?starttls=1)"
        )
    if not settings.base_url:
        raise ConfigError(
            "WIREWATCH_BASE_URL is not set: the links in mails need the archive's public address (https://…)"
        )


def digest_message_id(edition: dt.date, frequency: Frequency, subscriber_id: int, domain: str) -> str:
    """The same for every try of one mail, so that mail systems can drop a copy."""
    kind = "digest" if frequency == "daily" else "weekly"
    return f"<{kind}-{edition.isoformat()}-{subscriber_id}@{domain}>"


def digest_mail(copy: Digest, reader: Subscriber, settings: Settings, secret: str, domain: str) -> Outgoing:
    """A reader's mail of their copy of an edition, with their own links."""
    from wirewatch.digest.rendering import MailLinks, digest_path, render_digest

    base = settings.base_url
    unsubscribe = link(base, "unsubscribe", make_token(secret, "unsubscribe", reader))
    links = MailLinks(
        web_copy=base + digest_path(copy.day, copy.days),
        preferences=link(base, "preferences", make_token(secret, "preferences", reader)),
        unsubscribe=unsubscribe,
    )
    rendered = render_digest(copy, links, base_url=base)
    frequency: Frequency = "weekly" if copy.weekly else "daily"
    name = "Weekly" if copy.weekly else "Daily"
    return Outgoing(
        to=reader.email,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        message_id=digest_message_id(copy.day, frequency, reader.id, domain),
        list_unsubscribe=unsubscribe,
        list_id=f"Wirewatch {name} Update <{frequency}.digest.{domain}>",
    )


def send_edition(
    store: SQLStore,
    settings: Settings,
    day: dt.date,
    *,
    frequency: Frequency = "daily",
    now: dt.datetime | None = None,
    subscriber_ids: Sequence[int] | None = None,
    mailer: Mailer | None = None,
    progress: Progress | None = None,
    retry_failed: bool = True,
    stop: threading.Event | None = None,
) -> SendSummary:
    """Send the edition ending on ``day`` (the day, or with ``frequency="weekly"`` the
    seven days to it) to every confirmed subscriber of that frequency, or to those of
    ``subscriber_ids``, who has not had it yet. Safe to run again at any time: the send
    log skips what was sent. ``retry_failed``: try again at once the mails a run before
    could not deliver (4xx); otherwise they wait ten minutes. ``now``: the mails' Date.
    ``stop``: once set, no further mail is begun (the rest is left for the next run)."""
    from wirewatch.digest.rising import rising_this_week
    from wirewatch.digest.selection import build_digest, topic_hits

    check_mail_settings(settings)
    summary = SendSummary(day, frequency)
    readers = [
        r for r in store.list_subscribers(["confirmed"], ids=subscriber_ids) if r.preferences.frequency == frequency
    ]
    summary.readers = len(readers)
    done = {record.subscriber_id for record in store.send_log(day, frequency) if record.status in FINAL}
    todo = [r for r in readers if r.id not in done]
    summary.already = len(readers) - len(todo)
    if not todo:
        return summary
    edition = build_digest(store, day, days=7 if frequency == "weekly" else 1)
    edition = replace(edition, rising=rising_this_week(store, day))
    hits = topic_hits(store, {t for r in todo for t in r.preferences.topics}, edition.since, day)
    secret, domain = secret_key(store, settings), mail_domain(settings)
    own = mailer is None
    mailer = mailer or Mailer.from_settings(settings)
    try:
        for reader in todo:
            if stop is not None and stop.is_set():
                break
            outcome = _send_one(
                store, settings, mailer, edition, hits, reader, summary, secret, domain, now, retry_failed
            )
            if progress is not None:
                progress(reader, outcome)
            if summary.stopped:
                break
    finally:
        if own:
            mailer.close()
    log.info(
        "edition sent",
        extra={
            "edition": day.isoformat(),
            "frequency": frequency,
            **{k: v for k, v in summary.as_dict().items() if isinstance(v, int)},
        },
    )
    return summary


def _send_one(
    store: SQLStore,
    settings: Settings,
    mailer: Mailer,
    edition: Digest,
    hits: dict[str, frozenset[int]],
    reader: Subscriber,
    summary: SendSummary,
    secret: str,
    domain: str,
    now: dt.datetime | None,
    retry_failed: bool,
) -> str:
    """One subscriber: claim, render, send, record. The outcome's word."""
    claim = store.claim_send(reader.id, edition.day, summary.frequency, retry_failed_now=retry_failed)
    if claim is None:
        summary.already += 1
        return "already"
    try:
        copy = edition.for_reader(reader.preferences, hits)
        if not copy.items:
            store.mark_skipped(claim, "no stories in the reader's sources and languages")
            summary.empty += 1
            return "empty"
        mail = digest_mail(copy, reader, settings, secret, domain)
        message_id = mailer.send(mail, now=now)
    except MailServerError as exc:  # nobody's address's fault: give the claim back, stop
        store.release_send(claim)
        summary.stopped = str(exc)
        log.error("mail server failed", extra={"error": str(exc)})
        return "stopped"
    except MailError as exc:
        suspended = store.mark_failed(
            claim, str(exc), permanent=exc.permanent, suspend_after=settings.suspend_after, message_id=mail.message_id
        )
        summary.errors.append(str(exc))
        if suspended:
            summary.suspended.append(reader.email)
        if exc.permanent:
            summary.rejected += 1
        else:
            summary.failed += 1
        log.warning(
            "digest not delivered", extra={"subscriber_id": reader.id, "error": str(exc), "suspended": suspended}
        )
        return "rejected" if exc.permanent else "failed"
    except BaseException:
        store.release_send(claim)  # a bug or Ctrl-C before the server took the mail
        raise
    store.mark_sent(claim, message_id, reset_failures=reader.permanent_failures > 0)
    summary.sent += 1
    return "sent"


def send_confirmation(
    store: SQLStore,
    settings: Settings,
    subscriber: Subscriber,
    *,
    mailer: Mailer | None = None,
    now: dt.datetime | None = None,
) -> str:
    """Mail the double opt-in: a link that confirms the subscription (valid seven days).
    Its Message-ID; MailError when it cannot be delivered."""
    from wirewatch.digest.rendering import render_confirmation

    check_mail_settings(settings)
    token = make_token(secret_key(store, settings), "confirm", subscriber, now=now)
    url = link(settings.base_url, "confirm", token)
    rendered = render_confirmation(subscriber.email, url, settings.base_url, valid_days=CONFIRM_MAX_AGE.days)
    mail = Outgoing(to=subscriber.email, subject=rendered.subject, text=rendered.text, html=rendered.html)
    if mailer is not None:
        return mailer.send(mail, now=now)
    with Mailer.from_settings(settings) as own:
        return own.send(mail, now=now)


# -- the schedule ---------------------------------------------------------------------


@lru_cache(maxsize=512)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def due_editions(subscribers: Iterable[Subscriber], now: dt.datetime) -> dict[tuple[dt.date, Frequency], list[int]]:
    """Which edition each confirmed subscriber is due at ``now``, by (edition, frequency).

    On local date D, from the local delivery hour to midnight, a daily subscriber is due
    the edition of D-1; a weekly one, on their weekday, the seven days ending D-1. Local
    time comes from the subscriber's time zone, DST included: a delivery hour skipped by
    a clock change is reached at the first instant after it, a repeated one is sent once
    (the send log). Someone confirmed after today's delivery time starts tomorrow.
    """
    due: dict[tuple[dt.date, Frequency], list[int]] = defaultdict(list)
    for reader in subscribers:
        prefs = reader.preferences
        if reader.status != "confirmed":
            continue
        zone = _zone(prefs.timezone)
        local = now.astimezone(zone)
        if local.hour < prefs.hour or (prefs.frequency == "weekly" and local.weekday() != prefs.weekday):
            continue
        slot = dt.datetime.combine(local.date(), dt.time(prefs.hour), tzinfo=zone)
        if reader.confirmed_at is not None and reader.confirmed_at > slot:
            continue
        due[(local.date() - dt.timedelta(days=1), prefs.frequency)].append(reader.id)
    return dict(due)


def _waiting(record: SendRecord, now: dt.datetime) -> bool:
    """Nothing to try for this row now: done, or a failure waiting for its next try."""
    from wirewatch.store.sends import MAX_SEND_ATTEMPTS

    if record.status in FINAL:
        return True
    if record.status == "failed":
        return record.attempts >= MAX_SEND_ATTEMPTS or (record.lease_until is not None and record.lease_until > now)
    return False


def send_due(
    store: SQLStore,
    settings: Settings,
    now: dt.datetime,
    *,
    mailer: Mailer | None = None,
    stop: threading.Event | None = None,
) -> list[SendSummary]:
    """Send every digest due at ``now`` (see ``due_editions``); one summary per edition
    that had anyone to send to. Quick when nothing is due: no edition is built."""
    summaries: list[SendSummary] = []
    groups = due_editions(store.list_subscribers(["confirmed"]), now)
    for (edition, frequency), ids in sorted(groups.items()):
        wall = now_utc()
        waiting = {r.subscriber_id for r in store.send_log(edition, frequency) if _waiting(r, wall)}
        ids = [i for i in ids if i not in waiting]
        if not ids:
            continue
        summary = send_edition(
            store,
            settings,
            edition,
            frequency=frequency,
            subscriber_ids=ids,
            mailer=mailer,
            retry_failed=False,
            stop=stop,
        )
        summaries.append(summary)
        if summary.stopped or (stop is not None and stop.is_set()):
            break
    return summaries
