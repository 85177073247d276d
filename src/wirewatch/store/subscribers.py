"""Subscribers to the Daily Update, and the instance's secrets, in SQL.

Each function runs on the caller's connection: ``SQLStore`` opens the transaction (and,
for a subscription, holds the write lock from its start so that two forms for one
address do not both insert it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from wirewatch.clock import aware
from wirewatch.errors import InvalidPreferences
from wirewatch.models import Preferences, Subscriber, email_key
from wirewatch.store.schema import digest_sends, instance_secrets, subscribers

__all__ = [
    "add_subscriber",
    "bump_token_version",
    "change_subscriber",
    "confirm_subscriber",
    "get_subscriber",
    "instance_secret",
    "list_subscribers",
    "remove_subscriber",
    "store_secret",
    "subscriber_by_email",
    "unsubscribe",
    "update_preferences",
]


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


def _preference_values(prefs: Preferences) -> dict[str, Any]:
    return {
        "topics": list(prefs.topics),
        "sources": list(prefs.sources),
        "languages": list(prefs.languages),
        "frequency": prefs.frequency,
        "hour": prefs.hour,
        "timezone": prefs.timezone,
        "weekday": prefs.weekday,
    }


def add_subscriber(
    conn: sa.Connection, address: str, preferences: Preferences, confirmed: bool, now: dt.datetime
) -> tuple[Subscriber, bool]:
    """Subscribe the normalised ``address`` (pending its confirmation, or ``confirmed`` at
    once for an imported list). Returns the subscriber and whether the address was new.

    A known address is left as it is when pending or confirmed (a stranger must not
    change someone's preferences). One that unsubscribed or was suspended starts again
    as pending (or confirmed) with the new preferences, and its old links stop working
    (the token version goes up).
    """
    status = "confirmed" if confirmed else "pending"
    key = email_key(address)
    row = conn.execute(sa.select(subscribers).where(subscribers.c.email_key == key)).first()
    if row is None:
        new_id = conn.scalar(
            sa.insert(subscribers)
            .values(
                email=address,
                email_key=key,
                status=status,
                **_preference_values(preferences),
                token_version=1,
                permanent_failures=0,
                created_at=now,
                confirmed_at=now if confirmed else None,
            )
            .returning(subscribers.c.id)
        )
        found = conn.execute(sa.select(subscribers).where(subscribers.c.id == new_id)).one()
        return _subscriber(found), True
    if row._mapping["status"] in ("unsubscribed", "suspended"):
        conn.execute(
            sa.update(subscribers)
            .where(subscribers.c.id == row._mapping["id"])
            .values(
                email=address,
                status=status,
                **_preference_values(preferences),
                token_version=subscribers.c.token_version + 1,
                permanent_failures=0,
                last_error=None,
                confirmed_at=now if confirmed else None,
                unsubscribed_at=None,
            )
        )
        row = conn.execute(sa.select(subscribers).where(subscribers.c.id == row._mapping["id"])).one()
    return _subscriber(row), False


def get_subscriber(conn: sa.Connection, subscriber_id: int) -> Subscriber | None:
    row = conn.execute(sa.select(subscribers).where(subscribers.c.id == subscriber_id)).first()
    return _subscriber(row) if row else None


def subscriber_by_email(conn: sa.Connection, email: str) -> Subscriber | None:
    row = conn.execute(sa.select(subscribers).where(subscribers.c.email_key == email_key(email))).first()
    return _subscriber(row) if row else None


def list_subscribers(
    conn: sa.Connection, statuses: Sequence[str] = (), *, ids: Sequence[int] | None = None
) -> list[Subscriber]:
    """Subscribers in the order they subscribed; only those with one of ``statuses``
    (all when empty) and, given ``ids``, only those."""
    query = sa.select(subscribers).order_by(subscribers.c.id)
    if statuses:
        query = query.where(subscribers.c.status.in_(list(statuses)))
    if ids is not None:
        query = query.where(subscribers.c.id.in_(list(ids)))
    return [_subscriber(row) for row in conn.execute(query)]


def change_subscriber(
    conn: sa.Connection, subscriber_id: int, values: dict[str, Any], *, only_if: sa.ColumnElement[bool] | None = None
) -> Subscriber:
    """Set ``values`` on the subscriber (when ``only_if`` holds); the subscriber as it is
    now. InvalidPreferences when there is no such subscriber."""
    statement = sa.update(subscribers).where(subscribers.c.id == subscriber_id).values(**values)
    if only_if is not None:
        statement = statement.where(only_if)
    conn.execute(statement)
    row = conn.execute(sa.select(subscribers).where(subscribers.c.id == subscriber_id)).first()
    if row is None:
        raise InvalidPreferences("subscriber", f"no subscriber {subscriber_id}")
    return _subscriber(row)


def update_preferences(conn: sa.Connection, subscriber_id: int, preferences: Preferences) -> Subscriber:
    """Replace the subscriber's preferences (from the signed preferences page)."""
    return change_subscriber(conn, subscriber_id, _preference_values(preferences))


def confirm_subscriber(conn: sa.Connection, subscriber_id: int, now: dt.datetime) -> Subscriber:
    """A pending subscriber becomes confirmed; any other status is left as it is (an old
    confirmation link does not undo an unsubscribe)."""
    return change_subscriber(
        conn, subscriber_id, {"status": "confirmed", "confirmed_at": now}, only_if=subscribers.c.status == "pending"
    )


def unsubscribe(conn: sa.Connection, subscriber_id: int, now: dt.datetime) -> Subscriber:
    """Stop sending to the subscriber (idempotent: a second click changes nothing)."""
    return change_subscriber(
        conn,
        subscriber_id,
        {"status": "unsubscribed", "unsubscribed_at": now},
        only_if=subscribers.c.status != "unsubscribed",
    )


def remove_subscriber(conn: sa.Connection, subscriber_id: int) -> bool:
    """Forget the subscriber and their send log; False if there was none."""
    conn.execute(sa.delete(digest_sends).where(digest_sends.c.subscriber_id == subscriber_id))
    return bool(conn.execute(sa.delete(subscribers).where(subscribers.c.id == subscriber_id)).rowcount)


def bump_token_version(conn: sa.Connection, subscriber_id: int) -> int:
    """Revoke every preferences and unsubscribe link mailed so far; the new version."""
    return change_subscriber(conn, subscriber_id, {"token_version": subscribers.c.token_version + 1}).token_version


# -- instance secrets -----------------------------------------------------------------


def instance_secret(conn: sa.Connection, name: str) -> str | None:
    """The secret called ``name``; None before it is made."""
    found = conn.scalar(sa.select(instance_secrets.c.value).where(instance_secrets.c.name == name))
    return None if found is None else str(found)


def store_secret(conn: sa.Connection, name: str, value: str, now: dt.datetime) -> None:
    """Store a new secret (an IntegrityError when another process stored it first)."""
    conn.execute(sa.insert(instance_secrets).values(name=name, value=value, created_at=now))
