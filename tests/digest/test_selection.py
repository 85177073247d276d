"""The must-read selection: the score's parts and their reasons, stories across outlets,
novelty, sections, a reader's copy, and the edition read from real archives."""

from __future__ import annotations

import datetime as dt
import importlib.resources
from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import Invoke
from wirewatch.analysis.actors import Actors
from wirewatch.digest.leads import first_sentence, lead_of
from wirewatch.digest.rules import load_rules, parse_rules
from wirewatch.digest.selection import NAMED_REASONS as NAMED
from wirewatch.digest.selection import (
    Digest,
    DigestItem,
    build_digest,
    score_edition,
    topic_hits,
)
from wirewatch.errors import ConfigError
from wirewatch.models import Article, EntityCount, Event, Preferences, Side
from wirewatch.store import open_store
from wirewatch.store.digests import EditionData

DAY = dt.date(2011, 5, 17)
RULES = load_rules()
ACTORS = Actors.load()


def article(
    ident: int, title: str, body: str = "Some text.", *, source: str = "KCNA", day: dt.date = DAY, **more: object
) -> Article:
    return Article(
        source=source,
        title=title,
        body=body,
        date=day,
        date_precision="day",
        id=ident,
        language="en",
        url=f"http://example.org/{ident}",
        **more,
    )  # type: ignore[arg-type]


def person(ident: str, name: str, count: int = 1) -> EntityCount:
    return EntityCount("person", ident, name, "PRK", count)


def event(kind: str, actor: str | None, target: str | None) -> Event:
    return Event(kind, "040", "CONSULT", Side(None, actor), Side(None, target), DAY, "day", False, "A sentence.")


def edition(articles: list[Article], **data: object) -> Digest:
    return score_edition(EditionData(DAY, DAY, articles, **data), RULES, ACTORS, day=DAY, days=1)  # type: ignore[arg-type]


def only(digest: Digest) -> DigestItem:
    assert len(digest.items) == 1, digest.items
    return digest.items[0]


def reasons(item: DigestItem) -> dict[str, int]:
    return {r.text: r.points for r in item.reasons}


def test_a_leader_counts_by_the_office_held_on_the_story_date() -> None:
    title = "Kim Jong Il Meets with Russian Delegation"
    before = only(edition([article(1, title)], entities={1: [person("kim-jong-il", "Kim Jong Il", 4)]}))
    assert reasons(before) == {"Kim Jong Il (Supreme Leader) in the title": 40}
    assert before.score == 40 and before.section == "leadership"
    # After his death he holds only the title "the General": fewer points, no office shown twice.
    later = score_edition(
        EditionData(
            dt.date(2012, 5, 1),
            dt.date(2012, 5, 1),
            [article(1, "Exhibition", day=dt.date(2012, 5, 1))],
            entities={1: [person("kim-jong-il", "Kim Jong Il")]},
        ),
        RULES,
        ACTORS,
        day=dt.date(2012, 5, 1),
        days=1,
    )
    assert reasons(only(later)) == {"Kim Jong Il": 10}


def test_leaders_beyond_three_are_summed_and_the_part_is_capped() -> None:
    leaders = [
        person("kim-jong-il", "Kim Jong Il"),
        person("kim-yong-nam", "Kim Yong Nam"),
        person("choe-yong-rim", "Choe Yong Rim"),
        person("jang-song-thaek", "Jang Song Thaek"),
        person("kim-kyong-hui", "Kim Kyong Hui"),
        person("pak-ui-chun", "Pak Ui Chun"),
        person("somebody-else", "Somebody Else"),
    ]
    item = only(edition([article(1, "Kim Jong Il Enjoys Concert")], entities={1: leaders}))
    found = reasons(item)
    assert list(found)[:3] == [
        "Kim Jong Il (Supreme Leader) in the title",
        "Kim Yong Nam (President of the Presidium of the Supreme People's Assembly)",
        "Choe Yong Rim (Premier of the DPRK)",
    ]
    assert found["3 more leaders"] == 10 + 8 + 10
    assert found["Leaders count at most 45"] == 45 - (40 + 15 + 15 + 28)
    assert item.score == 45 == sum(found.values())


