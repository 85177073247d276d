"""The values a comparison reads and gives (``compare.py``): a text with what is known of it,
a word-level change, a shared passage."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from wirewatch.models import EntityCount

__all__ = ["Change", "ComparedText", "Span"]


@dataclass(frozen=True, slots=True)
class ComparedText:
    """One side of a comparison: an article's text and what is known about it."""

    title: str
    body: str
    language: str | None = None
    date: dt.date | None = None
    source: str | None = None
    #: The entities analysis found in the title and body (``SQLStore.entities_of``).
    entities: tuple[EntityCount, ...] = ()


@dataclass(frozen=True, slots=True)
class Change:
    """A word-level change from ``a`` to ``b``: ``replace`` (both set), ``delete`` (``b`` empty)
    or ``insert`` (``a`` empty)."""

    op: Literal["replace", "insert", "delete"]
    a: str
    b: str


@dataclass(frozen=True, slots=True)
class Span:
    """A passage both texts carry word for word: character offsets in each body."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    words: int
