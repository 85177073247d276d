"""Versions of collected articles: captures become revisions, never overwrites.

A capture (a crawled page, a WARC record) of an address the archive knows is compared
with the versions already seen, by title, date and text (its normalised hash):

- the same as the version before it: that version was seen again (``last_seen_at``);
- different: a new revision. When it is the newest, the article row takes its text
  (and its analysis, when it was analysed), so that pages, search and feeds show the
  site as it is now; the earlier texts stay in ``article_revisions``. An article that was the original of others' duplicates
  hands its old text to the first of them before it changes.

A deleted article seen again is restored. Every edit, deletion and return is logged
in ``article_changes`` with when it was seen: the record of what a site changed.

These functions run on the caller's connection, inside the transaction that stores
the batch (see ``SQLStore.add_batch``); a new address is stored by ``store.articles.add``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from wirewatch.clock import aware
from wirewatch.models import Article, Change, Incoming, Revision
from wirewatch.search.base import IndexRow, SearchBackend
from wirewatch.store.analysis import write_analysis
from wirewatch.store.articles import add as add_articles
from wirewatch.store.base import BatchCounts
from wirewatch.store.schema import article_changes, article_raw, article_revisions, articles, sources
from wirewatch.store.sources import SourceCache, first_id


@dataclass(frozen=True, slots=True)
class _Version:
    """What two versions are compared on."""

    title: str
    date: dt.date | None
    body_hash: str | None

    def differences(self, other: _Version) -> list[str]:
        changed = []
        if self.title != other.title:
            changed.append("title")
        if self.date != other.date:
            changed.append("date")
        if (self.body_hash or "") != (other.body_hash or ""):
            changed.append("body")
        return changed


def _version_of(article: Article) -> _Version:
    return _Version(article.title, article.date, article.body_hash or None)


def _revision_values(article: Article, seen_at: dt.datetime, changes: list[str], origin: str) -> dict[str, Any]:
    return {
        "seen_at": seen_at,
        "last_seen_at": seen_at,
        "title": article.title,
        "date": article.date,
        "date_precision": article.date_precision,
        "body": article.body,
        "body_hash": article.body_hash or None,
        "changes": changes,
        "origin": origin,
    }


def record_captures(
    conn: sa.Connection,
    index: SearchBackend,
    items: Sequence[Incoming],
    counts: BatchCounts,
    *,
    import_id: int | None = None,
    cache: SourceCache | None = None,
) -> dict[str, str]:
    """Store captures: new addresses as articles with a first revision, known ones as
    versions (see the module docstring), ``index`` kept in step. Returns each record
    key's outcome: ``added``, ``duplicate``, ``edited``, ``unchanged`` or ``restored``."""
    outcomes: dict[str, str] = {}
    # In the order seen, so that two captures of one address in a batch are two versions.
    for item in sorted(items, key=lambda i: i.raw.captured_at or dt.datetime.min.replace(tzinfo=dt.UTC)):
        seen_at = item.raw.captured_at
        assert seen_at is not None
        origin = item.raw.input if item.raw.kind == "warc" else "crawl"
        row = conn.execute(
            sa.select(articles.c.id, articles.c.status, articles.c.revisions).where(
                articles.c.record_key == item.record_key
            )
        ).first()
        if row is None:
            before = BatchCounts()
            add_articles(conn, index, [item], before, import_id=import_id, cache=cache)
            counts += before
            article_id = conn.scalar(sa.select(articles.c.id).where(articles.c.record_key == item.record_key))
            conn.execute(
                sa.insert(article_revisions).values(
                    article_id=article_id, **_revision_values(item.article, seen_at, [], origin)
                )
            )
            outcomes[item.record_key] = "added" if before.added else "duplicate"
            continue
        outcomes[item.record_key] = _record_version(conn, index, row, item, seen_at, origin)
        if outcomes[item.record_key] == "edited":
            counts.edited += 1
        elif outcomes[item.record_key] == "restored":
            counts.restored += 1
        else:
            counts.unchanged += 1
    return outcomes


