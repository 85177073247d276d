"""The Daily Update's readers and saved-search alerts: subscribers, preferences, alerts, deliveries."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Literal

from wirewatch.errors import InvalidPreferences

Frequency = Literal["daily", "weekly"]
FREQUENCIES: tuple[Frequency, ...] = ("daily", "weekly")
#: pending: waiting for the confirmation link; confirmed: receives digests;
#: unsubscribed: asked to stop; suspended: too many permanent delivery failures.
SubscriberStatus = Literal["pending", "confirmed", "unsubscribed", "suspended"]
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

#: Bounds on what a reader may ask for (a form is public: keep rows small).
MAX_TOPICS = 20
MAX_TOPIC_LENGTH = 200
MAX_SOURCES = 50
MAX_LANGUAGES = 20
MAX_EMAIL_LENGTH = 254

_EMAIL = re.compile(
    r"[^@\s<>()\[\],;:\"\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
)
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})*")


def normalize_email(value: str) -> str:
    """The address, trimmed, with its domain in lower case; raises InvalidPreferences."""
    address = value.strip()
    if not address:
        raise InvalidPreferences("email", "an address is needed")
    if len(address) > MAX_EMAIL_LENGTH or not _EMAIL.fullmatch(address):
        raise InvalidPreferences("email", f"{value!r} is not an email address (name@example.org)")
    if not (address.isascii() and address.isprintable()):  # mail is sent without SMTPUTF8
        raise InvalidPreferences("email", f"{value!r}: only addresses in plain ASCII letters can be mailed")
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


def email_key(address: str) -> str:
    """What makes two spellings of an address the same subscription."""
    return address.strip().casefold()


def _words(values: Any, field_name: str, limit: int, length: int = MAX_TOPIC_LENGTH) -> tuple[str, ...]:
    if isinstance(values, str):
        values = [values]
    cleaned = tuple(dict.fromkeys(v.strip() for v in values if v and v.strip()))
    if len(cleaned) > limit:
        raise InvalidPreferences(field_name, f"at most {limit} allowed, {len(cleaned)} given")
    for v in cleaned:
        if len(v) > length:
            raise InvalidPreferences(field_name, f"{v[:40]!r}… is longer than {length} characters")
    return cleaned


@dataclass(frozen=True, slots=True)
class Preferences:
    """What a reader receives and when. Empty ``sources``/``languages``: all of them.

    ``topics`` are search queries (the archive's query syntax) whose matches are
    boosted in the reader's digest. The digest goes out at ``hour`` (0-23, local time in
    the IANA zone ``timezone``); a weekly one on ``weekday`` (0 = Monday).
    """

    topics: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    frequency: Frequency = "daily"
    hour: int = 7
    timezone: str = "UTC"
    weekday: int = 0

    @classmethod
    def build(
        cls,
        *,
        topics: Any = (),
        sources: Any = (),
        languages: Any = (),
        frequency: str = "daily",
        hour: int | str = 7,
        timezone: str = "UTC",
        weekday: int | str = 0,
    ) -> Preferences:
        """Preferences from user input (a form, options), checked and tidied; raises
        InvalidPreferences naming the first field that cannot be used."""
        freq = str(frequency).strip().lower()
        if freq not in FREQUENCIES:
            raise InvalidPreferences("frequency", f"{frequency!r} is not daily or weekly")
        langs = tuple(v.lower() for v in _words(languages, "languages", MAX_LANGUAGES, 20))
        for lang in langs:
            if not _LANGUAGE.fullmatch(lang):
                raise InvalidPreferences("languages", f"{lang!r} is not a language code (en, ko, ru…)")
        return cls(
            topics=_words(topics, "topics", MAX_TOPICS),
            sources=_words(sources, "sources", MAX_SOURCES),
            languages=langs,
            frequency=freq,
            hour=_bounded(hour, "hour", 0, 23),
            timezone=check_timezone(timezone),
            weekday=_weekday(weekday),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "topics": list(self.topics),
            "sources": list(self.sources),
            "languages": list(self.languages),
            "frequency": self.frequency,
            "hour": self.hour,
            "timezone": self.timezone,
            "weekday": self.weekday,
        }


def _bounded(value: int | str, field_name: str, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise InvalidPreferences(field_name, f"{value!r} is not a whole number") from None
    if not low <= number <= high:
        raise InvalidPreferences(field_name, f"{number} is not between {low} and {high}")
    return number


def _weekday(value: int | str) -> int:
    text = str(value).strip().lower()
    for number, name in enumerate(WEEKDAYS):
        if len(text) >= 3 and name.startswith(text):
            return number
    if not text.isdigit():
        raise InvalidPreferences("weekday", f"{value!r} is not a day of the week (monday … sunday, or 0-6)")
    return _bounded(value, "weekday", 0, 6)


def check_timezone(name: str) -> str:
    """``name`` if it is an IANA time zone this machine knows (Asia/Seoul, UTC…)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = str(name).strip()
    try:
        if not name or ".." in name or name.startswith("/"):
            raise ValueError(name)
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidPreferences(
            "timezone", f"{name!r} is not a time zone (e.g. Asia/Seoul, Europe/Berlin, UTC)"
        ) from None
    return name


@dataclass(frozen=True, slots=True)
class Subscriber:
    """A reader of the Daily Update, as the archive keeps them."""

    id: int
    email: str
    status: SubscriberStatus
    preferences: Preferences
    created_at: dt.datetime
    confirmed_at: dt.datetime | None = None
    unsubscribed_at: dt.datetime | None = None
    #: Part of every preferences and unsubscribe link: raising it revokes them all.
    token_version: int = 1
    #: Consecutive permanent (5xx) delivery failures; reset by a delivered mail.
    permanent_failures: int = 0
    last_error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "email": self.email,
            "status": self.status,
            **self.preferences.as_dict(),
            "created_at": self.created_at,
            "confirmed_at": self.confirmed_at,
            "unsubscribed_at": self.unsubscribed_at,
            "permanent_failures": self.permanent_failures,
            "last_error": self.last_error,
        }


# -- alerts on saved searches (issue 7) -------------------------------------------------

AlertChannel = Literal["email", "webhook"]
DeliveryStatus = Literal["pending", "sent", "failed"]


@dataclass(frozen=True, slots=True)
class Alert:
    """A saved search that tells someone, by email or webhook, of the articles stored
    since its last look that match ``query`` (and, with ``changes``, of edits and
    deletions of matching articles). ``last_article_id`` and ``last_change_id`` are
    how far it has looked; ``secret`` signs its webhook posts."""

    id: int
    name: str
    query: str
    channel: AlertChannel
    email: str | None
    webhook_url: str | None
    secret: str
    changes: bool
    created_at: dt.datetime
    last_checked_at: dt.datetime | None = None
    last_article_id: int = 0
    last_change_id: int = 0
    #: When its last mail or post went out (an email alert sends at most one an hour).
    last_sent_at: dt.datetime | None = None
    active: bool = True

    @property
    def target(self) -> str:
        """Where it goes: the address or the webhook's URL."""
        return (self.email if self.channel == "email" else self.webhook_url) or ""


@dataclass(frozen=True, slots=True)
class AlertDelivery:
    """What one check of an alert found, to be sent: article and change numbers."""

    id: int
    alert_id: int
    created_at: dt.datetime
    article_ids: tuple[int, ...]
    change_ids: tuple[int, ...]
    status: DeliveryStatus
    attempts: int = 0
    next_try_at: dt.datetime | None = None
    error: str | None = None
