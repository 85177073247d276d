"""Signed links in mails: confirm a subscription, change preferences, unsubscribe.

A token is the subscriber's id and token version, signed with the instance's secret key
and a salt per purpose (a preferences token does not confirm, nor the other way round),
and stamped with the time it was made. A confirmation token expires after seven days;
preferences and unsubscribe tokens do not expire, but stop working when the
subscriber's token version goes up (``SQLStore.bump_token_version``, or a new subscription
after an unsubscribe). No account, no password: the link is the key.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal
from urllib.parse import quote

from itsdangerous import (
    BadData,
    SignatureExpired,
    TimestampSigner,
    URLSafeTimedSerializer,
)

from wirewatch.clock import now_utc
from wirewatch.errors import TokenError

if TYPE_CHECKING:
    from wirewatch.config.settings import Settings
    from wirewatch.models import Subscriber
    from wirewatch.store import SQLStore

__all__ = [
    "CLOCK_SKEW",
    "CONFIRM_MAX_AGE",
    "PATHS",
    "Purpose",
    "TokenClaims",
    "link",
    "make_token",
    "read_token",
    "secret_key",
    "subscriber_for",
]

Purpose = Literal["confirm", "preferences", "unsubscribe"]
PURPOSES: tuple[Purpose, ...] = ("confirm", "preferences", "unsubscribe")
#: How long a confirmation link works.
CONFIRM_MAX_AGE = dt.timedelta(days=7)
#: How far ahead of this clock a token's stamp may be (another server's clock running fast).
CLOCK_SKEW = dt.timedelta(minutes=5)
#: Where each token is used on the web reader.
PATHS: dict[Purpose, str] = {"confirm": "/confirm", "preferences": "/preferences", "unsubscribe": "/unsubscribe"}
#: The name the generated key is kept under in the archive.
SECRET_NAME = "secret_key"


def secret_key(store: SQLStore, settings: Settings) -> str:
    """The key that signs links: WIREWATCH_SECRET_KEY, else the archive's own, generated
    (32 random bytes) on first use and the same for every process afterwards."""
    if settings.secret_key:
        return settings.secret_key
    return store.instance_secret(SECRET_NAME, lambda: secrets.token_urlsafe(32))


@dataclass(frozen=True, slots=True)
class TokenClaims:
    """What a valid token says: whose it is, for which version of their links, and when
    it was made."""

    purpose: Purpose
    subscriber_id: int
    version: int
    issued_at: dt.datetime


def _serializer(secret: str, purpose: Purpose, now: dt.datetime | None = None) -> URLSafeTimedSerializer:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown token purpose {purpose!r}")
    signer: type[TimestampSigner] = TimestampSigner
    if now is not None:
        stamp = int(now.timestamp())

        class _At(TimestampSigner):
            def get_timestamp(self) -> int:
                return stamp

        signer = _At
    return URLSafeTimedSerializer(secret, salt=f"wirewatch-{purpose}", signer=signer)


def make_token(secret: str, purpose: Purpose, subscriber: Subscriber, *, now: dt.datetime | None = None) -> str:
    """A URL-safe token for the subscriber's ``purpose`` link (``now``: the time stamped in it)."""
    return str(_serializer(secret, purpose, now).dumps({"s": subscriber.id, "v": subscriber.token_version}))


def read_token(secret: str, purpose: Purpose, token: str, *, now: dt.datetime | None = None) -> TokenClaims:
    """What ``token`` says, if this instance signed it for ``purpose``; raises TokenError
    (reason "invalid", also for one stamped later than now plus CLOCK_SKEW, or "expired"
    for a confirmation older than CONFIRM_MAX_AGE)."""
    now = now or now_utc()
    what = {"confirm": "confirmation", "preferences": "preferences", "unsubscribe": "unsubscribe"}[purpose]
    try:
        payload, issued = _serializer(secret, purpose).loads((token or "").strip(), return_timestamp=True)
        subscriber_id, version = int(payload["s"]), int(payload["v"])
    except SignatureExpired:  # not raised without max_age, but a subclass of BadData
        raise TokenError(f"this {what} link has expired", "expired") from None
    except (BadData, KeyError, TypeError, ValueError):
        raise TokenError(
            f"this {what} link is not valid (it may be incomplete: copy the whole link)", "invalid"
        ) from None
    issued = issued if issued.tzinfo else issued.replace(tzinfo=dt.UTC)
    if issued - now > CLOCK_SKEW:  # signed with this key, yet not made by this clock: refused
        raise TokenError(f"this {what} link is not valid (it is dated in the future)", "invalid")
    if purpose == "confirm" and now - issued > CONFIRM_MAX_AGE:
        days = CONFIRM_MAX_AGE.days
        raise TokenError(f"this confirmation link has expired (links work for {days} days): subscribe again", "expired")
    return TokenClaims(purpose, subscriber_id, version, issued)


def subscriber_for(
    store: SQLStore, secret: str, purpose: Purpose, token: str, *, now: dt.datetime | None = None
) -> Subscriber:
    """The subscriber a token belongs to; raises TokenError: "invalid", "expired", or
    "revoked" (the subscriber is gone, or their links were renewed since)."""
    claims = read_token(secret, purpose, token, now=now)
    subscriber = store.get_subscriber(claims.subscriber_id)
    if subscriber is None or subscriber.token_version != claims.version:
        raise TokenError("this link is no longer valid: use the link in your most recent mail", "revoked")
    return subscriber


def link(base_url: str, purpose: Purpose, token: str) -> str:
    """The web address a token is used at, e.g. https://…/unsubscribe?token=…"""
    return f"{base_url.rstrip('/')}{PATHS[purpose]}?token={quote(token, safe='')}"
