"""Search: the query language and the back ends that run it, behind one protocol."""

from __future__ import annotations

from wirewatch.search.base import Hit, SearchBackend, SearchRequest, SearchResult
from wirewatch.search.query import parse_query

__all__ = ["Hit", "SearchBackend", "SearchRequest", "SearchResult", "parse_query"]
