"""Every reader, fed generated input, keeps the import's contract (issue 18): each input
gives records or clean rejections, never an unexpected error, in bounded time.

Each case writes one file, reads it with ``read_inputs`` and cleans what it gives with
``prepare``, as ``wirewatch import`` does. A rejection that says "could not be read" or
"could not be cleaned" is the safety net catching a bug: the contract fails on it too.
Derandomized and bounded (``EXAMPLES`` a reader), so that CI is reproducible and quick.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from wirewatch.clean.boilerplate import BoilerplateRules
from wirewatch.clean.record import CleanOptions
from wirewatch.ingest import ReadOptions, read_inputs
from wirewatch.models import RawRecord, Rejected
from wirewatch.pipeline.prepare import ImportSummary, prepare

pytestmark = pytest.mark.fuzz

EXAMPLES = 200
#: A generous bound on one small input (a few KiB): a slow regex or a loop shows here.
SECONDS = 5.0
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
#: Limits small enough that the over-size paths are met too.
RULES = BoilerplateRules.load()
READ = ReadOptions(max_record_bytes=4096, boilerplate=RULES)
CLEAN = CleanOptions(rules=RULES)

#: The characters that broke imports: controls, lone surrogates, U+FFFE, markup.
_NASTY = st.sampled_from(["\x00", "\x0e", "\x1f", "\x7f", "\x85", "\u2028", "\ufeff", "\ufffe", "\r", "\t", "&#0;"])
_TAGS = st.sampled_from(
    [
        "<br>",
        "</br>",
        "<p>",
        "</p>",
        "<label>",
        "<html>",
        "<body>",
        "<svg>",
        "<map>",
        "<script>",
        "<!--",
        "-->",
        "&amp;",
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=20), _NASTY, _TAGS), max_size=12).map("".join)
#: Markup dense in tags, where the HTML parsers' own corner cases are.
SOUP = st.lists(st.one_of(_TAGS, _TAGS, st.sampled_from(["words of text", "2011-11-14", " ", "\x0e"])), max_size=8)
FIELD_NAMES = st.sampled_from(["title", "body", "date", "source", "url", "language", "place", "author", "x"])
#: A record's fields as JSON would give them: mostly text, sometimes not.
JSON_VALUE = st.one_of(
    TEXT, st.integers(), st.floats(allow_nan=True), st.none(), st.booleans(), st.lists(TEXT, max_size=2)
)
RECORD = st.dictionaries(FIELD_NAMES, JSON_VALUE, max_size=6)
DATES = st.sampled_from(["2011-11-14", "14/11/2011", "Juche 100", "", "99999-99-99", "2011-02-30", "yesterday"])


def _check(name: str, data: bytes) -> list[RawRecord | Rejected]:
    """Read and clean ``data`` as the file ``name``: the contract, asserted."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        started = time.monotonic()
        items = list(read_inputs([path], READ))
        summary = ImportSummary()
        prepared = list(prepare(items, CLEAN, summary))
        elapsed = time.monotonic() - started
    assert elapsed < SECONDS, f"{name}: {elapsed:.1f} s"
    for item in items:
        assert isinstance(item, RawRecord | Rejected)
    for error in summary.errors:
        assert error.detail is None and not error.reason.startswith("could not be"), error.reason
    assert summary.read == len(prepared) + summary.rejected - sum(isinstance(i, Rejected) for i in items)
    return items


@FUZZ
@given(st.lists(st.one_of(RECORD.map(lambda r: json.dumps(r, ensure_ascii=False)), TEXT), max_size=6))
def test_jsonl(lines: list[str]) -> None:
    _check("in.jsonl", "\n".join(lines).encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.lists(st.one_of(RECORD, JSON_VALUE), max_size=5), st.booleans())
def test_json_array(values: list[object], cut: bool) -> None:
    text = json.dumps(values, ensure_ascii=False)
    data = text.encode("utf-8", "surrogatepass")
    _check("in.json", data[: len(data) // 2] if cut else data)


@FUZZ
@given(
    st.lists(st.sampled_from(["title", "body", "date", "source", "url", "x", ""]), min_size=1, max_size=5),
    st.lists(st.lists(TEXT, max_size=6), max_size=5),
    st.sampled_from([",", "\t", ";"]),
)
def test_csv(header: list[str], rows: list[list[str]], delimiter: str) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    _check("in.tsv" if delimiter == "\t" else "in.csv", out.getvalue().encode("utf-8", "surrogatepass"))


@FUZZ
@given(TEXT, DATES, TEXT, st.lists(TEXT, max_size=4))
def test_page_dump(title: str, date: str, source: str, paragraphs: list[str]) -> None:
    page = f"{title}\n{date}\n{source}\n\n" + "\n\n".join(paragraphs) + "\nShare Button\nRead original version\n"
    _check("page.txt", page.encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.one_of(TEXT, st.binary(max_size=200)))
def test_text(data: str | bytes) -> None:
    _check("note.txt", data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass"))


@FUZZ
@given(TEXT, st.lists(TEXT, max_size=4), st.sampled_from(["", "<html lang='en'>", "<html><head><title>T</title>"]))
def test_html(title: str, paragraphs: list[str], start: str) -> None:
    page = f"{start}<body><h1>{title}</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs)
    _check("page.html", page.encode("utf-8", "surrogatepass"))


@FUZZ
@given(SOUP)
def test_html_tag_soup(pieces: list[str]) -> None:
    _check("soup.html", "".join(pieces).encode())


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["response", "revisit", "request", "resource"]),
            st.sampled_from(["200 OK", "404 Not Found", "301 Moved"]),
            st.sampled_from(["text/html", "text/html; charset=euc-kr", "image/png", "text/plain"]),
            TEXT,
            st.sampled_from(["2019-01-01T10:00:00Z", "not a date"]),
        ),
        max_size=4,
    ),
    st.booleans(),
    st.integers(min_value=0, max_value=64),
)
def test_warc(records: list[tuple[str, str, str, str, str]], compress: bool, cut: int) -> None:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)
    for kind, status, content_type, payload, when in records:
        http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        body = f"<html><body><p>{payload}</p></body></html>".encode("utf-8", "surrogatepass")
        if kind == "revisit":
            record = writer.create_revisit_record(
                "http://x.kp/1", "sha1:AAAA", "http://x.kp/1", when, http_headers=http
            )
        else:
            record = writer.create_warc_record(
                "http://x.kp/1",
                kind,
                payload=io.BytesIO(body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": when},
            )
        writer.write_record(record)
    data = out.getvalue()
    _check("pages.warc.gz" if compress else "pages.warc", data[: len(data) - cut] if cut else data)