def test_events_between_two_countries_count_once_per_type_and_pair() -> None:
    events = [
        event("visit", "PRK", "RUS"),
        event("visit", "RUS", "PRK"),
        event("meeting", "PRK", "RUS"),
        event("praise", "PRK", None),
        event("denounce", "PRK", "PRK"),
    ]
    item = only(edition([article(1, "Talks Held")], events={1: events}))
    assert reasons(item) == {"Visit: North Korea → Russia": 12, "Meeting: North Korea → Russia": 10}
    assert item.section == "foreign" and "2 events between countries" in item.section_why


def test_copies_and_same_titled_stories_are_one_story_carried_by_each_outlet() -> None:
    original = article(1, "DPRK Delegation Leaves for Moscow", "The delegation left.")
    copy = article(2, "Delegation leaves", "The delegation left.", source="Rodong Sinmun", duplicate_of=1)
    retold = article(3, "DPRK delegation leaves for Moscow!", "A delegation left Pyongyang.", source="Uriminzokkiri")
    short_a, short_b = article(4, "Greetings", "One."), article(5, "Greetings", "Two.", source="Rodong Sinmun")
    digest = edition(
        [original, copy, retold, short_a, short_b],
        outlets={1: frozenset({"KCNA", "Rodong Sinmun", "Voice of Korea"}), 3: frozenset({"Uriminzokkiri"})},
    )
    items = {i.article_id: i for i in digest.items}
    assert set(items) == {1, 4, 5}  # the copy and the same-titled story join the original; short titles stay apart
    story = items[1]
    assert story.outlets == ("KCNA", "Rodong Sinmun", "Uriminzokkiri", "Voice of Korea")
    assert story.articles == frozenset({1, 2, 3})
    assert reasons(story)["Carried by 4 outlets (KCNA, Rodong Sinmun, Uriminzokkiri, Voice of Korea)"] == 30
    assert items[4].outlets == ("KCNA",) and not items[4].reasons


def test_a_copy_stands_for_its_story_when_the_original_is_older() -> None:
    copy = article(9, "Old Story Again", "Text.", source="Rodong Sinmun", duplicate_of=3)
    item = only(edition([copy], outlets={3: frozenset({"KCNA", "Rodong Sinmun"})}))
    assert item.article_id == 9 and item.outlets == ("Rodong Sinmun", "KCNA")
    assert item.score == 10


def test_novelty_needs_enough_history() -> None:
    story = article(1, "Vice-Marshal Inspects Satellite Station")
    # A new name counts when the story is about them: named twice (or in the title), not once in passing.
    entities = {
        1: [
            person("choe-ryong-hae", "Choe Ryong Hae"),
            person("ri-pyong-chol", "Ri Pyong Chol", 2),
            person("o-su-yong", "O Su Yong"),
        ]
    }
    history = {"history_titles": ["Vice-Marshal Inspects Farm"] * 25, "history_persons": frozenset({"choe-ryong-hae"})}
    item = only(edition([story], entities=entities, history_articles=25, **history))
    found = reasons(item)
    assert found["New name: Ri Pyong Chol (not in the 30 days before)"] == 8
    assert found["New in the headlines: satellite, station (not in the 30 days before)"] == 6
    assert not any(("Choe Ryong Hae" in text or "O Su Yong" in text) and "New" in text for text in found)
    assert found["Choe Ryong Hae"] == 10  # a leader, not new
    thin = only(edition([story], entities=entities, history_articles=RULES.novelty_min_articles - 1, **history))
    assert not any(text.startswith("New") for text in reasons(thin))


def test_a_headline_without_text_loses_points() -> None:
    item = only(edition([article(1, "Russia Steps Up Development of Antimissile Weapons", "")]))
    assert reasons(item) == {"Headline only: the archive has no text": -5}
    assert item.section == "military" and item.lead == ""


