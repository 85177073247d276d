from __future__ import annotations

import csv
import io

from wirewatch.ingest import ReadOptions

from .conftest import read_all, records, rejections, write


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue()


def test_rows_become_records_named_by_the_header(tmp_path):
    text = _csv(
        [
            ["Title", "date", "source", "url", "language", "body", "section"],
            ["Lao President Greeted", "2011-12-01", "KCNA", "http://x/1", "en", "Body one.", "politics"],
            ["Second", "2011-12-02", "KCNA", "http://x/2", "en", "Body two.", "economy"],
        ]
    )
    path = write(tmp_path / "stories.csv", text)

    items = read_all(path)

    assert rejections(items) == []
    first, second = records(items)
    assert (first.kind, first.line, second.line) == ("csv", 2, 3)
    assert first.fields == {
        "title": "Lao President Greeted",
        "date": "2011-12-01",
        "source": "KCNA",
        "url": "http://x/1",
        "language": "en",
        "body": "Body one.",
        "section": "politics",
    }
    assert first.raw == "Lao President Greeted,2011-12-01,KCNA,http://x/1,en,Body one.,politics"


def test_quoted_multi_line_fields_and_the_line_where_each_row_starts(tmp_path):
    text = 'title,body\n"First","Para one.\n\nPara two, with a comma."\n\n"Second","Only one ""quoted"" para."\n'
    path = write(tmp_path / "multi.csv", text)
    first, second = records(read_all(path))
    assert first.fields["body"] == "Para one.\n\nPara two, with a comma."
    assert first.raw == '"First","Para one.\n\nPara two, with a comma."'
    assert (first.line, second.line) == (2, 6)
    assert second.fields["body"] == 'Only one "quoted" para.'


def test_tab_and_semicolon_delimiters_are_sniffed(tmp_path):
    tsv = write(tmp_path / "stories.tsv", "title\tdate\tbody\nA, with comma\t2012-01-01\tText; more.\n")
    semi = write(tmp_path / "stories.csv", "title;date;body\nB, also comma;2012-01-02;Text.\n")
    assert records(read_all(tsv))[0].fields == {"title": "A, with comma", "date": "2012-01-01", "body": "Text; more."}
    assert records(read_all(semi))[0].fields == {"title": "B, also comma", "date": "2012-01-02", "body": "Text."}


def test_headline_only_csv_without_body(tmp_path):
    path = write(tmp_path / "headlines.csv", "date,title,url\n1997-01-01,New Year Greetings,http://x/1\n")
    (record,) = records(read_all(path))
    assert record.fields == {"date": "1997-01-01", "title": "New Year Greetings", "url": "http://x/1"}


def test_csv_without_title_or_date(tmp_path):
    path = write(tmp_path / "bodies.csv", "body,source\nThe delegation arrived.,KCNA\n")
    (record,) = records(read_all(path))
    assert record.fields == {"body": "The delegation arrived.", "source": "KCNA"}


def test_long_rows_are_rejected_and_short_rows_lack_the_last_fields(tmp_path):
    path = write(tmp_path / "ragged.csv", "title,date,body\nA,2012-01-01,Text\nB,2012-01-02,Text,extra\nC,2012-01-03\n")
    items = read_all(path)
    assert [(r.line, r.reason) for r in rejections(items)] == [(3, "row has 4 fields, the header has 3")]
    a, c = records(items)
    assert a.fields["title"] == "A"
    assert c.fields == {"title": "C", "date": "2012-01-03"}


def test_html_inside_a_cell_arrives_as_given(tmp_path):
    path = write(tmp_path / "html.csv", _csv([["title", "body"], ["T", "<p>Line<br/>two &amp; more</p>"]]))
    assert records(read_all(path))[0].fields["body"] == "<p>Line<br/>two &amp; more</p>"


def test_a_file_without_a_header_row_is_rejected(tmp_path):
    path = write(tmp_path / "noheader.csv", "Lao President Greeted,2011-12-01,The delegation arrived.\n")
    (bad,) = read_all(path)
    assert bad.line == 1 and bad.reason.startswith("no header row")


def test_header_only_file(tmp_path):
    path = write(tmp_path / "header.csv", "title,date,body\n\n")
    assert [r.reason for r in read_all(path)] == ["no rows after the header"]


def test_euc_kr_rows_decode_and_undecodable_rows_are_rejected(tmp_path):
    data = b"title,body\n" + "조선,평양 소식\n".encode("euc-kr") + b"bad,\xff\x80\xff\nok,fine\n"
    path = write(tmp_path / "korean.csv", data)
    items = read_all(path)
    assert [r.fields["title"] for r in records(items)] == ["조선", "ok"]
    assert [(r.line, r.reason) for r in rejections(items)] == [(3, "not valid UTF-8 or CP949")]


def test_fields_larger_than_the_csv_modules_default_limit(tmp_path):
    body = "word " * 60_000  # 300 KB, over csv's default 128 KiB field limit
    path = write(tmp_path / "long.csv", _csv([["title", "body"], ["Long", body]]))
    (record,) = records(read_all(path))
    assert record.fields["body"] == body


def test_rows_over_the_record_limit_are_rejected(tmp_path):
    path = write(tmp_path / "limit.csv", _csv([["title", "body"], ["big", "x" * 500], ["small", "y"]]))
    items = read_all(path, options=ReadOptions(max_record_bytes=200))
    assert [r.fields["title"] for r in records(items)] == ["small"]
    assert [(r.line, r.reason) for r in rejections(items)] == [(2, "record is 504 bytes, over the 200 bytes limit")]
    # The small limit was this read's alone: the csv module's limit is process-wide, and any
    # other CSV read in the process (the web's export, a test's) still takes a long field.
    assert list(csv.reader(io.StringIO("z" * 1000))) == [["z" * 1000]]
