"""Subscribers, the digest send log and the instance's secrets, in SQL.

``SubscriberStore`` is mixed into ``SQLStore``: its methods are the archive's. The send
log makes delivery idempotent. A mail is *claimed* (a row per subscriber, edition and
frequency, committed) before it goes to the SMTP server and *marked sent* once the
server accepts it; a row already sent is never claimed again. A claim is a lease held
by ``host:pid``: when its holder has died (the process is gone from this host, or the
lease ran out) the next run takes it over and sends that mail.

A crash after the server's "250 OK" and before the mark would send that one mail a
second time; the window is one commit wide, and the mail's Message-ID is the same both
times (``<digest-DATE-ID@host>``), which lets mail systems drop the copy.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from wirewatch.errors import InvalidPreferences, StoreError
from wirewatch.models import (
    Frequency,
    Preferences,
    Subscriber,
    email_key,
    normalize_email,
)
from wirewatch.store.engine import Writer
from wirewatch.store.schema import digest_sends, instance_secrets, subscribers
from wirewatch.store.versions import aware

#: How long a claim holds against other live senders: longer than one mail may take with
#: its retries. A claim whose holder process is gone from this host ends at once.
SEND_LEASE = dt.timedelta(minutes=10)
#: A temporary failure (4xx after the retries) is tried again by a later run, at most
#: this many runs in all.
MAX_SEND_ATTEMPTS = 5


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def this_process() -> str:
    """Who holds a claim: this host and process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def holder_gone(claimed_by: str | None) -> bool:
    """True when ``claimed_by`` names a process of this host that no longer runs."""
    if not claimed_by:
        return True
    host, _, pid = claimed_by.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's: only its lease tells
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, another user's
    return False


@dataclass(frozen=True, slots=True)
class SendClaim:
    """A mail this process may now send: the send-log row it holds."""

    id: int
    subscriber_id: int
    edition: dt.date
    frequency: Frequency
    #: Runs that have tried this mail, this one included.
    attempts: int


@dataclass(frozen=True, slots=True)
class SendRecord:
    """A row of the send log."""

    id: int
    subscriber_id: int
    edition: dt.date
    frequency: Frequency
    #: claimed, sent, failed (temporary) or rejected (permanent)
    status: str
    attempts: int
    message_id: str | None
    claimed_by: str | None
    claimed_at: dt.datetime | None
    lease_until: dt.datetime | None
    sent_at: dt.datetime | None
    error: str | None


def _subscriber(row: sa.Row[Any]) -> Subscriber:
    m = row._mapping
    return Subscriber(
        id=m["id"],
        email=m["email"],
        status=m["status"],
        preferences=Preferences(
            topics=tuple(m["topics"] or ()),
            sources=tuple(m["sources"] or ()),
            languages=tuple(m["languages"] or ()),
            frequency=m["frequency"],
            hour=m["hour"],
            timezone=m["timezone"],
            weekday=m["weekday"],
        ),
        created_at=aware(m["created_at"]),
        confirmed_at=aware(m["confirmed_at"]) if m["confirmed_at"] else None,
        unsubscribed_at=aware(m["unsubscribed_at"]) if m["unsubscribed_at"] else None,
        token_version=m["token_version"],
        permanent_failures=m["permanent_failures"],
        last_error=m["last_error"],
    )


def _record(row: sa.Row[Any]) -> SendRecord:
    m = row._mapping
    return SendRecord(
        id=m["id"], subscriber_id=m["subscriber_id"], edition=m["edition"], frequency=m["frequency"],
        status=m["status"], attempts=m["attempts"], message_id=m["message_id"], claimed_by=m["claimed_by"],
        claimed_at=aware(m["claimed_at"]) if m["claimed_at"] else None,
        lease_until=aware(m["lease_until"]) if m["lease_until"] else None,
        sent_at=aware(m["sent_at"]) if m["sent_at"] else None, error=m["error"],
    )  # fmt: skip


def _preference_values(prefs: Preferences) -> dict[str, Any]:
    return {
        "topics": list(prefs.topics), "sources": list(prefs.sources), "languages": list(prefs.languages),
        "frequency": prefs.frequency, "hour": prefs.hour, "timezone": prefs.timezone, "weekday": prefs.weekday,
    }  # fmt: skip


