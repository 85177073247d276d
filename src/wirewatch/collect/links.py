"""The article links an entry point lists: a feed, a sitemap, or an index page.

Pure functions over a fetched document's text: no network. Links come back absolute,
without fragments, http(s) only, each once, in the order listed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

from wirewatch.errors import NotAnArticle


@dataclass(frozen=True, slots=True)
class Link:
    """An article's address, with what the entry point said of it (a fallback for
    extraction: a feed's title and date)."""

    url: str
    title: str | None = None
    date: str | None = None

    def hints(self) -> dict[str, str] | None:
        found = {k: v for k, v in (("title", self.title), ("date", self.date)) if v}
        return found or None


def _absolute(href: str, base: str) -> str | None:
    url, _fragment = urldefrag(urljoin(base, href.strip()))
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return url


def _unique(links: Iterable[Link]) -> list[Link]:
    seen: dict[str, Link] = {}
    for link in links:
        seen.setdefault(link.url, link)
    return list(seen.values())


def feed_links(text: str, base: str) -> list[Link]:
    """The entries of an RSS or Atom feed: link, title, and date as the feed writes it.
    NotAnArticle when the text is not a feed."""
    import feedparser  # imported by the runs that read feeds only

    parsed = feedparser.parse(text)
    if not parsed.entries and (parsed.bozo or not parsed.version):
        raise NotAnArticle(f"not an RSS or Atom feed ({getattr(parsed, 'bozo_exception', 'no entries')})")
    links = []
    for entry in parsed.entries:
        href = entry.get("link") or next((link.get("href") for link in entry.get("links", ()) if link.get("href")), None)
        url = _absolute(href, base) if href else None
        if url is None:
            continue
        title = (entry.get("title") or "").strip() or None
        date = entry.get("published") or entry.get("updated") or None
        links.append(Link(url, title, date))
    return _unique(links)


_SITEMAP_NS = re.compile(r"^\{[^}]*\}")


def sitemap_links(text: str, base: str, pattern: re.Pattern[str] | None = None) -> tuple[list[Link], list[str]]:
    """A sitemap's pages (``<urlset>``, with ``lastmod`` as the date hint, filtered by
    ``pattern`` when given) and the sitemaps a sitemap index lists (``<sitemapindex>``)."""
    from lxml import etree

    try:
        root = etree.fromstring(text.encode("utf-8"), parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise NotAnArticle(f"not a sitemap: {exc}") from None
    kind = _SITEMAP_NS.sub("", root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise NotAnArticle(f"not a sitemap: the document is <{kind}>")
    pages: list[Link] = []
    children: list[str] = []
    for item in root:
        if not isinstance(item.tag, str):
            continue  # a comment or processing instruction
        values = {
            _SITEMAP_NS.sub("", child.tag): (child.text or "").strip() for child in item if isinstance(child.tag, str)
        }
        url = _absolute(values.get("loc", ""), base) if values.get("loc") else None
        if url is None:
            continue
        if kind == "sitemapindex":
            children.append(url)
        elif pattern is None or pattern.search(url):
            pages.append(Link(url, None, values.get("lastmod") or None))
    return _unique(pages), list(dict.fromkeys(children))


def index_links(html: str, base: str, pattern: re.Pattern[str]) -> list[Link]:
    """The links of an index page whose absolute address matches ``pattern``, with the
    link's text as the title hint. The page's ``<base href>`` is honoured."""
    import lxml.html

    if not html.strip():
        return []
    document = lxml.html.document_fromstring(html)
    declared = document.xpath("//base/@href")
    if declared:
        base = urljoin(base, declared[0])
    links = []
    for anchor in document.iter("a"):
        href = anchor.get("href")
        url = _absolute(href, base) if href else None
        if url is None or not pattern.search(url):
            continue
        title = " ".join(anchor.text_content().split()) or None
        links.append(Link(url, title))
    return _unique(links)
