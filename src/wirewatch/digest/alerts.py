"""Alerts on saved searches: the coordinator.

Each run (``wirewatch alerts run``, and about once a minute in ``wirewatch watch``):

1. **check** every active alert: the articles stored since its cursor that its query
   matches (the archive's own search, restricted to the new article numbers) and, for an
   alert on ``changes``, the edits, deletions and returns logged since its change cursor
   whose article matches. What is found becomes a pending delivery, and the cursors move
   on, in one transaction (``store.alerts.record_check``).
2. **deliver** the pending deliveries that are due:

   - email: everything pending for the alert in one mail, at most one mail per alert per
     hour (``AlertOptions.email_every``): what arrives within the hour waits for the next;
   - webhook: one JSON POST per delivery, signed ``X-Wirewatch-Signature: sha256=<hex
     HMAC-SHA256 of the body with the alert's secret>``, tried again with growing pauses
     on a network error, a 429 or a 5xx, within the run and then in later runs, until
     ``AlertOptions.max_attempts`` runs have failed. It goes to public addresses only,
     unless ``WIREWATCH_WEBHOOK_ALLOW_PRIVATE`` is on (``digest.webhooks``): a private one
     is refused before connecting, for good. At most ``AlertOptions.max_reply`` bytes of
     the reply are read.

One alert that fails, for whatever reason, is that alert's failure (recorded on its
delivery, listed in ``AlertRun.errors``): the others are checked and delivered all the same.

A delivery is claimed before it goes out and marked once accepted, so a crash neither
loses nor doubles it (see ``store/alerts.py``); a repeat after a crash between the two
carries the same delivery number (the webhook's ``X-Wirewatch-Delivery``, the mail's
Message-ID) for the receiver to recognise.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx

from wirewatch import __version__
from wirewatch.clock import now_utc
from wirewatch.digest.mailer import Mailer, Outgoing, mail_domain
from wirewatch.digest.rendering import AlertItem, MailLinks, render_alert
from wirewatch.digest.webhooks import check_webhook_url, read_reply, webhook_client, webhook_problem
from wirewatch.errors import ConfigError, MailError, MailServerError, WirewatchError
from wirewatch.models import Alert, AlertDelivery, Article, Change, normalize_email
from wirewatch.present.params import search_request
from wirewatch.present.shapes import change_json, json_default, listing_json
from wirewatch.search.base import SearchRequest

if TYPE_CHECKING:
    from wirewatch.config.settings import Settings
    from wirewatch.store.sql import SQLStore

log = logging.getLogger("wirewatch.alerts")

SIGNATURE_HEADER = "X-Wirewatch-Signature"
TIMESTAMP_HEADER = "X-Wirewatch-Timestamp"
DELIVERY_HEADER = "X-Wirewatch-Delivery"
#: Article numbers asked of the search at once (a long IN list is slow on both databases).
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class AlertOptions:
    """How alerts are delivered. The defaults suit ``watch``; tests shorten the pauses."""

    #: An email alert sends at most one mail in this time.
    email_every: dt.timedelta = dt.timedelta(hours=1)
    #: POSTs of one webhook delivery within a run, and the pause before the second
    #: (doubling after each).
    tries: int = 3
    backoff: float = 1.0
    timeout: float = 10.0
    #: Runs that may fail to deliver before a delivery is given up; the wait before
    #: the next run's try (doubling after each).
    max_attempts: int = 8
    retry_after: dt.timedelta = dt.timedelta(minutes=5)
    #: How long a claimed delivery is this run's before another may take it (a crash).
    lease: dt.timedelta = dt.timedelta(minutes=10)
    #: Articles one delivery records at most (the newest by date), and one mail lists.
    max_articles: int = 500
    mail_articles: int = 50
    #: Bytes of a webhook's reply read at most (only its status counts): the rest is not read.
    max_reply: int = 64 * 1024


@dataclass
class AlertRun:
    """What a run did."""

    checked: int = 0
    articles: int = 0
    changes: int = 0
    mails: int = 0
    posts: int = 0
    #: Email alerts with something pending that wait for their hour.
    waiting: int = 0
    #: Deliveries that failed this time: to be tried again by a later run, or given up.
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "articles": self.articles,
            "changes": self.changes,
            "mails": self.mails,
            "posts": self.posts,
            "waiting": self.waiting,
            "retrying": self.retrying,
            "failed": self.failed,
            "errors": list(self.errors),
        }


# -- adding ------------------------------------------------------------------------


def new_secret() -> str:
    """A webhook signing secret: 32 random bytes as hex."""
    return secrets.token_hex(32)


def sign(secret: str, body: bytes) -> str:
    """The ``X-Wirewatch-Signature`` value of a body: ``sha256=`` and the hex HMAC."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def check_query(query: str) -> SearchRequest:
    """The search an alert's query makes; raises ConfigError naming the query and the problem."""
    if not query.strip():
        raise ConfigError(f"query {query!r}: an alert needs a query (e.g. 'Lavrov' or 'country:RUS visit')")
    try:
        return search_request(query=query)
    except WirewatchError as exc:  # QueryError, or ConfigError for an unknown name
        raise ConfigError(f"query {query!r}: {exc}") from None


