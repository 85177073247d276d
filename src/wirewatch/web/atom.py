"""Atom feeds of articles and of their changes (RFC 4287), from a template.

Entry ids are ``urn:uuid`` values derived from the article's record key (what makes a
record the same record on every import), never from the site's address: a reader that
meets the same article again, in another feed or after the site moves, knows it. A
change's id adds what it was and when it was seen, which a new import of the same
captures finds again (the change's number in the archive would not survive that).
(feedgen 1.0 drops ``rel`` and ``type`` from entry links, so the feed is written here.)
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import escape

from wirewatch.clean.text import paragraphs
from wirewatch.models import Article, Change
from wirewatch.present.shapes import utc_iso
from wirewatch.web.rendering import Pages, change_path, changed_fields, format_moment, machine_time, safe_link

_NAMESPACE = uuid.UUID("6f1c2c7e-3b8a-5d0e-9a61-77a7c8e4f2b1")


def stable_id(kind: str, key: str) -> str:
    return uuid.uuid5(_NAMESPACE, f"{kind}:{key}").urn


def _moment(day: dt.date | None) -> str:
    day = day or dt.date(1970, 1, 1)
    return f"{day.isoformat()}T00:00:00Z"


@dataclass(frozen=True, slots=True)
class Feed:
    key: str  # names the feed for its id: 'archive', 'source:KCNA', 'search:?q=…'
    title: str
    self_url: str
    page_url: str
    subtitle: str = ""


def atom_feed(pages: Pages, feed: Feed, base_url: str, articles: Sequence[Article]) -> bytes:
    """An Atom document for ``articles``, in the order given (newest first)."""
    entries = [
        {
            "id": stable_id("article", a.record_key or str(a.id)),
            "title": a.title,
            "page_url": f"{base_url}/articles/{a.id}",
            "original": safe_link(a.url),
            "updated": _moment(a.date),
            "source": a.source,
            # Escaped twice on purpose: HTML inside an XML text node (type="html").
            "content": "".join(f"<p>{escape(p)}</p>" for p in paragraphs(a.body)) if a.body else "",
        }
        for a in articles
    ]
    newest = max((a.date for a in articles if a.date), default=None)
    head = {
        "id": stable_id("feed", feed.key),
        "title": feed.title,
        "subtitle": feed.subtitle or feed.title,
        "updated": _moment(newest),
        "self_url": feed.self_url,
        "page_url": feed.page_url,
    }
    return pages.env.get_template("feed.atom.xml").render(feed=head, entries=entries).encode()


#: How a change is named in an entry's title.
CHANGE_TITLES = {"edited": "Edited", "deleted": "Deleted", "restored": "Restored"}


def _change_summary(change: Change) -> str:
    """What happened, as HTML for an entry's content."""
    when = format_moment(change.seen_at)
    if change.kind == "edited":
        what = f"Version {change.revision} seen {when}" if change.revision else f"Edited, seen {when}"
        detail = f"; changed: {changed_fields(change.detail)}" if change.detail else ""
    else:
        what = f"{'Found deleted from' if change.kind == 'deleted' else 'Seen again on'} {change.source}'s site {when}"
        detail = f": {change.detail}" if change.detail else ""
    return f"<p>{escape(what + detail)}.</p>"


def changes_feed(
    pages: Pages, feed: Feed, base_url: str, changes: Sequence[Change], articles: Mapping[int, Article]
) -> bytes:
    """An Atom document for ``changes`` (newest first); ``articles`` gives each change's
    article, for its record key and original address."""
    entries = []
    for change in changes:
        article = articles.get(change.article_id)
        key = (article.record_key if article else None) or str(change.article_id)
        entries.append(
            {
                "id": stable_id("change", f"{key}:{change.kind}:{utc_iso(change.seen_at)}"),
                "title": f"{CHANGE_TITLES.get(change.kind, change.kind)}: {change.title}",
                "page_url": base_url + change_path(change),
                "original": safe_link(article.url) if article else None,
                "updated": machine_time(change.seen_at),
                "source": change.source,
                "kind": change.kind,
                "content": _change_summary(change),
            }
        )
    newest = max((c.seen_at for c in changes), default=None)
    head = {
        "id": stable_id("feed", feed.key),
        "title": feed.title,
        "subtitle": feed.subtitle or feed.title,
        "updated": machine_time(newest) if newest else _moment(None),
        "self_url": feed.self_url,
        "page_url": feed.page_url,
    }
    return pages.env.get_template("feed.atom.xml").render(feed=head, entries=entries).encode()
