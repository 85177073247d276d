"""Storage: the archive behind one interface (SQLite now; PostgreSQL follows)."""

from __future__ import annotations

from wirewatch.store.base import ArchiveStats, BatchCounts, Incoming, Store
from wirewatch.store.sql import SQLStore, open_store

__all__ = ["ArchiveStats", "BatchCounts", "Incoming", "SQLStore", "Store", "open_store"]
