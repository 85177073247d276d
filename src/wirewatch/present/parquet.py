"""The archive as a partitioned Parquet dataset (``source=…/year=…/part-0.parquet``) that
pandas, Polars, DuckDB and Spark read directly, written in batches so that memory stays
flat whatever the archive's size."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from wirewatch.errors import ConfigError
from wirewatch.present.shapes import article_record
from wirewatch.store import SQLStore

#: Articles per record batch: a few MB of text each.
BATCH = 5000


def _arrow() -> Any:
    try:
        import pyarrow as pa
        import pyarrow.dataset
    except ImportError:
        raise ConfigError("Parquet export needs pyarrow: pip install 'wirewatch[parquet]'") from None
    return pa


def schema() -> Any:
    pa = _arrow()
    return pa.schema(
        [
            ("id", pa.int64()),
            ("title", pa.string()),
            ("date", pa.date32()),
            ("date_precision", pa.string()),
            ("url", pa.string()),
            ("language", pa.string()),
            ("body", pa.string()),
            ("title_derived", pa.bool_()),
            ("date_alternatives", pa.list_(pa.date32())),
            ("date_note", pa.string()),
            ("place", pa.string()),
            ("duplicate_of", pa.int64()),
            ("metadata", pa.string()),
            # The partition columns: the dataset's folders, and columns again when it is read.
            ("source", pa.string()),
            ("year", pa.int32()),
        ]
    )


def _batches(store: SQLStore, include_duplicates: bool, counter: list[int]) -> Iterator[Any]:
    import datetime as dt

    pa = _arrow()
    target = schema()
    rows: list[dict[str, Any]] = []

    def flush() -> Any:
        columns = {name: [r[name] for r in rows] for name in target.names}
        rows.clear()
        return pa.RecordBatch.from_pydict(columns, schema=target)

    for article in store.iter_articles(include_duplicates=include_duplicates):
        record = article_record(article)
        record["date"] = article.date
        record["date_alternatives"] = [dt.date.fromisoformat(d) for d in record["date_alternatives"]]
        record["metadata"] = json.dumps(article.metadata, ensure_ascii=False) if article.metadata else None
        record["year"] = article.date.year if article.date else None
        rows.append(record)
        counter[0] += 1
        if len(rows) >= BATCH:
            yield flush()
    if rows:
        yield flush()


def export_parquet(store: SQLStore, out: str, *, include_duplicates: bool = True) -> int:
    """Write every article under the folder ``out``; return how many were written."""
    pa = _arrow()
    folder = Path(out)
    if out == "-":
        raise ConfigError("--out: Parquet is written to a folder, not to standard output")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ConfigError(f"--out {out!r}: give a new or empty folder for the Parquet dataset")
    counter = [0]
    partitioning = pa.dataset.partitioning(pa.schema([("source", pa.string()), ("year", pa.int32())]), flavor="hive")
    pa.dataset.write_dataset(
        _batches(store, include_duplicates, counter),
        folder,
        schema=schema(),
        format="parquet",
        partitioning=partitioning,
        existing_data_behavior="overwrite_or_ignore",
        basename_template="part-{i}.parquet",
    )
    return counter[0]
