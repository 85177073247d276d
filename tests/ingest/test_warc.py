"""WARC files through ``wirewatch import``: captures of one address become versions of one article."""

from __future__ import annotations

import io
import json
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.collect.site import article_html
from tests.conftest import Invoke

URL = "http://www.pyongyangtimes.com.kp/?bbs=1234"
FIRST = [
    "The friendship between the two countries has a long history of more than seventy years.",
    "Kim Jong Il visited Russia in 2001, 2002 and 2011 and held talks with the Russian leaders.",
]
SECOND = [FIRST[0], "Kim Jong Il visited Russia three times and held talks with the Russian leaders."]


def write_warc(path: Path, records: list[tuple[str, str, str, bytes, str]]) -> Path:
    """(type, url, WARC-Date, payload, content type) records; a 'revisit' repeats the first payload's digest."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=path.suffix == ".gz")
        digests: dict[bytes, str] = {}
        for kind, url, when, payload, content_type in records:
            http = StatusAndHeaders(
                "200 OK" if kind != "404" else "404 Not Found", [("Content-Type", content_type)], protocol="HTTP/1.1"
            )
            if kind == "revisit":
                record = writer.create_revisit_record(url, digests[payload], url, when, http_headers=http)
                record.rec_headers.replace_header("WARC-Date", when)
            else:
                record = writer.create_warc_record(
                    url,
                    "response",
                    payload=io.BytesIO(payload),
                    http_headers=http,
                    warc_headers_dict={"WARC-Date": when},
                )
                digests[payload] = record.rec_headers.get_header("WARC-Payload-Digest")
            writer.write_record(record)
    return path


def page(title: str, paragraphs: list[str]) -> bytes:
    return article_html(title, paragraphs, date="2018-10-11").encode()


def test_two_captures_of_one_url_are_one_article_with_two_versions(cli: Invoke, tmp_path: Path) -> None:
    warc = write_warc(
        tmp_path / "pt.warc.gz",
        [
            (
                "response",
                URL,
                "2019-01-01T10:00:00Z",
                page("DPRK-Russia friendship goes on", FIRST),
                "text/html; charset=utf-8",
            ),
            ("response", "http://www.pyongyangtimes.com.kp/logo.png", "2019-01-01T10:00:01Z", b"\x89PNG", "image/png"),
            (
                "response",
                URL,
                "2019-03-01T10:00:00Z",
                page("DPRK-Russia friendship grows", SECOND),
                "text/html; charset=utf-8",
            ),
        ],
    )
    summary = cli("import", str(warc), "--source", "Pyongyang Times", "--json").json()
    assert (summary["read"], summary["added"], summary["edited"], summary["rejected"]) == (2, 1, 1, 0)
    hits = cli("search", "friendship", "--json").json()["hits"]
    assert [(h["title"], h["url"]) for h in hits] == [("DPRK-Russia friendship grows", URL)]
    history = cli("history", str(hits[0]["id"]), "--json").json()
    assert history["status"] == "edited"
    assert [(r["seen_at"], r["title"], r["changes"]) for r in history["revisions"]] == [
        ("2019-01-01T10:00:00Z", "DPRK-Russia friendship goes on", []),
        ("2019-03-01T10:00:00Z", "DPRK-Russia friendship grows", ["title", "body"]),
    ]
    assert {"op": "insert", "text": "three times"} in history["revisions"][1]["diff"]["body"]
    assert history["revisions"][0]["origin"] == str(warc)
    # The same file again adds nothing.
    again = cli("import", str(warc), "--source", "Pyongyang Times", "--json").json()
    assert (again["added"], again["edited"], again["unchanged"]) == (0, 0, 2)


def test_captures_arriving_out_of_order_fill_the_history_in_place(cli: Invoke, tmp_path: Path) -> None:
    later = write_warc(
        tmp_path / "later.warc",
        [
            ("response", URL, "2019-03-01T10:00:00Z", page("Friendship", SECOND), "text/html"),
        ],
    )
    earlier = write_warc(
        tmp_path / "earlier.warc",
        [
            ("response", URL, "2019-01-01T10:00:00Z", page("Friendship", FIRST), "text/html"),
            ("revisit", URL, "2019-02-01T10:00:00Z", page("Friendship", FIRST), "text/html"),
        ],
    )
    cli("import", str(later), "--source", "Pyongyang Times")
    cli("import", str(earlier), "--source", "Pyongyang Times")
    article = cli("search", "friendship", "--json").json()["hits"][0]["id"]
    history = cli("history", str(article), "--json").json()
    # The newest capture stays the article's text; the older one goes before it.
    assert (
        cli("show", str(article), "--json")
        .json()["body"]
        .endswith("three times and held talks with the Russian leaders.")
    )
    assert [(r["seen_at"], r["last_seen_at"]) for r in history["revisions"]] == [
        ("2019-01-01T10:00:00Z", "2019-02-01T10:00:00Z"),  # the revisit: the same text seen again
        ("2019-03-01T10:00:00Z", "2019-03-01T10:00:00Z"),
    ]
    assert history["revisions"][1]["changes"] == ["body"]


def test_a_broken_warc_is_rejected_with_its_name(cli: Invoke, tmp_path: Path) -> None:
    broken = tmp_path / "broken.warc"
    broken.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nshort")
    good = tmp_path / "good.jsonl"
    good.write_text(
        json.dumps({"title": "Still imported", "body": "The rest of the batch goes on.", "source": "KCNA"}) + "\n"
    )
    result = cli("import", str(broken), str(good), "--json")
    assert result.exit_code == 1
    summary = result.json()
    assert summary["added"] == 1 and summary["rejected"] == 1
    assert summary["errors"][0]["input"] == str(broken)
