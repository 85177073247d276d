"""The Daily Update on the web: subscribe (a form on every page and on /subscribe),
confirm, preferences and unsubscribe through the signed links the mails carry.

The subscribe form answers the same page, at once, whatever the address: whether it is
new, waiting for its confirmation or already subscribed shows neither in the answer nor
in its timing, because the archive is looked at and the mail sent afterwards, by the
outbox's thread. A client may send the form ``FORM_LIMIT`` times in ``FORM_WINDOW``
seconds; one address receives at most ``MAIL_LIMIT`` confirmation mails in
``MAIL_WINDOW`` seconds, whoever asks for them.

The forms that change something refuse a browser's cross-site request (see
:func:`~wirewatch.web.guards.cross_site`), and those behind a link need its token, which
no other site knows. Confirmation asks for a press of a button, not just a visit: mail
scanners open the links in mails, and must not subscribe anyone by doing so.
"""

from __future__ import annotations

import logging
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache, partial
from typing import Any, TypeVar
from urllib.parse import quote

from anyio import to_thread
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.types import Message

from wirewatch.config.settings import Settings
from wirewatch.digest.sending import send_confirmation
from wirewatch.digest.tokens import (
    CONFIRM_MAX_AGE,
    Purpose,
    link,
    make_token,
    secret_key,
    subscriber_for,
)
from wirewatch.errors import (
    ConfigError,
    InvalidPreferences,
    MailError,
    QueryError,
    TokenError,
)
from wirewatch.models import (
    WEEKDAYS,
    Preferences,
    Subscriber,
    email_key,
    normalize_email,
)
from wirewatch.present.shapes import language_name
from wirewatch.search.query import parse_query
from wirewatch.store import SQLStore
from wirewatch.web.guards import (
    Outbox,
    RateLimiter,
    client_address,
    cross_site,
    loopback,
    retry_minutes,
)
from wirewatch.web.rendering import Pages, public_url
from wirewatch.web.routes.common import check_known_sources, pages_of, stats_of
from wirewatch.web.state import Lazy

log = logging.getLogger("wirewatch.web")
router = APIRouter(include_in_schema=False)
T = TypeVar("T")

#: How many times one client may send the subscribe form, in how many seconds.
FORM_LIMIT, FORM_WINDOW = 5, 600.0
#: How many confirmation mails one address may receive, in how many seconds.
MAIL_LIMIT, MAIL_WINDOW = 3, 3600.0
#: The largest form body read: the preferences form with every box ticked is far smaller.
FORM_BYTES = 64 * 1024
STATUS_TEXT = {
    "pending": "not confirmed yet: follow the link in the confirmation mail",
    "unsubscribed": "unsubscribed: no digest is sent until you subscribe again",
    "suspended": "suspended: mail to this address kept failing, so none is sent; subscribe again to resume",
}


@dataclass
class Subscriptions:
    """What the subscription pages share in one server process."""

    settings: Settings
    store: SQLStore
    forms: RateLimiter = field(default_factory=lambda: RateLimiter(FORM_LIMIT, FORM_WINDOW))
    mails: RateLimiter = field(default_factory=lambda: RateLimiter(MAIL_LIMIT, MAIL_WINDOW))
    outbox: Outbox = field(default_factory=Outbox)
    #: The key that signs links, read (or made) on first use.
    _secret: Lazy[str] = field(init=False)

    def __post_init__(self) -> None:
        self._secret = Lazy(lambda: secret_key(self.store, self.settings))

    @property
    def enabled(self) -> bool:
        """Whether this archive sends mail at all (WIREWATCH_SMTP_URL is set)."""
        return self.settings.smtp is not None

    @property
    def secret(self) -> str:
        return self._secret.get()

    def subscriber(self, purpose: Purpose, token: str) -> Subscriber:
        """The subscriber a link's token names; TokenError when it cannot be used."""
        return subscriber_for(self.store, self.secret, purpose, token)

    def links(self, subscriber: Subscriber, base: str) -> dict[str, str]:
        """The subscriber's preferences and unsubscribe links, on ``base`` ('' : paths)."""
        purposes: tuple[Purpose, ...] = ("preferences", "unsubscribe")
        return {purpose: link(base, purpose, make_token(self.secret, purpose, subscriber)) for purpose in purposes}

    def request_confirmation(self, address: str, preferences: Preferences, base: str | None) -> None:
        """The outbox's job for a subscribe form: record the address (pending) and mail
        it a confirmation link, unless it is already confirmed or has had its share.
        ``base``: where the links point (None: nowhere safe, see ``mail_base``: no mail)."""
        if base is None:
            log.warning(
                "subscribe form not answered by mail: set WIREWATCH_BASE_URL (the form came to a public address)"
            )
            return
        subscriber, new = self.store.add_subscriber(address, preferences)
        fields = {"subscriber_id": subscriber.id, "new": new, "status": subscriber.status}
        if subscriber.status != "pending":
            log.info("subscribe form for an address already subscribed: no mail", extra=fields)
            return
        if self.mails.hit(email_key(address)):
            log.warning("confirmation mails to this address are over their limit: none sent", extra=fields)
            return
        # Without WIREWATCH_BASE_URL the links point where the form was sent (a demo, a test).
        settings = self.settings if self.settings.base_url else replace(self.settings, base_url=base)
        try:
            message_id = send_confirmation(self.store, settings, subscriber)
        except MailError as exc:
            log.warning("confirmation mail not delivered: %s", exc, extra={**fields, "code": exc.code})
            return
        log.info("confirmation mail sent", extra={**fields, "message_id": message_id})


