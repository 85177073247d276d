"""Home, article pages and sources."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from wirewatch.models import Article, SimilarArticle, Story
from wirewatch.present.params import parse_cursor, parse_day
from wirewatch.present.shapes import format_date
from wirewatch.present.stories import ThreadStep, other_versions, thread_steps
from wirewatch.store.base import Browse
from wirewatch.web.rendering import article_path, lead, safe_link, share_links
from wirewatch.web.routes.analysis import actors_of, entity_groups, event_views
from wirewatch.web.routes.common import (
    article_or_404,
    by_day,
    known_source,
    month_counts_of,
    pages_of,
    stats_of,
    store_of,
)
from wirewatch.web.routes.versions import status_notice

router = APIRouter(include_in_schema=False)

HOME_ARTICLES = 60
SOURCE_PAGE = 50
#: How many articles of each kind of link (other versions, the same formula, a shared
#: passage) an article page names; a formula may have hundreds of siblings.
SHOWN_LINKS = 25


@router.get("/")
def home(request: Request) -> Response:
    page = store_of(request).browse(Browse(originals_only=True, limit=HOME_ARTICLES))
    return pages_of(request).render(
        request,
        "home.html",
        days=by_day(page.articles),
        stats=stats_of(request),
        more=page.next,
    )


@router.get("/articles/{article_id}")
def article(request: Request, article_id: str) -> Response:
    store = store_of(request)
    found = article_or_404(request, article_id)
    ident = int(found.id or 0)
    links = article_links(request, found)
    older = store.browse(Browse(source=found.source, after=(found.date, ident), limit=1)).articles
    newer = store.browse(Browse(source=found.source, after=(found.date, ident), order="oldest", limit=1)).articles
    events = store.events_of(ident)
    pages = pages_of(request)
    permalink = pages.url(request, article_path(ident))
    return pages.render(
        request,
        "article.html",
        article=found,
        permalink=permalink,
        description=lead(found.body, 200),
        shares=share_links(permalink, found.title),
        links=links,
        older=older[0] if older else None,
        newer=newer[0] if newer else None,
        accessed=dt.date.today(),
        citation=citation(found, permalink, dt.date.today()),
        notice=status_notice(request, found),
        entity_groups=entity_groups(store.entities_of(ident)),
        # The actor data names the events' sides; an article without events never loads it.
        events=event_views(actors_of(request), events) if events else [],
    )


@dataclass(frozen=True, slots=True)
class ArticleLinks:
    """What an article page shows of the articles linked to it."""

    #: Duplicates, reprints and translations, strongest first (at most SHOWN_LINKS).
    versions: list[SimilarArticle]
    #: How many more other versions there are.
    more_versions: int
    #: The same formula about another event (at most SHOWN_LINKS), and how many more.
    templates: list[SimilarArticle]
    more_templates: int
    #: Articles that share a passage with it.
    quotes: list[SimilarArticle]
    #: The story thread it belongs to, and its articles after the first named beside it.
    story: Story | None
    steps: list[ThreadStep]


def article_links(request: Request, article: Article) -> ArticleLinks:
    """The article's links; its exact copies (``duplicate_of``) among the other versions."""
    store = store_of(request)
    ident = int(article.id or 0)
    similar = store.similar_of(ident)
    linked = {s.id for s in similar}
    # An original's copies, or a copy's original and siblings: those the links do not name.
    original = article.duplicate_of or ident
    copies = [i for i in ([original] if article.duplicate_of else []) + store.duplicates_of(original) if i != ident]
    unlinked = [i for i in copies if i not in linked]
    fetched = [a for a in (store.get_article(i) for i in unlinked[:SHOWN_LINKS]) if a is not None]
    versions = other_versions(similar, fetched)
    templates = [s for s in similar if s.relation == "template"]
    story = store.story_of(ident)
    return ArticleLinks(
        versions=versions[:SHOWN_LINKS],
        more_versions=max(0, len(versions) - SHOWN_LINKS) + len(unlinked) - len(fetched),
        templates=templates[:SHOWN_LINKS],
        more_templates=max(0, len(templates) - SHOWN_LINKS),
        quotes=[s for s in similar if s.relation == "quotes"][:SHOWN_LINKS],
        story=story,
        steps=thread_steps(story) if story else [],
    )


def citation(article: Article, permalink: str, accessed: dt.date) -> str:
    """A reference to copy: title, source, date, permalink, date accessed."""
    when = format_date(article.date, article.date_precision) if article.date else "n.d."
    link = safe_link(article.url)
    original = f" Original: {link}." if link else ""
    return (
        f"“{article.title}.” {article.source}, {when}. "
        f"Archived at {permalink} (accessed {format_date(accessed, 'day')}).{original}"
    )


@router.get("/sources")
def sources(request: Request) -> Response:
    return pages_of(request).render(request, "sources.html", stats=stats_of(request))


@router.get("/sources/{name:path}")
def source(
    request: Request, name: str, after: str | None = None, since: str | None = None, until: str | None = None
) -> Response:
    # {name:path}: a name may hold "/" ("AP/Reuters"), which the router would otherwise split.
    stored = known_source(request, name)
    start, end = parse_day(since, "since"), parse_day(until, "until", end=True)
    page = store_of(request).browse(
        Browse(source=stored, since=start, until=end, after=parse_cursor(after, "after"), limit=SOURCE_PAGE)
    )
    months = month_counts_of(request, stored)
    years: dict[int, int] = {}
    for (year, _month), count in months.items():
        years[year] = years.get(year, 0) + count
    return pages_of(request).render(
        request,
        "source.html",
        source=stored,
        count=stats_of(request).sources.get(stored, 0),
        days=by_day(page.articles),
        more=page.next,
        continued=after is not None,
        since=since or "",
        until=until or "",
        years=years,
    )


@router.get("/robots.txt")
def robots() -> Response:
    # Search result pages multiply without end; articles, days and sources are the archive.
    return PlainTextResponse("User-agent: *\nDisallow: /search\nDisallow: /api/\n")
