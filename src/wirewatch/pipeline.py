"""The import coordinator: read → clean → store (the store keeps the index in step).

One flow for every input: files today, fetched pages when collection lands.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from wirewatch.clean.record import CleanOptions, build_article
from wirewatch.errors import RecordError
from wirewatch.ingest import ReadOptions, read_inputs
from wirewatch.models import Article, RawRecord, Rejected
from wirewatch.store.base import BatchCounts, Incoming, Store

BATCH_SIZE = 500


@dataclass(slots=True)
class ImportSummary:
    """What an import did; ``as_dict`` is the ``import --json`` contract."""

    read: int = 0
    added: int = 0
    duplicates: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[Rejected] = field(default_factory=list)
    derived_titles: int = 0
    undated: int = 0
    ambiguous_dates: int = 0
    detected_languages: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "added": self.added,
            "duplicates": self.duplicates,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "errors": [e.as_dict() for e in self.errors],
            "derived_titles": self.derived_titles,
            "undated": self.undated,
            "ambiguous_dates": self.ambiguous_dates,
            "detected_languages": self.detected_languages,
        }


def record_key(source: str, record: RawRecord, occurrence: int) -> str:
    """The identity of a record across imports: its source, its fields, which repeat it is.

    Built from the fields as read, not as cleaned, so that better cleaning rules do
    not make old records look new. The same record imported again (from the same
    file or another) has the same key and is left alone; a record repeated word for
    word inside one input keeps one row per repeat (``occurrence`` counts them), as
    the source published it twice.
    """
    content = json.dumps([source, record.fields], ensure_ascii=False, sort_keys=True, default=str)
    return f"{hashlib.sha256(content.encode()).hexdigest()[:40]}:{occurrence}"


def _note(summary: ImportSummary, article: Article) -> None:
    summary.derived_titles += article.title_derived
    summary.undated += article.date is None
    summary.ambiguous_dates += bool(article.date_alternatives)
    summary.detected_languages += article.language_detected


def prepare(
    records: Iterable[RawRecord | Rejected], options: CleanOptions, summary: ImportSummary
) -> Iterator[Incoming]:
    """Clean each record into an article with its key; count and collect rejections."""
    occurrences: dict[str, int] = {}
    for record in records:
        if isinstance(record, Rejected):
            summary.rejected += 1
            summary.errors.append(record)
            continue
        summary.read += 1
        try:
            article = build_article(record, options)
        except RecordError as exc:
            summary.rejected += 1
            summary.errors.append(Rejected(record.input, record.line, str(exc)))
            continue
        _note(summary, article)
        base = record_key(article.source, record, 0)
        seen = occurrences.get(base, 0)
        occurrences[base] = seen + 1
        yield Incoming(article, record, base if not seen else f"{base[:-2]}:{seen}")


def run_import(
    store: Store,
    paths: Iterable[str],
    clean: CleanOptions,
    read: ReadOptions | None = None,
    *,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import every record of ``paths`` into ``store``, a batch per transaction.

    A batch is stored whole or not at all, so an import stopped at any point leaves a
    consistent archive, and running it again stores what is missing and nothing twice.
    """
    paths = list(paths)
    summary = ImportSummary()
    import_id = store.begin_import(paths)
    counts = BatchCounts()
    batch: list[Incoming] = []
    for incoming in prepare(read_inputs(paths, read or ReadOptions()), clean, summary):
        batch.append(incoming)
        if len(batch) >= batch_size:
            counts += store.add_batch(batch, import_id)
            if progress:
                progress(len(batch))
            batch = []
    if batch:
        counts += store.add_batch(batch, import_id)
        if progress:
            progress(len(batch))
    summary.added, summary.duplicates, summary.unchanged = counts.added, counts.duplicates, counts.unchanged
    store.finish_import(import_id, summary.as_dict())
    return summary