def install(app: FastAPI) -> None:
    """Give ``app`` the subscription pages and what they share (``create_app`` calls it)."""
    subscriptions = Subscriptions(app.state.settings, app.state.store)
    app.state.subscriptions = subscriptions
    pages: Pages = app.state.pages
    # The footer offers the form only where mail can be sent.
    pages.env.globals["daily_update"] = subscriptions.enabled
    app.include_router(router)


def subscriptions_of(request: Request) -> Subscriptions:
    subscriptions: Subscriptions = request.app.state.subscriptions
    return subscriptions


async def in_thread(work: Callable[[], T]) -> T:
    """Archive work off the event loop, in the page threads."""
    return await to_thread.run_sync(work)


async def read_form(request: Request) -> FormData:
    """The form's fields (urlencoded or multipart, as RFC 8058 allows), at most FORM_BYTES."""
    declared = request.headers.get("content-length", "")
    if declared and (not declared.isdigit() or int(declared) > FORM_BYTES):
        raise HTTPException(413, f"The form is larger than {FORM_BYTES // 1024} KiB.")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > FORM_BYTES:
            raise HTTPException(413, f"The form is larger than {FORM_BYTES // 1024} KiB.")

    async def replay() -> Message:
        return {"type": "http.request", "body": bytes(body), "more_body": False}

    return await Request(request.scope, replay).form(max_files=0, max_fields=500)


def first(form: FormData, name: str, default: str = "") -> str:
    value = form.get(name)
    return value if isinstance(value, str) else default


def private(response: Response) -> Response:
    """A page reached through a token: kept out of caches, its address out of Referer."""
    response.headers["cache-control"] = "no-store"
    response.headers["referrer-policy"] = "no-referrer"
    return response


def error_page(request: Request, status: int, title: str, message: str, **headers: str) -> Response:
    response = pages_of(request).render(request, "error.html", status=status, title=title, message=message)
    response.headers.update(headers)
    return private(response)


def bad_link(request: Request, error: TokenError) -> Response:
    """A token that cannot be used: 400, and what to do about it."""
    message = str(error)
    message = message[0].upper() + message[1:] + "."
    if error.reason == "invalid":
        message += " Or subscribe again to get a new one."
    return error_page(request, 400, "This link cannot be used", message)


def refused(request: Request) -> Response | None:
    """The answer to a form sent from another site, or None when it may go ahead."""
    if cross_site(request, subscriptions_of(request).settings.base_url):
        return error_page(
            request,
            403,
            "Form from another site",
            "This form was sent from a page of another site, so it was not accepted. "
            "Use the form on this site's own pages.",
        )
    return None


def base_of(request: Request) -> str:
    """The address a page's links start with: WIREWATCH_BASE_URL, else this request's."""
    return public_url(request, subscriptions_of(request).settings, "")


def mail_base(request: Request) -> str | None:
    """The address the links in a mail start with: WIREWATCH_BASE_URL; without it, this
    request's only when it came to this machine (``wirewatch demo``). Anywhere else the
    ``Host`` header could be forged to mail someone a real token on another site's link."""
    settings = subscriptions_of(request).settings
    if settings.base_url or loopback(request.url.hostname or ""):
        return base_of(request)
    return None


# -- subscribe ----------------------------------------------------------------------------


def subscribe_page(request: Request, status: int = 200, **context: Any) -> Response:
    context.setdefault("email", "")
    context.setdefault("frequency", "daily")
    return pages_of(request).render(
        request,
        "subscribe.html",
        status=status,
        enabled=subscriptions_of(request).enabled,
        confirm_days=CONFIRM_MAX_AGE.days,
        **context,
    )


@router.get("/subscribe")
def subscribe_form(request: Request) -> Response:
    return subscribe_page(request)


