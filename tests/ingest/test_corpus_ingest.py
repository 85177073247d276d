"""The shared corpus, streamed whole (skipped when ../shared/corpus is absent)."""

from __future__ import annotations

import pytest

from wirewatch.ingest import count_records_hint, read_inputs
from wirewatch.models import RawRecord

from .conftest import corpus_file

pytestmark = [pytest.mark.corpus, pytest.mark.slow]


def test_the_kcna_stories_stream_with_no_rejection():
    path = corpus_file("kcna-2011-2012.jsonl.gz")
    count = 0
    missing_titles = 0
    for item in read_inputs([path]):
        assert isinstance(item, RawRecord), item
        assert item.input == str(path) and item.kind == "jsonl"
        count += 1
        missing_titles += item.fields["title"] is None
    assert count == 23_143
    assert missing_titles == 585
    assert count_records_hint(path) == 23_143


def test_the_korean_new_year_addresses_read_as_text():
    folder = corpus_file("nk-new-year-addresses-ko")
    items = list(read_inputs([folder]))
    assert len(items) == 73
    assert all(isinstance(item, RawRecord) and item.kind == "text" and item.fields.get("body") for item in items)
