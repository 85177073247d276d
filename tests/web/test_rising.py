"""What rose in a week (``/rising``), and the bursts and companions of the entity pages, over
a wire archive (on SQLite and PostgreSQL, as every page test): two years of a steady wire,
Kim Jong Un named in one article in six (beside Kim Yong Nam until May 2011, beside Choe
Ryong Hae after) and in every article of December 2011, then the week of 14 May 2012 when
a tidal power station is completed and Pak Pong Ju, never named before, cuts the tape."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import write_jsonl
from tests.web.conftest import TestClient, analyse_archive, build_archive, one, page, query_of, serve, text_of

#: The week that rises, and the days the wire covers: one article every three days until
#: DENSE, then three a day (two KCNA, one Rodong Sinmun) until LAST.
WEEK = dt.date(2012, 5, 14)
SPARSE, DENSE, LAST = dt.date(2010, 6, 7), dt.date(2012, 3, 19), dt.date(2012, 5, 23)
#: When Choe Ryong Hae takes Kim Yong Nam's place beside Kim Jong Un.
TURN = dt.date(2011, 5, 21)
TIDAL = 15  # articles about the tidal power station, all in WEEK
FILLERS = [
    ("Farmers Finish Spring Sowing", "Farmers in the county finished the spring sowing ahead of schedule."),
    ("Machine Factory Raises Output", "Workers of the machine factory raised the output of lathes and pumps."),
    ("Exhibition of Paintings Opens", "A national exhibition of paintings and embroidery opened at the gallery."),
    ("New Method of Growing Mushrooms", "Scientists of the academy developed a new method of growing mushrooms."),
    ("Friendship Delegation Leaves", "A delegation of the friendship association left for a visit abroad."),
    ("Students Hold Sports Festival", "Students of the university held a sports festival with football games."),
    ("Fishermen Land Large Catch", "Fishermen of the east coast landed a large catch of pollack."),
]


def wire_records() -> list[dict[str, object]]:
    """The archive's records (see the module's docstring); each text is its own (a number
    in it), so that none is stored as another's duplicate."""
    days: list[dt.date] = []
    day = SPARSE
    while day < DENSE:
        days.append(day)
        day += dt.timedelta(days=3)
    while day <= LAST:
        days += [day] * 3
        day += dt.timedelta(days=1)
    records: list[dict[str, object]] = []
    for n, day in enumerate(days):
        title, body = FILLERS[n % len(FILLERS)]
        if n % 6 == 0 or (day.year, day.month) == (2011, 12):
            first, second = ("Kim Yong Nam", "Choe Ryong Hae") if day < TURN else ("Choe Ryong Hae", "Kim Yong Nam")
            body += f" Kim Jong Un gave guidance there with {first}." + (f" {second} came too." if n % 4 == 0 else "")
        source = "Rodong Sinmun" if day >= DENSE and n % 3 == 2 else "KCNA"
        records.append(
            {
                "source": source,
                "language": "en",
                "date": day.isoformat(),
                "title": f"{title} ({n})",
                "body": f"{body} Report number {n}.",
            }
        )
    for n in range(TIDAL):
        body = (
            "The tidal power station on the west coast was completed and began to generate electricity. "
            "Premier Pak Pong Ju cut the tape at the tidal power station."
        )
        if n < 3:
            body += " Kim Jong Un sent thanks to the builders, Pak Pong Ju said."
        records.append(
            {
                "source": "Rodong Sinmun" if n % 2 else "KCNA",
                "language": "en",
                "date": (WEEK + dt.timedelta(days=n % 7)).isoformat(),
                "title": f"Tidal Power Station Completed ({n})",
                "body": f"{body} Report number {1000 + n}.",
            }
        )
    return records


#: The week's articles (three a day and the tidal ones) and its baseline's (8 weeks of three a day).
WEEK_ARTICLES, BASELINE_ARTICLES = 21 + TIDAL, 8 * 21


