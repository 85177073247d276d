"""``wirewatch extract`` on the reference article: the people, countries and events it names."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import REFERENCE
from wirewatch.cli import app


def extract(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["extract", *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_reference_article_names_its_people_and_events(corpus: Path) -> None:
    code, out, _ = extract(str(REFERENCE), "--json")
    assert code == 0
    (article,) = json.loads(out)["articles"]
    assert (article["title"], article["date"]) == ("DPRK-Russia friendship goes on", "2018-10-11")
    people = {e["id"]: e for e in article["entities"] if e["type"] == "person"}
    assert {
        "kim-il-sung",
        "kim-jong-il",
        "kim-jong-un",
        "vladimir-putin",
        "sergey-lavrov",
        "valentina-matviyenko",
    } <= set(people)
    assert (
        people["kim-jong-un"]["by_title"] and people["valentina-matviyenko"]["by_title"]
    )  # "the Supreme Leader", "the chairwoman…"
    countries = {e["id"] for e in article["entities"] if e["type"] == "country"}
    assert {"PRK", "RUS", "SUN"} <= countries
    events = {
        (e["type"], e["actor"]["country"], e["target"]["country"], e["date"], e["date_precision"])
        for e in article["events"]
    }
    assert {
        ("visit", "RUS", "PRK", "2000-01-01", "year"),
        ("visit", "PRK", "RUS", "2001-01-01", "year"),
        ("visit", "PRK", "RUS", "2002-01-01", "year"),
        ("visit", "PRK", "RUS", "2011-01-01", "year"),
        ("visit", "RUS", "PRK", "2018-05-01", "month"),
        ("message", "RUS", "PRK", "2018-10-11", "day"),
    } <= events
    assert any(e[0] == "anniversary" and e[3] == "2018-10-12" and {e[1], e[2]} == {"PRK", "RUS"} for e in events)
    for event in article["events"]:
        assert event["cameo"] and event["plover"] and event["sentence"]


def test_extract_reports_bad_inputs_and_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text(
        json.dumps(
            {
                "title": "Talks held",
                "date": "2012-03-01",
                "source": "KCNA",
                "body": "Kim Jong Un met the Chinese delegation in Pyongyang on Thursday.",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    code, out, err = extract(str(good), str(empty), "--json")
    assert code == 1 and "empty" in err
    result = json.loads(out)
    assert [a["title"] for a in result["articles"]] == ["Talks held"]
    assert {e["id"] for e in result["articles"][0]["entities"]} >= {"kim-jong-un", "CHN"}
    assert result["rejected"][0]["input"] == str(empty)
    code, _, err = extract(str(tmp_path / "missing.txt"))
    assert code == 2 and "no such file" in err