@router.post("/subscribe")
async def subscribe(request: Request) -> Response:
    subscriptions = subscriptions_of(request)
    if not subscriptions.enabled:
        return subscribe_page(request, 503)
    if (refusal := refused(request)) is not None:
        return refusal
    wait = subscriptions.forms.hit(client_address(request))
    if wait:
        minutes = retry_minutes(wait)
        return error_page(
            request,
            429,
            "Too many requests",
            f"This form was sent {FORM_LIMIT} times from your address in the last {int(FORM_WINDOW // 60)} minutes. "
            f"Try again in {minutes} minute{'s' if minutes != 1 else ''}.",
            **{"retry-after": str(int(wait) + 1)},
        )
    form = await read_form(request)
    email, frequency = first(form, "email"), first(form, "frequency", "daily") or "daily"
    try:
        address = normalize_email(email)
        preferences = Preferences.build(frequency=frequency)
    except InvalidPreferences as exc:
        return subscribe_page(request, 400, error=str(exc), email=email, frequency=frequency)
    # Everything that depends on the address happens after the answer, in the outbox.
    subscriptions.outbox.put(partial(subscriptions.request_confirmation, address, preferences, mail_base(request)))
    return subscribe_page(request, sent=True, email=address)


# -- confirm ------------------------------------------------------------------------------


def confirm_page(request: Request, subscriber: Subscriber, token: str, *, confirmed: bool) -> Response:
    links = subscriptions_of(request).links(subscriber, base_of(request)) if confirmed else {}
    page = pages_of(request).render(
        request,
        "confirm.html",
        subscriber=subscriber,
        token=token,
        confirmed=confirmed,
        preferences_link=links.get("preferences", ""),
        weekday_name=WEEKDAYS[subscriber.preferences.weekday].capitalize(),
    )
    return private(page)


def gone(subscriber: Subscriber) -> TokenError:
    """A confirmation link of an address that has since stopped its subscription."""
    how = "was suspended (its mail kept failing)" if subscriber.status == "suspended" else "has unsubscribed"
    # Not the address first: bad_link capitalises the message, and an address is shown as given.
    return TokenError(f"the address {subscriber.email} {how} since this link was sent: subscribe again", "revoked")


@router.get("/confirm")
def confirm_form(request: Request, token: str = "") -> Response:
    try:
        subscriber = subscriptions_of(request).subscriber("confirm", token)
        if subscriber.status not in ("pending", "confirmed"):
            raise gone(subscriber)
    except TokenError as exc:
        return bad_link(request, exc)
    return confirm_page(request, subscriber, token, confirmed=subscriber.status == "confirmed")


@router.post("/confirm")
async def confirm(request: Request) -> Response:
    if (refusal := refused(request)) is not None:
        return refusal
    token = first(await read_form(request), "token") or request.query_params.get("token", "")
    subscriptions = subscriptions_of(request)

    def work() -> Subscriber:
        subscriber = subscriptions.subscriber("confirm", token)
        if subscriber.status == "pending":
            subscriber = subscriptions.store.confirm_subscriber(subscriber.id)
        if subscriber.status != "confirmed":
            raise gone(subscriber)
        return subscriber

    try:
        subscriber = await in_thread(work)
    except TokenError as exc:
        return bad_link(request, exc)
    return confirm_page(request, subscriber, token, confirmed=True)


# -- preferences --------------------------------------------------------------------------


@cache
def time_zones() -> tuple[str, ...]:
    """The IANA zones a reader may pick: Area/City names and UTC."""
    return (
        *tuple(
            sorted(z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))
        ),
        "UTC",
    )


def preferences_page(
    request: Request,
    subscriber: Subscriber,
    token: str,
    form: Preferences | None = None,
    status: int = 200,
    **context: Any,
) -> Response:
    shown = form or subscriber.preferences
    stats = stats_of(request)
    sources = list(stats.sources) + [s for s in shown.sources if s not in stats.sources]
    codes = list(stats.languages) + [c for c in shown.languages if c not in stats.languages]
    zones = time_zones() if shown.timezone in time_zones() else (shown.timezone, *time_zones())
    unsubscribe = subscriptions_of(request).links(subscriber, "")["unsubscribe"]
    page = pages_of(request).render(
        request,
        "preferences.html",
        status=status,
        subscriber=subscriber,
        token=token,
        form=shown,
        sources=sources,
        languages=[(c, language_name(c)) for c in codes],
        weekdays=WEEKDAYS,
        timezones=zones,
        unsubscribe_link=unsubscribe,
        status_text=STATUS_TEXT.get(subscriber.status, ""),
        **context,
    )
    return private(page)


@router.get("/preferences")
def preferences_form(request: Request, token: str = "") -> Response:
    try:
        subscriber = subscriptions_of(request).subscriber("preferences", token)
    except TokenError as exc:
        return bad_link(request, exc)
    return preferences_page(request, subscriber, token)