def alert_values(
    query: str,
    *,
    email: str | None,
    webhook: str | None,
    changes: bool,
    name: str | None,
    allow_private: bool = False,
) -> dict[str, Any]:
    """The columns of a new alert from what a user typed, checked (ConfigError naming
    the input otherwise), with a new secret. A webhook to a private address is refused
    unless ``allow_private`` (``WIREWATCH_WEBHOOK_ALLOW_PRIVATE``)."""
    check_query(query)
    if (email is None) == (webhook is None):
        raise ConfigError("give either --email ADDRESS or --webhook URL (one of them)")
    address = None
    if email is not None:
        try:
            address = normalize_email(email)
        except WirewatchError as exc:
            raise ConfigError(f"--email {email!r}: not an email address (name@example.org)") from exc
    return {
        "name": (name or "").strip() or query.strip(),
        "query": query.strip(),
        "channel": "email" if email is not None else "webhook",
        "email": address,
        "webhook_url": check_webhook_url(webhook, allow_private=allow_private) if webhook is not None else None,
        "secret": new_secret(),
        "changes": changes,
    }


def alert_json(alert: Alert, pending: int = 0) -> dict[str, Any]:
    """An alert as ``alerts list --json`` gives it (never its secret)."""
    return {
        "id": alert.id,
        "name": alert.name,
        "query": alert.query,
        "channel": alert.channel,
        "email": alert.email,
        "webhook_url": alert.webhook_url,
        "changes": alert.changes,
        "active": alert.active,
        "created_at": alert.created_at,
        "last_checked_at": alert.last_checked_at,
        "last_sent_at": alert.last_sent_at,
        "pending": pending,
    }


# -- checking ----------------------------------------------------------------------


