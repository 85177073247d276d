"""Building the search index anew from the archive (``wirewatch reindex``).

The tantivy engine builds its own (``TantivyBackend.rebuild``: resumable, committed every
50,000 articles). The SQL engines' tables are emptied and filled again a page of articles
per transaction; the archive records them current once the last page is in.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from wirewatch.search.base import IndexRow, SearchBackend
from wirewatch.search.engine import TantivyBackend
from wirewatch.store.engine import Writer

#: Articles per transaction when the SQL tables are filled again.
PAGE = 2000


def reindex(
    engine: sa.Engine, writer: Writer, index: SearchBackend, progress: Callable[[int], None] | None = None
) -> int:
    """Index every searchable article (duplicates are not) anew; the number indexed."""
    if isinstance(index, TantivyBackend):
        return index.rebuild(progress)
    with writer.begin() as conn:
        index.clear(conn)
        conn.execute(sa.text("UPDATE search_state SET value = 'stale' WHERE name = 'sql_index'"))
    after = done = 0
    while True:
        with writer.begin() as conn:
            rows = conn.execute(
                sa.text("SELECT id, title, body, duplicate_of FROM articles WHERE id > :after ORDER BY id LIMIT :n"),
                {"after": after, "n": PAGE},
            ).all()
            if not rows:
                conn.execute(sa.text("UPDATE search_state SET value = 'current' WHERE name = 'sql_index'"))
                return done
            fresh = [IndexRow(r[0], r[1] or "", r[2] or "") for r in rows if r[3] is None]
            index.add(conn, fresh)
        after, done = int(rows[-1][0]), done + len(fresh)
        if progress:
            progress(len(fresh))
