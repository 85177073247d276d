from __future__ import annotations

import json

from wirewatch.ingest import ReadOptions

from .conftest import read_all, records, rejections, write


def test_a_json_array_is_streamed_element_by_element(tmp_path):
    stories = [{"title": f"Story {n}", "body": "word " * (n * 5000)} for n in range(12)]  # spans many 64 KiB chunks
    text = json.dumps(stories, indent=2)
    path = write(tmp_path / "stories.json", text)

    items = read_all(path)

    assert rejections(items) == []
    got = records(items)
    assert [r.fields for r in got] == stories
    assert all(r.kind == "jsonl" for r in got)
    assert got[0].line == 2
    assert json.loads(got[5].raw) == stories[5]
    assert got[5].line == text[: text.index('"Story 5"')].count("\n")


def test_numbers_and_strings_cut_at_a_chunk_boundary_parse_whole(tmp_path):
    # A 64 KiB-long padding string puts the following values across the first chunk boundary.
    for shift in range(12):
        stories = [{"pad": "p" * (65536 - 20 - shift), "n": 1234567890123, "s": "straddling text"}]
        path = write(tmp_path / f"cut{shift}.json", json.dumps(stories))
        assert [r.fields for r in records(read_all(path))] == stories


def test_non_objects_are_rejected_and_reading_goes_on(tmp_path):
    path = write(tmp_path / "mixed.json", '[{"title": "a"},\n 42,\n {"title": "b"}]')
    items = read_all(path)
    assert [r.fields["title"] for r in records(items)] == ["a", "b"]
    assert [(r.line, r.reason) for r in rejections(items)] == [(2, "not a JSON object (found a number)")]


def test_a_syntax_error_ends_the_file_with_a_reason(tmp_path):
    path = write(tmp_path / "broken.json", '[{"title": "a"},\n{"title" "b"},\n{"title": "c"}]')
    items = read_all(path)
    assert [r.fields["title"] for r in records(items)] == ["a"]
    (bad,) = rejections(items)
    assert bad.line == 2
    assert bad.reason.startswith("not valid JSON: Expecting ':' delimiter")
    assert bad.reason.endswith("the rest of the file is skipped")


def test_unclosed_array_and_trailing_data(tmp_path):
    unclosed = write(tmp_path / "unclosed.json", '[{"title": "a"}, {"title": "b"')
    items = read_all(unclosed)
    assert len(records(items)) == 1 and "not valid JSON" in rejections(items)[0].reason
    trailing = write(tmp_path / "trailing.json", '[{"title": "a"}] {"x": 1}')
    items = read_all(trailing)
    assert len(records(items)) == 1
    assert rejections(items)[0].reason.startswith("not valid JSON: unexpected data after the JSON array")


def test_an_empty_array_is_rejected(tmp_path):
    assert [r.reason for r in read_all(write(tmp_path / "none.json", "[ ]"))] == ["empty JSON array"]


def test_an_oversized_element_is_rejected(tmp_path):
    big = write(tmp_path / "big.json", json.dumps([{"title": "a"}, {"body": "z" * 5000}, {"title": "c"}]))
    items = read_all(big, options=ReadOptions(max_record_bytes=1000))
    assert [r.fields for r in records(items)] == [{"title": "a"}, {"title": "c"}]
    assert rejections(items)[0].reason == "record is 5,012 bytes, over the 1,000 bytes limit"


def test_an_element_growing_past_the_limit_while_streaming_stops_the_file(tmp_path):
    huge = write(tmp_path / "huge.json", json.dumps([{"title": "a"}, {"body": "z" * 300_000}, {"title": "c"}]))
    items = read_all(huge, options=ReadOptions(max_record_bytes=100_000))
    assert [r.fields for r in records(items)] == [{"title": "a"}]
    assert rejections(items)[0].reason == (
        "array element over the 100,000 bytes limit; the rest of the file is skipped"
    )