def _chunks(items: Sequence[int], size: int = _CHUNK) -> Iterable[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def find_matches(
    store: SQLStore, alert: Alert, request: SearchRequest, upto: tuple[int, int], options: AlertOptions
) -> tuple[list[int], list[int]]:
    """The article numbers (newest first by date) stored after the alert's cursor up to
    ``upto[0]`` that match, and the change numbers after its change cursor up to
    ``upto[1]`` whose article matches (for an alert on changes)."""
    article_ids: list[int] = []
    if upto[0] > alert.last_article_id:
        found = store.search(
            replace(
                request, id_range=(alert.last_article_id, upto[0]), order="newest", limit=options.max_articles, offset=0
            )
        )
        article_ids = [hit.id for hit in found.hits]
    change_ids: list[int] = []
    if alert.changes and upto[1] > alert.last_change_id:
        logged = store.alert_changes_between(alert.last_change_id, upto[1])
        candidates = sorted({c.article_id for c in logged})
        matching: set[int] = set()
        for chunk in _chunks(candidates):
            hits = store.search(
                replace(request, article_ids=tuple(chunk), limit=len(chunk), offset=0, order="oldest")
            ).hits
            matching.update(hit.id for hit in hits)
        change_ids = [c.id for c in logged if c.article_id in matching and c.id is not None]
    return article_ids, change_ids


def check_alerts(store: SQLStore, now: dt.datetime, options: AlertOptions, run: AlertRun) -> None:
    """Check every active alert once (step 1 of the module docstring)."""
    active = store.alerts(active_only=True)
    if not active:
        return
    floor = (min(a.last_article_id for a in active), min(a.last_change_id for a in active))
    settled = store.alert_cursors(now, floor)
    for alert in active:
        # Never back: a cursor set when the alert was added may be ahead of the settled one.
        upto = (max(settled[0], alert.last_article_id), max(settled[1], alert.last_change_id))
        try:
            request = search_request(query=alert.query)
            article_ids, change_ids = find_matches(store, alert, request, upto, options)
        except WirewatchError as exc:  # its query no longer resolves: the cursor waits
            run.errors.append(f"alert {alert.id} ({alert.name}): {exc}")
            log.warning("alert not checked", extra={"alert": alert.id, "error": str(exc)})
            continue
        except Exception as exc:  # a bug met by one alert's search: the others are checked still
            run.errors.append(f"alert {alert.id} ({alert.name}): not checked: {type(exc).__name__}: {exc}")
            log.error("alert not checked", extra={"alert": alert.id, "error": repr(exc)}, exc_info=True)
            continue
        store.record_alert_check(alert, upto, article_ids, change_ids, now)
        run.checked += 1
        run.articles += len(article_ids)
        run.changes += len(change_ids)


# -- delivering --------------------------------------------------------------------


def article_link(base_url: str, article_id: int) -> str | None:
    return f"{base_url}/articles/{article_id}" if base_url else None


def search_link(base_url: str, query: str) -> str | None:
    return f"{base_url}/search?q={quote(query)}" if base_url else None


def webhook_body(
    alert: Alert,
    delivery_id: int,
    articles: Sequence[Article],
    changes: Sequence[Change],
    base_url: str,
    now: dt.datetime,
) -> bytes:
    """The JSON a webhook receives (documented in docs/alerts.md). ``sent_at`` is in the
    signed body, so a receiver can refuse an old body sent again."""
    payload = {
        "alert": {
            "id": alert.id,
            "name": alert.name,
            "query": alert.query,
            "search": search_link(base_url, alert.query),
        },
        "delivery": delivery_id,
        "sent_at": now,
        "articles": [
            {**listing_json(a), "status": a.status, "link": article_link(base_url, a.id or 0)} for a in articles
        ],
        "changes": [{"id": c.id, **change_json(c), "link": article_link(base_url, c.article_id)} for c in changes],
    }
    return json.dumps(payload, ensure_ascii=False, default=json_default).encode("utf-8")


def _merged(deliveries: Sequence[AlertDelivery]) -> tuple[list[int], list[int]]:
    """The articles (latest check first) and changes (in order) of several deliveries."""
    articles = list(dict.fromkeys(i for d in reversed(deliveries) for i in d.article_ids))
    changes = sorted({i for d in deliveries for i in d.change_ids})
    return articles, changes


def _articles(store: SQLStore, ids: Iterable[int]) -> list[Article]:
    return [a for a in (store.get_article(i) for i in ids) if a is not None]


def _after_failure(
    store: SQLStore,
    deliveries: Sequence[AlertDelivery],
    error: str,
    now: dt.datetime,
    options: AlertOptions,
    run: AlertRun,
    *,
    permanent: bool = False,
) -> None:
    """Pending again with a later try, or given up after the last attempt (or at once
    for a permanent refusal). ``attempts`` counts this try (taken by the claim)."""
    ids = [d.id for d in deliveries]
    attempts = max(d.attempts for d in deliveries) + 1
    if permanent or attempts >= options.max_attempts:
        store.finish_alert_deliveries(ids, "failed", error=error)
        run.failed += len(ids)
        return
    wait = options.retry_after * (2 ** (attempts - 1))
    store.finish_alert_deliveries(ids, "pending", error=error, next_try_at=now + wait)
    run.retrying += len(ids)


def post_webhook(
    client: httpx.Client,
    alert: Alert,
    delivery_id: int,
    body: bytes,
    now: dt.datetime,
    options: AlertOptions,
    sleep: Callable[[float], object],
) -> tuple[bool, bool, str]:
    """POST a webhook body, trying again after a network error, a 429 or a 5xx, and
    reading at most ``options.max_reply`` bytes of each reply.
    Returns (delivered, permanent failure, what happened)."""
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": f"wirewatch/{__version__} (alerts)",
        SIGNATURE_HEADER: sign(alert.secret, body),
        TIMESTAMP_HEADER: str(int(now.timestamp())),
        DELIVERY_HEADER: str(delivery_id),
    }
    outcome = ""
    for attempt in range(options.tries):
        if attempt:
            sleep(options.backoff * 2 ** (attempt - 1))
        try:
            with client.stream("POST", alert.target, content=body, headers=headers) as answer:
                read = read_reply(answer, options.max_reply)
        except httpx.InvalidURL as exc:
            return False, True, f"{type(exc).__name__}: {exc}"
        except httpx.HTTPError as exc:
            outcome = f"{type(exc).__name__}: {exc}"
            continue
        outcome = f"HTTP {answer.status_code}"
        if read > options.max_reply:
            outcome += f" (the reply passed {options.max_reply} bytes: the rest was not read)"
        if answer.is_success:
            return True, False, outcome
        if answer.status_code < 500 and answer.status_code != 429:
            return False, True, outcome  # refused: another try would be refused too
    return False, False, outcome


