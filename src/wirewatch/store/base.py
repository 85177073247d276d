"""The storage interface every back end implements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from wirewatch.models import Article, Change, EntityCount, Event, Incoming, Revision
from wirewatch.search.base import SearchRequest, SearchResult

if TYPE_CHECKING:
    from wirewatch.models import Alert, AlertDelivery, Frequency, Preferences, Subscriber
    from wirewatch.store.subscribers import SendClaim, SendRecord

__all__ = ["ArchiveStats", "BatchCounts", "Browse", "Cursor", "Incoming", "Page", "Store"]

#: A position in a list of articles: the date (None for undated) and id of the last one shown.
Cursor = tuple[dt.date | None, int]


@dataclass(slots=True)
class BatchCounts:
    """What storing a batch did."""

    added: int = 0
    duplicates: int = 0
    unchanged: int = 0
    #: Captures of known addresses whose text changed (a new revision)…
    edited: int = 0
    #: …or that brought a deleted article back.
    restored: int = 0
    #: Each capture's outcome by record key (see ``store.versions.record_captures``).
    outcomes: dict[str, str] = field(default_factory=dict)

    def __iadd__(self, other: BatchCounts) -> BatchCounts:
        self.added += other.added
        self.duplicates += other.duplicates
        self.unchanged += other.unchanged
        self.edited += other.edited
        self.restored += other.restored
        self.outcomes.update(other.outcomes)
        return self


@dataclass(frozen=True, slots=True)
class ArchiveStats:
    articles: int
    duplicates: int
    sources: dict[str, int] = field(default_factory=dict)
    languages: dict[str, int] = field(default_factory=dict)
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    undated: int = 0
    derived_titles: int = 0


@dataclass(frozen=True, slots=True)
class Browse:
    """A list of articles by date, without a query: a source's page, a day, a feed.

    Undated articles count as older than any dated one (by number among themselves):
    they come last, newest first, and first, oldest first, so that each order is the
    other reversed. A date range leaves them out. ``after`` continues a list from the
    last article of the previous page.
    """

    source: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    #: Leave out articles that repeat another's text (they are listed on the original).
    originals_only: bool = False
    #: Only articles dated to the day (not those known only to the month or year).
    day_precise: bool = False
    order: Literal["newest", "oldest"] = "newest"
    after: Cursor | None = None
    limit: int = 50
    #: Load each article's text (feeds); otherwise ``body`` holds only its lead.
    with_body: bool = False


@dataclass(frozen=True, slots=True)
class Page:
    articles: list[Article]
    #: Where the next page starts; None on the last page.
    next: Cursor | None = None


class Store(Protocol):
    """An archive of sources and articles."""

    def add_batch(self, batch: Sequence[Incoming], import_id: int | None = None) -> BatchCounts:
        """Store a batch in one transaction: all of it or none of it."""
        ...

    def get_article(self, article_id: int) -> Article | None: ...

    def duplicates_of(self, article_id: int) -> list[int]: ...

    def raw_record(self, article_id: int) -> dict[str, Any] | None:
        """The input an article was read from: ``input``, ``line``, ``kind``, ``raw``."""
        ...

    def iter_articles(self, *, include_duplicates: bool = True) -> Iterator[Article]: ...

    def stats(self) -> ArchiveStats: ...

    def search(self, request: SearchRequest) -> SearchResult: ...

    def source_names(self) -> list[str]: ...

    def browse(self, request: Browse) -> Page:
        """Articles by date (see :class:`Browse`)."""
        ...

    def day_counts(self, since: dt.date, until: dt.date, source: str | None = None) -> dict[dt.date, int]:
        """How many articles dated to the day each day between two dates holds."""
        ...

    def month_counts(self, source: str | None = None) -> dict[tuple[int, int], int]:
        """How many dated articles each (year, month) holds."""
        ...

    def adjacent_days(self, day: dt.date) -> tuple[dt.date | None, dt.date | None]:
        """The nearest days before and after ``day`` that hold articles."""
        ...

    def history(self, article_id: int) -> list[Revision]:
        """The article's versions, oldest first ([] for one never collected from the web)."""
        ...

    def changes(
        self,
        *,
        article_id: int | None = None,
        kinds: Sequence[str] = (),
        source: str | None = None,
        before: tuple[dt.datetime, int] | None = None,
        limit: int = 50,
    ) -> list[Change]:
        """Edits, deletions and returns, newest first; ``before`` continues after a (seen_at, id)."""
        ...

    def entities_of(self, article_id: int) -> list[EntityCount]:
        """The article's entities, most mentioned first ([] before it is analysed)."""
        ...

    def events_of(self, article_id: int) -> list[Event]: ...

    def entity_profile(self, entity_type: str, entity_id: str) -> Any:
        """An ``store.analysis.EntityProfile``, or None for an entity never mentioned."""
        ...

    def country_pairs(self, limit: int = 50) -> list[Any]:
        """``store.analysis.CountryPair``s: the pairs with the most events, most first."""
        ...

    def relations(self, a: str, b: str, **options: Any) -> Any:
        """A ``store.analysis.Relations``: the events between two countries."""
        ...

    def edition_data(self, since: dt.date, until: dt.date, *, history_days: int = 30) -> Any:
        """A ``store.digests.EditionData``: what a digest of those days is made from."""
        ...

    def begin_import(self, inputs: Sequence[str]) -> int: ...

    def finish_import(self, import_id: int, summary: dict[str, object]) -> None: ...

    def close(self) -> None: ...

    # -- the Daily Update: subscribers, the send log, secrets (store/subscribers.py) --

    def add_subscriber(
        self, email: str, preferences: Preferences, *, confirmed: bool = False, now: dt.datetime | None = None
    ) -> tuple[Subscriber, bool]:
        """Subscribe an address; the subscriber and whether the address was new."""
        ...

    def get_subscriber(self, subscriber_id: int) -> Subscriber | None: ...

    def subscriber_by_email(self, email: str) -> Subscriber | None: ...

    def list_subscribers(
        self, statuses: Sequence[str] = (), *, ids: Sequence[int] | None = None
    ) -> list[Subscriber]: ...

    def update_preferences(self, subscriber_id: int, preferences: Preferences) -> Subscriber: ...

    def confirm_subscriber(self, subscriber_id: int, now: dt.datetime | None = None) -> Subscriber: ...

    def unsubscribe(self, subscriber_id: int, now: dt.datetime | None = None) -> Subscriber: ...

    def remove_subscriber(self, subscriber_id: int) -> bool: ...

    def bump_token_version(self, subscriber_id: int) -> int: ...

    def instance_secret(self, name: str, make: Callable[[], str]) -> str:
        """The secret ``name``, made and stored on first use, the same for every process."""
        ...

    def claim_send(
        self,
        subscriber_id: int,
        edition: dt.date,
        frequency: Frequency,
        *,
        now: dt.datetime | None = None,
        **options: Any,
    ) -> SendClaim | None:
        """Claim a subscriber's mail of an edition before sending it; None: not to send."""
        ...

    def mark_sent(
        self, claim: SendClaim, message_id: str, now: dt.datetime | None = None, *, reset_failures: bool = True
    ) -> None: ...

    def mark_failed(
        self, claim: SendClaim, error: str, *, permanent: bool, suspend_after: int, **options: Any
    ) -> bool: ...

    def mark_skipped(self, claim: SendClaim, reason: str, now: dt.datetime | None = None) -> None: ...

    def release_send(self, claim: SendClaim) -> None: ...

    def send_log(
        self, edition: dt.date | None = None, frequency: Frequency | None = None, *, subscriber_id: int | None = None
    ) -> list[SendRecord]: ...

    # -- alerts on saved searches (store/alerts.py) --

    def add_alert(self, values: dict[str, Any], now: dt.datetime | None = None) -> Alert:
        """Save an alert that reports what the archive gains from now on."""
        ...

    def get_alert(self, alert_id: int) -> Alert | None: ...

    def alerts(self, *, active_only: bool = False) -> list[Alert]: ...

    def remove_alert(self, alert_id: int) -> bool: ...

    def pending_alert_deliveries(self) -> dict[int, int]:
        """Deliveries not yet sent, by alert."""
        ...

    def alert_cursors(self, now: dt.datetime | None = None, floor: tuple[int, int] = (0, 0)) -> tuple[int, int]:
        """How far an alert check may look: article number, change number."""
        ...

    def alert_changes_between(self, after: int, upto: int) -> list[Change]: ...

    def alert_changes_by_id(self, change_ids: Sequence[int]) -> list[Change]: ...

    def record_alert_check(
        self,
        alert: Alert,
        upto: tuple[int, int],
        article_ids: Sequence[int],
        change_ids: Sequence[int],
        now: dt.datetime,
    ) -> int | None:
        """Move the alert's cursors and record what matched as a pending delivery."""
        ...

    def due_alert_deliveries(self, now: dt.datetime, alert_id: int | None = None) -> list[AlertDelivery]: ...

    def claim_alert_deliveries(
        self, delivery_ids: Sequence[int], now: dt.datetime, lease: dt.timedelta
    ) -> list[int]: ...

    def finish_alert_deliveries(
        self,
        delivery_ids: Sequence[int],
        status: str,
        *,
        error: str | None = None,
        next_try_at: dt.datetime | None = None,
    ) -> None: ...

    def mark_alert_sent(self, alert_id: int, now: dt.datetime) -> None: ...
