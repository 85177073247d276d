"""Storage: the archive on SQLite or PostgreSQL, one facade over functions that take a connection."""

from __future__ import annotations

from wirewatch.store.base import ArchiveStats, BatchCounts, Incoming
from wirewatch.store.sql import SQLStore, open_store

__all__ = ["ArchiveStats", "BatchCounts", "Incoming", "SQLStore", "open_store"]
