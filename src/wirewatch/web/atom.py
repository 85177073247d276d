"""Atom feeds of articles (RFC 4287), from a template.

Entry ids are ``urn:uuid`` values derived from the article's record key (what makes a
record the same record on every import), never from the site's address: a reader that
meets the same article again, in another feed or after the site moves, knows it.
(feedgen 1.0 drops ``rel`` and ``type`` from entry links, so the feed is written here.)
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import escape

from wirewatch.clean.text import paragraphs
from wirewatch.models import Article
from wirewatch.web.rendering import Pages, safe_link

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
