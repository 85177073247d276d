"""Helpers for the reader tests: every test reads real files through ``read_inputs``."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from wirewatch.ingest import ReadOptions, read_inputs
from wirewatch.models import RawRecord, Rejected

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
FIXTURES = REPO / "tests" / "fixtures" / "ingest"


def read_all(*paths: Path | str, options: ReadOptions = ReadOptions()) -> list[RawRecord | Rejected]:
    return list(read_inputs([*paths], options))


def records(items: list[RawRecord | Rejected]) -> list[RawRecord]:
    return [item for item in items if isinstance(item, RawRecord)]


def rejections(items: list[RawRecord | Rejected]) -> list[Rejected]:
    return [item for item in items if isinstance(item, Rejected)]


def write(path: Path, data: bytes | str, *, compress: bool = False) -> Path:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    path.write_bytes(gzip.compress(raw) if compress else raw)
    return path


def corpus_file(name: str) -> Path:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared corpus is not checked out)")
    return path