@pytest.mark.parametrize(
    ("title", "body", "countries", "section"),
    [
        ("South Korean Puppets Denounced", "The puppets block reunification.", [], "inter-korean"),
        ("Statement Issued", "A statement was issued.", ["KOR"], "inter-korean"),
        ("Missile Launch Demonstrates Nuclear Deterrent", "A missile launch was conducted.", [], "military"),
        ("Farmers Finish Spring Sowing", "The harvest will be good, farm officials said.", [], "economy"),
        ("Weather Forecast", "Clear skies tomorrow.", [], "economy"),
        ("Supreme Leader Gives Field Guidance", "He gave on-the-spot guidance.", [], "leadership"),
    ],
)
def test_a_story_goes_to_the_section_with_the_strongest_signal(
    title: str, body: str, countries: list[str], section: str
) -> None:
    entities = {1: [EntityCount("country", c, c, c, 1) for c in countries]}
    item = only(edition([article(1, title, body)], entities=entities))
    assert item.section == section, item.section_why
    assert item.section_why


def test_events_with_a_claimed_country_go_to_its_section() -> None:
    item = only(edition([article(1, "Talks Held")], events={1: [event("meeting", "PRK", "KOR")]}))
    assert item.section == "inter-korean"
    assert reasons(item) == {"Meeting: North Korea → South Korea": 10}


def _items(digest: Digest) -> list[int]:
    return [i.article_id for i in digest.items]


def test_a_reader_copy_filters_raises_and_caps() -> None:
    stories = [
        article(
            n,
            f"Factory number {n} fulfils its plan",
            f"The factory {n} and its farm.",
            source="Rodong Sinmun" if n % 2 else "KCNA",
        )
        for n in range(1, 9)
    ]
    stories[2] = replace(stories[2], language="ko")
    digest = edition(stories, entities={1: [person("kim-jong-il", "Kim Jong Il")]})
    assert [s.id for s in digest.sections if s.items] == ["economy"] and len(digest.items) == 8
    default = digest.for_reader(Preferences())
    assert _items(default) == [1, 2, 3, 4, 5] and len(default.items) == RULES.per_section
    # Sources by any outlet that carries the story, in any case; languages likewise.
    assert set(_items(digest.for_reader(Preferences(sources=("kcna",)), cap=0))) == {2, 4, 6, 8}
    assert _items(digest.for_reader(Preferences(languages=("ko",)))) == [3]
    # A topic raises the stories it matches, with a reason; the others keep their order.
    raised = digest.for_reader(Preferences(topics=("plan",)), {"plan": frozenset({7, 8})})
    assert _items(raised) == [1, 7, 8, 2, 3]
    seventh = raised.items[1]
    assert seventh.topics == ("plan",) and reasons(seventh) == {"Your topic “plan”": 15} and seventh.score == 15
    # At most topic_max points from topics, however many match.
    topics = ("plan", "factory", "fulfils")
    many = digest.for_reader(Preferences(topics=topics), {t: frozenset({8}) for t in topics})
    assert {i.article_id: i.score for i in many.items[:2]} == {1: 30, 8: RULES.topic_max}
    assert reasons(many.items[1])["Your topics count at most 30"] == -15
    # The reader's copy shares the edition's rendering cache and leaves the edition whole.
    assert raised.cache is digest.cache and len(digest.items) == 8


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "General Secretary Kim Jong Il met the delegation led by its Director M. Y. Fradkov on Tuesday. Then more.",
            "General Secretary Kim Jong Il met the delegation led by its Director M. Y. Fradkov on Tuesday.",
        ),
        ("A reception was given on Feb. 9 in Moscow. It was warm.", "A reception was given on Feb. 9 in Moscow."),
        ("Why? Because.", "Why?"),
        ("조선의 앞날을 밝히시였다. 다음 문장.", "조선의 앞날을 밝히시였다."),
        ("word " * 80, " ".join(["word"] * 40) + "…"),
    ],
)
def test_the_lead_is_the_first_sentence_trimmed(text: str, expected: str) -> None:
    assert first_sentence(text) == expected