def deliver_webhook(
    store: SQLStore,
    client: httpx.Client,
    alert: Alert,
    delivery: AlertDelivery,
    settings: Settings,
    now: dt.datetime,
    options: AlertOptions,
    sleep: Callable[[float], object],
    run: AlertRun,
) -> None:
    """Claim and POST one delivery. Whatever goes wrong is recorded on the delivery: a
    refused address (malformed, or private without the opt-in) for good, before connecting."""
    if not store.claim_alert_deliveries([delivery.id], now, options.lease):
        return  # another process took it
    try:
        if problem := webhook_problem(alert.target, allow_private=settings.webhook_allow_private):
            delivered, permanent, outcome = False, True, f"not sent: {problem}"
        else:
            articles = _articles(store, delivery.article_ids)
            changes = store.alert_changes_by_id(delivery.change_ids)
            body = webhook_body(alert, delivery.id, articles, changes, settings.base_url, now)
            delivered, permanent, outcome = post_webhook(client, alert, delivery.id, body, now, options, sleep)
    except Exception as exc:  # a bug met by this delivery: recorded on it, and the other alerts go on
        log.error("alert webhook error", extra={"alert": alert.id, "error": repr(exc)}, exc_info=True)
        delivered, permanent, outcome = False, False, f"{type(exc).__name__}: {exc}"
    fields = {"alert": alert.id, "url": alert.target, "outcome": outcome}
    if delivered:
        store.finish_alert_deliveries([delivery.id], "sent")
        store.mark_alert_sent(alert.id, now)
        run.posts += 1
        log.info("alert posted", extra=fields)
        return
    _after_failure(store, [delivery], outcome, now, options, run, permanent=permanent)
    shown = alert.target if alert.target.isprintable() else repr(alert.target)
    run.errors.append(f"alert {alert.id} ({alert.name}): webhook {shown}: {outcome}")
    log.warning("alert webhook failed", extra=fields)


def change_note(change: Change) -> str:
    """What happened to an article, for a mail: "Edited (body), seen 2024-05-01 09:00 UTC"."""
    seen = f"seen {change.seen_at:%Y-%m-%d %H:%M} UTC"
    if change.kind == "edited":
        return f"Edited ({change.detail}), {seen}" if change.detail else f"Edited, {seen}"
    if change.kind == "deleted":
        how = f" ({change.detail})" if change.detail else ""
        return f"Deleted from {change.source}'s site{how}, {seen}"
    return f"Back on {change.source}'s site, {seen}"


def alert_mail(
    alert: Alert,
    delivery_id: int,
    articles: Sequence[Article],
    changes: Sequence[tuple[Change, Article]],
    settings: Settings,
    options: AlertOptions,
) -> Outgoing:
    """The mail of an email alert: the changes first (rarer, and news), then the new articles."""
    items = [AlertItem.of(article, note=change_note(change)) for change, article in changes]
    items += [AlertItem.of(article) for article in articles]
    links = MailLinks(web_copy=search_link(settings.base_url, alert.query))
    rendered = render_alert(
        alert.name, alert.query, items, links, base_url=settings.base_url, limit=options.mail_articles
    )
    domain = mail_domain(settings)
    return Outgoing(
        to=alert.target,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        message_id=f"<alert-{alert.id}-{delivery_id}@{domain}>",
        list_id=f"wirewatch alert {alert.id} <alert-{alert.id}.{domain}>",
    )


