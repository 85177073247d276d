"""Search filters on the stored analysis: person:, country:, org:, event: in the query and
as options, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime as dt
import re
import warnings
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from tests.conftest import Invoke, Result, write_jsonl
from wirewatch.errors import ConfigError, QueryError
from wirewatch.models import EntityCount, Event, Side
from wirewatch.present.params import search_request
from wirewatch.search.base import AnalysisFilter, SearchRequest
from wirewatch.search.fts5 import to_fts5
from wirewatch.search.query import And, Filter, Term, parse_query, split_filters, without_filters
from wirewatch.store import open_store
from wirewatch.store.analysis import write_analysis
from wirewatch.store.schema import articles

# -- the query language --------------------------------------------------------------------


def test_filters_are_read_beside_the_words() -> None:
    tree, found = split_filters(parse_query('person:"Kim Jong Un" Lavrov country:RUS'))
    assert tree == Term(("Lavrov",), ("lavrov",))
    assert found == (Filter("person", "Kim Jong Un"), Filter("country", "RUS"))


def test_org_and_organization_are_one_kind_and_slugs_are_words() -> None:
    _, found = split_filters(parse_query("org:WPK organization:kpa person:kim-jong-un event:visit"))
    assert found == (
        Filter("organization", "WPK"),
        Filter("organization", "kpa"),
        Filter("person", "kim-jong-un"),
        Filter("event", "visit"),
    )


def test_filters_are_negated_with_minus_or_not() -> None:
    tree, found = split_filters(parse_query("Lavrov -country:USA NOT event:denounce talks"))
    assert tree == And((Term(("Lavrov",), ("lavrov",)), Term(("talks",), ("talks",))))
    assert found == (Filter("country", "USA", negated=True), Filter("event", "denounce", negated=True))


def test_a_query_of_filters_alone_has_no_words() -> None:
    assert split_filters(parse_query("country:RUS event:visit")) == (
        None,
        (Filter("country", "RUS"), Filter("event", "visit")),
    )
    assert split_filters(parse_query("-country:USA")) == (None, (Filter("country", "USA", negated=True),))


def test_cutting_the_filters_out_leaves_the_words_as_typed() -> None:
    query = 'nuclear* -country:USA AND (event:visit) "Federation Council" NOT person:"Kim Jong Un"'
    tree, found = split_filters(parse_query(query))
    rest = without_filters(query, found)
    assert split_filters(parse_query(rest)) == (tree, ())
    assert to_fts5(tree) == '("nuclear" * AND "federation council")'  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("Lavrov OR country:RUS", "country:RUS at position 11: filters combine with the rest of the query by AND only"),
        ("Lavrov (country:RUS OR event:visit)", "filters combine with the rest of the query by AND only"),
        ("Lavrov -(country:RUS talks)", "filters combine with the rest of the query by AND only"),
        ("person:", "expected a name or id after 'person:'"),
        ('person:"" Lavrov', "expected a name or id after 'person:'"),
        ("country:RUS -missile", "words after NOT need a word to search for"),
    ],
)
def test_misplaced_or_empty_filters_say_what_is_wrong(query: str, message: str) -> None:
    with pytest.raises(QueryError, match=re.escape(message)):
        parse_query(query)


# -- names to ids, when the request is built ---------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('person:"Kim Jong Un"', AnalysisFilter("person", "kim-jong-un")),
        ("person:kim-jong-un", AnalysisFilter("person", "kim-jong-un")),
        ('person:"kim jong-eun"', AnalysisFilter("person", "kim-jong-un")),
        ("person:김정은", AnalysisFilter("person", "kim-jong-un")),
        ("country:Russia", AnalysisFilter("country", "RUS")),
        ("country:rus", AnalysisFilter("country", "RUS")),
        ("country:Russian", AnalysisFilter("country", "RUS")),
        ('country:"the U.S."', AnalysisFilter("country", "USA")),
        ("-country:DPRK", AnalysisFilter("country", "PRK", exclude=True)),
        ("org:WPK", AnalysisFilter("organization", "wpk")),
        ("event:Visit", AnalysisFilter("event", "visit")),
        # Ids the actor data do not hold: the extractor's slugs and any alpha-3 code.
        ("person:ivan-petrov", AnalysisFilter("person", "ivan-petrov")),
        ("country:XKX", AnalysisFilter("country", "XKX")),
    ],
)
def test_names_resolve_to_ids(query: str, expected: AnalysisFilter) -> None:
    request = search_request(query=f"Lavrov {query}")
    assert request.filters == (expected,)
    assert request.query == "Lavrov"


def test_options_resolve_like_the_query_and_repeat() -> None:
    request = search_request(
        query="talks", filters={"person": ["Sergei Lavrov"], "country": ["Russia", "north Korea"], "event": ["visit"]}
    )
    assert request.query == "talks"
    assert request.filters == (
        AnalysisFilter("person", "sergey-lavrov"),
        AnalysisFilter("country", "RUS"),
        AnalysisFilter("country", "PRK"),
        AnalysisFilter("event", "visit"),
    )


def test_unknown_names_are_named_with_a_suggestion() -> None:
    with pytest.raises(
        QueryError,
        match=r"person:'Kim Jong Oon' at position 8: not in the actor data \(did you mean Kim Jong Un \(kim-jong-un\)\?\)",
    ):
        search_request(query='Lavrov person:"Kim Jong Oon"')
    with pytest.raises(
        ConfigError, match=r"--country 'Russa': not in the actor data \(did you mean Russia \(RUS\)\?\)"
    ):
        search_request(filters={"country": ["Russa"]})
    with pytest.raises(QueryError, match=r"event:'hug'.*no such event type \(types: visit, meeting"):
        search_request(query="event:hug")


# -- searching an archive ------------------------------------------------------------------------

ARTICLES = [
    {
        "source": "KCNA",
        "date": "2011-05-10",
        "language": "en",
        "title": "Lavrov Visits Pyongyang",
        "body": "Sergei Lavrov, foreign minister of Russia, arrived in Pyongyang for talks.",
    },
    {
        "source": "KCNA",
        "date": "2011-08-24",
        "language": "en",
        "title": "Kim Jong Il Meets Federation Council Chairwoman",
        "body": "Kim Jong Il met the chairwoman of the Federation Council of Russia for talks.",
    },
    {
        "source": "KCNA",
        "date": "2012-03-01",
        "language": "en",
        "title": "U.S. Nuclear Threat Denounced",
        "body": "The DPRK denounced the nuclear threat of the United States.",
    },
    {
        "source": "Rodong Sinmun",
        "date": "2012-05-01",
        "language": "en",
        "title": "Kim Jong Un Sends Message to Putin",
        "body": "Kim Jong Un, first secretary of the WPK, sent a message of greetings to Vladimir Putin.",
    },
    {
        "source": "KCNA",
        "date": "2012-06-01",
        "language": "en",
        "title": "Delegation Visits Russia",
        "body": "A delegation led by Ivan Petrov visited Russia for talks.",
    },
]


def _entity(kind: str, ident: str, name: str, country: str | None = None) -> EntityCount:
    return EntityCount(kind, ident, name, country, 1)  # type: ignore[arg-type]


def _event(kind: str, actor: str, target: str, day: str) -> Event:
    return Event(kind, "000", "X", Side(None, actor), Side(None, target), dt.date.fromisoformat(day), "day", False, "…")


RUS, PRK, USA = (_entity("country", c, n, c) for c, n in (("RUS", "Russia"), ("PRK", "DPRK"), ("USA", "United States")))
#: What the analysis stores for each article, by title: written by hand, so that these
#: tests are about search and not about what the extractor finds.
ANALYSIS = {
    "Lavrov Visits Pyongyang": (
        [_entity("person", "sergey-lavrov", "Sergei Lavrov", "RUS"), RUS, PRK],
        [_event("visit", "RUS", "PRK", "2011-05-10")],
    ),
    "Kim Jong Il Meets Federation Council Chairwoman": (
        [_entity("person", "kim-jong-il", "Kim Jong Il", "PRK"), RUS],
        [_event("meeting", "PRK", "RUS", "2011-08-24")],
    ),
    "U.S. Nuclear Threat Denounced": ([PRK, USA], [_event("denounce", "PRK", "USA", "2012-03-01")]),
    "Kim Jong Un Sends Message to Putin": (
        [
            _entity("person", "kim-jong-un", "Kim Jong Un", "PRK"),
            _entity("person", "vladimir-putin", "Vladimir Putin", "RUS"),
            _entity("organization", "wpk", "Workers' Party of Korea", "PRK"),
            RUS,
        ],
        [_event("message", "PRK", "RUS", "2012-05-01")],
    ),
    "Delegation Visits Russia": (
        [_entity("person", "ivan-petrov", "Ivan Petrov"), RUS],
        [_event("visit", "PRK", "RUS", "2012-06-01")],
    ),
}


def _run(database: str, *args: str) -> Result:
    from wirewatch.cli import app

    result = CliRunner().invoke(app, ["--db", database, *args], catch_exceptions=False)
    return Result(result.exit_code, result.stdout, result.stderr)


def _fill(database: str, folder: Path) -> None:
    """Import the articles, then store their analysis (in place of what the import found)."""
    result = _run(database, "import", str(write_jsonl(folder / "analysed.jsonl", ARTICLES)), "--json")
    assert result.exit_code == 0, result.stderr
    store = open_store(database)
    try:
        with store.writer.begin() as conn:
            ids = dict(conn.execute(sa.select(articles.c.title, articles.c.id)).all())
            write_analysis(conn, [(ids[title], *found) for title, found in ANALYSIS.items()], replace=True)
    finally:
        store.close()


@pytest.fixture
def analysed(cli: Invoke, db: str, tmp_path: Path) -> Invoke:
    _fill(db, tmp_path)
    return cli


def titles(cli: Invoke, *args: str) -> list[str]:
    result = cli("search", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return [hit["title"] for hit in result.json()["hits"]]  # type: ignore[index]


def test_person_filter_by_name_alias_or_id(analysed: Invoke) -> None:
    for query in ('person:"Kim Jong Un"', "person:kim-jong-un", "person:Kim-Jong-eun", "person:김정은"):
        assert titles(analysed, query) == ["Kim Jong Un Sends Message to Putin"], query


def test_filters_alone_list_the_newest_first(analysed: Invoke) -> None:
    assert titles(analysed, "country:Russia") == [
        "Delegation Visits Russia",
        "Kim Jong Un Sends Message to Putin",
        "Kim Jong Il Meets Federation Council Chairwoman",
        "Lavrov Visits Pyongyang",
    ]
    assert titles(analysed, "country:RUS", "--order", "oldest")[0] == "Lavrov Visits Pyongyang"


def test_filters_combine_with_words_and_each_other(analysed: Invoke) -> None:
    assert titles(analysed, "talks country:RUS event:visit", "--order", "newest") == [
        "Delegation Visits Russia",
        "Lavrov Visits Pyongyang",
    ]
    assert titles(analysed, "talks country:RUS person:sergey-lavrov") == ["Lavrov Visits Pyongyang"]
    assert titles(analysed, "nuclear country:RUS") == []
    assert titles(analysed, "org:WPK message") == ["Kim Jong Un Sends Message to Putin"]
    assert titles(analysed, 'organization:"Workers\' Party of Korea"') == ["Kim Jong Un Sends Message to Putin"]


def test_negated_filters_drop_articles(analysed: Invoke) -> None:
    assert titles(analysed, "country:PRK -country:USA") == ["Lavrov Visits Pyongyang"]
    assert titles(analysed, "talks NOT event:visit") == ["Kim Jong Il Meets Federation Council Chairwoman"]
    # A query starting with "-" comes after "--", or the shell's parser takes it for an option.
    assert titles(analysed, "--", "-country:RUS") == ["U.S. Nuclear Threat Denounced"]


def test_an_event_side_alone_is_not_a_mention(analysed: Invoke) -> None:
    # The denunciation's target is the USA; the article names it, so it matches, but an
    # article whose events involve a country it never names does not (README).
    assert titles(analysed, "event:denounce country:USA") == ["U.S. Nuclear Threat Denounced"]
    assert titles(analysed, "event:meeting country:PRK") == []


def test_options_filter_like_the_query(analysed: Invoke) -> None:
    assert titles(analysed, "--country", "Russia", "--event", "visit", "--order", "oldest") == [
        "Lavrov Visits Pyongyang",
        "Delegation Visits Russia",
    ]
    assert titles(analysed, "talks", "--person", "sergei lavrov", "--country", "RUS") == ["Lavrov Visits Pyongyang"]
    assert titles(analysed, "--person", "Sergei Lavrov", "--person", "Vladimir Putin") == []
    assert titles(analysed, "--org", "wpk", "--person", "Kim Jong Un") == ["Kim Jong Un Sends Message to Putin"]
    assert titles(analysed, "--person", "ivan-petrov") == ["Delegation Visits Russia"]


def test_back_ends_take_ids_typed_in_the_query_and_in_the_request(analysed: Invoke, db: str) -> None:
    store = open_store(db)
    try:
        result = store.search(
            SearchRequest("talks country:RUS", filters=(AnalysisFilter("event", "visit", exclude=True),))
        )
    finally:
        store.close()
    assert [hit.title for hit in result.hits] == ["Kim Jong Il Meets Federation Council Chairwoman"]


def test_facets_count_the_filtered_articles(analysed: Invoke) -> None:
    result = analysed("search", "country:RUS", "--json")
    data = result.json()
    assert data["total"] == 4  # type: ignore[index]
    assert data["facets"]["year"] == {"2011": 2, "2012": 2}  # type: ignore[index]
    assert data["facets"]["source"] == {"KCNA": 3, "Rodong Sinmun": 1}  # type: ignore[index]


def test_unknown_names_exit_2_naming_them(analysed: Invoke) -> None:
    result = analysed("search", 'person:"Kim Jong Oon"')
    assert result.exit_code == 2
    assert "Kim Jong Oon" in result.stderr and "did you mean Kim Jong Un" in result.stderr
    result = analysed("search", "--country", "Atlantis")
    assert result.exit_code == 2 and "--country 'Atlantis'" in result.stderr
    result = analysed("search", "--event", "hug")
    assert result.exit_code == 2 and "--event 'hug'" in result.stderr and "visit, meeting" in result.stderr
    result = analysed("search", "Lavrov OR country:RUS")
    assert result.exit_code == 2 and "by AND only" in result.stderr


QUERIES = [
    "country:RUS",
    "talks country:RUS -event:visit",
    "-country:RUS",
    "person:kim-jong-un",
    "org:WPK Putin",
    "event:visit",
    "Kim NOT event:message",
    "talks",
]


def test_sqlite_and_postgresql_give_the_same_hits(postgresql_db: str, tmp_path: Path) -> None:
    sqlite_db = str(tmp_path / "same.db")
    for database in (sqlite_db, postgresql_db):
        _fill(database, tmp_path)
    for query in QUERIES:
        for order in ("relevance", "newest"):
            answers = []
            for database in (sqlite_db, postgresql_db):
                result = _run(database, "search", "--order", order, "--json", "--", query)
                assert result.exit_code == 0, result.stderr
                data = result.json()
                found = [h["title"] for h in data["hits"]]  # type: ignore[index]
                # bm25 and ts_rank rank the same matches differently: compare them as a set.
                answers.append((data["total"], sorted(found) if order == "relevance" else found, data["facets"]))  # type: ignore[index]
            assert answers[0] == answers[1], (query, order)


def test_the_web_search_takes_the_same_filters(analysed: Invoke, db: str) -> None:
    from wirewatch.config.settings import Settings
    from wirewatch.web import create_app

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette\.testclient`")
        from starlette.testclient import TestClient

    with TestClient(create_app(Settings(db=db))) as client:
        answer = client.get("/api/search", params={"q": 'person:"Kim Jong Un" country:Russia'})
        assert answer.status_code == 200
        assert [h["title"] for h in answer.json()["hits"]] == ["Kim Jong Un Sends Message to Putin"]
        page = client.get("/search", params={"q": "country:Atlantis"})
        assert page.status_code == 400 and "Atlantis" in page.text