def test_the_lead_skips_a_title_made_from_the_first_sentence() -> None:
    derived = article(
        1, "this is our motto", "this is our motto. We should work with lofty aims.\n\nMore.", title_derived=True
    )
    assert lead_of(derived) == "We should work with lofty aims."
    assert lead_of(article(2, "Title", "\n\nFirst. Second.")) == "First."


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("[edition]\nper_section = 5", "[edition]\nper_section = 0"),
            "[edition]: per_section 0: expected a whole number, 1 or more",
        ),
        (("headline_only = -5", "headline_only = 'low'"), "headline_only 'low': expected a whole number"),
        (("\n[topics]\n", "\n[topic]\n"), "unknown table 'topic' (did you mean 'topics'?)"),
        (
            ('countries = ["KOR"]', 'countries = ["Korea"]'),
            "section #3 ('inter-korean'): countries ['Korea']: expected a list of ISO 3166 alpha-3 codes",
        ),
        (("fallback = true", "fallback = false"), "exactly one [[section]] needs fallback = true"),
        (("max = 45", "max = 45\nmaximum = 1"), "[leadership]: unknown key 'maximum' (did you mean 'max'?)"),
    ],
)
def test_bad_rules_name_the_table_and_field(change: tuple[str, str], message: str) -> None:
    text = (importlib.resources.files("wirewatch.data") / "digest.toml").read_text(encoding="utf-8")
    assert change[0] in text
    with pytest.raises(ConfigError) as error:
        parse_rules(text.replace(change[0], change[1], 1), "my-rules.toml")
    assert str(error.value).startswith("my-rules.toml: ") and message in str(error.value)


def test_a_rules_file_that_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nope.toml: cannot read the digest rules"):
        load_rules(tmp_path / "nope.toml")


def test_edition_titles() -> None:
    def titled(day: dt.date, days: int) -> str:
        return Digest(day, days, (), 0, RULES).title

    assert titled(dt.date(2012, 5, 9), 1) == "Daily Update, 9 May 2012"
    assert titled(dt.date(2012, 5, 9), 7) == "Weekly Update, 3–9 May 2012"
    assert titled(dt.date(2012, 5, 3), 7) == "Weekly Update, 27 April – 3 May 2012"
    assert titled(dt.date(2012, 1, 2), 7) == "Weekly Update, 27 December 2011 – 2 January 2012"


# -- editions read from real archives (SQLite, then PostgreSQL) ----------------------------------


@pytest.fixture
def sample_archive(cli: Invoke, db: str) -> str:
    """The demo sample imported (and analysed) as ``wirewatch import`` does."""
    sample = importlib.resources.files("wirewatch") / "sample"
    result = cli("import", str(sample), "--json")
    assert result.json()["added"] == 46  # type: ignore[index]
    return db


def test_build_digest_reads_the_day_and_the_week(sample_archive: str) -> None:
    store = open_store(sample_archive)
    try:
        day = build_digest(store, DAY)
        story = only(day)
        assert story.title == "Kim Jong Il Meets with Russian Delegation" and story.section == "foreign"
        assert story.url == "http://www.kcna.co.jp/item/2011/201105/2011-05-17ee.html"
        assert story.lead.startswith("General Secretary Kim Jong Il met with the visiting delegation")
        found = reasons(story)
        assert found["Kim Jong Il (Supreme Leader) in the title"] == 40
        # One reason per (type, pair of countries) among the stored events.
        stored = {
            (e.type, frozenset((e.actor.country, e.target.country)))
            for e in store.events_of(story.article_id)
            if e.actor.country and e.target.country and e.actor.country != e.target.country
        }
        assert len([t for t in found if t.split(":")[0].lower() in RULES.event_points]) == min(len(stored), NAMED + 1)
        assert story.score == sum(found.values())
        week = build_digest(store, dt.date(2011, 8, 27), days=7)
        assert week.since == dt.date(2011, 8, 21) and week.articles == 5
        assert {i.date for i in week.items} == {dt.date(2011, 8, 21), dt.date(2011, 8, 26), dt.date(2011, 8, 27)}
        # The story printed twice on 14 January 2012 is one story.
        twice = build_digest(store, dt.date(2012, 1, 14))
        assert twice.articles == 2 and len(only(twice).articles) == 2
        empty = build_digest(store, dt.date(2011, 5, 18))
        assert empty.articles == 0 and empty.items == []
    finally:
        store.close()


