"""The inputs that aborted a whole import (issue 18, finding 2), through ``wirewatch import``:
the good records are stored, the bad one is listed with its file and reason, exit status 1."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.conftest import Invoke, write_jsonl
from tests.ingest.test_warc import write_warc

pytestmark = pytest.mark.fuzz

GOOD = {"source": "KCNA", "title": "Talks held", "date": "2011-01-01", "body": "Talks were held in Pyongyang."}
#: lxml refuses a control character in a tree it builds ("All strings must be XML compatible").
CONTROL = "<br>\x0e</br>"
#: htmldate's clean_html drops the root element lxml made of this: an AssertionError.
ROOT_DROPPED = b"<label><html>the text of a page that is not a page"
PAGE = (
    b"<html><body><article><h1>Good page</h1><p>The delegation arrived in Pyongyang on Sunday"
    b" and held talks with the officials of the ministry.</p></article></body></html>"
)


def _import(cli: Invoke, *paths: Path) -> dict:
    result = cli("import", *map(str, paths), "--json")
    assert result.exit_code == 1, result.stderr
    summary = result.json()
    assert isinstance(summary, dict)
    return summary


def _reasons(summary: dict) -> dict[tuple[str, int | None], str]:
    return {(Path(e["input"]).name, e["line"]): e["reason"] for e in summary["errors"]}


def test_a_text_file_with_a_control_character_in_html(cli: Invoke, tmp_path: Path) -> None:
    (tmp_path / "min.txt").write_bytes(CONTROL.encode())
    good = write_jsonl(tmp_path / "good.jsonl", [GOOD])
    summary = _import(cli, tmp_path / "min.txt", good)
    # The control character goes as cleaning drops it; what is left is no text at all.
    assert (summary["added"], summary["rejected"]) == (1, 1)
    assert _reasons(summary) == {("min.txt", None): "no title and no body text"}


def test_jsonl_and_csv_bodies_with_a_control_character(cli: Invoke, tmp_path: Path) -> None:
    bad = {**GOOD, "title": "Control", "body": f"Before {CONTROL} after."}
    jsonl = write_jsonl(tmp_path / "in.jsonl", [GOOD, {**bad, "title": "Only control", "body": CONTROL}, bad])
    with (tmp_path / "in.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(GOOD))
        writer.writeheader()
        writer.writerows(
            [
                {**GOOD, "title": "CSV row", "body": "A row of a CSV file."},
                {**bad, "title": "CSV control", "body": f"A row with {CONTROL} in it."},
            ]
        )
    result = cli("import", str(jsonl), str(tmp_path / "in.csv"), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["added"] == 5  # type: ignore[index]
    shown = cli("show", "2", "--json").json()
    assert isinstance(shown, dict) and shown["title"] == "Only control"
    assert "\x0e" not in json.dumps(cli("export").stdout)


def test_a_folder_with_the_bad_file_beside_good_ones(cli: Invoke, tmp_path: Path) -> None:
    tmp_path = tmp_path / "in"
    tmp_path.mkdir()
    (tmp_path / "a.txt").write_bytes(CONTROL.encode())
    (tmp_path / "b.html").write_bytes(ROOT_DROPPED)
    write_jsonl(tmp_path / "c.jsonl", [GOOD])
    (tmp_path / "d.html").write_bytes(PAGE)
    summary = _import(cli, tmp_path)
    assert (summary["added"], summary["rejected"]) == (2, 2)
    reasons = _reasons(summary)
    assert reasons[("a.txt", None)] == "no title and no body text"
    assert reasons[("b.html", None)].startswith("no article text found in HTML")


def test_a_warc_payload_that_crashes_extraction_rejects_that_capture_only(cli: Invoke, tmp_path: Path) -> None:
    warc = write_warc(
        tmp_path / "pages.warc",
        [
            ("response", "http://x.kp/1", "2019-01-01T10:00:00Z", ROOT_DROPPED, "text/html"),
            ("response", "http://x.kp/2", "2019-01-01T10:00:00Z", CONTROL.encode(), "text/html"),
            ("response", "http://x.kp/3", "2019-01-01T10:00:00Z", PAGE, "text/html"),
        ],
    )
    summary = _import(cli, warc)
    assert summary["added"] == 1
    reasons = _reasons(summary)
    assert reasons[("pages.warc", 1)].startswith("http://x.kp/1: no article text found in HTML")
    assert reasons[("pages.warc", 2)].startswith("http://x.kp/2: ")


def _plant_cleaning_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cleaning raises an unexpected KeyError for a record titled "Bug" (a stand-in for any future bug)."""
    from wirewatch.clean import record

    build = record.build_article

    def buggy(raw, options):  # type: ignore[no-untyped-def]
        if raw.fields.get("title") == "Bug":
            raise KeyError("planted")
        return build(raw, options)

    monkeypatch.setattr("wirewatch.pipeline.prepare.build_article", buggy)


