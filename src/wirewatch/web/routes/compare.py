"""The comparison page: two articles side by side, with what differs and how they relate."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from wirewatch.analysis.compare import Comparison
from wirewatch.models import Article
from wirewatch.present.compare import compare_articles
from wirewatch.web.diffs import side_by_side
from wirewatch.web.routes.common import article_or_404, pages_of, store_of

router = APIRouter(include_in_schema=False)

#: What each relation means for a reader (docs/compare.md says more).
MEANINGS = {
    "duplicate": "The same text.",
    "reprint": "The same story, edited: the words that differ are marked.",
    "translation": "The same story in another language.",
    "quotes": "One reproduces a passage of the other; the rest is a different story.",
    "template": "The same formula about a different event: the slots listed below differ. Not the same story.",
    "unrelated": "No relation found: neither a copy, an edition, a translation, a quotation nor a formula.",
}


def compared(request: Request, a: str, b: str) -> tuple[Article, Article, Comparison]:
    """The two articles named in the address and how they relate; 404 for an unknown one,
    400 (a ConfigError) for one compared with itself or a headline without text."""
    first, second = article_or_404(request, a), article_or_404(request, b)
    return first, second, compare_articles(store_of(request), first, second, request.app.state.actors.get())


@router.get("/compare/{a}/{b}")
def compare_page(request: Request, a: str, b: str) -> Response:
    first, second, found = compared(request, a, b)
    marked = found.relation not in ("translation", "unrelated")
    return pages_of(request).render(
        request,
        "compare.html",
        a=first,
        b=second,
        found=found,
        meaning=MEANINGS[found.relation],
        texts=side_by_side(list(found.pieces), marked=marked),
        marked=marked,
        json_url=f"/api/compare/{first.id}/{second.id}",
    )
