"""Atom feeds of articles, built with feedgen.

Entry ids are ``urn:uuid`` values derived from the article's record key (what makes a
record the same record on every import), never from the site's address: a reader that
meets the same article again, in another feed or after the site moves, knows it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from feedgen.feed import FeedGenerator
from markupsafe import escape

from wirewatch import __version__
from wirewatch.clean.text import paragraphs
from wirewatch.models import Article

_NAMESPACE = uuid.UUID("6f1c2c7e-3b8a-5d0e-9a61-77a7c8e4f2b1")


def stable_id(kind: str, key: str) -> str:
    return uuid.uuid5(_NAMESPACE, f"{kind}:{key}").urn


def _moment(day: dt.date | None) -> dt.datetime:
    if day is None:
        return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def atom_feed(
    *,
    feed_key: str,
    title: str,
    self_url: str,
    page_url: str,
    base_url: str,
    articles: Sequence[Article],
    subtitle: str | None = None,
) -> bytes:
    """An Atom document for ``articles`` (newest first); ``feed_key`` names the feed for its id."""
    feed = FeedGenerator()
    feed.id(stable_id("feed", feed_key))
    feed.title(title)
    feed.subtitle(subtitle or title)
    feed.link(href=self_url, rel="self", type="application/atom+xml")
    feed.link(href=page_url, rel="alternate", type="text/html")
    feed.generator("wirewatch", version=__version__, uri="https://github.com/wirewatch/wirewatch")
    feed.language("en")
    newest = max((_moment(a.date) for a in articles), default=_moment(None))
    feed.updated(newest)
    # feedgen puts the last entry added first; add oldest first to keep the given order.
    for article in reversed(articles):
        entry = feed.add_entry()
        entry.id(stable_id("article", article.record_key or str(article.id)))
        entry.title(article.title)
        entry.link(href=f"{base_url}/articles/{article.id}", rel="alternate", type="text/html")
        if article.url:
            entry.link(href=article.url, rel="related", type="text/html", title="Original")
        entry.updated(_moment(article.date))
        entry.published(_moment(article.date))
        entry.author(name=article.source)
        entry.category(term=article.source)
        if article.body:
            entry.content("".join(f"<p>{escape(p)}</p>" for p in paragraphs(article.body)), type="html")
    return feed.atom_str(pretty=False)  # type: ignore[no-any-return]
