"""`wirewatch relations`: two countries' timeline from the events stored at import."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REFERENCE, CorpusArchives, Invoke, write_jsonl

#: A story whose event is dated by the article: a Chinese delegation, not a Russian one.
OTHER = [
    {
        "source": "KCNA",
        "title": "Delegation Leaves",
        "date": "2012-03-02",
        "body": "A delegation of the Communist Party of China left Pyongyang after visiting the DPRK.",
    },
    {
        "source": "KCNA",
        "title": "Message to Putin",
        "date": "2012-03-05",
        "body": "Kim Jong Un sent a message of greetings to Vladimir Putin on his election as President of Russia.",
    },
]


def _import(cli: Invoke, tmp_path: Path) -> None:
    if not REFERENCE.is_file():
        pytest.skip("the shared corpus (../shared/corpus) is not here")
    jsonl = write_jsonl(tmp_path / "news.jsonl", OTHER)
    assert cli("import", str(REFERENCE), str(jsonl)).exit_code == 0


def test_the_reference_articles_timeline(cli: Invoke, tmp_path: Path) -> None:
    _import(cli, tmp_path)
    result = cli("relations", "PRK", "RUS", "--json").json()
    assert (result["a"], result["b"]) == ("PRK", "RUS")  # type: ignore[index]
    events = {(e["type"], e["direction"], e["date"], e["article"]["id"]) for e in result["events"]}  # type: ignore[index]
    for expected in [
        ("visit", "b>a", "2000-01-01", 1),  # Putin in Pyongyang
        ("visit", "a>b", "2001-01-01", 1),  # Kim Jong Il in Russia, one event a year
        ("visit", "a>b", "2002-01-01", 1),
        ("visit", "a>b", "2011-01-01", 1),
        ("visit", "b>a", "2018-05-01", 1),  # Lavrov, "in May"
        ("message", "b>a", "2018-10-11", 1),  # the Russian President's message
        ("anniversary", "a>b", "2018-10-12", 1),  # "October 12 this year"
        ("message", "a>b", "2012-03-05", 3),  # dated by its article
    ]:
        assert expected in events
    assert not any(e["article"]["id"] == 2 for e in result["events"])  # type: ignore[index]
    first = next(e for e in result["events"] if e["type"] == "anniversary")  # type: ignore[index]
    assert first["article"]["title"] == "DPRK-Russia friendship goes on" and first["article"]["source"]
    assert first["actor"]["country"] == "PRK" and first["sentence"].startswith("October 12 this year")
    assert result["total"] == sum(c["events"] for c in result["counts"]) == len(result["events"])  # type: ignore[index]
    # By month, an event known only to its year is counted under the year.
    periods = {(c["period"], c["type"], c["direction"]) for c in result["counts"]}  # type: ignore[index]
    assert {("2001", "visit", "a>b"), ("2018-05", "visit", "b>a"), ("2018-10", "anniversary", "a>b")} <= periods


def test_names_options_and_text_output(cli: Invoke, tmp_path: Path) -> None:
    _import(cli, tmp_path)
    by_name = cli("relations", "north korea", "Russian", "--json").json()
    assert by_name == cli("relations", "prk", "RUS", "--json").json()
    flipped = cli(
        "relations", "RUS", "PRK", "--by", "year", "--since", "2001", "--until", "2011", "--type", "visit", "--json"
    ).json()
    assert [(c["period"], c["direction"], c["events"]) for c in flipped["counts"]] == [  # type: ignore[index]
        ("2001", "b>a", 1),
        ("2002", "b>a", 1),
        ("2011", "b>a", 1),
    ]
    limited = cli("relations", "PRK", "RUS", "--limit", "2", "--json").json()
    assert len(limited["events"]) == 2 and limited["total"] > 2  # type: ignore[index]
    assert limited["events"][0]["date"] == "2018-10-12"  # type: ignore[index]

    text = cli("relations", "PRK", "RUS", "--by", "year")
    assert text.exit_code == 0
    assert "visit PRK→RUS" in text.stdout and "2011" in text.stdout
    assert "12 October 2018" in text.stdout and "#1 DPRK-Russia friendship goes on" in text.stdout

    for args, named in [
        (("PRK", "Narnia"), "Narnia"),
        (("PRK", "RUS", "--type", "hug"), "hug"),
        (("PRK", "RUS", "--by", "week"), "week"),
        (("PRK", "RUS", "--since", "soon"), "soon"),
    ]:
        bad = cli("relations", *args)
        assert bad.exit_code == 2 and named in bad.stderr
    assert cli("relations", "PRK", "JPN", "--json").json()["total"] == 0  # type: ignore[index]


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_the_shared_corpus_gives_a_timeline(cli: Invoke, db: str, corpus_archives: CorpusArchives) -> None:
    corpus_archives.copy("kcna+headlines", Path(db))  # the KCNA stories and headlines, imported
    assert cli("import", str(REFERENCE)).exit_code == 0
    result = cli("relations", "PRK", "RUS", "--by", "year", "--json").json()
    years = {c["period"] for c in result["counts"]}  # type: ignore[index]
    assert result["total"] > 20 and {"2011", "2012"} <= years  # type: ignore[index]
    assert {e["type"] for e in result["events"]} >= {"visit", "message"}  # type: ignore[index]
