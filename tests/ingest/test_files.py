"""Walking directories, gzip, sniffing and broken files."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import shutil
import threading
from collections.abc import Callable

import pytest

from wirewatch.ingest import count_records_hint

from .conftest import FIXTURES, read_all, records, rejections, write


def _jsonl(count: int, words: int = 50) -> str:
    return "".join(
        json.dumps({"title": f"Story {n}", "body": f"Story {n} text " + "word " * words}) + "\n" for n in range(count)
    )


def test_gzip_is_read_transparently_and_the_input_is_the_gz_path(tmp_path):
    jsonl = write(tmp_path / "a.jsonl.gz", _jsonl(3), compress=True)
    csv = write(tmp_path / "b.csv.gz", "title,body\nT,B\n", compress=True)
    page = write(tmp_path / "c.txt.gz", (FIXTURES / "page-with-link.txt").read_bytes(), compress=True)
    items = read_all(jsonl, csv, page)
    assert rejections(items) == []
    assert [(r.input, r.kind) for r in items] == [(str(jsonl), "jsonl")] * 3 + [(str(csv), "csv"), (str(page), "page")]


def test_gzip_content_is_recognised_whatever_the_name(tmp_path):
    path = write(tmp_path / "download.jsonl", _jsonl(2), compress=True)
    assert len(records(read_all(path))) == 2


def test_a_gz_name_on_a_file_that_is_not_gzip(tmp_path):
    path = write(tmp_path / "fake.jsonl.gz", _jsonl(2))
    assert [(r.input, r.reason) for r in read_all(path)] == [(str(path), "not a gzip file")]


def test_truncated_gzip_yields_the_records_before_the_break_then_a_rejection(tmp_path):
    whole = gzip.compress(_jsonl(2000, words=80).encode(), compresslevel=6)
    path = write(tmp_path / "cut.jsonl.gz", whole[: len(whole) // 2])

    items = read_all(path)

    good = records(items)
    assert 200 < len(good) < 2000
    assert [r.fields["title"] for r in good] == [f"Story {n}" for n in range(len(good))]
    assert items[-1] == rejections(items)[0]
    assert (items[-1].input, items[-1].reason) == (str(path), "compressed stream ends early (truncated .gz)")


def test_gzip_cut_inside_its_header(tmp_path):
    path = write(tmp_path / "stub.jsonl.gz", gzip.compress(_jsonl(5).encode())[:6])
    assert [r.reason for r in read_all(path)] == ["compressed stream ends early (truncated .gz)"]


def test_empty_whitespace_and_binary_files(tmp_path):
    empty = write(tmp_path / "empty.jsonl", b"")
    blank = write(tmp_path / "blank.csv", b"\n  \r\n\t\n")
    empty_gz = write(tmp_path / "empty.txt.gz", b"", compress=True)
    junk = write(tmp_path / "junk.txt", bytes(range(256)) * 8)
    utf16 = write(tmp_path / "utf16.txt", "Title\n\nBody\n".encode("utf-16"))
    assert [(r.input, r.reason) for r in read_all(empty, blank, empty_gz, junk, utf16)] == [
        (str(empty), "empty file"),
        (str(blank), "empty file"),
        (str(empty_gz), "empty file"),
        (str(junk), "binary data, not text"),
        (str(utf16), "UTF-16 text is not supported: save the file as UTF-8"),
    ]


def test_control_characters_without_nul_are_binary(tmp_path):
    path = write(tmp_path / "controls.txt", bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16]) * 50 + b"some text")
    assert [r.reason for r in read_all(path)] == ["binary data, not text"]


def test_jsonl_hiding_in_a_txt_file(tmp_path):
    path = write(tmp_path / "export.txt", "\n" + _jsonl(2))
    assert [(r.kind, r.line) for r in read_all(path)] == [("jsonl", 2), ("jsonl", 3)]


def test_a_csv_without_an_extension_is_recognised_by_its_header(tmp_path):
    path = write(tmp_path / "export", "title,date,body\nT,2012-01-01,B\n")
    assert [r.kind for r in read_all(path)] == ["csv"]


def test_directories_are_walked_in_order_skipping_hidden_files(tmp_path):
    root = tmp_path / "in"
    (root / "b" / "deeper").mkdir(parents=True)
    (root / ".hidden").mkdir()
    write(root / "a.jsonl", _jsonl(1))
    write(root / "b" / "deeper" / "d.txt", "Deep title\n\nDeep body\n")
    write(root / "b" / "c.csv", "title,body\nT,B\n")
    write(root / "c.json", "[]")
    write(root / ".secret.jsonl", _jsonl(1))
    write(root / ".hidden" / "x.jsonl", _jsonl(1))
    write(root / "photo.png", b"\x89PNG\r\n\x1a\n")
    shutil.copy(FIXTURES / "article.html", root / "page")

    items = read_all(root)

    assert [(os.path.relpath(r.input, root), type(r).__name__) for r in items] == [
        ("a.jsonl", "RawRecord"),
        (os.path.join("b", "c.csv"), "RawRecord"),
        (os.path.join("b", "deeper", "d.txt"), "RawRecord"),
        ("c.json", "Rejected"),
        ("page", "RawRecord"),
        ("photo.png", "Rejected"),
    ]
    assert items[-1].reason == "skipped: .png is not a supported file type"


def test_a_named_file_is_read_whatever_its_name_and_a_missing_path_is_rejected(tmp_path):
    named = write(tmp_path / "stories.dat", _jsonl(1))
    missing = tmp_path / "nowhere.jsonl"
    items = read_all(named, missing)
    assert [type(r).__name__ for r in items] == ["RawRecord", "Rejected"]
    assert (items[1].input, items[1].reason) == (str(missing), "no such file or directory")


def test_count_records_hint(tmp_path):
    jsonl = write(tmp_path / "a.jsonl.gz", _jsonl(40), compress=True)
    page = write(tmp_path / "p.txt", (FIXTURES / "page-with-link.txt").read_text())
    csv = write(tmp_path / "c.csv", "title,body\nT,B\nU,C\n")
    assert count_records_hint(jsonl) == 40
    assert count_records_hint(page) == 1
    assert count_records_hint(csv) == 3  # the header counts: a hint, not a count
    assert count_records_hint(tmp_path) == 44
    assert count_records_hint(tmp_path / "missing.jsonl") is None


def _within(seconds: float, fifo: str, read: Callable[[], list]) -> list:
    """``read()``, failed when it is still waiting after ``seconds`` (on a FIFO with no writer):
    the FIFO is then opened for writing and closed, so that the waiting reader ends."""
    found: list = []
    thread = threading.Thread(target=lambda: found.extend(read()), daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(5)
        pytest.fail(f"reading still waited on the FIFO {fifo} after {seconds} s")
    return found


def test_a_fifo_met_while_walking_a_folder_is_skipped_with_a_note(tmp_path):
    write(tmp_path / "a.jsonl", _jsonl(2))
    os.mkfifo(tmp_path / "b.jsonl")
    items = _within(10, str(tmp_path / "b.jsonl"), lambda: read_all(tmp_path))
    assert len(records(items)) == 2
    assert [(r.input, r.reason) for r in rejections(items)] == [
        (str(tmp_path / "b.jsonl"), "skipped: a named pipe (FIFO), not a regular file")
    ]
    assert count_records_hint(tmp_path) == 2


def test_a_fifo_named_directly_is_read_as_a_stream(tmp_path):
    fifo = tmp_path / "stream"
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "wb") as out:  # waits for the reader, as a writer to a FIFO does
            out.write(_jsonl(3).encode())

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    items = _within(10, str(fifo), lambda: read_all(fifo))
    writer.join(5)
    assert rejections(items) == []
    assert [r.fields["title"] for r in items] == ["Story 0", "Story 1", "Story 2"]


def test_a_pipe_given_as_dev_fd_is_read_whole_and_gzip_is_read_from_it(tmp_path):
    """What ``wirewatch import <(cat ok.jsonl)`` passes: /dev/fd/N, a pipe read once."""
    for data, count in ((_jsonl(3).encode(), 3), (gzip.compress(_jsonl(4).encode()), 4)):
        read_end, write_end = os.pipe()
        try:
            os.write(write_end, data)  # small enough for the pipe's buffer
            os.close(write_end)
            path = f"/dev/fd/{read_end}"
            assert count_records_hint(path) is None  # a hint never reads a pipe
            items = _within(10, path, lambda path=path: read_all(path))
        finally:
            os.close(read_end)
        assert rejections(items) == []
        assert len(records(items)) == count
