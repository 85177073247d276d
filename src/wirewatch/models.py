"""The values wirewatch passes between stages. No I/O here."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from wirewatch.errors import InvalidPreferences

DatePrecision = Literal["day", "month", "year"]
#: live: as first seen; edited: changed since; deleted: gone from the source's site.
Status = Literal["live", "edited", "deleted"]
DateOrder = Literal["DMY", "MDY", "YMD"]


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record as a reader found it, before any cleaning.

    ``fields`` holds what the input said, under the corpus field names (``title``,
    ``date``, ``source``, ``url``, ``language``, ``body``) plus any other field the
    input carried. ``raw`` is the record's text exactly as read (a JSON line, a CSV
    row, a whole saved page), kept with the article for provenance.
    """

    input: str
    line: int | None
    kind: str
    fields: dict[str, Any]
    raw: str
    #: Set for a capture of a web page (a crawl, a WARC record): when it was fetched.
    #: A capture is identified by its source and URL, so a later capture of the same
    #: URL is a new version of the same article, not a new article.
    captured_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Rejected:
    """A record a reader or the pipeline could not use, and why."""

    input: str
    line: int | None
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"input": self.input, "line": self.line, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """The outcome of reading a date.

    ``value`` is None when no usable date was found; ``note`` then says why.
    ``alternatives`` holds the other readings of an ambiguous numeric date.
    """

    value: dt.date | None
    precision: DatePrecision | None = None
    alternatives: tuple[dt.date, ...] = ()
    note: str | None = None

    @classmethod
    def unknown(cls, note: str) -> ParsedDate:
        return cls(None, None, (), note)


@dataclass(slots=True)
class Article:
    """An article as wirewatch keeps it."""

    source: str
    title: str
    body: str
    title_derived: bool = False
    date: dt.date | None = None
    date_precision: DatePrecision | None = None
    date_alternatives: tuple[dt.date, ...] = ()
    date_note: str | None = None
    url: str | None = None
    language: str | None = None
    language_detected: bool = False
    place: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    body_hash: str = ""
    id: int | None = None
    duplicate_of: int | None = None
    #: What identifies the record across imports and archives (set once stored).
    record_key: str | None = None
    status: Status = "live"
    #: When the status began (the deletion seen, the last edit seen); None for "live".
    status_at: dt.datetime | None = None
    #: How many versions the archive holds (1 for anything never seen to change).
    revisions: int = 1


@dataclass(frozen=True, slots=True)
class Incoming:
    """An article ready to store, with the record it came from and its identity, and
    its analysis when it was analysed (stored with it)."""

    article: Article
    raw: RawRecord
    record_key: str
    entities: tuple[EntityCount, ...] | None = None
    events: tuple[Event, ...] | None = None


@dataclass(frozen=True, slots=True)
class Source:
    """A publisher whose articles the archive holds."""

    name: str
    date_order: DateOrder = "DMY"
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Revision:
    """One version of a collected article, as seen from ``seen_at`` to ``last_seen_at``."""

    number: int
    seen_at: dt.datetime
    last_seen_at: dt.datetime
    title: str
    date: dt.date | None
    date_precision: DatePrecision | None
    body: str
    #: The fields that differ from the revision before: "title", "date", "body".
    changes: tuple[str, ...]
    origin: str | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Change:
    """Something that happened to an article after it was stored."""

    article_id: int
    kind: Literal["edited", "deleted", "restored"]
    seen_at: dt.datetime
    detail: str | None = None
    revision: int | None = None
    #: The article's title and source, for listings of changes.
    title: str = ""
    source: str = ""
    id: int | None = None