@pytest.fixture(scope="module")
def rising_client(location: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("rising")
    db = analyse_archive(build_archive(location("rising"), [write_jsonl(folder / "wire.jsonl", wire_records())]))
    yield from serve(db)  # type: ignore[arg-type]


def _rows(doc: Any) -> dict[str, Any]:
    """The list's rows by term."""
    return {
        text_of(one(row, "th/a[@class='term']")): row for row in doc.xpath("//table[@class='figures rising']/tbody/tr")
    }


def _scope(doc: Any) -> dict[str, str]:
    """The week's figures: "This week", "Baseline", "Only" to what each says."""
    return {
        text_of(one(div, "dt")): text_of(one(div, "dd"))
        for div in doc.xpath("//dl[contains(@class, 'rising-scope')]/div")
    }


def _cells(row: Any) -> list[str]:
    return [text_of(td) for td in row.xpath("td")]


def _results(client: TestClient, href: str) -> str:
    """The heading of the search a link leads to ("1–15 of 15 articles")."""
    return text_of(one(page(client.get(href)), "//h2[@id='results-heading']"))


def test_the_week_lists_what_rose_with_its_period_and_baseline(rising_client: TestClient) -> None:
    doc = page(rising_client.get(f"/rising/{WEEK}"))
    assert text_of(one(doc, "//h1")) == "Rising in the week of 14 May 2012 to 20 May 2012"
    assert _scope(doc) == {
        "This week": f"14 May 2012 to 20 May 2012: {WEEK_ARTICLES} articles",
        "Baseline": f"19 March 2012 to 13 May 2012: {BASELINE_ARTICLES} articles",
    }
    statistic = one(doc, "//p[contains(@class, 'statistic')]")
    assert "weighted log-odds with an informative Dirichlet prior" in text_of(statistic)
    assert one(statistic, "a").get("href") == "https://doi.org/10.1093/pan/mpn018"
    rows = _rows(doc)
    # The phrase rose from nothing; its words are folded into it, not listed one by one.
    assert _cells(rows["tidal power station"])[:4] == ["phrase", _cells(rows["tidal power station"])[1], "15", "0"]
    assert "tidal" not in rows and "station" not in rows
    assert float(_cells(rows["tidal power station"])[1]) >= 1.96
    # A name first seen this week is marked new; the steady wire never enters the list.
    assert _cells(rows["Pak Pong Ju"])[0] == "person" and _cells(rows["Pak Pong Ju"])[2:4] == ["15", "0"]
    assert rows["Pak Pong Ju"].xpath(".//span[contains(@class, 'new')]")
    assert not rows["tidal power station"].xpath(".//span[contains(@class, 'new')]")
    assert not {"Kim Jong Un", "Choe Ryong Hae", "farmers", "machine factory", "pollack"} & set(rows)
    scores = [float(_cells(row)[1]) for row in rows.values()]
    assert scores == sorted(scores, reverse=True)


def test_each_term_links_to_its_articles_of_the_week_and_its_timeline(rising_client: TestClient) -> None:
    rows = _rows(page(rising_client.get(f"/rising/{WEEK}")))
    phrase = one(rows["tidal power station"], "th/a[@class='term']").get("href")
    assert query_of(phrase) == {"q": ['"tidal power station"'], "since": ["2012-05-14"], "until": ["2012-05-20"]}
    assert _results(rising_client, phrase) == "1–15 of 15 articles"
    name = rows["Pak Pong Ju"]
    assert query_of(one(name, "th/a[@class='term']").get("href"))["q"] == ["person:pak-pong-ju"]
    assert _results(rising_client, one(name, "th/a[@class='term']").get("href")) == "1–15 of 15 articles"
    assert page(rising_client.get(one(name, "th/a[text()='page']").get("href"))).xpath("//h1")
    timeline = one(rows["tidal power station"], ".//a[@class='timeline']").get("href")
    assert urlsplit(timeline).path == "/trend"
    assert query_of(timeline) == {"q": ['"tidal power station"'], "by": ["week"]}
    assert "tidal power station" in text_of(one(page(rising_client.get(timeline)), "//main"))


def test_weeks_link_to_the_weeks_before_and_after(rising_client: TestClient) -> None:
    doc = page(rising_client.get(f"/rising/{WEEK}"))
    pager = one(doc, "//nav[@aria-label='Weeks']")
    assert one(pager, "a[@rel='prev']").get("href") == "/rising/2012-05-07"
    assert one(pager, "a[@rel='next']").get("href") == "/rising/2012-05-21"
    before = page(rising_client.get("/rising/2012-05-07"))
    assert "tidal power station" not in _rows(before)
    # The archive's last week has no next; its first none before.
    last = one(page(rising_client.get("/rising/2012-05-21")), "//nav[@aria-label='Weeks']")
    assert last.xpath("a[@rel='prev']") and not last.xpath("a[@rel='next']")
    first = page(rising_client.get(f"/rising/{SPARSE}"))
    assert not first.xpath("//nav[@aria-label='Weeks']/a[@rel='prev']")
    assert "Nothing rose clearly above the baseline" in text_of(one(first, "//main"))


def test_rising_goes_to_the_last_full_week_and_a_day_to_its_monday(rising_client: TestClient) -> None:
    latest = rising_client.get("/rising", follow_redirects=False)
    # The newest article is of Wednesday 23 May: the last full week is the one before it.
    assert latest.status_code == 302 and latest.headers["location"] == f"/rising/{WEEK}"
    thursday = rising_client.get("/rising/2012-05-17?source=kcna&language=EN", follow_redirects=False)
    assert thursday.status_code == 301
    assert thursday.headers["location"] == f"/rising/{WEEK}?source=KCNA&language=en"
    sunday = rising_client.get("/rising/2012-05-20", follow_redirects=False)
    assert sunday.headers["location"] == f"/rising/{WEEK}"
    assert page(rising_client.get("/rising/2012-05-20")).xpath("//table[@class='figures rising']")


def test_a_source_or_language_narrows_the_week(rising_client: TestClient) -> None:
    everything = page(rising_client.get(f"/rising/{WEEK}"))
    kcna = page(rising_client.get(f"/rising/{WEEK}", params={"source": "KCNA"}))
    scope = _scope(kcna)
    articles = int(re.fullmatch(r"14 May 2012 to 20 May 2012: (\d+) articles", scope["This week"])[1])  # type: ignore[index]
    assert 0 < articles < WEEK_ARTICLES and scope["Only"] == "KCNA"
    assert one(kcna, "//select[@name='source']/option[@selected]").get("value") == "KCNA"
    # The name still rose in KCNA alone, and its search keeps to KCNA.
    row = _rows(kcna)["Pak Pong Ju"]
    assert int(_cells(row)[2]) < int(_cells(_rows(everything)["Pak Pong Ju"])[2])
    assert query_of(one(row, "th/a[@class='term']").get("href"))["source"] == ["KCNA"]
    assert one(kcna, "//nav[@aria-label='Weeks']/a[@rel='prev']").get("href") == "/rising/2012-05-07?source=KCNA"
    spanish = page(rising_client.get(f"/rising/{WEEK}", params={"language": "es"}))
    assert _scope(spanish)["This week"] == "14 May 2012 to 20 May 2012: 0 articles"
    assert not spanish.xpath("//table[@class='figures rising']")


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("/rising/2012-13-01", "week '2012-13-01'"),
        ("/rising/2012-05", "week '2012-05'"),
        ("/rising/yesterday", "week 'yesterday'"),
        ("/rising/0001-01-01", "week '0001-01-01'"),
        ("/rising/9999-12-31", "week '9999-12-31'"),
        (f"/rising/{WEEK}?source=Nowhere", "source 'Nowhere'"),
        (f"/rising/{WEEK}?language=english", "language 'english'"),
        ("/rising?source=Nowhere", "source 'Nowhere'"),
    ],
)
def test_bad_input_is_a_400_naming_it(rising_client: TestClient, url: str, named: str) -> None:
    doc = page(rising_client.get(url, follow_redirects=False), status=400)
    assert named in text_of(one(doc, "//main"))


