"""The article links an entry point lists: a feed, a sitemap, or an index page.

Pure functions over a fetched document's text: no network. Links come back absolute,
without fragments, http(s) only, each once, in the order listed (a link listed twice keeps
its first title and date, or the first one given).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urldefrag, urljoin, urlsplit

from wirewatch.clean.dates import parse_date
from wirewatch.errors import NotAnArticle

if TYPE_CHECKING:
    from lxml.html import HtmlElement


@dataclass(frozen=True, slots=True)
class Link:
    """An article's address, with what the entry point said of it, as written there (a
    fallback for extraction: a feed's title and date, an index page's headline and the
    date written beside it)."""

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
        first = seen.setdefault(link.url, link)
        if first is not link and not (first.title and first.date):  # a picture's link, then the headline's
            seen[link.url] = Link(link.url, first.title or link.title, first.date or link.date)
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
        href = entry.get("link") or next(
            (link.get("href") for link in entry.get("links", ()) if link.get("href")), None
        )
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
    link's text as the title hint and, as the date hint, a date written right after the
    link or right before it (kcna.kp's ``<a>…</a> <span>[Juche113.8.4.]</span>``, "Title
    (2024-08-04)"). The page's ``<base href>`` is honoured."""
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
        links.append(Link(url, title, _date_beside(anchor)))
    return _unique(links)


#: Text beside a link longer than this is a sentence or a teaser, not a date.
_DATE_BESIDE_CHARS = 40


def _date_beside(anchor: HtmlElement) -> str | None:
    """The text between ``anchor`` and the next link of its parent (or, failing that, the
    previous one), as written, when that text is a date and nothing else."""
    for text in (_beside(anchor, after=True), _beside(anchor, after=False)):
        text = " ".join(text.split())
        if text and len(text) <= _DATE_BESIDE_CHARS and parse_date(text).value is not None:
            return text
    return None


def _beside(anchor: HtmlElement, *, after: bool) -> str:
    parts = [anchor.tail or ""] if after else []
    for sibling in anchor.itersiblings(preceding=not after):
        if isinstance(sibling.tag, str) and (sibling.tag == "a" or next(sibling.iter("a"), None) is not None):
            break  # another link's text begins
        text = sibling.text_content() if isinstance(sibling.tag, str) else ""
        parts += [text, sibling.tail or ""] if after else [sibling.tail or "", text]
        if sum(map(len, parts)) > _DATE_BESIDE_CHARS * 4:
            break
    else:
        parent = anchor.getparent()
        if not after and parent is not None:
            parts.append(parent.text or "")
    return "".join(parts if after else reversed(parts))
