"""The read, clean and analyse stages of an import: records in, articles ready to store out.

Kept apart from ``pipeline`` (which also stores) so that the worker process an import
starts (see ``pipeline.run_import``) imports only readers, cleaning and analysis, not
the store. Analysis (entities and events, ``wirewatch.analysis``) runs on each article
as soon as it is cleaned; with a worker, on whichever side has time for it (see
``prepare_chunks``), so that both cores work.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from wirewatch.analysis.analyse import analyse
from wirewatch.clean.record import CleanOptions, build_article
from wirewatch.errors import RecordError
from wirewatch.ingest import ReadOptions, read_inputs
from wirewatch.models import Article, EntityCount, Event, Incoming, RawRecord, Rejected, Side

if TYPE_CHECKING:
    from wirewatch.analysis.actors import Actors
    from wirewatch.pipeline.worker import SharedCount

#: The encoder ``record_key`` uses, built once: ``json.dumps`` with options builds one per call.
_KEY_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str)
#: A message from a worker process holds this many articles or this many characters
#: of input, whichever comes first: big enough that pickling and the pipe cost little
#: per article, small enough that the messages read ahead stay a few MiB.
CHUNK_SIZE = 500
CHUNK_TEXT = 256 * 1024
#: A worker analyses the articles of a chunk itself only while the importing process has
#: at least this many of its chunks not yet done (it is busy: storing, analysing); the
#: rest of the chunk goes as cleaned, for the importing process to analyse (``unpack``).
#: Checked before each article, so that neither process waits for the other for long.
BEHIND = 1


@dataclass(slots=True)
class ImportSummary:
    """What an import did; ``as_dict`` is the ``import --json`` contract."""

    read: int = 0
    added: int = 0
    duplicates: int = 0
    unchanged: int = 0
    #: Captures (WARC records) that gave a known address a new version, or brought it back.
    edited: int = 0
    restored: int = 0
    rejected: int = 0
    errors: list[Rejected] = field(default_factory=list)
    derived_titles: int = 0
    undated: int = 0
    ambiguous_dates: int = 0
    detected_languages: int = 0
    #: The comparison of texts run after the import (``pipeline.linking``): its summary.
    compared: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "added": self.added,
            "duplicates": self.duplicates,
            "unchanged": self.unchanged,
            "edited": self.edited,
            "restored": self.restored,
            "rejected": self.rejected,
            "errors": [e.as_dict() for e in self.errors],
            "derived_titles": self.derived_titles,
            "undated": self.undated,
            "ambiguous_dates": self.ambiguous_dates,
            "detected_languages": self.detected_languages,
        } | ({"compared": self.compared} if self.compared is not None else {})


def record_key(source: str, record: RawRecord) -> str:
    """The identity of a record across imports: a digest of its source and its fields.

    Built from the fields as read, not as cleaned, so that better cleaning rules do
    not make old records look new. The same record imported again (from the same
    file or another) has the same key and is left alone. ``prepare`` appends which
    repeat it is (``:0``, ``:1``…), so a record repeated word for word inside one
    input keeps one row per repeat, as the source published it twice.
    """
    if record.captured_at is not None and record.fields.get("url"):
        # A capture: the page at this address, whatever its text says today.
        content = _KEY_JSON.encode([source, {"url": record.fields["url"]}])
    else:
        content = _KEY_JSON.encode([source, record.fields])
    return hashlib.sha256(content.encode()).hexdigest()[:40]


def _note(summary: ImportSummary, article: Article) -> None:
    summary.derived_titles += article.title_derived
    summary.undated += article.date is None
    summary.ambiguous_dates += bool(article.date_alternatives)
    summary.detected_languages += article.language_detected


def prepare(
    records: Iterable[RawRecord | Rejected],
    options: CleanOptions,
    summary: ImportSummary,
    actors: Actors | None = None,
) -> Generator[Incoming, None, None]:
    """Clean each record into an article with its key; count and collect rejections.
    With ``actors``, each article is analysed too (its entities and events go with it);
    without, ``Incoming.entities`` and ``events`` stay None (not analysed).

    A record that cleaning (or analysis) fails on with an unexpected error is rejected
    like any bad record ("could not be cleaned: ValueError: …", the traceback as the
    rejection's ``detail``), and the rest go on: no bug in one record aborts a batch."""
    occurrences: dict[str, int] = {}
    for record in records:
        if isinstance(record, Rejected):
            summary.rejected += 1
            summary.errors.append(record)
            continue
        summary.read += 1
        stage = "cleaned"
        entities: tuple[EntityCount, ...] | None = None
        events: tuple[Event, ...] | None = None
        try:
            article = build_article(record, options)
            digest = record_key(article.source, record)
            if actors is not None:
                stage = "analysed"
                found = analyse(article, actors)
                entities, events = tuple(found.entities), tuple(found.events)
        except RecordError as exc:
            summary.rejected += 1
            summary.errors.append(Rejected(record.input, record.line, str(exc)))
            continue
        except Exception as exc:  # a bug in cleaning or analysis costs this record, not the batch
            summary.rejected += 1
            summary.errors.append(Rejected.unexpected(record.input, record.line, stage, exc))
            continue
        _note(summary, article)
        if record.captured_at is not None and record.fields.get(
            "url"
        ):  # every capture of a URL is a version of one article
            yield Incoming(article, record, f"{digest}:u", entities, events)
            continue
        seen = occurrences.get(digest, 0)
        occurrences[digest] = seen + 1
        yield Incoming(article, record, f"{digest}:{seen}", entities, events)


def prepare_chunks(
    paths: list[str],
    read: ReadOptions,
    clean: CleanOptions,
    actors: Actors | None = None,
    done: SharedCount | None = None,
) -> Iterator[Any]:
    """``prepare`` over the inputs, for a worker process: lists of packed articles (see
    ``unpack``; ``CHUNK_SIZE`` or ``CHUNK_TEXT`` at most), then the ImportSummary.

    With ``actors`` and ``done`` (how many chunks the importing process has finished,
    a counter it shares), an article is analysed here only while the importing process
    is ``BEHIND``; the others go unanalysed, for ``unpack`` to analyse there."""
    summary = ImportSummary()
    chunk: list[Incoming] = []
    text = sent = 0

    def busy() -> bool:
        return done is not None and sent - done.value >= BEHIND

    # without ``done`` each article is analysed as it is cleaned, with it chunk by chunk
    inline, shared = (actors, None) if done is None else (None, actors)
    for incoming in prepare(read_inputs(paths, read), clean, summary, inline):
        chunk.append(incoming)
        text += len(incoming.raw.raw)
        if len(chunk) >= CHUNK_SIZE or text >= CHUNK_TEXT:
            yield _packed(chunk, shared, busy)
            chunk, text = [], 0
            sent += 1
    if chunk:
        yield _packed(chunk, shared, busy)
    yield summary


def _packed(chunk: list[Incoming], actors: Actors | None, busy: Callable[[], bool]) -> list[tuple[Any, ...]]:
    """The chunk packed; with ``actors``, its articles analysed first for as long as
    ``busy()`` (the importing process has other work), the rest left unanalysed."""
    packed = []
    for index, incoming in enumerate(chunk):
        if actors is None or not busy():
            packed += [_pack(rest) for rest in chunk[index:]]
            break
        packed.append(_pack(_analysed(incoming.article, incoming.raw, incoming.record_key, actors)))
    return packed


def _analysed(article: Article, raw: RawRecord, record_key: str, actors: Actors) -> Incoming:
    found = analyse(article, actors)
    return Incoming(article, raw, record_key, tuple(found.entities), tuple(found.events))


_ARTICLE_FIELDS = tuple(f.name for f in dataclasses.fields(Article))


def _pack(item: Incoming) -> tuple[Any, ...]:
    # Plain tuples unpickle in half the time of dataclasses with slots, and the
    # unpickling happens in the process that stores: the one that sets the pace.
    raw = item.raw
    article = tuple([getattr(item.article, name) for name in _ARTICLE_FIELDS])
    entities = (
        None
        if item.entities is None
        else [(e.type, e.id, e.name, e.country, e.count, e.by_title) for e in item.entities]
    )
    events = (
        None
        if item.events is None
        else [
            (
                e.type,
                e.cameo,
                e.plover,
                (e.actor.name, e.actor.country, e.actor.id),
                (e.target.name, e.target.country, e.target.id),
                e.date,
                e.date_precision,
                e.date_from_text,
                e.sentence,
            )
            for e in item.events
        ]
    )
    # Not the record's fields: they are cleaned into the article here, and what the store
    # keeps of a record is its text as read. Sent, they were a third of the bytes.
    raw_values = (raw.input, raw.line, raw.kind, raw.raw, raw.captured_at)
    return article, raw_values, item.record_key, entities, events


def unpack(packed: tuple[Any, ...], actors: Actors | None = None) -> Incoming:
    """The Incoming that ``prepare_chunks`` packed; analysed here with ``actors`` when the
    worker left it unanalysed. Its record has no ``fields``: they stayed in the worker."""
    article_values, (source_input, line, kind, text, captured_at), record_key, entities, events = packed
    article = Article(*article_values)
    raw = RawRecord(source_input, line, kind, {}, text, captured_at)
    if entities is None and actors is not None:
        return _analysed(article, raw, record_key, actors)
    return Incoming(
        article,
        raw,
        record_key,
        None if entities is None else tuple([EntityCount(*e) for e in entities]),
        None
        if events is None
        else tuple(
            [
                Event(t, cameo, plover, Side(*actor), Side(*target), date, precision, from_text, sentence)
                for t, cameo, plover, actor, target, date, precision, from_text, sentence in events
            ]
        ),
    )
