from __future__ import annotations

import json
import tracemalloc

from wirewatch.ingest import ReadOptions

from .conftest import read_all, records, rejections, write

STORY = {
    "source": "KCNA",
    "title": "Kim Jong Il Congratulates Lao President",
    "date": "2011-12-01",
    "url": "http://www.kcna.co.jp/item/2011/201112/2011-12-01ee.html",
    "language": "en",
    "body": "General Secretary Kim Jong Il on Thursday sent ...\n\nThe message said: ...",
}


def test_each_line_is_a_record_with_its_line_number_and_raw_text(tmp_path):
    second = dict(STORY, title="Second story", topic="diplomacy")
    lines = [json.dumps(STORY), "", "   ", json.dumps(second, ensure_ascii=False)]
    path = write(tmp_path / "stories.jsonl", "\n".join(lines) + "\n")

    items = read_all(path)

    assert rejections(items) == []
    first, last = records(items)
    assert (first.input, first.line, first.kind) == (str(path), 1, "jsonl")
    assert first.fields == STORY
    assert first.raw == lines[0]
    assert last.line == 4
    assert last.fields["topic"] == "diplomacy"  # unknown fields are kept as they are


def test_missing_and_null_fields_stay_missing_or_none(tmp_path):
    path = write(
        tmp_path / "gaps.ndjson",
        '{"title": null, "date": "2011-01-01", "body": "Text."}\n'
        '{"title": "Headline only", "date": "1997-01-01", "url": "http://x/1"}\n'
        '{"body": "No title and no date."}\n',
    )
    first, second, third = records(read_all(path))
    assert first.fields["title"] is None
    assert "body" not in second.fields
    assert "title" not in third.fields and "date" not in third.fields


def test_html_inside_a_field_arrives_as_given(tmp_path):
    body = "<p>The <b>delegation</b> left Pyongyang &amp; arrived.</p>"
    path = write(tmp_path / "html.jsonl", json.dumps({"title": "T", "body": body}) + "\n")
    (record,) = records(read_all(path))
    assert record.fields["body"] == body


def test_bad_lines_are_rejected_and_reading_goes_on(tmp_path):
    path = write(
        tmp_path / "mixed.jsonl",
        '{"title": "one"}\n{"title": "two",\n["not", "an", "object"]\n"just a string"\n{"title": "five"}\n',
    )
    items = read_all(path)
    assert [r.fields["title"] for r in records(items)] == ["one", "five"]
    bad = rejections(items)
    assert [(r.line, r.reason.split(":")[0]) for r in bad] == [
        (2, "not valid JSON"),
        (3, "not a JSON object (found an array)"),
        (4, "not a JSON object (found a string)"),
    ]
    assert "Expecting property name" in bad[0].reason or "Expecting" in bad[0].reason


def test_crlf_lines_and_a_bom(tmp_path):
    path = write(tmp_path / "windows.jsonl", b'\xef\xbb\xbf{"title": "a"}\r\n{"title": "b"}\r\n')
    items = read_all(path)
    assert rejections(items) == []
    assert [r.raw for r in records(items)] == ['{"title": "a"}', '{"title": "b"}']


def test_euc_kr_line_decodes_through_the_cp949_fallback(tmp_path):
    korean = "조선중앙통신 보도"
    line = json.dumps({"title": korean, "language": "ko"}, ensure_ascii=False).encode("euc-kr")
    path = write(tmp_path / "korean.jsonl", b'{"title": "utf-8 line"}\n' + line + b"\n")
    items = read_all(path)
    assert rejections(items) == []
    assert records(items)[1].fields["title"] == korean


def test_undecodable_line_is_rejected_naming_the_charsets(tmp_path):
    path = write(tmp_path / "junk.jsonl", b'{"title": "\xff\x80\xff\xfe"}\n{"title": "fine"}\n')
    items = read_all(path)
    (bad,) = rejections(items)
    assert (bad.line, bad.reason) == (1, "not valid UTF-8 or CP949")
    assert records(items)[0].fields["title"] == "fine"


def test_fallback_encodings_come_from_the_options(tmp_path):
    path = write(tmp_path / "latin.jsonl", '{"title": "Pyongyang caf\u00e9"}\n'.encode("latin-1"))
    assert rejections(read_all(path))[0].reason == "not valid UTF-8 or CP949"
    items = read_all(path, options=ReadOptions(fallback_encodings=("latin-1",)))
    assert records(items)[0].fields["title"] == "Pyongyang caf\u00e9"


def test_a_50_mb_line_is_rejected_without_being_held_in_memory(tmp_path):
    size = 50 * 1024 * 1024
    prefix = b'{"body": "'
    path = tmp_path / "huge.jsonl"
    with path.open("wb") as out:
        out.write(prefix)
        chunk = b"x" * (1024 * 1024)
        remaining = size - len(prefix) - 2
        while remaining > 0:
            out.write(chunk[:remaining])
            remaining -= len(chunk)
        out.write(b'"}\n{"title": "after"}\n')

    tracemalloc.start()
    try:
        items = read_all(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    (bad,) = rejections(items)
    assert (bad.line, bad.reason) == (1, "record is 52,428,800 bytes, over the 8 MiB limit")
    assert [r.fields for r in records(items)] == [{"title": "after"}]
    # The 8 MiB limit is read once and joined once; holding the 50 MB line would pass 50 MB.
    assert peak < 25 * 1024 * 1024, f"peak {peak:,} bytes"


def test_the_record_limit_is_an_option(tmp_path):
    path = write(tmp_path / "small.jsonl", '{"title": "short"}\n{"title": "' + "y" * 200 + '"}\n')
    items = read_all(path, options=ReadOptions(max_record_bytes=100))
    assert [r.line for r in records(items)] == [1]
    assert rejections(items)[0].reason == "record is 213 bytes, over the 100 bytes limit"
