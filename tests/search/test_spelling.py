"""Korean names as each reader spells them (issue 19): the rewriting, and searches through
the CLI and the web on both back ends."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

import pytest

from tests.conftest import Invoke, write_jsonl
from wirewatch.search.query import Or, parse_query
from wirewatch.search.spelling import build, expand, fold_name, packaged, variants

ARTICLES = [
    {
        "source": "KCNA",
        "date": "2012-04-13",
        "language": "en",
        "title": "Choe Thae Bok Elected Chairman",
        "body": "Choe Thae Bok was elected chairman of the Supreme People's Assembly.",
    },
    {
        "source": "KCNA",
        "date": "2012-04-15",
        "language": "en",
        "title": "Kim Jong Un Makes Speech",
        "body": "Kim Jong Un made a speech at the military parade in Pyongyang.",
    },
    {
        "source": "KCNA",
        "date": "2011-12-19",
        "language": "en",
        "title": "Kim Jong Il Passes Away",
        "body": "Kim Jong Il passed away on December 17.",
    },
    {
        "source": "KCNA",
        "date": "2011-04-15",
        "language": "en",
        "title": "Day of the Sun Marked",
        "body": "The birthday of President Kim Il Sung was marked.",
    },
    {
        "source": "Rodong Sinmun",
        "date": "2012-01-01",
        "language": "ko",
        "title": "신년공동사설",
        "body": "경애하는 김정은동지께서 새해를 맞으시였다.",
    },
    {
        "source": "Rodong Sinmun",
        "date": "2012-10-10",
        "language": "ko",
        "title": "당창건기념일",
        "body": "조선로동당 창건 67돐을 맞으며 근로인민의 리익을 옹호하는 력사적위업을 이어나갈수 있다. "
        "성과를 위하여 성의를 다하자.",
    },
    {
        "source": "Yonhap",
        "date": "2012-10-11",
        "language": "ko",
        "title": "북한 노동당 창건 기념",
        "body": "북한 노동당은 창건 기념일에 노인과 여성 대표를 초청했다. 조국 통일을 말했다.",
    },
    {
        "source": "KCNA",
        "date": "2012-05-02",
        "language": "en",
        "title": "Kang Thae Ho Visits Factory",
        "body": "Kang Thae Ho, a worker, visited the factory in Kaesong.",
    },
]


def tables(people: list[tuple[str, list[str]]]):  # type: ignore[no-untyped-def]  # returns Spellings
    data = tomllib.loads((resources.files("wirewatch.data") / "spelling.toml").read_text(encoding="utf-8"))
    return build(data, people)


@pytest.mark.parametrize(
    ("typed", "official"),
    [
        ("Ch'oe T'ae-bok", "Choe Thae Bok"),  # McCune-Reischauer
        ("Ch’oe T’ae-bok", "Choe Thae Bok"),  # with typographic apostrophes
        ("Choe Tae-bok", "Choe Thae Bok"),  # Revised Romanization
        ("Kim Jeong-eun", "Kim Jong Un"),  # RR
        ("Kim Chŏng-ŭn", "Kim Jong Un"),  # MR with its breves
        ("Kim Jong-eun", "Kim Jong Un"),  # the press
        ("Kim Il-seong", "Kim Il Sung"),  # RR, through the Hangul alias
        ("Lee Yong-ho", "Ri Yong Ho"),  # the press's surname
        ("Park Bong-ju", "Pak Pong Ju"),
        ("P'yŏngyang", "Pyongyang"),  # a place
        ("Pyeongyang", "Pyongyang"),
    ],
)
def test_a_variant_spelling_is_searched_in_the_official_one(typed: str, official: str) -> None:
    found = variants(packaged(), typed)
    assert found is not None
    assert fold_name(official) in {fold_name(f) for f in found.forms}


def test_the_three_leaders_stay_three() -> None:
    spellings = packaged()
    entries = {typed: variants(spellings, typed) for typed in ("Kim Jeong-eun", "Kim Chong-il", "Kim Il-seong")}
    assert {e.entry for e in entries.values() if e} == {"kim-jong-un", "kim-jong-il", "kim-il-sung"}
    un = {fold_name(f) for f in entries["Kim Jeong-eun"].forms}  # type: ignore[union-attr]  # found above
    assert not un & {"kim jong il", "kim il sung", "kim chong il"}


def test_a_name_that_reads_as_two_people_is_not_widened_to_either() -> None:
    # 정 and 종 are both "Jong" in the DPRK's spelling: two people, one romanised name.
    spellings = tables([("kim-jong-su-a", ["Kim Jong Su", "김정수"]), ("kim-jong-su-b", ["Kim Jong Su", "김종수"])])
    found = variants(spellings, "Kim Jeong-su")
    assert found is None or found.kind == "name"
    assert variants(spellings, "Kim Jong Su") is None or variants(spellings, "Kim Jong Su").entry is None  # type: ignore[union-attr]


def test_an_unknown_korean_name_is_written_in_the_dprk_system() -> None:
    found = variants(tables([]), "Kang T'ae-ho")
    assert found is not None and found.kind == "name" and found.entry is None
    assert "Kang Thae Ho" in found.forms


@pytest.mark.parametrize("typed", ["nuclear test", "Park Avenue", "Lavrov", "friendship", "T'ae-bok"])
def test_words_that_are_no_korean_name_are_left_alone(typed: str) -> None:
    found = variants(packaged(), typed)
    assert found is None or not [f for f in found.forms if fold_name(f) != fold_name(typed)]


def test_the_query_keeps_its_shape_around_a_widened_name() -> None:
    tree, found = expand(parse_query("Ch'oe T'ae-bok visit NOT Russia*"))
    assert [e.typed for e in found] == ["Ch'oe T'ae-bok"]
    assert isinstance(tree.include[0], Or)  # type: ignore[union-attr]  # an AND at the top
    assert tree.include[1].words == ("visit",)  # type: ignore[union-attr]
    assert tree.exclude[0].prefix  # type: ignore[union-attr]  # the prefix as typed
    assert expand(parse_query("Kim*"))[1] == []


@pytest.fixture
def archive(cli: Invoke, tmp_path: Path) -> Invoke:
    result = cli("import", str(write_jsonl(tmp_path / "names.jsonl", ARTICLES)))
    assert result.exit_code == 0, result.stderr
    return cli


def titles(result: object) -> set[str]:
    return {h["title"] for h in result["hits"]}  # type: ignore[index]


def test_cli_finds_a_name_in_every_spelling_and_says_so(archive: Invoke) -> None:
    for typed in ("Ch'oe T'ae-bok", '"Choe Tae-bok"', "Choe Thae Bok"):
        answer = archive("search", typed, "--json")
        assert answer.exit_code == 0, answer.stderr
        assert titles(answer.json()) == {"Choe Thae Bok Elected Chairman"}, typed
    data = archive("search", "Ch'oe T'ae-bok", "--json").json()
    assert data["also_searched"] == [  # type: ignore[index]
        {"typed": "Ch'oe T'ae-bok", "also": ["Choe Thae Bok"], "kind": "person", "entry": "choe-thae-bok"}
    ]
    hit = data["hits"][0]  # type: ignore[index]
    assert [hit["snippet"][a:b] for a, b in hit["highlights"]] == ["Choe Thae Bok"]  # the spelling that matched
    human = archive("search", "Ch'oe T'ae-bok")
    assert "also searched: Ch'oe T'ae-bok: Choe Thae Bok" in human.stderr


def test_exact_spelling_searches_only_what_was_typed(archive: Invoke) -> None:
    answer = archive("search", "Ch'oe T'ae-bok", "--exact-spelling", "--json")
    assert answer.json()["total"] == 0  # type: ignore[index]
    assert answer.json()["also_searched"] == []  # type: ignore[index]


def test_a_leader_is_found_in_korean_too_and_not_confused_with_the_others(archive: Invoke) -> None:
    found = archive("search", "Kim Jeong-eun", "--json").json()
    assert titles(found) == {"Kim Jong Un Makes Speech", "신년공동사설"}
    assert titles(archive("search", '"Kim Il-seong"', "--json").json()) == {"Day of the Sun Marked"}


def test_an_unknown_name_and_a_place(archive: Invoke) -> None:
    assert titles(archive("search", "Kang T'ae-ho", "--json").json()) == {"Kang Thae Ho Visits Factory"}
    assert titles(archive("search", "Kaesŏng", "--json").json()) == {"Kang Thae Ho Visits Factory"}
    assert titles(archive("search", "title:Kaeseong", "--json").json()) == set()  # the place is in the body only


@pytest.mark.parametrize("engine", ["tantivy", "sql"])
def test_each_engine_widens_the_same_way(archive: Invoke, monkeypatch: pytest.MonkeyPatch, engine: str) -> None:
    monkeypatch.setenv("WIREWATCH_SEARCH_ENGINE", engine)
    if engine == "sql":
        assert archive("reindex").exit_code == 0
    assert titles(archive("search", "Kim Jeong-eun", "--json").json()) == {"Kim Jong Un Makes Speech", "신년공동사설"}
    assert titles(archive("search", "Lee Tae-ho OR Kang T'ae-ho", "--json").json()) == {"Kang Thae Ho Visits Factory"}


def test_web_page_and_api_say_what_was_also_searched(archive: Invoke, db: str) -> None:
    import lxml.html

    from tests.web.conftest import TestClient
    from wirewatch.config.settings import Settings
    from wirewatch.web import create_app

    with TestClient(create_app(Settings(db=db))) as client:
        api = client.get("/api/search", params={"q": "Ch'oe T'ae-bok"}).json()
        assert api["total"] == 1 and api["also_searched"][0]["also"] == ["Choe Thae Bok"]
        exact = client.get("/api/search", params={"q": "Ch'oe T'ae-bok", "exact_spelling": "true"}).json()
        assert exact["total"] == 0 and exact["also_searched"] == []

        html = lxml.html.fromstring(client.get("/search", params={"q": "Ch'oe T'ae-bok"}).text)
        note = html.xpath("//p[contains(@class, 'spelling')]")[0]
        assert " ".join(note.text_content().split()).startswith("Also searched: Ch'oe T'ae-bok as Choe Thae Bok.")
        link = note.xpath(".//a")[0].get("href")
        assert "exact_spelling=1" in link
        only = lxml.html.fromstring(client.get(link).text)
        assert "only as typed" in only.xpath("//p[contains(@class, 'spelling')]")[0].text_content()
        assert only.xpath("//h2[@id='results-heading']")[0].text_content().strip() == "No articles match"
        assert only.xpath("//input[@name='exact_spelling']/@value") == ["1"]  # kept by the form

        korean = lxml.html.fromstring(client.get("/search", params={"q": "Kim Jeong-eun"}).text)
        assert korean.xpath("//p[contains(@class, 'spelling')]//span[@lang='ko']/text()") == ["김정은"]

        bad = client.get("/search", params={"q": "Kim", "exact_spelling": "maybe"})
        assert bad.status_code == 400
        assert (
            "exact_spelling 'maybe'"
            in lxml.html.fromstring(bad.text).xpath("//div[@id='search-error']")[0].text_content()
        )


NORTH, SOUTH, NEW_YEAR = "당창건기념일", "북한 노동당 창건 기념", "신년공동사설"


def test_a_korean_word_is_found_in_both_koreas_spellings(archive: Invoke) -> None:
    assert titles(archive("search", "노동당", "--json").json()) == {NORTH, SOUTH}  # 조선로동당: a morpheme start
    assert titles(archive("search", "로동당", "--json").json()) == {NORTH, SOUTH}
    assert titles(archive("search", "이익", "--json").json()) == {NORTH}  # 리익
    assert titles(archive("search", "역사적", "--json").json()) == {NORTH}  # 력사적위업
    assert titles(archive("search", "녀성", "--json").json()) == {SOUTH}  # 여성
    # Spaced either way: 이어나갈수 있다 / 이어 나갈 수 있다; 조국통일 / 조국 통일.
    assert titles(archive("search", '"나갈 수 있다"', "--json").json()) == {NORTH}
    assert titles(archive("search", "조국통일", "--json").json()) == {SOUTH}
    # But never across words: 위하여 성의 holds 여성 only across a space.
    assert titles(archive("search", "여성", "--json").json()) == {SOUTH}
    said = archive("search", "노동당", "--json").json()["also_searched"]  # type: ignore[index]
    assert said == [{"typed": "노동당", "also": ["로동당"], "kind": "word", "entry": None}]


def test_no_match_across_morphemes_and_the_in_word_search_stays(archive: Invoke) -> None:
    # 노인 "the elderly" is not inside 근로인민 "working people": 로 there is inside 근로.
    assert titles(archive("search", "노인", "--json").json()) == {SOUTH}
    assert titles(archive("search", "로인", "--json").json()) == {SOUTH}
    assert NEW_YEAR in titles(archive("search", "김정은", "--json").json())  # inside 김정은동지께서
    assert titles(archive("search", "인민", "--json").json()) == {NORTH}  # a morpheme of 근로인민


def test_exact_korean_spelling_is_the_plain_in_word_search(archive: Invoke) -> None:
    assert titles(archive("search", "노동당", "--exact-spelling", "--json").json()) == {SOUTH}
    assert titles(archive("search", "로동당", "--exact-spelling", "--json").json()) == {NORTH}
    assert titles(archive("search", "로인", "--exact-spelling", "--json").json()) == {NORTH}  # the bigram, as before


def test_korean_highlights_mark_either_spelling(archive: Invoke) -> None:
    hits = archive("search", "노동당", "--json").json()["hits"]  # type: ignore[index]
    marked = {h["title"]: {h["snippet"][a:b] for a, b in h["highlights"]} for h in hits}
    assert "로동당" in marked[NORTH] and "노동당" in marked[SOUTH]


def test_sql_tables_built_before_ask_for_a_reindex(archive: Invoke, monkeypatch: pytest.MonkeyPatch, db: str) -> None:
    import sqlalchemy as sa

    from wirewatch.store import open_store

    monkeypatch.setenv("WIREWATCH_SEARCH_ENGINE", "sql")
    assert archive("reindex").exit_code == 0
    engine = open_store(db).engine
    with engine.begin() as conn:  # as migration 0009 leaves an archive with Korean text
        conn.execute(sa.text("UPDATE search_state SET value = 'stale' WHERE name = 'sql_index'"))
    refused = archive("search", "노동당")
    assert refused.exit_code != 0 and "wirewatch reindex" in refused.stderr
    assert archive("reindex").exit_code == 0
    assert titles(archive("search", "노동당", "--json").json()) == {NORTH, SOUTH}