def deliver_email(
    store: SQLStore,
    mailer: Mailer,
    alert: Alert,
    deliveries: Sequence[AlertDelivery],
    settings: Settings,
    now: dt.datetime,
    options: AlertOptions,
    run: AlertRun,
) -> None:
    if alert.last_sent_at is not None and now < alert.last_sent_at + options.email_every:
        run.waiting += 1  # within the hour after its last mail: the next one takes these too
        return
    claimed = set(store.claim_alert_deliveries([d.id for d in deliveries], now, options.lease))
    batch = [d for d in deliveries if d.id in claimed]
    if not batch:
        return  # another process took them
    article_ids, change_ids = _merged(batch)
    articles = _articles(store, article_ids[: options.max_articles])
    changed = [
        (c, a) for c in store.alert_changes_by_id(change_ids) if (a := store.get_article(c.article_id)) is not None
    ]
    fields = {"alert": alert.id, "url": alert.target}
    try:
        mailer.send(alert_mail(alert, batch[0].id, articles, changed, settings, options))
    except MailError as exc:
        # A server that cannot be reached or refuses our login is no reason to give the alert up.
        permanent = exc.permanent and not isinstance(exc, MailServerError)
        _after_failure(store, batch, str(exc), now, options, run, permanent=permanent)
        run.errors.append(f"alert {alert.id} ({alert.name}): mail to {alert.target}: {exc}")
        log.warning("alert mail failed", extra={**fields, "error": str(exc)})
        return
    store.finish_alert_deliveries([d.id for d in batch], "sent")
    store.mark_alert_sent(alert.id, now)
    run.mails += 1
    log.info("alert mailed", extra={**fields, "outcome": "sent"})


def deliver_due(
    store: SQLStore,
    settings: Settings,
    now: dt.datetime,
    options: AlertOptions,
    run: AlertRun,
    *,
    mailer: Mailer | None = None,
    client: httpx.Client | None = None,
    sleep: Callable[[float], object] = time.sleep,
) -> None:
    """Send what is due (step 2 of the module docstring). The mail server is reached, and
    an HTTP client made, only when something is due for them."""
    due: dict[int, list[AlertDelivery]] = {}
    for delivery in store.due_alert_deliveries(now):
        due.setdefault(delivery.alert_id, []).append(delivery)
    by_id = {a.id: a for a in store.alerts(active_only=True) if a.id in due}
    with contextlib.ExitStack() as stack:
        for alert in by_id.values():
            deliveries = due[alert.id]
            try:
                if alert.channel == "webhook":
                    if client is None:
                        client = stack.enter_context(webhook_client(settings.webhook_allow_private, options.timeout))
                    for delivery in deliveries:
                        deliver_webhook(store, client, alert, delivery, settings, now, options, sleep, run)
                    continue
                if mailer is None:
                    try:
                        mailer = stack.enter_context(Mailer.from_settings(settings))
                    except ConfigError as exc:  # no mail server set: the mails wait for one
                        run.errors.append(f"alert {alert.id} ({alert.name}): not mailed: {exc}")
                        continue
                deliver_email(store, mailer, alert, deliveries, settings, now, options, run)
            except Exception as exc:  # one alert's failure is not the run's: the next alert goes
                run.errors.append(f"alert {alert.id} ({alert.name}): not delivered: {type(exc).__name__}: {exc}")
                log.error("alert not delivered", extra={"alert": alert.id, "error": repr(exc)}, exc_info=True)


def run_alerts(
    store: SQLStore,
    settings: Settings,
    *,
    now: dt.datetime | None = None,
    options: AlertOptions = AlertOptions(),
    mailer: Mailer | None = None,
    client: httpx.Client | None = None,
    sleep: Callable[[float], object] = time.sleep,
) -> AlertRun:
    """Check every active alert and deliver what is due; what was done. ``mailer`` and
    ``client``, when given, are used as they are (and left open)."""
    now = (now or now_utc()).astimezone(dt.UTC)
    run = AlertRun()
    check_alerts(store, now, options, run)
    deliver_due(store, settings, now, options, run, mailer=mailer, client=client, sleep=sleep)
    return run


def watch_alerts(
    store: SQLStore,
    settings: Settings,
    stop: threading.Event,
    *,
    every: float = 60.0,
    options: AlertOptions = AlertOptions(),
) -> None:
    """``wirewatch watch``'s alert loop: a run about every ``every`` seconds until ``stop``
    is set. A run that fails is logged, and the next one tries again (nothing is lost: the
    cursors and deliveries are in the archive)."""
    while not stop.is_set():
        try:
            run = run_alerts(store, settings, options=options, sleep=stop.wait)
        except Exception as exc:
            log.error("alerts not run", extra={"error": f"{type(exc).__name__}: {exc}"})
        else:
            if run.articles or run.changes or run.mails or run.posts:
                fields = {k: v for k, v in run.as_dict().items() if k in ("articles", "changes", "mails", "posts")}
                log.info("alerts run", extra=fields)
        stop.wait(every)