class StoredArticle(NamedTuple):
    """An article as the archive holds it, with its raw input (``kind`` is None when
    none was kept). Partitions carry these as plain tuples, in this order: they pickle
    in half the time; ``StoredArticle._make`` gives the names back.

    The stored text is not read: ``body_hash`` (the SHA-256 of the text) stands for it
    and halves what goes to the workers. On a duplicate, ``original_hash`` is its
    original's stored hash, and ``original`` the original itself (a plain tuple) when
    this run covers it too (it is in the run's sources), so that the two can be
    compared after cleaning.
    """

    id: int
    source: str
    title: str
    title_derived: bool
    date: dt.date | None
    date_precision: str | None
    date_alternatives: tuple[dt.date, ...]
    date_note: str | None
    language: str | None
    language_detected: bool
    place: str | None
    body_hash: str | None
    duplicate_of: int | None
    record_key: str
    metadata: dict[str, Any] | None
    kind: str | None
    input: str | None
    line: int | None
    raw: str | None
    original_hash: str | None = None
    original: tuple[Any, ...] | None = None


class ArticleChange(NamedTuple):
    """The values re-cleaning gives an article: every column it may rewrite.

    ``body`` is None for a duplicate (its text is its original's); ``duplicate_of`` None
    for an original, or for a duplicate unlinked because its text no longer matches.
    """

    id: int
    title: str
    title_derived: bool
    date: dt.date | None
    date_precision: str | None
    date_alternatives: tuple[dt.date, ...]
    date_note: str | None
    language: str | None
    language_detected: bool
    place: str | None
    body: str | None
    body_hash: str | None
    duplicate_of: int | None


# -- analysis (issue 6): who is mentioned, and what passes between countries ----------

EntityType = Literal["person", "country", "organization"]


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity found in a text: where, as what, and how it was recognised.

    Offsets are into the analysed text (the title, a blank line, then the body). ``id``
    is ISO 3166-1 alpha-3 for a country (``SUN`` for the Soviet Union), else the slug of
    the actor data. ``country`` is the country itself, a person's (by the office held on
    the article's date, else their nationality), an organisation's; None for an
    international body. ``by_title``: a person named only by a title ("the Supreme
    Leader", "the Russian President") and resolved to its holder on the date.
    """

    type: EntityType
    id: str
    name: str
    country: str | None
    start: int
    end: int
    by_title: bool = False
    #: The office a title names ("supreme-leader", "president-rus"), when one did.
    role: str | None = None
    #: False for a name the actor data do not hold, found by its shape: without a country,
    #: its side is unknown, not an international body's.
    known: bool = True


@dataclass(frozen=True, slots=True)
class EntityCount:
    """An entity of an article: who or what, and how many times it is mentioned.
    ``by_title``: at least one mention named it only by a title."""

    type: EntityType
    id: str
    name: str
    country: str | None
    count: int
    by_title: bool = False


@dataclass(frozen=True, slots=True)
class Side:
    """One side of an event: who acted or was acted on, and for which country."""

    name: str | None
    country: str | None
    id: str | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """Something that passed between two countries, as an article reports it."""

    #: visit, meeting, message, anniversary, agreement, praise, denounce, threaten
    type: str
    cameo: str
    plover: str
    actor: Side
    target: Side
    date: dt.date | None
    date_precision: DatePrecision | None
    #: The date came from the text ("on Sunday", "in May"), not the article's date.
    date_from_text: bool
    sentence: str


# -- the Daily Update (issue 7): subscribers and what they asked for -------------------

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

_EMAIL = re.compile(r"[^@\s<>()\[\],;:\"\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*")
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
            frequency=freq,  # type: ignore[arg-type]
            hour=_bounded(hour, "hour", 0, 23),
            timezone=check_timezone(timezone),
            weekday=_weekday(weekday),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "topics": list(self.topics), "sources": list(self.sources), "languages": list(self.languages),
            "frequency": self.frequency, "hour": self.hour, "timezone": self.timezone, "weekday": self.weekday,
        }  # fmt: skip


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
        raise InvalidPreferences("timezone", f"{name!r} is not a time zone (e.g. Asia/Seoul, Europe/Berlin, UTC)") from None
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
            "id": self.id, "email": self.email, "status": self.status, **self.preferences.as_dict(),
            "created_at": self.created_at, "confirmed_at": self.confirmed_at,
            "unsubscribed_at": self.unsubscribed_at, "permanent_failures": self.permanent_failures,
            "last_error": self.last_error,
        }  # fmt: skip


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
