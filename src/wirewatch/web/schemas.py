"""The shapes of the API's answers, for its OpenAPI description only.

The routes return ``presenting``'s dictionaries directly (FastAPI does not re-validate
a Response), so these models document the contract without a second conversion.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field


class Listing(BaseModel):
    id: int
    title: str
    date: dt.date | None
    date_precision: str | None = Field(description="day, month or year")
    source: str
    url: str | None = Field(description="the original's address, when known")
    language: str | None
    duplicate_of: int | None = Field(description="the article whose text this one repeats")


class ArticleList(BaseModel):
    articles: list[Listing]
    next: str | None = Field(description="pass as `after` for the next page; null on the last")
    next_url: str | None


class ArticleDetail(BaseModel):
    id: int
    title: str
    title_derived: bool = Field(description="the source gave no title; this one is the start of the text")
    source: str
    date: dt.date | None
    date_precision: str | None
    date_alternatives: list[dt.date] = Field(description="the other readings of an ambiguous date")
    date_note: str | None
    url: str | None
    language: str | None
    language_detected: bool
    place: str | None
    body: str = Field(description="paragraphs separated by a blank line")
    duplicate_of: int | None
    duplicates: list[int] = Field(description="the other articles with this text")
    metadata: dict[str, Any]
    permalink: str


class SearchHit(BaseModel):
    id: int
    title: str
    date: dt.date | None
    date_precision: str | None
    source: str
    url: str | None
    language: str | None
    snippet: str
    highlights: list[list[int]] = Field(description="[start, end) spans of the snippet that match")
    score: float | None


class SearchAnswer(BaseModel):
    total: int
    hits: list[SearchHit]
    facets: dict[str, dict[str, int]] = Field(description="counts by source, year and language")
    page: int
    limit: int


class SourceCount(BaseModel):
    name: str
    articles: int


class SourceList(BaseModel):
    sources: list[SourceCount]


class Stats(BaseModel):
    articles: int
    duplicates: int
    sources: dict[str, int]
    languages: dict[str, int]
    first_date: dt.date | None
    last_date: dt.date | None
    undated: int
    derived_titles: int
