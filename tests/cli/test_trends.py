"""`wirewatch trend`, `emerging` and `companions` through the real command, on SQLite and
PostgreSQL, with the tantivy engine and the database's own full-text tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Invoke, write_jsonl

START = dt.date(2012, 1, 2)  # a Monday


def _story(day: dt.date, title: str, body: str, source: str = "KCNA", language: str = "en") -> dict[str, Any]:
    return {"source": source, "title": title, "date": day.isoformat(), "body": body, "language": language}


def _articles() -> list[dict[str, Any]]:
    """Ten weeks of a steady wire, then a week when a satellite launch and a new name rise."""
    out = []
    for week in range(10):
        monday = START + dt.timedelta(weeks=week)
        for n in range(25):
            day = monday + dt.timedelta(days=n % 7)
            out.append(
                _story(
                    day,
                    f"Farm Work Goes On {week}-{n}",
                    f"Farmers of county {week}-{n} finished sowing with high enthusiasm. "
                    f"The factory workers raised output of fertiliser number {week * 100 + n}.",
                )
            )
        # A phrase seen twice a week, steady.
        for n in range(2):
            out.append(
                _story(
                    monday + dt.timedelta(days=n),
                    f"Economic Construction {week}-{n}",
                    f"Economic construction advances in area {week}-{n}.",
                )
            )
    rising = START + dt.timedelta(weeks=10)
    for n in range(25):
        out.append(
            _story(
                rising + dt.timedelta(days=n % 7),
                f"Farm Work Goes On late-{n}",
                f"Farmers of county late-{n} finished sowing with high enthusiasm. "
                f"The factory workers raised output of fertiliser number {5000 + n}.",
            )
        )
    for n in range(12):
        out.append(
            _story(
                rising + dt.timedelta(days=n % 5),
                f"Satellite Launch Hailed {n}",
                f"The satellite launch was hailed in country {n}. Kim Jong Un met Choe Ryong Hae "
                "and the Workers' Party of Korea about the earth observation satellite.",
                source="Rodong Sinmun" if n % 2 else "KCNA",
            )
        )
    out.append(_story(rising, "Undated note", "An undated satellite launch note.") | {"date": None})
    return out


@pytest.fixture
def archive(cli: Invoke, tmp_path: Path) -> Invoke:
    result = cli("import", str(write_jsonl(tmp_path / "wire.jsonl", _articles())))
    assert result.exit_code == 0, result.stderr
    return cli


@pytest.mark.parametrize("engine", ["tantivy", "sql"])
def test_a_timeline_adds_up_to_the_search_total(archive: Invoke, monkeypatch: pytest.MonkeyPatch, engine: str) -> None:
    monkeypatch.setenv("WIREWATCH_SEARCH_ENGINE", engine)
    if engine == "sql":
        assert archive("reindex").exit_code == 0
    result = archive("trend", '"satellite launch"', "--by", "week", "--json")
    assert result.exit_code == 0, result.stderr
    trend = result.json()
    assert isinstance(trend, dict)
    searched = archive("search", '"satellite launch"', "--json").json()
    assert isinstance(searched, dict)
    assert trend["query"] == '"satellite launch"' and trend["by"] == "week"
    assert trend["matches"] == searched["total"] == 13
    assert sum(p["count"] for p in trend["series"]) + trend["undated"] == trend["matches"]
    assert trend["undated"] == 1
    last = trend["series"][-1]
    assert last["period"] == (START + dt.timedelta(weeks=10)).isoformat() and last["count"] == 12
    assert last["total"] == 25 + 12 and last["share"] == pytest.approx(12 / 37, abs=1e-6)
    # Every week from the first match to the last is there, the empty ones included.
    assert [p["period"] for p in trend["series"]] == [last["period"]]  # only the launch week has a dated match
    assert trend["bursts"] == [] or all(b["start"] <= b["end"] for b in trend["bursts"])


def test_queries_compared_on_one_timeline_share_the_periods(archive: Invoke) -> None:
    data = archive("trend", '"economic construction"', "satellite", "--by", "month", "--json").json()
    assert isinstance(data, dict) and data["by"] == "month"
    first, second = data["queries"]
    assert (
        [p["period"] for p in first["series"]]
        == [p["period"] for p in second["series"]]
        == ["2012-01", "2012-02", "2012-03"]
    )
    assert [p["total"] for p in first["series"]] == [p["total"] for p in second["series"]]
    assert sum(p["count"] for p in first["series"]) == first["matches"] == 20
    # The steady phrase keeps its share; the new word has its burst in its last month.
    assert [p["count"] for p in second["series"]] == [0, 0, 12]


def test_a_burst_is_marked_where_the_word_jumps(archive: Invoke) -> None:
    data = archive(
        "trend", "satellite", "--by", "day", "--since", "2012-01-02", "--until", "2012-03-18", "--json"
    ).json()
    assert isinstance(data, dict)
    assert data["bursts"], data["bursts"]
    burst = data["bursts"][0]
    assert burst["start"] >= (START + dt.timedelta(weeks=10)).isoformat()
    assert burst["end"] <= "2012-03-18"
    plain = archive("trend", "satellite", "--by", "week", "--since", "2012-03-01")
    assert (
        plain.exit_code == 0 and "burst" in plain.stdout and "satellite: 12 articles" in plain.stdout
    )  # --since leaves out the undated one


def test_per_source_timelines(archive: Invoke) -> None:
    data = archive("trend", "satellite", "--by", "month", "--per-source", "--json").json()
    assert isinstance(data, dict)
    sources = data["sources"]
    assert set(sources) == {"KCNA", "Rodong Sinmun"}
    assert sum(p["count"] for p in sources["Rodong Sinmun"]) == 6
    march = {name: points[-1] for name, points in sources.items()}
    assert march["Rodong Sinmun"]["total"] == 6  # Rodong Sinmun published only those six


def test_bad_trend_input_is_named(archive: Invoke) -> None:
    too_many = archive("trend", "a", "b", "c", "d", "e")
    assert too_many.exit_code != 0 and "at most 4" in too_many.stderr
    bad_by = archive("trend", "satellite", "--by", "fortnight")
    assert bad_by.exit_code != 0 and "--by 'fortnight'" in bad_by.stderr
    unknown = archive("trend", "satellite", "--source", "Nowhere")
    assert unknown.exit_code != 0 and "Nowhere" in unknown.stderr
    query = archive("trend", '"unclosed')
    assert query.exit_code != 0 and "Traceback" not in query.stderr


def test_the_week_that_rose(archive: Invoke) -> None:
    week = START + dt.timedelta(weeks=10)
    data = archive("emerging", "--week", (week + dt.timedelta(days=3)).isoformat(), "--json").json()
    assert isinstance(data, dict)
    assert (
        data["period"]["since"] == week.isoformat()
        and data["period"]["until"] == (week + dt.timedelta(days=6)).isoformat()
    )
    assert data["baseline"]["since"] == (week - dt.timedelta(weeks=8)).isoformat()
    terms = {t["term"]: t for t in data["terms"]}
    assert "satellite" in " ".join(terms), terms
    assert all(t["score"] >= 1.96 and t["count"] >= 3 for t in data["terms"])
    # The steady words never rise; function words and formulas never enter.
    assert not {"farmers", "sowing", "enthusiasm", "the", "of", "economic construction"} & set(terms)
    names = {t["term"]: t for t in data["terms"] if t["kind"] in ("person", "organization", "country")}
    assert "Kim Jong Un" in names, data["terms"]
    assert names["Kim Jong Un"]["new"] is True and names["Kim Jong Un"]["baseline_count"] == 0
    scores = [t["score"] for t in data["terms"]]
    assert scores == sorted(scores, reverse=True)
    text = archive("emerging", "--week", week.isoformat())
    assert text.exit_code == 0 and "new" in text.stdout


def test_a_quiet_week_lists_nothing(archive: Invoke) -> None:
    data = archive("emerging", "--week", (START + dt.timedelta(weeks=9)).isoformat(), "--json").json()
    assert isinstance(data, dict) and data["terms"] == []
    bad = archive("emerging", "--week", "2012-13-01")
    assert bad.exit_code != 0 and "--week" in bad.stderr


def test_who_is_named_with_whom(archive: Invoke) -> None:
    data = archive("companions", "Kim Jong Un", "--since", "2012-03-01", "--until", "2012-03-31", "--json").json()
    assert isinstance(data, dict)
    found = {c["id"]: c for c in data["companions"]}
    assert found["choe-ryong-hae"]["articles"] == 12 and found["choe-ryong-hae"]["rank_before"] is None
    assert "wpk" in found and "kim-jong-un" not in found
    unknown = archive("companions", "Nobody Atall")
    assert unknown.exit_code != 0 and "Nobody Atall" in unknown.stderr