def _record_version(
    conn: sa.Connection, index: SearchBackend, row: Any, item: Incoming, seen_at: dt.datetime, origin: str
) -> str:
    article_id, status, revisions = row
    history = conn.execute(
        sa.select(
            article_revisions.c.id,
            article_revisions.c.seen_at,
            article_revisions.c.title,
            article_revisions.c.date,
            article_revisions.c.body_hash,
        )
        .where(article_revisions.c.article_id == article_id)
        .order_by(article_revisions.c.seen_at, article_revisions.c.id)
    ).all()
    new = _version_of(item.article)
    before = [r for r in history if aware(r.seen_at) <= seen_at]
    after = [r for r in history if aware(r.seen_at) > seen_at]
    previous = before[-1] if before else None
    if previous is not None and not new.differences(_Version(previous.title, previous.date, previous.body_hash)):
        conn.execute(
            sa.update(article_revisions)
            .where(article_revisions.c.id == previous.id, article_revisions.c.last_seen_at < seen_at)
            .values(last_seen_at=seen_at)
        )
        if status == "deleted" and not after:
            _restore(conn, article_id, revisions, seen_at)
            return "restored"
        return "unchanged"
    following = after[0] if after else None
    if following is not None and not new.differences(_Version(following.title, following.date, following.body_hash)):
        # An older capture of a later text (a web archive filling a gap): the text was
        # there earlier than we knew.
        conn.execute(sa.update(article_revisions).where(article_revisions.c.id == following.id).values(seen_at=seen_at))
        return "unchanged"
    changes = new.differences(_Version(previous.title, previous.date, previous.body_hash)) if previous else []
    revision_id = conn.scalar(
        sa.insert(article_revisions)
        .values(article_id=article_id, **_revision_values(item.article, seen_at, changes, origin))
        .returning(article_revisions.c.id)
    )
    if following is not None:  # the next revision now differs from this one, not the one before
        following_changes = _Version(following.title, following.date, following.body_hash).differences(new)
        conn.execute(
            sa.update(article_revisions).where(article_revisions.c.id == following.id).values(changes=following_changes)
        )
    if status == "deleted" and not after:
        _log(conn, article_id, "restored", seen_at, None, "seen again")
    if not after:
        _replace_text(conn, index, article_id, item)
    new_status = "deleted" if status == "deleted" and after else "edited"
    conn.execute(
        sa.update(articles)
        .where(articles.c.id == article_id)
        .values(status=new_status, status_at=seen_at if not after else articles.c.status_at, revisions=revisions + 1)
    )
    _log(conn, article_id, "edited", seen_at, revision_id, ", ".join(changes) or "first version")
    return "edited"


def _restore(conn: sa.Connection, article_id: int, revisions: int, seen_at: dt.datetime) -> None:
    conn.execute(
        sa.update(articles)
        .where(articles.c.id == article_id)
        .values(status="edited" if revisions > 1 else "live", status_at=seen_at)
    )
    _log(conn, article_id, "restored", seen_at, None, "seen again")


def _log(
    conn: sa.Connection, article_id: int, kind: str, seen_at: dt.datetime, revision_id: int | None, detail: str | None
) -> None:
    conn.execute(
        sa.insert(article_changes).values(
            article_id=article_id, kind=kind, seen_at=seen_at, revision_id=revision_id, detail=detail
        )
    )


