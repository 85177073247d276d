"""Links between articles where a reader meets them: the article page's "Other versions",
"Same formula as" and story thread, ``/api/articles/{id}/similar``, and search results with a
story's copies folded into one hit (``collapse``). The stories of tests/cli/test_compare.py,
dated so that each pair falls in the comparison's window, imported by ``wirewatch import``
(which analyses and links them) into an archive on each back end and read through the ASGI app."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.cli.test_compare import EN, ES, GREETING, REPRINT, SIBLING
from tests.conftest import write_jsonl
from tests.web.conftest import TestClient, article_ids, one, page, query_of, serve, text_of
from wirewatch.models import Story, StoryMember
from wirewatch.present.stories import fold_hits, thread_text
from wirewatch.search.base import Hit

#: Article numbers follow the order of RECORDS.
RECORDS = [
    {"source": "KCNA", "title": "Pak Ui Chun Meets UN Official", "date": "2011-10-18", "language": "en", "body": EN},
    {"source": "KCNA", "title": "Pak Ui Chun se reune con Valerie Amos", "date": "2011-10-19", "body": ES},
    {"source": "KCNA", "title": "Greetings to President of Benin", "date": "2011-08-01", "body": GREETING},
    {"source": "KCNA", "title": "Greetings to President of Cyprus", "date": "2011-08-04", "body": SIBLING},
    {"source": "KCNA", "title": "Message to Benin", "date": "2011-08-05", "body": GREETING},
    {"source": "Rodong Sinmun", "title": "Greetings to Benin", "date": "2011-08-02", "body": REPRINT},
    {"source": "KCNA", "title": "Headline Only", "date": "2011-08-03"},
]
ENGLISH, SPANISH, BENIN, CYPRUS, COPY, REPRINTED, HEADLINE = range(1, 8)
#: A notice carried again day after day: one story of REPEATS articles, the first numbered NOTICE.
NOTICE_TEXT = (
    "The Korean Central News Agency is authorized to announce that the exhibition of industrial "
    "goods will open at the Three-Revolution Exhibition House in Pyongyang on Monday.\n\n"
    "Producers of the light industry and the local industry will take part in the exhibition."
)
REPEATS, NOTICE = 13, len(RECORDS) + 1
RECORDS += [
    {"source": "KCNA", "title": f"Exhibition notice {n}", "date": f"2011-09-{n + 1:02d}", "body": NOTICE_TEXT}
    for n in range(REPEATS)
]
HITS = "//ol[@class='hits']/li"
#: The fields of a search hit before stories (the contract tests/web/test_api.py checks).
HIT_FIELDS = {"id", "title", "date", "date_precision", "source", "url", "language", "snippet", "highlights", "score"}


@pytest.fixture(scope="module")
def links_client(location: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The reader over RECORDS imported by ``wirewatch import`` (which analyses and links them)."""
    from wirewatch.cli import app

    db = location("links")
    stories = write_jsonl(tmp_path_factory.mktemp("links") / "stories.jsonl", RECORDS)
    result = CliRunner().invoke(app, ["--db", db, "import", str(stories)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    yield from serve(db)  # type: ignore[arg-type]


def _similar(client: TestClient, ident: int) -> dict[str, Any]:
    response = client.get(f"/api/articles/{ident}/similar")
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


# The API -------------------------------------------------------------------------------------


def test_similar_lists_the_links_strongest_first_with_the_story(links_client: TestClient) -> None:
    found = _similar(links_client, BENIN)
    assert set(found) == {"id", "similar", "story"} and found["id"] == BENIN
    listed = [(s["id"], s["relation"]) for s in found["similar"]]
    assert listed == [(COPY, "duplicate"), (REPRINTED, "reprint"), (CYPRUS, "template")]
    first = found["similar"][0]
    assert set(first) == {"id", "relation", "score", "source", "language", "date", "title", "rule", "slots"}
    assert (first["score"], first["source"], first["date"]) == (1.0, "KCNA", "2011-08-05")
    assert first["title"] == "Message to Benin"
    reprint = found["similar"][1]
    assert reprint["source"] == "Rodong Sinmun" and 0 < reprint["score"] < 1 and reprint["slots"] == []
    template = found["similar"][2]
    assert {"kind": "country", "here": "Benin", "there": "Cyprus"} in template["slots"]
    story = found["story"]
    assert story["id"] == BENIN
    members = [(m["id"], m["source"], m["date"], m["lag_days"]) for m in story["members"]]
    assert members == [
        (BENIN, "KCNA", "2011-08-01", 0),
        (REPRINTED, "Rodong Sinmun", "2011-08-02", 1),
        (COPY, "KCNA", "2011-08-05", 4),
    ]
    assert set(story["members"][0]) == {"id", "source", "language", "date", "title", "lag_days"}


def test_slots_read_from_the_article_asked_about(links_client: TestClient) -> None:
    found = _similar(links_client, CYPRUS)
    templates = {s["id"]: s for s in found["similar"] if s["relation"] == "template"}
    assert {"kind": "country", "here": "Cyprus", "there": "Benin"} in templates[BENIN]["slots"]
    assert found["story"] is None  # the same formula about another event: never the same story
    assert all(s["relation"] == "template" for s in found["similar"])


def test_a_translation_and_an_article_without_links(links_client: TestClient) -> None:
    found = _similar(links_client, SPANISH)
    assert [(s["id"], s["relation"], s["language"]) for s in found["similar"]] == [(ENGLISH, "translation", "en")]
    assert [(m["id"], m["lag_days"]) for m in found["story"]["members"]] == [(ENGLISH, 0), (SPANISH, 1)]
    assert _similar(links_client, HEADLINE) == {"id": HEADLINE, "similar": [], "story": None}


@pytest.mark.parametrize(
    ("path", "message"),
    [("/api/articles/99/similar", "There is no article 99"), ("/api/articles/one/similar", "articles are numbered")],
)
def test_similar_of_an_unknown_article_is_a_404_that_says_so(links_client: TestClient, path: str, message: str) -> None:
    answer = links_client.get(path)
    assert answer.status_code == 404 and answer.headers["content-type"] == "application/json"
    assert message in answer.json()["error"]


def test_similar_is_described_in_the_openapi_document(links_client: TestClient) -> None:
    spec = links_client.get("/api/openapi.json").json()
    operation = spec["paths"]["/api/articles/{article_id}/similar"]["get"]
    assert {"200", "404"} <= set(operation["responses"])
    answer = spec["components"]["schemas"]["SimilarAnswer"]
    assert set(answer["properties"]) == {"id", "similar", "story"}
    relation = spec["components"]["schemas"]["SimilarArticle"]["properties"]["relation"]
    assert relation["enum"] == ["duplicate", "reprint", "translation", "quotes", "template"]
    hit = spec["components"]["schemas"]["SearchHit"]["properties"]
    assert "story" in hit and "collapsed" in spec["components"]["schemas"]["SearchAnswer"]["properties"]
    docs = page(links_client.get("/api/docs"))
    assert one(docs, "//section[h2[normalize-space()='GET /api/articles/{article_id}/similar']]") is not None


# The article page ----------------------------------------------------------------------------


def test_the_article_page_shows_other_versions_the_formula_and_the_thread(links_client: TestClient) -> None:
    doc = page(links_client.get(f"/articles/{BENIN}"))
    versions = one(doc, "//section[@class='other-versions']")
    assert text_of(one(versions, "h2")) == "Other versions"
    assert text_of(one(versions, "p[@class='thread']")) == (
        "This story was first carried by KCNA (this article) on 1 August 2011; "
        "Rodong Sinmun 1 day later; KCNA again 4 days later."
    )
    assert article_ids(versions, "p[@class='thread']/a") == [REPRINTED, COPY]
    items = versions.xpath("ul[@class='linked']/li")
    assert article_ids(versions, "ul/li/a[@class='title']") == [COPY, REPRINTED]
    assert [li.xpath("a[@class='compare']/@href")[0] for li in items] == [
        f"/compare/{BENIN}/{COPY}",
        f"/compare/{BENIN}/{REPRINTED}",
    ]
    copy, reprint = (text_of(one(li, "span[@class='meta']")) for li in items)
    assert copy == "duplicate KCNA English 5 August 2011 the same text"
    assert reprint.startswith("reprint Rodong Sinmun English 2 August 2011") and reprint.endswith("% the same")
    formula = one(doc, "//section[@class='formula']")
    assert text_of(one(formula, "h2")) == "Same formula as"
    assert article_ids(formula, "ul/li/a[@class='title']") == [CYPRUS]
    slots = [text_of(li) for li in formula.xpath(".//ul[@class='slot-values']/li")]
    assert "country: Benin → here; in the other: Cyprus" in slots
    assert formula.xpath(".//a[@class='compare']/@href") == [f"/compare/{BENIN}/{CYPRUS}"]
    # The exact copies are among the other versions, not in a section of their own.
    assert doc.xpath("//section[@class='copies']") == []


def test_every_compare_link_of_the_article_page_opens_the_comparison(links_client: TestClient) -> None:
    doc = page(links_client.get(f"/articles/{BENIN}"))
    expected = {COPY: "duplicate", REPRINTED: "reprint", CYPRUS: "template"}
    hrefs = doc.xpath("//a[@class='compare']/@href")
    assert sorted(hrefs) == sorted(f"/compare/{BENIN}/{other}" for other in expected)
    for href in hrefs:
        compared = page(links_client.get(href))
        relation = text_of(one(compared, "//h1/span[contains(@class, 'relation')]"))
        assert relation == expected[int(href.rsplit("/", 1)[1])], href


def test_a_translation_is_named_by_its_language(links_client: TestClient) -> None:
    doc = page(links_client.get(f"/articles/{ENGLISH}"))
    versions = one(doc, "//section[@class='other-versions']")
    assert text_of(one(versions, "p[@class='thread']")) == (
        "This story was first carried by KCNA (this article) on 18 October 2011; Spanish edition 1 day later."
    )
    item = one(versions, "ul/li")
    assert text_of(one(item, "span[@class='meta']")) == "translation KCNA Spanish 19 October 2011 translation"
    assert one(item, "a[@class='title']").get("lang") == "es"
    spanish = one(page(links_client.get(f"/articles/{SPANISH}")), "//section[@class='other-versions']")
    assert text_of(one(spanish, "p[@class='thread']")).startswith("This story was first carried by KCNA on 18 October")
    assert "Spanish edition (this article) 1 day later" in text_of(one(spanish, "p[@class='thread']"))


def test_a_copy_names_its_original_among_the_other_versions(links_client: TestClient) -> None:
    versions = one(page(links_client.get(f"/articles/{COPY}")), "//section[@class='other-versions']")
    assert f"This article repeats the text of article {BENIN}." in text_of(versions)
    original = one(versions, f"ul/li[a[@class='title']/@href='/articles/{BENIN}']")
    assert text_of(one(original, "span[@class='meta']")).endswith("the same text the original")


def test_an_article_without_links_has_no_such_sections(links_client: TestClient) -> None:
    doc = page(links_client.get(f"/articles/{HEADLINE}"))
    assert doc.xpath("//section[@class='other-versions' or @class='formula' or @class='quotes']") == []
    cyprus = page(links_client.get(f"/articles/{CYPRUS}"))
    assert cyprus.xpath("//section[@class='other-versions']") == []  # a template sibling is no version
    assert article_ids(one(cyprus, "//section[@class='formula']"), "ul/li/a[@class='title']")[0] == BENIN


# Search --------------------------------------------------------------------------------------


def test_search_folds_a_storys_copies_into_its_first_hit(links_client: TestClient) -> None:
    doc = page(links_client.get("/search", params={"q": "Benin", "order": "oldest"}))
    heading = text_of(one(doc, "//h2[@id='results-heading']"))
    assert heading == "1–2 of 2 articles"  # the count is of articles, the folded copy included
    hits = doc.xpath(HITS)
    assert article_ids(doc, f"{HITS}/a[@class='title']") == [BENIN]
    assert hits[0].get("value") == "1"
    also = one(hits[0], "p[@class='also']")
    assert text_of(also) == "Also in Rodong Sinmun (2 August 2011), KCNA again (5 August 2011)"
    assert article_ids(also, "a") == [REPRINTED, COPY]
    assert one(also, f"a[@href='/articles/{REPRINTED}']").get("class") == "folded"  # it matched too
    note = one(doc, "//p[contains(@class, 'folding')]")
    assert "1 more copy of a story on this page is folded" in text_of(note)
    assert "count articles" in text_of(note)
    assert "Counts of articles" in text_of(one(doc, "//aside[contains(@class, 'facets')]"))
    every = one(note, "a").get("href")
    assert query_of(every)["collapse"] == ["0"] and query_of(every)["q"] == ["Benin"]

    unfolded = page(links_client.get(every))
    assert article_ids(unfolded, f"{HITS}/a[@class='title']") == [BENIN, REPRINTED]
    assert [li.get("value") for li in unfolded.xpath(HITS)] == ["1", "2"]
    assert text_of(one(unfolded, f"{HITS}[2]/p[@class='also']")) == "Also in KCNA (1 August 2011), KCNA (5 August 2011)"
    # The switch is kept by the form, the facets and the JSON link, and can be turned back.
    assert one(unfolded, "//form[@role='search']//input[@name='collapse']").get("value") == "0"
    facet = unfolded.xpath("//aside[contains(@class, 'facets')]//a/@href")[0]
    assert query_of(facet)["collapse"] == ["0"]
    assert query_of(one(unfolded, "//p[@class='exports']/a[text()='JSON']").get("href"))["collapse"] == ["0"]
    assert "collapse" not in query_of(one(unfolded, "//p[@class='exports']/a[text()='CSV']").get("href"))
    back = one(unfolded, "//p[contains(@class, 'folding')]/a")
    assert text_of(back) == "Fold a story's copies into one hit" and "collapse" not in query_of(back.get("href"))


def test_a_translation_is_folded_as_its_edition(links_client: TestClient) -> None:
    doc = page(links_client.get("/search", params={"q": '"Pak Ui Chun"', "order": "oldest"}))
    assert article_ids(doc, f"{HITS}/a[@class='title']") == [ENGLISH]
    assert text_of(one(doc, f"{HITS}/p[@class='also']")) == "Also in Spanish edition (19 October 2011)"


def test_a_long_story_names_ten_others_under_its_hit_and_counts_the_rest(links_client: TestClient) -> None:
    doc = page(links_client.get("/search", params={"q": "Three-Revolution"}))
    assert article_ids(doc, f"{HITS}/a[@class='title']") == [NOTICE]  # the copies are not hits of their own
    also = one(doc, f"{HITS}/p[@class='also']")
    assert len(also.xpath("a")) == 11 and text_of(also).endswith(", and 2 more")
    assert also.xpath("a")[-1].get("href") == f"/articles/{NOTICE}#versions-heading"
    versions = one(page(links_client.get(f"/articles/{NOTICE}")), "//section[@class='other-versions']")
    assert len(versions.xpath("ul/li")) == REPEATS - 1
    assert text_of(one(versions, "p[@class='thread']")).endswith("; KCNA again 12 days later.")


def test_a_hit_alone_on_its_page_is_not_folded_and_not_said_to_be(links_client: TestClient) -> None:
    doc = page(links_client.get("/search", params={"q": "Cyprus"}))
    assert article_ids(doc, f"{HITS}/a[@class='title']") == [CYPRUS]
    assert doc.xpath(f"{HITS}/p[@class='also']") == [] and doc.xpath("//p[contains(@class, 'folding')]") == []


def test_the_api_gives_each_hit_its_story_and_says_whether_it_folded(links_client: TestClient) -> None:
    folded = links_client.get("/api/search", params={"q": "Benin", "order": "oldest"}).json()
    assert set(folded) == {"total", "hits", "facets", "also_searched", "page", "limit", "collapsed"}
    assert folded["collapsed"] is True and folded["total"] == 2
    assert folded["facets"]["source"] == {"KCNA": 1, "Rodong Sinmun": 1}
    assert [h["id"] for h in folded["hits"]] == [BENIN]
    hit = folded["hits"][0]
    assert set(hit) == HIT_FIELDS | {"story"}
    assert hit["story"] == {
        "id": BENIN,
        "also": [
            {"id": REPRINTED, "source": "Rodong Sinmun", "language": "en", "date": "2011-08-02"},
            {"id": COPY, "source": "KCNA", "language": "en", "date": "2011-08-05"},
        ],
    }
    every = links_client.get("/api/search", params={"q": "Benin", "order": "oldest", "collapse": "false"}).json()
    assert every["collapsed"] is False and [h["id"] for h in every["hits"]] == [BENIN, REPRINTED]
    assert (every["total"], every["facets"]) == (folded["total"], folded["facets"])
    assert every["hits"][1]["story"]["id"] == BENIN
    assert [m["id"] for m in every["hits"][1]["story"]["also"]] == [BENIN, COPY]
    alone = links_client.get("/api/search", params={"q": "Cyprus"}).json()
    assert [h["story"] for h in alone["hits"]] == [None]


@pytest.mark.parametrize("path", ["/search", "/api/search"])
def test_a_bad_collapse_is_a_400_that_names_it(links_client: TestClient, path: str) -> None:
    answer = links_client.get(path, params={"q": "Benin", "collapse": "maybe"})
    assert answer.status_code == 400
    assert "collapse" in answer.text and "maybe" in answer.text


# The fold itself -----------------------------------------------------------------------------


def _hit(ident: int, source: str = "KCNA", language: str = "en") -> Hit:
    return Hit(ident, f"Story {ident}", None, None, source, None, language, "")


def _member(ident: int, source: str = "KCNA", language: str = "en", lag: int | None = 0) -> StoryMember:
    return StoryMember(ident, source, language, None, f"Story {ident}", lag)


def test_fold_keeps_the_highest_hit_of_each_story_and_the_order() -> None:
    story = Story(5, (_member(5), _member(2, "Rodong Sinmun", lag=1), _member(9, language="es", lag=2)))
    other = Story(7, (_member(7), _member(8, lag=0)))
    hits = [_hit(2, "Rodong Sinmun"), _hit(1), _hit(9, language="es"), _hit(8), _hit(5), _hit(7)]
    stories = {2: story, 9: story, 5: story, 8: other, 7: other}
    folded = fold_hits(hits, stories)
    assert [(h.hit.id, h.rank, h.folded) for h in folded] == [(2, 1, (9, 5)), (1, 2, ()), (8, 4, (7,))]
    top = folded[0]
    assert [m.id for m in top.also] == [5, 9] and [top.label(m) for m in top.also] == ["KCNA", "KCNA in Spanish"]
    assert folded[1].story is None and folded[1].also == ()
    every = fold_hits(hits, stories, collapse=False)
    assert [h.hit.id for h in every] == [2, 1, 9, 8, 5, 7] and all(h.folded == () for h in every)
    assert fold_hits([], {}) == []


def test_the_thread_in_words() -> None:
    story = Story(
        3,
        (
            _member(3),
            _member(4, language="es", lag=1),
            _member(6, "Rodong Sinmun", lag=0),
            _member(5, lag=12),
            _member(7, "Rodong Sinmun", "ko", None),
        ),
    )
    assert thread_text(story) == (
        "first carried by KCNA on an unknown date; Spanish edition 1 day later; Rodong Sinmun the same day; "
        "KCNA again 12 days later; Rodong Sinmun in Korean on an unknown date"
    )
