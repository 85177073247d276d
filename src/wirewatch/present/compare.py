"""Two stored articles compared, as the CLI's ``compare`` and the web's ``/compare`` and
``/api/compare`` ask for them: the checks on what a user asked (one article with itself, a
headline without text) and the comparison with the entities the archive keeps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wirewatch.analysis.compare import ComparedText, Comparison, compare_texts
from wirewatch.errors import ConfigError
from wirewatch.models import Article

if TYPE_CHECKING:
    from wirewatch.analysis.actors import Actors
    from wirewatch.store import SQLStore

__all__ = ["check_pair", "compare_articles", "compared_text"]


def check_pair(a: Article, b: Article) -> None:
    """Raise ConfigError, written for the user, when the two cannot be compared."""
    if a.id == b.id:
        raise ConfigError(f"article {a.id} compared with itself: give two different articles")
    for article in (a, b):
        if not article.body.strip():
            raise ConfigError(f"article {article.id} is a headline without text: there is no text to compare")


def compared_text(store: SQLStore, article: Article, actors: Actors | None = None) -> ComparedText:
    """The article as the comparison reads it, with the entities its stored analysis found
    (re-analysed with ``actors`` only when the archive holds none for it)."""
    entities = store.entities_of(int(article.id or 0))
    if not entities and actors is not None:
        from wirewatch.analysis.analyse import analyse

        entities = analyse(article, actors).entities
    return ComparedText(
        title=article.title,
        body=article.body,
        language=article.language,
        date=article.date,
        source=article.source,
        entities=tuple(entities),
    )


def compare_articles(store: SQLStore, a: Article, b: Article, actors: Actors | None = None) -> Comparison:
    """How ``a`` and ``b`` relate (``check_pair`` first); changes read from ``a`` to ``b``."""
    check_pair(a, b)
    return compare_texts(compared_text(store, a, actors), compared_text(store, b, actors))