def _replace_text(conn: sa.Connection, index: SearchBackend, article_id: int, item: Incoming) -> None:
    """The article row takes the capture's text; the index follows."""
    old = conn.execute(
        sa.select(articles.c.title, articles.c.body, articles.c.duplicate_of).where(articles.c.id == article_id)
    ).one()
    if old.duplicate_of is None:
        index.remove(conn, [IndexRow(article_id, old.title, old.body or "")])
        _hand_over(conn, index, article_id, old.body)
    a = item.article
    conn.execute(
        sa.update(articles)
        .where(articles.c.id == article_id)
        .values(
            title=a.title,
            title_derived=a.title_derived,
            date=a.date,
            date_precision=a.date_precision,
            date_alternatives=[d.isoformat() for d in a.date_alternatives] or None,
            date_note=a.date_note,
            url=a.url,
            language=a.language,
            language_detected=a.language_detected,
            place=a.place,
            body=a.body,
            body_hash=a.body_hash or None,
            duplicate_of=None,
            metadata=a.metadata or None,
        )
    )
    conn.execute(
        sa.update(article_raw)
        .where(article_raw.c.article_id == article_id)
        .values(input=item.raw.input, line=item.raw.line, kind=item.raw.kind, raw=item.raw.raw)
    )
    index.add(conn, [IndexRow(article_id, a.title, a.body)])
    if item.entities is not None:  # the analysis follows the text it was made from
        write_analysis(conn, [(article_id, item.entities, item.events or ())], replace=True)


def _hand_over(conn: sa.Connection, index: SearchBackend, article_id: int, body: str | None) -> None:
    """An original about to change gives its text to its first duplicate, which becomes
    the original of the others: their text must not change with it."""
    copies = list(
        conn.scalars(sa.select(articles.c.id).where(articles.c.duplicate_of == article_id).order_by(articles.c.id))
    )
    if not copies:
        return
    heir, rest = copies[0], copies[1:]
    conn.execute(sa.update(articles).where(articles.c.id == heir).values(body=body, duplicate_of=None))
    if rest:
        conn.execute(sa.update(articles).where(articles.c.id.in_(rest)).values(duplicate_of=heir))
    title = conn.scalar(sa.select(articles.c.title).where(articles.c.id == heir))
    index.add(conn, [IndexRow(heir, title or "", body or "")])


def mark_deleted(conn: sa.Connection, article_ids: Sequence[int], seen_at: dt.datetime, detail: str) -> list[int]:
    """Mark articles deleted (those not deleted already); returns the ids marked."""
    if not article_ids:
        return []
    live = list(
        conn.scalars(
            sa.select(articles.c.id).where(articles.c.id.in_(list(article_ids)), articles.c.status != "deleted")
        )
    )
    if live:
        conn.execute(sa.update(articles).where(articles.c.id.in_(live)).values(status="deleted", status_at=seen_at))
        conn.execute(
            sa.insert(article_changes),
            [
                {"article_id": i, "kind": "deleted", "seen_at": seen_at, "revision_id": None, "detail": detail}
                for i in live
            ],
        )
    return live


def confirm(conn: sa.Connection, article_id: int, seen_at: dt.datetime) -> str:
    """The article's page answered with the text already known (a 304, the same bytes):
    its newest version was seen again, and a deleted article is back. Returns
    ``restored`` or ``unchanged``."""
    newest = conn.scalar(
        sa.select(article_revisions.c.id)
        .where(article_revisions.c.article_id == article_id)
        .order_by(article_revisions.c.seen_at.desc(), article_revisions.c.id.desc())
        .limit(1)
    )
    if newest is not None:
        conn.execute(
            sa.update(article_revisions)
            .where(article_revisions.c.id == newest, article_revisions.c.last_seen_at < seen_at)
            .values(last_seen_at=seen_at)
        )
    row = conn.execute(sa.select(articles.c.status, articles.c.revisions).where(articles.c.id == article_id)).first()
    if row is not None and row.status == "deleted":
        _restore(conn, article_id, row.revisions, seen_at)
        return "restored"
    return "unchanged"


