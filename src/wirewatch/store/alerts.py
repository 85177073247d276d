"""Saved-search alerts and their deliveries, in the archive's database.

An alert keeps two cursors: the last article number and the last change number it has
looked at. A check records what it found as a pending delivery and moves the cursors
on in one transaction (a compare-and-set on the cursors it started from), so a crash
loses nothing and two ``watch`` processes never record the same articles twice.

A delivery is claimed before it is sent (its attempts counted and its next try moved
a lease ahead) and marked sent once the mail server or the webhook accepted it. A
process killed in between leaves it pending: it goes again once the lease ends, with
the same delivery number, so that receivers can tell a repeat.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from wirewatch.clock import aware
from wirewatch.models import Alert, AlertDelivery, Change
from wirewatch.store.schema import alert_deliveries, alerts, article_changes, articles, sources

#: The changes an alert on changes reports: edits, deletions, and returns after a deletion.
CHANGE_KINDS = ("edited", "deleted", "restored")
#: On PostgreSQL, how long after an article or change is written a check takes it: time
#: for transactions that took lower numbers to commit (see :func:`settled_cursors`).
SETTLE = dt.timedelta(seconds=60)


def _alert(row: sa.Row[Any]) -> Alert:
    m = row._mapping
    return Alert(
        id=m["id"],
        name=m["name"],
        query=m["query"],
        channel=m["channel"],
        email=m["email"],
        webhook_url=m["webhook_url"],
        secret=m["secret"],
        changes=bool(m["changes"]),
        created_at=aware(m["created_at"]),
        last_checked_at=aware(m["last_checked_at"]) if m["last_checked_at"] else None,
        last_article_id=m["last_article_id"] or 0,
        last_change_id=m["last_change_id"] or 0,
        last_sent_at=aware(m["last_sent_at"]) if m["last_sent_at"] else None,
        active=bool(m["active"]),
    )


def _delivery(row: sa.Row[Any]) -> AlertDelivery:
    m = row._mapping
    return AlertDelivery(
        id=m["id"],
        alert_id=m["alert_id"],
        created_at=aware(m["created_at"]),
        article_ids=tuple(m["article_ids"] or ()),
        change_ids=tuple(m["change_ids"] or ()),
        status=m["status"],
        attempts=m["attempts"],
        next_try_at=aware(m["next_try_at"]) if m["next_try_at"] else None,
        error=m["error"],
    )


def cursors(conn: sa.Connection) -> tuple[int, int]:
    """The newest article number and change number in the archive (0 for none)."""
    last_article = conn.scalar(sa.select(sa.func.max(articles.c.id))) or 0
    last_change = conn.scalar(sa.select(sa.func.max(article_changes.c.id))) or 0
    return int(last_article), int(last_change)


def settled_cursors(conn: sa.Connection, floor: tuple[int, int], cut: dt.datetime) -> tuple[int, int]:
    """How far a check may look on a database whose writers commit side by side
    (PostgreSQL): up to the last article (change) above ``floor`` that was written
    before ``cut`` and has none written later below it. A number taken by a transaction
    that has not committed yet is thus not passed over, as long as that transaction
    commits within the settling time."""
    return (
        _settled(conn, articles.c.id, articles.c.created_at, floor[0], cut),
        _settled(conn, article_changes.c.id, article_changes.c.seen_at, floor[1], cut),
    )


def check_cursors(
    conn: sa.Connection, now: dt.datetime | None = None, floor: tuple[int, int] = (0, 0)
) -> tuple[int, int]:
    """How far an alert check may look (article, change number): the newest on SQLite,
    whose single writer commits in number order (or without ``now``); on PostgreSQL, what
    was written at least ``SETTLE`` before ``now`` (see :func:`settled_cursors`)."""
    if conn.dialect.name != "postgresql" or now is None:
        return cursors(conn)
    return settled_cursors(conn, floor, now - SETTLE)


def _settled(conn: sa.Connection, number: Any, written: Any, floor: int, cut: dt.datetime) -> int:
    upto = floor
    for ident, when in conn.execute(sa.select(number, written).where(number > floor).order_by(number)):
        if aware(when) > cut:
            break
        upto = ident
    return upto


def add_alert(conn: sa.Connection, values: dict[str, Any], now: dt.datetime) -> Alert:
    """A new alert (``values``: name, query, channel, email, webhook_url, secret, changes)
    that reports what the archive gains after now, not what it holds already."""
    last_article, last_change = cursors(conn)
    alert_id = conn.scalar(
        sa.insert(alerts)
        .values(**values, created_at=now, last_article_id=last_article, last_change_id=last_change, active=True)
        .returning(alerts.c.id)
    )
    found = get_alert(conn, int(alert_id))
    assert found is not None
    return found


def get_alert(conn: sa.Connection, alert_id: int) -> Alert | None:
    row = conn.execute(sa.select(alerts).where(alerts.c.id == alert_id)).first()
    return _alert(row) if row is not None else None


def list_alerts(conn: sa.Connection, *, active_only: bool = False) -> list[Alert]:
    query = sa.select(alerts).order_by(alerts.c.id)
    if active_only:
        query = query.where(alerts.c.active.is_(True))
    return [_alert(row) for row in conn.execute(query)]


def remove_alert(conn: sa.Connection, alert_id: int) -> bool:
    """Delete an alert and its deliveries; False when there is no such alert."""
    conn.execute(sa.delete(alert_deliveries).where(alert_deliveries.c.alert_id == alert_id))
    return bool(conn.execute(sa.delete(alerts).where(alerts.c.id == alert_id)).rowcount)


def pending_counts(conn: sa.Connection) -> dict[int, int]:
    """Deliveries not yet sent (nor given up), by alert."""
    rows = conn.execute(
        sa.select(alert_deliveries.c.alert_id, sa.func.count())
        .where(alert_deliveries.c.status == "pending")
        .group_by(alert_deliveries.c.alert_id)
    ).all()
    return dict(rows)


def changes_between(conn: sa.Connection, after: int, upto: int, kinds: Sequence[str] = CHANGE_KINDS) -> list[Change]:
    """The logged changes numbered above ``after`` and up to ``upto``, in order."""
    return _changes(
        conn,
        sa.and_(article_changes.c.id > after, article_changes.c.id <= upto, article_changes.c.kind.in_(list(kinds))),
    )


def changes_by_id(conn: sa.Connection, change_ids: Sequence[int]) -> list[Change]:
    """These logged changes, in order (those gone with their article left out)."""
    if not change_ids:
        return []
    return _changes(conn, article_changes.c.id.in_(list(change_ids)))


def _changes(conn: sa.Connection, where: Any) -> list[Change]:
    query = (
        sa.select(
            article_changes.c.id,
            article_changes.c.article_id,
            article_changes.c.kind,
            article_changes.c.seen_at,
            article_changes.c.detail,
            articles.c.title,
            sources.c.name,
        )
        .join(articles, articles.c.id == article_changes.c.article_id)
        .join(sources, sources.c.id == articles.c.source_id)
        .where(where)
        .order_by(article_changes.c.id)
    )
    return [
        Change(
            article_id=r.article_id,
            kind=r.kind,
            seen_at=aware(r.seen_at),
            detail=r.detail,
            title=r.title,
            source=r.name,
            id=r.id,
        )
        for r in conn.execute(query)
    ]


def record_check(
    conn: sa.Connection,
    alert: Alert,
    upto: tuple[int, int],
    article_ids: Sequence[int],
    change_ids: Sequence[int],
    now: dt.datetime,
) -> int | None:
    """Move the alert's cursors from where ``alert`` had them to ``upto`` (article,
    change) and, when something matched, add a pending delivery; its number, or None.

    Nothing is written when the cursors have moved since ``alert`` was read (another
    process checked the alert meanwhile): returns None and ``alert`` stays as it was.
    """
    moved = conn.execute(
        sa.update(alerts)
        .where(
            alerts.c.id == alert.id,
            sa.func.coalesce(alerts.c.last_article_id, 0) == alert.last_article_id,
            sa.func.coalesce(alerts.c.last_change_id, 0) == alert.last_change_id,
        )
        .values(last_article_id=upto[0], last_change_id=upto[1], last_checked_at=now)
    ).rowcount
    if not moved or not (article_ids or change_ids):
        return None
    return int(
        conn.scalar(
            sa.insert(alert_deliveries)
            .values(
                alert_id=alert.id,
                created_at=now,
                article_ids=list(article_ids),
                change_ids=list(change_ids),
                status="pending",
                attempts=0,
                next_try_at=now,
            )
            .returning(alert_deliveries.c.id)
        )
    )


def due_deliveries(conn: sa.Connection, now: dt.datetime, alert_id: int | None = None) -> list[AlertDelivery]:
    """Pending deliveries whose next try has come, oldest first."""
    query = (
        sa.select(alert_deliveries)
        .where(alert_deliveries.c.status == "pending", alert_deliveries.c.next_try_at <= now)
        .order_by(alert_deliveries.c.id)
    )
    if alert_id is not None:
        query = query.where(alert_deliveries.c.alert_id == alert_id)
    return [_delivery(row) for row in conn.execute(query)]


def claim_deliveries(
    conn: sa.Connection, delivery_ids: Sequence[int], now: dt.datetime, lease: dt.timedelta
) -> list[int]:
    """Of these deliveries, those still pending and due, now the caller's until the lease
    ends (each try counted); the others were claimed elsewhere meanwhile."""
    if not delivery_ids:
        return []
    claimed = conn.execute(
        sa.update(alert_deliveries)
        .where(
            alert_deliveries.c.id.in_(list(delivery_ids)),
            alert_deliveries.c.status == "pending",
            alert_deliveries.c.next_try_at <= now,
        )
        .values(attempts=alert_deliveries.c.attempts + 1, next_try_at=now + lease)
        .returning(alert_deliveries.c.id)
    ).all()
    return sorted(r[0] for r in claimed)


def finish_deliveries(
    conn: sa.Connection,
    delivery_ids: Sequence[int],
    status: str,
    *,
    error: str | None = None,
    next_try_at: dt.datetime | None = None,
) -> None:
    """Record how a try went: ``sent``, ``failed`` (given up), or ``pending`` again
    with its next try."""
    if delivery_ids:
        conn.execute(
            sa.update(alert_deliveries)
            .where(alert_deliveries.c.id.in_(list(delivery_ids)))
            .values(status=status, error=error, next_try_at=next_try_at)
        )


def mark_sent(conn: sa.Connection, alert_id: int, now: dt.datetime) -> None:
    """The alert's last message went out now (an email alert's hourly batching counts from it)."""
    conn.execute(sa.update(alerts).where(alerts.c.id == alert_id).values(last_sent_at=now))
