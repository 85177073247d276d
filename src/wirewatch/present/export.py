"""Writing the archive out as JSON Lines or CSV, streaming."""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import json
import sys
from collections.abc import Iterator
from typing import IO

from wirewatch.errors import ConfigError
from wirewatch.present.csvcells import spreadsheet_safe
from wirewatch.present.shapes import COLUMNS, article_record
from wirewatch.store import SQLStore

FORMATS = ("jsonl", "csv", "parquet")


@contextlib.contextmanager
def _open_out(out: str) -> Iterator[IO[str]]:
    if out == "-":
        yield sys.stdout
        return
    try:
        if out.endswith(".gz"):
            handle: IO[str] = io.TextIOWrapper(gzip.open(out, "wb"), encoding="utf-8", newline="")  # noqa: SIM115  # closed by the with below
        else:
            handle = open(out, "w", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as exc:
        raise ConfigError(f"cannot write {out!r}: {exc.strerror}") from exc
    with handle:
        yield handle


def export_articles(store: SQLStore, fmt: str, out: str, *, include_duplicates: bool = True) -> int:
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
                writer.writerow({name: spreadsheet_safe(value) for name, value in record.items()})
            count += 1
    return count