def test_topic_hits_searches_each_distinct_topic_once(sample_archive: str) -> None:
    store = open_store(sample_archive)
    try:
        week = build_digest(store, dt.date(2011, 8, 27), days=7)
        hits = topic_hits(
            store,
            ["Kim Jong Il", "Kim  Jong Il ", "Gazprom", '"unclosed', "person:nobody-at-all-xyz"],
            week.since,
            week.day,
        )
        assert set(hits) == {"Kim Jong Il", "Gazprom", '"unclosed', "person:nobody-at-all-xyz"}
        assert hits["Gazprom"] == frozenset() and hits['"unclosed'] == frozenset()
        # Every hit is an article of the week's stories (a story's other editions folded into it).
        assert hits["Kim Jong Il"] and hits["Kim Jong Il"] <= {a for i in week.items for a in i.articles}
        copy = week.for_reader(Preferences(topics=("Kim  Jong Il",)), hits)
        assert all(item.topics == ("Kim  Jong Il",) for item in copy.items if item.article_id in hits["Kim Jong Il"])
    finally:
        store.close()


def test_keywords_match_whole_words_in_any_case_and_script() -> None:
    from wirewatch.digest.rules import KeywordMatcher, SectionRule

    sections = (
        SectionRule("a", "A", ("war", "missile*", "on-the-spot guidance", "핵*", "Corea del Sur")),
        SectionRule("b", "B", ("WAR",)),
    )
    matcher = KeywordMatcher(sections)

    def found(text: str) -> dict[int, set[int]]:
        return matcher.find(text)

    assert found("An award for the warm weather") == {}
    assert found("The War is over; missiles flew.") == {0: {0, 1}, 1: {0}}
    assert found("He gave On-the-spot\n  guidance there") == {0: {2}}
    assert found("핵무력을 강화") == {0: {3}} and found("la corea  del sur") == {0: {4}}
    assert found("missile") == {0: {1}} and found("") == {}


def test_an_edition_never_analysed_is_analysed_for_the_digest(cli: Invoke, db: str) -> None:
    result = cli("import", str(importlib.resources.files("wirewatch") / "sample"), "--no-analysis", "--json")
    assert result.json()["added"] == 46  # type: ignore[index]
    store = open_store(db)
    try:
        story = only(build_digest(store, DAY))
        assert store.entities_of(story.article_id) == []  # nothing stored…
        assert reasons(story)["Kim Jong Il (Supreme Leader) in the title"] == 40  # …yet the leader counts
    finally:
        store.close()


def test_a_story_thread_is_one_story_carried_by_each_of_its_outlets(cli: Invoke, db: str, tmp_path: Path) -> None:
    """Through the real import: the comparison links a Rodong Sinmun reprint (a few words
    changed, so no exact copy) to the KCNA story, and the edition counts both outlets once."""
    from tests.cli.test_compare import GREETING, REPRINT, SIBLING
    from tests.conftest import write_jsonl

    day = dt.date(2011, 8, 1)
    records = [
        {"source": "KCNA", "title": "Greetings to President of Benin", "date": "2011-08-01", "body": GREETING},
        {"source": "Rodong Sinmun", "title": "Message to Benin's President", "date": "2011-08-01", "body": REPRINT},
        {"source": "Minju Joson", "title": "Greetings to President of Cyprus", "date": "2011-08-01", "body": SIBLING},
    ]
    assert cli("import", str(write_jsonl(tmp_path / "day.jsonl", records))).exit_code == 0
    store = open_store(db)
    try:
        data = store.edition_data(day, day)
    finally:
        store.close()
    digest = score_edition(data, RULES, ACTORS, day=day, days=1)
    by_title = {i.title: i for i in digest.items}
    story = by_title["Greetings to President of Benin"]
    assert story.outlets == ("KCNA", "Rodong Sinmun") and story.articles == frozenset({1, 2})
    assert reasons(story)["Carried by 2 outlets (KCNA, Rodong Sinmun)"] > 0
    # The formula sibling (another country) is its own story, carried by one outlet.
    assert by_title["Greetings to President of Cyprus"].outlets == ("Minju Joson",)
