"""Importing through the CLI: the reference article, the KCNA corpus, idempotence, bad input."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from tests.conftest import KCNA, REFERENCE, CorpusArchives, Invoke, write_jsonl

CHROME = ("Share Button", "Read original version", "Subscribe", "Get North Korea headlines", "Daily Update")


def test_reference_article(cli: Invoke, corpus: Path) -> None:
    result = cli("import", str(REFERENCE), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["added"] == 1
    hits = cli("search", "Lavrov", "--json").json()["hits"]
    article = cli("show", str(hits[0]["id"]), "--json").json()
    assert article["title"] == "DPRK-Russia friendship goes on"
    assert article["title_derived"] is False
    assert article["source"] == "Pyongyang Times"
    assert article["date"] == "2018-10-11"
    assert article["date_precision"] == "day"
    assert article["date_alternatives"] == ["2018-11-10"]
    assert article["language"] == "en"
    assert article["body"].startswith("The DPRK-Russia friendship with a long history")
    assert article["body"].endswith("for their common interests and prosperity.")
    assert not any(chrome in article["body"] for chrome in CHROME)
    paragraphs = article["body"].split("\n\n")
    assert len(paragraphs) == 17 and all(p.strip() == p and p for p in paragraphs)


def test_reference_article_date_order_follows_the_source_setting(cli: Invoke, corpus: Path) -> None:
    result = cli("import", str(REFERENCE), "--source-date-order", "Pyongyang Times=MDY", "--json")
    assert result.exit_code == 0, result.stderr
    article = cli("show", "1", "--json").json()
    assert (article["date"], article["date_alternatives"]) == ("2018-11-10", ["2018-10-11"])


def test_show_prints_the_article_for_a_reader(cli: Invoke, corpus: Path) -> None:
    cli("import", str(REFERENCE))
    result = cli("show", "1")
    assert result.exit_code == 0
    assert result.stdout.startswith("DPRK-Russia friendship goes on\n")
    assert "Date: 11 October 2018 (ambiguous: or 10 November 2018) | Source: Pyongyang Times" in result.stdout


@pytest.mark.slow
def test_kcna_corpus(cli: Invoke, db: str, corpus: Path, request: pytest.FixtureRequest) -> None:
    if db.startswith("postgresql"):
        result = cli("import", str(KCNA), "--json")
        exit_code, summary = result.exit_code, result.json()
    else:  # the same command, run once for every test that needs the corpus on SQLite
        archives: CorpusArchives = request.getfixturevalue("corpus_archives")
        exit_code, summary = archives.kcna_result
        archives.copy("kcna", Path(db))
    assert exit_code == 1, summary  # done, with two records rejected
    assert summary["read"] == 23143
    # Two records are a lost title (",") and R's missing-value marker for a body ("<NA>"):
    # nothing to keep, and each is reported with its line.
    assert summary["rejected"] == 2
    assert [(e["line"], e["reason"]) for e in summary["errors"]] == [
        (384, "no title and no body text"),
        (471, "no title and no body text"),
    ]
    # 2,389 more have a title and "<NA>" for a body: kept as headlines, not as 2,389
    # copies of one text "<NA>". 88 stories repeat an earlier body exactly: each is
    # stored once and linked.
    assert summary["duplicates"] == 88
    assert summary["added"] == 23141 - 88
    # 585 stories have a null title and 104 an empty one: all 689 get a derived title.
    assert summary["derived_titles"] == 689

    stats = cli("stats", "--json").json()
    assert stats["articles"] == 23141 and stats["duplicates"] == 88
    assert stats["sources"] == {"KCNA": 23141}
    assert stats["first_date"] == "2011-01-01" and stats["last_date"] == "2012-09-30"
    headline = cli("search", 'title:"Kuriles Belong to Russia"', "--json").json()["hits"][0]
    assert cli("show", str(headline["id"]), "--json").json()["body"] == ""

    # A duplicate points at its original, which lists it, and shows the same text.
    with gzip.open(KCNA, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    seen: dict[str, int] = {}
    first_dup = next(i for i, r in enumerate(records) if r["body"] != "<NA>" and seen.setdefault(r["body"], i) != i)
    original_line = seen[records[first_dup]["body"]]
    dup = cli("show", str(first_dup + 1), "--json").json()
    assert dup["duplicate_of"] == original_line + 1
    original = cli("show", str(original_line + 1), "--json").json()
    assert first_dup + 1 in original["duplicates"] and original["body"] == dup["body"]

    # A second import of the same file adds nothing.
    again = cli("import", str(KCNA), "--json").json()
    assert (again["added"], again["duplicates"], again["unchanged"], again["rejected"]) == (0, 0, 23141, 2)
    assert cli("stats", "--json").json()["articles"] == 23141

    found = cli(
        "search", 'Lavrov OR "Federation Council"', "--since", "2011-06-01", "--source", "KCNA", "--json"
    ).json()
    assert found["total"] > 0
    assert all(h["date"] >= "2011-06-01" and h["source"] == "KCNA" for h in found["hits"])


def test_import_twice_adds_nothing_and_repeats_are_kept(cli: Invoke, tmp_path: Path) -> None:
    story = {"source": "KCNA", "title": "Talks Held", "date": "2011-05-10", "body": "Talks were held in Pyongyang."}
    repeat = dict(story, date="2011-05-12")
    path = write_jsonl(tmp_path / "in.jsonl", [story, story, repeat])
    first = cli("import", str(path), "--json").json()
    assert (first["added"], first["duplicates"], first["unchanged"]) == (1, 2, 0)
    second = cli("import", str(path), "--json").json()
    assert (second["read"], second["added"], second["duplicates"], second["unchanged"]) == (3, 0, 0, 3)


def test_duplicates_across_sources_are_linked(cli: Invoke, tmp_path: Path) -> None:
    body = "The Supreme People's Assembly met in Pyongyang."
    path = write_jsonl(
        tmp_path / "in.jsonl",
        [
            {"source": "KCNA", "title": "SPA Session", "date": "2012-04-13", "body": body},
            {"source": "Rodong Sinmun", "title": "Session of SPA", "date": "2012-04-14", "body": body},
        ],
    )
    assert cli("import", str(path), "--json").json()["duplicates"] == 1
    assert cli("show", "2", "--json").json()["duplicate_of"] == 1
    assert cli("show", "1", "--json").json()["duplicates"] == [2]
    assert cli("show", "2", "--json").json()["duplicates"] == []  # itself is not its own duplicate
    assert cli("search", "Assembly", "--json").json()["total"] == 1
    stats = cli("stats", "--json").json()
    assert stats["sources"] == {"KCNA": 1, "Rodong Sinmun": 1} and stats["duplicates"] == 1


def test_missing_fields_are_derived_or_flagged(cli: Invoke, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "in.jsonl",
        [
            {"source": "KCNA", "date": "2011-05-10", "body": "Kim Jong Il visited a factory. He gave guidance."},
            {"source": "KCNA", "title": "No Date", "body": "Text without a date."},
            {"source": "KCNA", "title": "Bad Date", "date": "2099-01-01", "body": "From the future."},
            {"title": "Headline only", "date": "2011-05-11"},
            {"source": "KCNA", "date": "2011-05-12"},
        ],
    )
    result = cli("import", str(path), "--json")
    assert result.exit_code == 1
    summary = result.json()
    assert (summary["added"], summary["rejected"]) == (4, 1)
    assert summary["errors"] == [{"input": str(path), "line": 5, "reason": "no title and no body text"}]
    derived = cli("show", "1", "--json").json()
    assert (derived["title"], derived["title_derived"]) == ("Kim Jong Il visited a factory", True)
    undated = cli("show", "2", "--json").json()
    assert undated["date"] is None and "no date" in undated["date_note"]
    future = cli("show", "3", "--json").json()
    assert future["date"] is None and "future" in future["date_note"]
    headline = cli("show", "4", "--json").json()
    assert (headline["body"], headline["source"]) == ("", "Unknown")


def test_html_in_text_fields_becomes_text(cli: Invoke, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "in.jsonl",
        [
            {
                "source": "KCNA",
                "date": "2011-05-10",
                "title": "<b>Talks</b> &amp; Visits",
                "body": "<p>First paragraph &amp; more.</p><p>Second<br>line.</p><script>alert(1)</script>",
            }
        ],
    )
    cli("import", str(path))
    article = cli("show", "1", "--json").json()
    assert article["title"] == "Talks & Visits"
    assert article["body"] == "First paragraph & more.\n\nSecond line."


def test_kcna_dateline_becomes_place_and_date(cli: Invoke, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "in.jsonl",
        [
            {
                "source": "KCNA",
                "date": "2018",
                "title": "Delegation Leaves",
                "body": "Pyongyang, October 11 (KCNA) -- A delegation left here on Thursday.",
            }
        ],
    )
    cli("import", str(path))
    article = cli("show", "1", "--json").json()
    assert (article["place"], article["date"], article["date_precision"]) == ("Pyongyang", "2018-10-11", "day")
    assert article["body"] == "A delegation left here on Thursday."


def test_language_is_detected_when_absent(cli: Invoke, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "in.jsonl",
        [
            {
                "source": "KCNA",
                "title": "Amistad",
                "date": "2011-01-01",
                "body": "La amistad entre los pueblos de los dos países se fortalece cada día más.",
            },
            {
                "source": "KCNA",
                "title": "Дружба",
                "date": "2011-01-01",
                "body": "Дружба между народами двух стран укрепляется с каждым днём.",
            },
        ],
    )
    cli("import", str(path))
    assert [cli("show", str(i), "--json").json()["language"] for i in (1, 2)] == ["es", "ru"]
    assert cli("show", "1", "--json").json()["language_detected"] is True


def test_missing_path_is_named(cli: Invoke, tmp_path: Path) -> None:
    result = cli("import", str(tmp_path / "nope.jsonl"))
    assert result.exit_code == 2
    assert "no such file or folder" in result.stderr and "nope.jsonl" in result.stderr


def test_bad_inputs_are_reported_and_the_rest_imports(cli: Invoke, tmp_path: Path) -> None:
    good = write_jsonl(
        tmp_path / "good.jsonl", [{"source": "KCNA", "title": "Good", "date": "2011-01-01", "body": "Fine."}]
    )
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "junk.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01")
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"title": "One", "body": "x"}\n{not json\n{"title": "Three", "body": "z"}\n')
    result = cli("import", str(tmp_path), "--json")
    assert result.exit_code == 1
    summary = result.json()
    assert summary["added"] == 3  # Good, One, Three
    reasons = {(Path(e["input"]).name, e["line"]): e["reason"] for e in summary["errors"]}
    assert ("broken.jsonl", 2) in reasons
    assert any(name == "empty.txt" and "empty" in r for (name, _), r in reasons.items())
    assert any(name == "junk.txt" and "binary" in r for (name, _), r in reasons.items())
    assert any(name == "notes.bin" and "not a supported file type" in r for (name, _), r in reasons.items())
    assert good.exists()


def test_missing_value_markers_are_not_text(cli: Invoke, tmp_path: Path) -> None:
    """R writes <NA> for a missing body, pandas NaN, dumps NULL: none of them is an article's text."""
    records = [
        {"source": "KCNA", "title": "Kuriles Belong to Russia: Medvedev", "date": "2011-11-14", "body": "<NA>"},
        {"source": "KCNA", "title": "Talks Held", "date": "2011-11-15", "body": "NULL"},
        {"source": "KCNA", "title": ",", "date": "2011-11-16", "body": "<NA>"},
    ]
    summary = cli("import", str(write_jsonl(tmp_path / "in.jsonl", records)), "--json").json()
    # Two headlines without text (not one text "<NA>" and its copy), one record with nothing.
    assert (summary["added"], summary["duplicates"], summary["rejected"]) == (2, 0, 1)
    assert summary["errors"][0]["line"] == 3 and summary["errors"][0]["reason"] == "no title and no body text"
    shown = cli("show", "1", "--json").json()
    assert shown["title"] == "Kuriles Belong to Russia: Medvedev" and shown["body"] == "" and shown["duplicates"] == []
