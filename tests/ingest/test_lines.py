from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st

import wirewatch.ingest
from wirewatch.ingest.lines import Oversized, describe_size, iter_lines

line_bytes = st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"").replace(b"\r", b""))


@given(st.lists(line_bytes, max_size=20), st.sampled_from([b"\n", b"\r\n"]), st.booleans(), st.integers(1, 30))
def test_lines_come_back_whole_or_as_their_size(lines, end, final_end, limit):
    data = end.join(lines) + (end if final_end and lines else b"")
    got = list(iter_lines(io.BytesIO(data), limit))
    expected_count = len(lines) if data else 0
    if lines and not final_end and lines[-1] == b"":
        expected_count -= 1  # a file ending in a line end has no empty last line
    assert [number for number, _ in got] == list(range(1, expected_count + 1))
    for (_, item), content in zip(got, lines[:expected_count], strict=True):
        if len(content) > limit:
            assert item == Oversized(len(content))
        else:
            assert isinstance(item, bytes) and item.rstrip(b"\r\n") == content


def test_sizes_are_described_in_the_largest_whole_unit():
    assert describe_size(8 * 1024 * 1024) == "8 MiB"
    assert describe_size(512 * 1024) == "512 KiB"
    assert describe_size(100_000) == "100,000 bytes"


def test_the_public_api_is_deliberate():
    assert sorted(wirewatch.ingest.__all__) == ["ReadOptions", "count_records_hint", "input_bytes", "read_inputs"]
    for name in wirewatch.ingest.__all__:
        assert getattr(wirewatch.ingest, name)
