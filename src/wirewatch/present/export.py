"""Writing the archive out as JSON Lines or CSV, streaming."""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import json
import sys
from collections.abc import Iterator
from typing import IO, Any

from wirewatch.errors import ConfigError
from wirewatch.models import Article
from wirewatch.store.base import Store

FORMATS = ("jsonl", "csv", "parquet")
#: The columns of an export: the corpus fields first, so 'import' reads them back.
COLUMNS = (
    "id",
    "title",
    "date",
    "source",
    "url",
    "language",
    "body",
    "title_derived",
    "date_precision",
    "date_alternatives",
    "date_note",
    "place",
    "duplicate_of",
)


def article_record(article: Article) -> dict[str, Any]:
    """An article as a flat record with the export's columns plus its metadata."""
    record: dict[str, Any] = {
        "id": article.id,
        "title": article.title,
        "date": article.date.isoformat() if article.date else None,
        "source": article.source,
        "url": article.url,
        "language": article.language,
        "body": article.body,
        "title_derived": article.title_derived,
        "date_precision": article.date_precision,
        "date_alternatives": [d.isoformat() for d in article.date_alternatives],
        "date_note": article.date_note,
        "place": article.place,
        "duplicate_of": article.duplicate_of,
    }
    for key, value in article.metadata.items():
        record.setdefault(key, value)
    return record


@contextlib.contextmanager
def _open_out(out: str) -> Iterator[IO[str]]:
    if out == "-":
        yield sys.stdout
        return
    try:
        if out.endswith(".gz"):
            handle: IO[str] = io.TextIOWrapper(gzip.open(out, "wb"), encoding="utf-8", newline="")
        else:
            handle = open(out, "w", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as exc:
        raise ConfigError(f"cannot write {out!r}: {exc.strerror}") from exc
    with handle:
        yield handle


def export_articles(store: Store, fmt: str, out: str, *, include_duplicates: bool = True) -> int:
    """Write every article to ``out`` in ``fmt``; return how many were written."""
    if fmt not in FORMATS:
        raise ConfigError(f"--format {fmt!r}: use one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        from wirewatch.present.parquet import export_parquet

        return export_parquet(store, out, include_duplicates=include_duplicates)
    count = 0
    with _open_out(out) as handle:
        writer = None
        if fmt == "csv":
            writer = csv.DictWriter(handle, fieldnames=[*COLUMNS, "metadata"], extrasaction="ignore")
            writer.writeheader()
        for article in store.iter_articles(include_duplicates=include_duplicates):
            record = article_record(article)
            if writer is None:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                record["date_alternatives"] = " ".join(record["date_alternatives"])
                record["metadata"] = json.dumps(article.metadata, ensure_ascii=False) if article.metadata else ""
                writer.writerow(record)
            count += 1
    return count
