"""The digest's send log: a mail claimed before it is sent, marked once it went.

The send log makes delivery idempotent. A mail is *claimed* (a row per subscriber,
edition and frequency, committed) before it goes to the SMTP server and *marked sent*
once the server accepts it; a row already sent is never claimed again. A claim is a
lease held by ``host:pid`` (``clock.worker_name``): when its holder has died (the
process is gone from this host, or the lease ran out) the next run takes it over and
sends that mail.

A crash after the server's "250 OK" and before the mark would send that one mail a
second time; the window is one commit wide, and the mail's Message-ID is the same both
times (``<digest-DATE-ID@host>``), which lets mail systems drop the copy.

Each function runs on the caller's connection; a claim in a transaction that holds the
write lock from its start (``Writer.begin(immediate=True)``).
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from wirewatch.clock import aware
from wirewatch.models import Frequency
from wirewatch.store.schema import digest_sends, subscribers

__all__ = [
    "MAX_SEND_ATTEMPTS",
    "SEND_LEASE",
    "SendClaim",
    "SendRecord",
    "claim_send",
    "holder_gone",
    "mark_failed",
    "mark_sent",
    "mark_skipped",
    "release_send",
    "send_log",
]

#: How long a claim holds against other live senders: longer than one mail may take with
#: its retries. A claim whose holder process is gone from this host ends at once.
SEND_LEASE = dt.timedelta(minutes=10)
#: A temporary failure (4xx after the retries) is tried again by a later run, at most
#: this many runs in all.
MAX_SEND_ATTEMPTS = 5


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


def _record(row: sa.Row[Any]) -> SendRecord:
    m = row._mapping
    return SendRecord(
        id=m["id"],
        subscriber_id=m["subscriber_id"],
        edition=m["edition"],
        frequency=m["frequency"],
        status=m["status"],
        attempts=m["attempts"],
        message_id=m["message_id"],
        claimed_by=m["claimed_by"],
        claimed_at=aware(m["claimed_at"]) if m["claimed_at"] else None,
        lease_until=aware(m["lease_until"]) if m["lease_until"] else None,
        sent_at=aware(m["sent_at"]) if m["sent_at"] else None,
        error=m["error"],
    )


def claim_send(
    conn: sa.Connection,
    subscriber_id: int,
    edition: dt.date,
    frequency: Frequency,
    now: dt.datetime,
    holder: str,
    *,
    lease: dt.timedelta = SEND_LEASE,
    max_attempts: int = MAX_SEND_ATTEMPTS,
    retry_failed_now: bool = False,
) -> SendClaim | None:
    """Claim the subscriber's mail of an edition for ``holder``, or None when it is not
    to be sent by it: the subscriber is not (or no longer) confirmed; the mail was sent,
    rejected or skipped; a live sender holds it; it failed ``max_attempts`` times, or too
    recently (unless ``retry_failed_now``). A claim that another sender inserted first
    fails the transaction with an IntegrityError: that mail is theirs."""
    key = (
        (digest_sends.c.subscriber_id == subscriber_id)
        & (digest_sends.c.edition == edition)
        & (digest_sends.c.frequency == frequency)
    )
    claim = {"status": "claimed", "claimed_by": holder, "claimed_at": now, "lease_until": now + lease}
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
    if not _claimable(record, now, holder, max_attempts, retry_failed_now):
        return None
    conn.execute(
        sa.update(digest_sends).where(digest_sends.c.id == record.id).values(attempts=record.attempts + 1, **claim)
    )
    return SendClaim(record.id, subscriber_id, edition, frequency, record.attempts + 1)


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
    conn: sa.Connection, claim: SendClaim, message_id: str, now: dt.datetime, *, reset_failures: bool = True
) -> None:
    """The server accepted the mail: the row is done, the address is healthy (its count
    of failures goes back to 0; ``reset_failures=False`` when it is 0 already)."""
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
    conn: sa.Connection,
    claim: SendClaim,
    error: str,
    now: dt.datetime,
    *,
    permanent: bool,
    suspend_after: int,
    retry_after: dt.timedelta = dt.timedelta(minutes=10),
    message_id: str | None = None,
) -> bool:
    """The mail was not delivered. A temporary failure may be tried again by a run after
    ``retry_after``; a permanent one is not, and counts against the address, which is
    suspended at ``suspend_after`` in a row (0: never). True if suspended."""
    recorded = conn.execute(
        sa.update(digest_sends)
        # Only a row still claimed: one a sender that took over has marked sent stays sent.
        .where(digest_sends.c.id == claim.id, digest_sends.c.status == "claimed")
        .values(
            status="rejected" if permanent else "failed",
            error=error[:2000],
            message_id=message_id,
            lease_until=None if permanent else now + retry_after,
        )
    ).rowcount
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


def mark_skipped(conn: sa.Connection, claim: SendClaim, reason: str, now: dt.datetime) -> None:
    """Nothing to send for this edition (the reader's copy is empty): done, no mail."""
    conn.execute(
        sa.update(digest_sends)
        .where(digest_sends.c.id == claim.id, digest_sends.c.status == "claimed")
        .values(status="skipped", error=reason[:2000], sent_at=now, lease_until=None)
    )


def release_send(conn: sa.Connection, claim: SendClaim) -> None:
    """Give back a claim not tried (a run that stops early): the next run takes it."""
    conn.execute(
        sa.update(digest_sends)
        .where(digest_sends.c.id == claim.id, digest_sends.c.status == "claimed")
        .values(lease_until=None, claimed_by=None, attempts=digest_sends.c.attempts - 1)
    )


def send_log(
    conn: sa.Connection,
    edition: dt.date | None = None,
    frequency: Frequency | None = None,
    *,
    subscriber_id: int | None = None,
) -> list[SendRecord]:
    """Rows of the send log, oldest first, for one edition and/or one subscriber."""
    query = sa.select(digest_sends).order_by(digest_sends.c.id)
    if edition is not None:
        query = query.where(digest_sends.c.edition == edition)
    if frequency is not None:
        query = query.where(digest_sends.c.frequency == frequency)
    if subscriber_id is not None:
        query = query.where(digest_sends.c.subscriber_id == subscriber_id)
    return [_record(row) for row in conn.execute(query)]