def test_a_cleaning_bug_rejects_its_record_and_the_rest_imports(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever goes wrong inside cleaning (here a bug planted in it) is that record's rejection."""

    _plant_cleaning_bug(monkeypatch)
    path = write_jsonl(
        tmp_path / "in.jsonl", [GOOD, {**GOOD, "title": "Bug"}, {**GOOD, "title": "After", "body": "Later."}]
    )
    summary = _import(cli, path)
    assert (summary["added"], summary["rejected"]) == (2, 1)
    assert _reasons(summary) == {("in.jsonl", 2): "could not be cleaned: KeyError: 'planted'"}
    shown = cli("--debug", "import", str(path))
    assert shown.exit_code == 1
    assert "rejected" in shown.stderr and "Traceback" in shown.stderr and "planted" in shown.stderr
    assert "Traceback" not in cli("import", str(path)).stderr


def test_a_reader_bug_rejects_its_file_and_the_next_file_is_read(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wirewatch.ingest import reader

    def broken(stream, input, head, context):  # type: ignore[no-untyped-def]
        yield from ()
        raise ZeroDivisionError("planted")

    monkeypatch.setitem(reader.READERS, "csv", broken)
    tmp_path = tmp_path / "in"
    tmp_path.mkdir()
    (tmp_path / "a.csv").write_text("title,body\nT,B\n")
    write_jsonl(tmp_path / "b.jsonl", [GOOD])
    summary = _import(cli, tmp_path)
    assert summary["added"] == 1
    assert _reasons(summary) == {("a.csv", None): "could not be read: ZeroDivisionError: planted"}


def test_a_crawled_page_that_crashes_extraction_or_cleaning_fails_its_job_only(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.collect.site import LocalSite, article_html, rss
    from tests.collect.test_crawl import write_sources

    _plant_cleaning_bug(monkeypatch)
    with LocalSite() as site:
        site.set("/news/soup.html", ROOT_DROPPED)
        site.set("/news/bug.html", article_html("Bug", ["A page whose cleaning meets a planted bug."]))
        site.set("/news/good.html", article_html("Good page", ["The delegation arrived in Pyongyang on Sunday."]))
        links = [{"title": p, "link": site.url(f"/news/{p}.html")} for p in ("soup", "bug", "good")]
        site.set("/feed.xml", rss(links), content_type="application/rss+xml")
        monkeypatch.setenv("WIREWATCH_SOURCES", str(write_sources(tmp_path / "sources.toml", site)))
        result = cli("crawl", "--json")
    assert result.exit_code == 1, result.stderr
    summary = result.json()
    assert isinstance(summary, dict)
    errors = {e["url"].rsplit("/", 1)[1]: (e["outcome"], e["error"]) for e in summary["errors"]}
    assert errors["soup.html"][0] == "not_article"
    assert errors["bug.html"] == ("rejected", "could not be cleaned: KeyError: 'planted'")
    assert summary["sources"]["Local News"]["outcomes"]["added"] == 1
