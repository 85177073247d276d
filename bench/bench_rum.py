"""A RUM index on a PostgreSQL archive's tsvectors, against the target of issue 15: what the
floor would be had search stayed in PostgreSQL.

RUM (Debian's ``postgresql-15-rum``; ``CREATE EXTENSION rum`` needs a superuser) keeps
positions in the index, so ``ORDER BY vector <=> query LIMIT 20`` can rank without reading
each row. The script builds ``USING rum (vector rum_tsvector_ops)`` on ``article_index``
(the SQL engine's table: fill it first with ``WIREWATCH_SEARCH_ENGINE=sql wirewatch
reindex``), then times the best 20 and the count for bench_growth's eight queries and one
Korean one, a warm-up and then ``--repeat`` runs each. It leaves the index in place.

Usage (from the project root), on an archive that ``bench_search_engine.py --keep`` left:
    .venv/bin/python bench/bench_rum.py postgresql://postgres@127.0.0.1:5432/DATABASE [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

import sqlalchemy as sa
from bench_growth import QUERIES

from wirewatch.search.postgres import to_tsquery
from wirewatch.search.query import parse_query
from wirewatch.store.engine import database_url

RANK = (
    "SELECT article_id FROM article_index WHERE vector @@ CAST(:q AS tsquery) "
    "ORDER BY vector <=> CAST(:q AS tsquery) LIMIT 20"
)
COUNT = "SELECT count(*) FROM article_index WHERE vector @@ CAST(:q AS tsquery)"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", help="the archive's PostgreSQL URL")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    engine = sa.create_engine(database_url(args.database))
    with engine.connect() as conn:
        conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS rum"))
        conn.execute(sa.text("SET maintenance_work_mem = '256MB'"))
        started = time.perf_counter()
        conn.execute(
            sa.text(
                "CREATE INDEX IF NOT EXISTS ix_article_index_rum ON article_index USING rum (vector rum_tsvector_ops)"
            )
        )
        conn.commit()
        size = conn.scalar(sa.text("SELECT pg_relation_size('ix_article_index_rum')")) or 0
        print(f"rum index: {time.perf_counter() - started:.1f} s, {size / 2**20:.0f} MB")
        conn.execute(sa.text("ANALYZE article_index"))
        conn.commit()
        ranks: list[float] = []
        counts: list[float] = []
        for query in [*QUERIES, "김정일"]:
            params = {"q": to_tsquery(parse_query(query))}  # type: ignore[arg-type]  # the queries are not empty
            conn.execute(sa.text(RANK), params).all()
            matches = conn.execute(sa.text(COUNT), params).scalar()
            rank_ms, count_ms = [], []
            for _ in range(args.repeat):
                started = time.perf_counter()
                conn.execute(sa.text(RANK), params).all()
                rank_ms.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                conn.execute(sa.text(COUNT), params).scalar()
                count_ms.append((time.perf_counter() - started) * 1000)
            ranks += rank_ms
            counts += count_ms
            print(
                f"{query:25} {matches:>8,} matches   best 20 {statistics.median(rank_ms):8.1f} ms"
                f"   count {statistics.median(count_ms):8.1f} ms"
            )
        print(
            f"all: best 20 p50 {statistics.median(ranks):.1f} ms, p95 {p95(ranks):.1f} ms; "
            f"count p50 {statistics.median(counts):.1f} ms, p95 {p95(counts):.1f} ms (target: p95 ≤ 50 ms)"
        )
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