def test_an_empty_archive_has_no_week_to_show(empty_client: TestClient) -> None:
    doc = page(empty_client.get("/rising", follow_redirects=False), status=404)
    assert "no dated article" in text_of(one(doc, "//main"))


def test_the_week_page_reads_without_sight(rising_client: TestClient) -> None:
    """One heading, labelled fields, and a table with a caption and header scopes."""
    doc = page(rising_client.get(f"/rising/{WEEK}"))
    assert len(doc.xpath("//h1")) == 1
    for field in doc.xpath("//main//select"):
        assert text_of(one(doc, f"//label[@for='{field.get('id')}']"))
    table = one(doc, "//table[@class='figures rising']")
    assert text_of(one(table, "caption")) == "What rose in the week of 14 May 2012, strongest first"
    assert all(th.get("scope") in ("col", "row") for th in table.iter("th"))


# -- the entity pages: bursts and who is named with whom ---------------------------------------


def test_an_entity_page_marks_its_bursts_on_the_chart_and_in_the_table(rising_client: TestClient) -> None:
    doc = page(rising_client.get("/entities/person/kim-jong-un", params={"by": "month"}))
    line = one(doc, "//p[@class='bursts']")
    # Named in every article of December 2011 and in one in six otherwise.
    assert text_of(line).startswith("Bursts: 2011-12 (")
    timeline = one(line, "a").get("href")
    assert urlsplit(timeline).path == "/trend" and query_of(timeline) == {"q": ["person:kim-jong-un"], "by": ["month"]}
    assert "person:kim-jong-un" in text_of(one(page(rising_client.get(timeline)), "//main"))
    assert [g.get("data-period") for g in doc.xpath("//svg//g[@class='marked']")] == ["2011-12"]
    assert "burst" in text_of(one(doc, "//svg/desc"))
    marked = [
        text_of(one(tr, "th"))
        for tr in doc.xpath("//table[@class='figures']/tbody/tr")
        if tr.xpath(".//span[contains(@class, 'burst')]")
    ]
    assert marked == ["December 2011 burst"]
    # By year, the year that holds the burst is marked.
    yearly = page(rising_client.get("/entities/person/kim-jong-un"))
    assert [g.get("data-period") for g in yearly.xpath("//svg//g[@class='marked']")] == ["2011"]
    # A name without a burst has no such line.
    quiet = page(rising_client.get("/entities/person/pak-pong-ju", params={"by": "month"}))
    assert not quiet.xpath("//p[@class='bursts']") and not quiet.xpath("//svg//g[@class='marked']")


def test_an_entity_page_lists_who_is_named_with_it_and_how_that_changed(rising_client: TestClient) -> None:
    doc = page(rising_client.get("/entities/person/kim-jong-un"))
    section = one(doc, "//section[@aria-labelledby='named-with-heading']")
    assert text_of(one(section, "h2")) == "Named with Kim Jong Un"
    # Its last year of mentions: to the archive's last day, which names it.
    assert "from 25 May 2011 to 23 May 2012" in text_of(one(section, "p"))
    items = section.xpath("ol/li")
    names = [text_of(one(li, ".//a")) for li in items]
    assert names == ["Choe Ryong Hae", "Kim Yong Nam", "Pak Pong Ju"]
    changes = [text_of(one(li, ".//span[contains(@class, 'rank')]")) for li in items]
    assert changes == ["↑ up from #2", "↓ down from #1", "new"]
    for li in items:
        href = one(li, ".//a").get("href")
        assert href.startswith("/entities/person/")
        assert text_of(one(page(rising_client.get(href)), "//h1")) == text_of(one(li, ".//a"))