class SubscriberStore:
    """Subscribers, the send log and instance secrets (mixed into ``SQLStore``)."""

    engine: sa.Engine
    writer: Writer

    @contextlib.contextmanager
    def _writing(self, *, immediate: bool = False) -> Iterator[sa.Connection]:
        try:
            with self.writer.begin(immediate=immediate) as conn:
                yield conn
        except sa.exc.IntegrityError:
            raise
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"could not write to the archive: {exc}") from exc

    # -- subscribers ------------------------------------------------------------------

    def add_subscriber(
        self, email: str, preferences: Preferences, *, confirmed: bool = False, now: dt.datetime | None = None
    ) -> tuple[Subscriber, bool]:
        """Subscribe ``email`` (pending its confirmation, or ``confirmed`` at once for an
        imported list). Returns the subscriber and whether the address was new.

        A known address is left as it is when pending or confirmed (a stranger must not
        change someone's preferences). One that unsubscribed or was suspended starts
        again as pending (or confirmed) with the new preferences, and its old links stop
        working (the token version goes up).
        """
        address = normalize_email(email)
        try:
            return self._add_subscriber(address, preferences, confirmed, now or _now())
        except sa.exc.IntegrityError:
            # Another process added the address between our look and our insert (two forms
            # at once on PostgreSQL): theirs is the subscription.
            found = self.subscriber_by_email(address)
            if found is None:
                raise
            return found, False

    def _add_subscriber(
        self, address: str, preferences: Preferences, confirmed: bool, now: dt.datetime
    ) -> tuple[Subscriber, bool]:
        status = "confirmed" if confirmed else "pending"
        key = email_key(address)
        with self._writing(immediate=True) as conn:
            row = conn.execute(sa.select(subscribers).where(subscribers.c.email_key == key)).first()
            if row is None:
                new_id = conn.scalar(
                    sa.insert(subscribers)
                    .values(
                        email=address, email_key=key, status=status, **_preference_values(preferences),
                        token_version=1, permanent_failures=0, created_at=now,
                        confirmed_at=now if confirmed else None,
                    )
                    .returning(subscribers.c.id)
                )  # fmt: skip
                found = conn.execute(sa.select(subscribers).where(subscribers.c.id == new_id)).one()
                return _subscriber(found), True
            if row._mapping["status"] in ("unsubscribed", "suspended"):
                conn.execute(
                    sa.update(subscribers)
                    .where(subscribers.c.id == row._mapping["id"])
                    .values(
                        email=address, status=status, **_preference_values(preferences),
                        token_version=subscribers.c.token_version + 1, permanent_failures=0, last_error=None,
                        confirmed_at=now if confirmed else None, unsubscribed_at=None,
                    )
                )  # fmt: skip
                row = conn.execute(sa.select(subscribers).where(subscribers.c.id == row._mapping["id"])).one()
            return _subscriber(row), False

    def get_subscriber(self, subscriber_id: int) -> Subscriber | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(subscribers).where(subscribers.c.id == subscriber_id)).first()
        return _subscriber(row) if row else None

    def subscriber_by_email(self, email: str) -> Subscriber | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(subscribers).where(subscribers.c.email_key == email_key(email))).first()
        return _subscriber(row) if row else None

    def list_subscribers(self, statuses: Sequence[str] = (), *, ids: Sequence[int] | None = None) -> list[Subscriber]:
        """Subscribers in the order they subscribed; only those with one of ``statuses``
        (all when empty) and, given ``ids``, only those."""
        query = sa.select(subscribers).order_by(subscribers.c.id)
        if statuses:
            query = query.where(subscribers.c.status.in_(list(statuses)))
        if ids is not None:
            query = query.where(subscribers.c.id.in_(list(ids)))
        with self.engine.connect() as conn:
            return [_subscriber(row) for row in conn.execute(query)]

    def _change(self, subscriber_id: int, values: dict[str, Any], *, only_if: Any = None) -> Subscriber:
        with self._writing() as conn:
            statement = sa.update(subscribers).where(subscribers.c.id == subscriber_id).values(**values)
            if only_if is not None:
                statement = statement.where(only_if)
            conn.execute(statement)
            row = conn.execute(sa.select(subscribers).where(subscribers.c.id == subscriber_id)).first()
        if row is None:
            raise InvalidPreferences("subscriber", f"no subscriber {subscriber_id}")
        return _subscriber(row)

    def update_preferences(self, subscriber_id: int, preferences: Preferences) -> Subscriber:
        """Replace the subscriber's preferences (from the signed preferences page)."""
        return self._change(subscriber_id, _preference_values(preferences))

    def confirm_subscriber(self, subscriber_id: int, now: dt.datetime | None = None) -> Subscriber:
        """A pending subscriber becomes confirmed; any other status is left as it is
        (an old confirmation link does not undo an unsubscribe)."""
        return self._change(
            subscriber_id, {"status": "confirmed", "confirmed_at": now or _now()},
            only_if=subscribers.c.status == "pending",
        )  # fmt: skip

    def unsubscribe(self, subscriber_id: int, now: dt.datetime | None = None) -> Subscriber:
        """Stop sending to the subscriber (idempotent: a second click changes nothing)."""
        return self._change(
            subscriber_id, {"status": "unsubscribed", "unsubscribed_at": now or _now()},
            only_if=subscribers.c.status != "unsubscribed",
        )  # fmt: skip

    def remove_subscriber(self, subscriber_id: int) -> bool:
        """Forget the subscriber and their send log; False if there was none."""
        with self._writing() as conn:
            conn.execute(sa.delete(digest_sends).where(digest_sends.c.subscriber_id == subscriber_id))
            return bool(conn.execute(sa.delete(subscribers).where(subscribers.c.id == subscriber_id)).rowcount)

    def bump_token_version(self, subscriber_id: int) -> int:
        """Revoke every preferences and unsubscribe link mailed so far; the new version."""
        return self._change(subscriber_id, {"token_version": subscribers.c.token_version + 1}).token_version

    # -- instance secrets -------------------------------------------------------------

    def instance_secret(self, name: str, make: Callable[[], str]) -> str:
        """The secret called ``name``, made with ``make`` and stored on first use; every
        process gets the same one (the first to store it wins)."""
        query = sa.select(instance_secrets.c.value).where(instance_secrets.c.name == name)
        with self.engine.connect() as conn:
            found = conn.scalar(query)
        if found is not None:
            return str(found)
        try:
            with self._writing() as conn:
                conn.execute(sa.insert(instance_secrets).values(name=name, value=make(), created_at=_now()))
        except sa.exc.IntegrityError:
            pass  # another process stored it first: theirs is the one
        with self.engine.connect() as conn:
            return str(conn.scalar(query))

    # -- the send log ------------------------------------------------------------------

    def claim_send(
        self,
        subscriber_id: int,
        edition: dt.date,
        frequency: Frequency,
        *,
        now: dt.datetime | None = None,
        holder: str | None = None,
        lease: dt.timedelta = SEND_LEASE,
        max_attempts: int = MAX_SEND_ATTEMPTS,
        retry_failed_now: bool = False,
    ) -> SendClaim | None:
        """Claim the subscriber's mail of an edition for this process, or None when it
        is not to be sent by it: the subscriber is not (or no longer) confirmed; the mail
        was sent, rejected or skipped; a live sender holds it; it failed ``max_attempts``
        times, or too recently (unless ``retry_failed_now``)."""
        now = now or _now()
        holder = holder or this_process()
        key = (
            (digest_sends.c.subscriber_id == subscriber_id)
            & (digest_sends.c.edition == edition)
            & (digest_sends.c.frequency == frequency)
        )
        claim = {"status": "claimed", "claimed_by": holder, "claimed_at": now, "lease_until": now + lease}
        try:
            with self._writing(immediate=True) as conn:
                query = sa.select(digest_sends).where(key)
                if conn.dialect.name == "postgresql":
                    query = query.with_for_update()
                row = conn.execute(query).first()
                status = conn.scalar(sa.select(subscribers.c.status).where(subscribers.c.id == subscriber_id))
                if status != "confirmed":
                    return None
                if row is None:
                    new_id = conn.scalar(
                        sa.insert(digest_sends)
                        .values(subscriber_id=subscriber_id, edition=edition, frequency=frequency, attempts=1, **claim)
                        .returning(digest_sends.c.id)
                    )
                    return SendClaim(int(new_id), subscriber_id, edition, frequency, 1)
                record = _record(row)
                if not self._claimable(record, now, holder, max_attempts, retry_failed_now):
                    return None
                conn.execute(
                    sa.update(digest_sends)
                    .where(digest_sends.c.id == record.id)
                    .values(attempts=record.attempts + 1, **claim)
                )
                return SendClaim(record.id, subscriber_id, edition, frequency, record.attempts + 1)
        except sa.exc.IntegrityError:
            return None  # another sender inserted the row first: it is theirs

    @staticmethod
    def _claimable(record: SendRecord, now: dt.datetime, holder: str, max_attempts: int, failed_now: bool) -> bool:
        if record.status in ("sent", "rejected", "skipped"):
            return False
        if record.status == "failed":
            waited = failed_now or record.lease_until is None or record.lease_until <= now
            return record.attempts < max_attempts and waited
        # claimed: by a sender that died, or whose lease ran out
        if record.claimed_by == holder:
            return False
        return record.lease_until is None or record.lease_until <= now or holder_gone(record.claimed_by)

    def mark_sent(
        self, claim: SendClaim, message_id: str, now: dt.datetime | None = None, *, reset_failures: bool = True
    ) -> None:
        """The server accepted the mail: the row is done, the address is healthy (its
        count of failures goes back to 0; ``reset_failures=False`` when it is 0 already)."""
        now = now or _now()
        with self._writing() as conn:
            conn.execute(
                sa.update(digest_sends)
                .where(digest_sends.c.id == claim.id)
                .values(status="sent", message_id=message_id, sent_at=now, lease_until=None, error=None)
            )
            if not reset_failures:
                return
            conn.execute(
                sa.update(subscribers)
                .where(subscribers.c.id == claim.subscriber_id, subscribers.c.permanent_failures != 0)
                .values(permanent_failures=0)
            )

    def mark_failed(
        self,
        claim: SendClaim,
        error: str,
        *,
        permanent: bool,
        suspend_after: int,
        retry_after: dt.timedelta = dt.timedelta(minutes=10),
        message_id: str | None = None,
        now: dt.datetime | None = None,
    ) -> bool:
        """The mail was not delivered. A temporary failure may be tried again by a run
        after ``retry_after``; a permanent one is not, and counts against the address,
        which is suspended at ``suspend_after`` in a row (0: never). True if suspended."""
        now = now or _now()
        with self._writing() as conn:
            recorded = conn.execute(
                sa.update(digest_sends)
                # Only a row still claimed: one a sender that took over has marked sent stays sent.
                .where(digest_sends.c.id == claim.id, digest_sends.c.status == "claimed")
                .values(
                    status="rejected" if permanent else "failed", error=error[:2000], message_id=message_id,
                    lease_until=None if permanent else now + retry_after,
                )
            ).rowcount  # fmt: skip
            if not permanent or not recorded:
                return False
            conn.execute(
                sa.update(subscribers)
                .where(subscribers.c.id == claim.subscriber_id)
                .values(permanent_failures=subscribers.c.permanent_failures + 1, last_error=error[:2000])
            )
            if suspend_after <= 0:
                return False
            suspended = conn.execute(
                sa.update(subscribers)
                .where(
                    subscribers.c.id == claim.subscriber_id,
                    subscribers.c.status == "confirmed",
                    subscribers.c.permanent_failures >= suspend_after,
                )
                .values(status="suspended")
            ).rowcount
            return bool(suspended)

    def mark_skipped(self, claim: SendClaim, reason: str, now: dt.datetime | None = None) -> None:
        """Nothing to send for this edition (the reader's copy is empty): done, no mail."""
        with self._writing() as conn:
            conn.execute(
                sa.update(digest_sends)
                .where(digest_sends.c.id == claim.id, digest_sends.c.status == "claimed")
                .values(status="skipped", error=reason[:2000], sent_at=now or _now(), lease_until=None)
            )

    def release_send(self, claim: SendClaim) -> None:
        """Give back a claim not tried (a run that stops early): the next run takes it."""
        with self._writing() as conn:
            conn.execute(
                sa.update(digest_sends)
                .where(digest_sends.c.id == claim.id, digest_sends.c.status == "claimed")
                .values(lease_until=None, claimed_by=None, attempts=digest_sends.c.attempts - 1)
            )

    def send_log(
        self, edition: dt.date | None = None, frequency: Frequency | None = None, *, subscriber_id: int | None = None
    ) -> list[SendRecord]:
        """Rows of the send log, oldest first, for one edition and/or one subscriber."""
        query = sa.select(digest_sends).order_by(digest_sends.c.id)
        if edition is not None:
            query = query.where(digest_sends.c.edition == edition)
        if frequency is not None:
            query = query.where(digest_sends.c.frequency == frequency)
        if subscriber_id is not None:
            query = query.where(digest_sends.c.subscriber_id == subscriber_id)
        with self.engine.connect() as conn:
            return [_record(row) for row in conn.execute(query)]
