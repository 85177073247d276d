"""Search through the real entry points: an archive file, the CLI, FTS5."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.conftest import NEW_YEAR, Invoke, write_jsonl

ARTICLES = [
    {
        "source": "KCNA",
        "date": "2011-05-10",
        "language": "en",
        "url": "http://example.org/1",
        "title": "Russian Foreign Minister Lavrov Visits Pyongyang",
        "body": "Sergei Lavrov, foreign minister of Russia, arrived in Pyongyang.\n\nHe had talks on nuclear issues.",
    },
    {
        "source": "KCNA",
        "date": "2011-08-24",
        "language": "en",
        "url": "http://example.org/2",
        "title": "Kim Jong Il Meets Chairwoman of Federation Council",
        "body": "Kim Jong Il met the chairwoman of the Federation Council of Russia.\n\nThey discussed cooperation.",
    },
    {
        "source": "KCNA",
        "date": "2012-03-01",
        "language": "en",
        "url": "http://example.org/3",
        "title": "Nuclear Test Denounced",
        "body": "The nuclearisation of the peninsula was denounced. A council of experts met.",
    },
    {
        "source": "Rodong Sinmun",
        "date": "2011-06-15",
        "language": "en",
        "title": "Council Meets",
        "body": "The federation of trade unions and the council met in Pyongyang.",
    },
    {
        "source": "KCNA",
        "date": "2011-09-01",
        "language": "es",
        "title": "Amistad entre la RPDC y Rusia",
        "body": "La amistad entre los dos países se fortalece.",
    },
    {
        "source": "Minju Joson",
        "date": "2012-01-01",
        "language": "ko",
        "title": "신년공동사설",
        "body": "경애하는 김정은동지께서 새해를 맞으시였다.\n\n조선인민은 승리한다.",
    },
]


@pytest.fixture
def archive(cli: Invoke, tmp_path: Path) -> Invoke:
    result = cli("import", str(write_jsonl(tmp_path / "a.jsonl", ARTICLES)), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["added"] == len(ARTICLES)
    return cli


def titles(cli: Invoke, *args: str) -> list[str]:
    result = cli("search", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return [hit["title"] for hit in result.json()["hits"]]


def test_word_matches_title_and_body_case_insensitively(archive: Invoke) -> None:
    assert titles(archive, "lavrov") == ["Russian Foreign Minister Lavrov Visits Pyongyang"]


def test_phrase_needs_the_words_in_order(archive: Invoke) -> None:
    assert titles(archive, '"Federation Council"') == ["Kim Jong Il Meets Chairwoman of Federation Council"]
    assert set(titles(archive, "federation council")) == {
        "Kim Jong Il Meets Chairwoman of Federation Council",
        "Council Meets",
    }


def test_or_and_not(archive: Invoke) -> None:
    assert set(titles(archive, 'Lavrov OR "Federation Council"')) == {
        "Russian Foreign Minister Lavrov Visits Pyongyang",
        "Kim Jong Il Meets Chairwoman of Federation Council",
    }
    assert titles(archive, "council NOT federation") == ["Nuclear Test Denounced"]
    assert titles(archive, "Pyongyang AND nuclear") == ["Russian Foreign Minister Lavrov Visits Pyongyang"]


def test_prefix(archive: Invoke) -> None:
    assert set(titles(archive, "nuclear*")) == {
        "Nuclear Test Denounced",
        "Russian Foreign Minister Lavrov Visits Pyongyang",
    }
    assert titles(archive, "nuclearis*") == ["Nuclear Test Denounced"]


def test_filters_source_language_dates(archive: Invoke) -> None:
    assert titles(archive, "council", "--source", "Rodong Sinmun") == ["Council Meets"]
    assert titles(archive, "council", "--source", "kcna", "--since", "2012") == ["Nuclear Test Denounced"]
    assert titles(archive, "council", "--until", "2011-05") == []
    assert titles(archive, "council", "--until", "2011-06") == ["Council Meets"]
    assert titles(archive, "", "--language", "es") == ["Amistad entre la RPDC y Rusia"]


def test_date_order(archive: Invoke) -> None:
    newest = titles(archive, "council", "--order", "newest")
    assert newest == ["Nuclear Test Denounced", "Kim Jong Il Meets Chairwoman of Federation Council", "Council Meets"]
    assert titles(archive, "council", "--order", "oldest") == newest[::-1]


def test_relevance_puts_title_matches_first(archive: Invoke) -> None:
    assert titles(archive, "council")[0] in {"Council Meets", "Kim Jong Il Meets Chairwoman of Federation Council"}
    assert titles(archive, "council")[-1] == "Nuclear Test Denounced"


def test_result_has_snippet_highlights_and_facets(archive: Invoke) -> None:
    data = archive("search", "council", "--json").json()
    assert data["total"] == 3
    assert data["facets"]["source"] == {"KCNA": 2, "Rodong Sinmun": 1}
    assert data["facets"]["year"] == {"2011": 2, "2012": 1}
    assert data["facets"]["language"] == {"en": 3}
    for hit in data["hits"]:
        assert set(hit) >= {"id", "title", "date", "source", "url", "language", "snippet"}
        marked = [hit["snippet"][a:b].lower() for a, b in hit["highlights"]]
        assert marked and all(m == "council" for m in marked)


def test_pagination(archive: Invoke) -> None:
    first = titles(archive, "council", "--order", "newest", "--limit", "2")
    second = titles(archive, "council", "--order", "newest", "--limit", "2", "--page", "2")
    assert len(first) == 2 and len(second) == 1 and second[0] not in first


def test_korean_inside_word_forms(archive: Invoke) -> None:
    data = archive("search", "김정은", "--json").json()
    assert [h["title"] for h in data["hits"]] == ["신년공동사설"]
    hit = data["hits"][0]
    assert [hit["snippet"][a:b] for a, b in hit["highlights"]] == ["김정은"]
    assert titles(archive, "조선") == ["신년공동사설"]  # a two-syllable word inside 조선인민은


def test_korean_new_year_addresses(cli: Invoke, corpus: Path) -> None:
    files = sorted(NEW_YEAR.glob("*.txt"))
    result = cli("import", str(NEW_YEAR), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["added"] == len(files)
    for name in ("김정은", "김정일", "조국통일"):
        # Spaced or not: the South writes 조국 통일 where the North writes 조국통일 (docs/search.md).
        containing = {f.stem for f in files if name in "".join(f.read_text(encoding="utf-8").split())}
        data = cli("search", name, "--json", "--limit", "100").json()
        # Every address that names it is found, and only those, though the name
        # only ever stands inside longer word forms (김정은동지께서, 김정일동지의).
        assert {hit["date"][:4] for hit in data["hits"]} == containing, name
        assert data["total"] == len(containing)
    hit = cli("search", "김정은", "--json").json()["hits"][0]
    assert hit["date"] == "2012-01-01"
    assert {hit["snippet"][a:b] for a, b in hit["highlights"]} == {"김정은"}


def test_bad_query_is_a_message_not_a_traceback(archive: Invoke) -> None:
    result = archive("search", '"Federation Council')
    assert result.exit_code == 2
    assert "bad query: unclosed quote" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_unknown_source_is_named(archive: Invoke) -> None:
    result = archive("search", "council", "--source", "Nodong")
    assert result.exit_code == 2
    assert "'Nodong'" in result.stderr and "KCNA" in result.stderr


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("Lavrov " * 8500, "the query is 59,500 characters long: a query may hold at most 1,000"),
        (" OR ".join(["Lavrov"] * 65), "a query may hold at most 64 words, phrases and filters"),
        ("(" * 400 + "Lavrov" + ")" * 400, "parentheses nested more than 20 deep at position 21"),
    ],
)
def test_a_query_past_its_bounds_is_refused_naming_the_bound(archive: Invoke, query: str, message: str) -> None:
    """What the audit sent (59 KB took 7.4 s; 400 parentheses, a RecursionError) is a bad query."""
    started = time.monotonic()
    result = archive("search", query)
    assert result.exit_code == 2 and "Error: bad query:" in result.stderr and message in result.stderr
    assert time.monotonic() - started < 5
    added = archive("alerts", "add", query, "--email", "desk@example.org")
    assert added.exit_code == 2 and message in added.stderr
    for answer in (result, added):
        assert "unexpected" not in answer.stderr and "Traceback" not in answer.stderr
    assert archive("alerts", "list", "--json").json() == []