def restore_listed(conn: sa.Connection, article_ids: Sequence[int], seen_at: dt.datetime, detail: str) -> list[int]:
    """Restore deleted articles that a source lists again; returns the ids restored."""
    if not article_ids:
        return []
    gone = conn.execute(
        sa.select(articles.c.id, articles.c.revisions).where(
            articles.c.id.in_(list(article_ids)), articles.c.status == "deleted"
        )
    ).all()
    for article_id, revisions in gone:
        conn.execute(
            sa.update(articles)
            .where(articles.c.id == article_id)
            .values(status="edited" if revisions > 1 else "live", status_at=seen_at)
        )
        _log(conn, article_id, "restored", seen_at, None, detail)
    return [r.id for r in gone]


def history(conn: sa.Connection, article_id: int) -> list[Revision]:
    """The article's revisions, oldest first, numbered from 1."""
    rows = conn.execute(
        sa.select(article_revisions)
        .where(article_revisions.c.article_id == article_id)
        .order_by(article_revisions.c.seen_at, article_revisions.c.id)
    ).all()
    return [
        Revision(
            number=n,
            seen_at=aware(r.seen_at),
            last_seen_at=aware(r.last_seen_at),
            title=r.title,
            date=r.date,
            date_precision=r.date_precision,
            body=r.body,
            changes=tuple(r.changes or ()),
            origin=r.origin,
            id=r.id,
        )
        for n, r in enumerate(rows, 1)
    ]


def changes(
    conn: sa.Connection,
    *,
    article_id: int | None = None,
    kinds: Sequence[str] = (),
    source: str | None = None,
    before: tuple[dt.datetime, int] | None = None,
    limit: int = 50,
    cache: SourceCache | None = None,
) -> list[Change]:
    """Logged changes, newest first: of one article, or of the archive (a source, named in
    any letter case; some kinds). ``before`` continues a list after the (seen_at, id) of
    its last change."""
    source_id = None
    if source is not None:
        source_id = first_id(conn, source, cache)
        if source_id is None:
            return []
    # A revision's number counts the revisions of its article up to it: worked out for the
    # changes listed only (a window over the whole table scanned every revision).
    revision = article_revisions.alias("revision")
    earlier = article_revisions.alias("earlier")
    number = (
        sa.select(sa.func.count())
        .select_from(earlier)
        .where(
            earlier.c.article_id == revision.c.article_id,
            sa.or_(
                earlier.c.seen_at < revision.c.seen_at,
                sa.and_(earlier.c.seen_at == revision.c.seen_at, earlier.c.id <= revision.c.id),
            ),
        )
        .scalar_subquery()
    )
    query = (
        sa.select(
            article_changes.c.id,
            article_changes.c.article_id,
            article_changes.c.kind,
            article_changes.c.seen_at,
            article_changes.c.detail,
            sa.case((revision.c.id.is_(None), None), else_=number).label("number"),
            articles.c.title,
            sources.c.name,
        )
        .join(articles, articles.c.id == article_changes.c.article_id)
        .join(sources, sources.c.id == articles.c.source_id)
        .outerjoin(revision, revision.c.id == article_changes.c.revision_id)
        .order_by(article_changes.c.seen_at.desc(), article_changes.c.id.desc())
        .limit(limit)
    )
    if article_id is not None:
        query = query.where(article_changes.c.article_id == article_id)
    if kinds:
        query = query.where(article_changes.c.kind.in_(list(kinds)))
    if source_id is not None:
        query = query.where(articles.c.source_id == source_id)
    if before is not None:
        when, last_id = before
        query = query.where(
            sa.or_(
                article_changes.c.seen_at < when,
                sa.and_(article_changes.c.seen_at == when, article_changes.c.id < last_id),
            )
        )
    return [
        Change(
            article_id=r.article_id,
            kind=r.kind,
            seen_at=aware(r.seen_at),
            detail=r.detail,
            revision=r.number,
            title=r.title,
            source=r.name,
            id=r.id,
        )
        for r in conn.execute(query)
    ]