def preferences_from(request: Request, form: FormData) -> Preferences:
    """Preferences from the form, checked: each topic a query that runs, each source in
    the archive; InvalidPreferences names the field and the reason. Reads the archive."""
    topics = [line.strip() for line in first(form, "topics").splitlines() if line.strip()]
    preferences = Preferences.build(
        topics=topics,
        sources=[v for v in form.getlist("sources") if isinstance(v, str)],
        languages=[v for v in form.getlist("languages") if isinstance(v, str)],
        frequency=first(form, "frequency", "daily") or "daily",
        hour=first(form, "hour", "7") or "7",
        timezone=first(form, "timezone", "UTC") or "UTC",
        weekday=first(form, "weekday", "0") or "0",
    )
    for topic in preferences.topics:
        try:
            parse_query(topic)
        except QueryError as exc:
            raise InvalidPreferences("topics", f"{topic!r} cannot run as a search: {exc}") from None
    try:
        check_known_sources(request, preferences.sources, option="source")
    except ConfigError as exc:
        raise InvalidPreferences("sources", str(exc)) from None
    return preferences


def form_values(form: FormData, fallback: Preferences) -> Preferences:
    """What the reader sent, as far as it can be shown again next to the error."""
    lists = {name: tuple(v for v in form.getlist(name) if isinstance(v, str)) for name in ("sources", "languages")}
    topics = tuple(line.strip() for line in first(form, "topics").splitlines() if line.strip())
    values: dict[str, Any] = {"topics": topics, **lists, "timezone": first(form, "timezone") or fallback.timezone}
    frequency = first(form, "frequency")
    values["frequency"] = frequency if frequency in ("daily", "weekly") else fallback.frequency
    for name in ("hour", "weekday"):
        text = first(form, name)
        values[name] = int(text) if text.isdigit() else getattr(fallback, name)
    return Preferences(**values)


@router.post("/preferences")
async def save_preferences(request: Request) -> Response:
    if (refusal := refused(request)) is not None:
        return refusal
    form = await read_form(request)
    token = first(form, "token") or request.query_params.get("token", "")
    subscriptions = subscriptions_of(request)
    try:
        subscriber = await in_thread(lambda: subscriptions.subscriber("preferences", token))
        preferences = await in_thread(lambda: preferences_from(request, form))
    except TokenError as exc:
        return bad_link(request, exc)
    except InvalidPreferences as exc:
        shown, error = form_values(form, subscriber.preferences), {"error": str(exc), "error_field": exc.field}
        return await in_thread(lambda: preferences_page(request, subscriber, token, shown, 400, **error))
    saved = await in_thread(lambda: subscriptions.store.update_preferences(subscriber.id, preferences))
    # The page lists the archive's sources: figures that may need a scan, so off the loop too.
    return await in_thread(lambda: preferences_page(request, saved, token, saved=True))


# -- unsubscribe --------------------------------------------------------------------------


def unsubscribe_page(request: Request, subscriber: Subscriber, token: str, *, done: bool) -> Response:
    preferences = "" if done else subscriptions_of(request).links(subscriber, "")["preferences"]
    page = pages_of(request).render(
        request,
        "unsubscribe.html",
        subscriber=subscriber,
        done=done,
        action=f"/unsubscribe?token={quote(token, safe='')}",
        preferences_link=preferences,
    )
    return private(page)


@router.get("/unsubscribe")
def unsubscribe_form(request: Request, token: str = "") -> Response:
    try:
        subscriber = subscriptions_of(request).subscriber("unsubscribe", token)
    except TokenError as exc:
        return bad_link(request, exc)
    return unsubscribe_page(request, subscriber, token, done=subscriber.status == "unsubscribed")


@router.post("/unsubscribe")
async def unsubscribe(request: Request) -> Response:
    """One click (RFC 8058): a mail program POSTs ``List-Unsubscribe=One-Click`` to the
    address in the mail's List-Unsubscribe header; the page's button sends the same.
    The token is the authority, so no same-origin check: the mail program's request
    comes from no page at all."""
    form = await read_form(request)
    token = request.query_params.get("token", "") or first(form, "token")
    subscriptions = subscriptions_of(request)

    def work() -> Subscriber:
        subscriber = subscriptions.subscriber("unsubscribe", token)
        return subscriptions.store.unsubscribe(subscriber.id)

    try:
        subscriber = await in_thread(work)
    except TokenError as exc:
        return bad_link(request, exc)
    log.info("unsubscribed", extra={"subscriber_id": subscriber.id})
    return unsubscribe_page(request, subscriber, token, done=True)
