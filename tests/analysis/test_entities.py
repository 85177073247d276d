"""Entity extraction: the reference article, titles on dates, casing, ambiguity, the actor
files, and the scores on the development set (docs/annotation-guide.md)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from tests.eval.gold import CORPUS, REFERENCE_FILE, load_gold
from wirewatch.analysis.actors import Actors
from wirewatch.analysis.entities import count_entities, find_mentions, unknown_names
from wirewatch.errors import ConfigError

DEV = Path(__file__).resolve().parents[1] / "eval" / "dev.jsonl"
FRESH_DEV = Path(__file__).resolve().parents[1] / "eval" / "fresh-dev.jsonl"
REFERENCE = CORPUS / REFERENCE_FILE
#: Pinned a little below what the rules reach on dev.jsonl (see the closing note of issue 6).
FLOORS = {"country": 0.97, "person": 0.95, "organization": 0.94}
#: Pinned a little below what the rules reach on issue 17's fresh development part.
FRESH_FLOORS = {"country": 0.97, "person": 0.88, "organization": 0.84}


@pytest.fixture(scope="module")
def actors() -> Actors:
    return Actors.load()


def ids(text: str, actors: Actors, on: dt.date | None = dt.date(2012, 6, 1)) -> set[tuple[str, str]]:
    return {(m.type, m.id) for m in find_mentions(text, actors, on)}


@pytest.mark.skipif(not REFERENCE.exists(), reason="shared corpus absent")
def test_reference_article(actors: Actors) -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    mentions = find_mentions(text, actors, dt.date(2018, 10, 11))
    found = {(m.type, m.id) for m in mentions}
    assert {
        ("person", "kim-il-sung"),
        ("person", "kim-jong-il"),
        ("person", "kim-jong-un"),
        ("person", "vladimir-putin"),
        ("person", "sergey-lavrov"),
        ("person", "valentina-matviyenko"),
        ("country", "PRK"),
        ("country", "RUS"),
        ("country", "SUN"),
        ("organization", "federation-council"),
    } <= found
    by_title = {m.id: m.role for m in mentions if m.by_title}
    assert by_title["kim-jong-un"] == "supreme-leader"
    assert by_title["valentina-matviyenko"] == "federation-council-chair"
    assert by_title["vladimir-putin"] == "president-rus"
    rows = {row.id: dataclasses.asdict(row) for row in count_entities(mentions)}
    assert rows["kim-jong-un"]["by_title"] and rows["kim-jong-un"]["count"] >= 4
    assert rows["sergey-lavrov"] == {
        "type": "person",
        "name": "Sergey Lavrov",
        "id": "sergey-lavrov",
        "country": "RUS",
        "count": 1,
        "by_title": False,
    }
    for mention in mentions:  # offsets point at the words
        assert text[mention.start : mention.end]
    # page furniture ("Source: Pyongyang Times") and a quoted slogan are not mentions
    assert ("organization", "pyongyang-times") not in found


def test_titles_resolve_on_the_date(actors: Actors) -> None:
    text = "The Supreme Leader inspected a unit."
    assert ("person", "kim-jong-il") in ids(text, actors, dt.date(2010, 5, 1))
    assert ("person", "kim-jong-un") in ids(text, actors, dt.date(2018, 5, 1))
    assert not {m for m in ids(text, actors, None) if m[0] == "person"}  # no date: no holder
    assert ("person", "dmitry-medvedev") in ids("The Russian President arrived.", actors, dt.date(2010, 1, 1))
    assert ("person", "vladimir-putin") in ids("The Russian President arrived.", actors, dt.date(2013, 1, 1))
    # a name with a title: the named person, even when the title does not fit the date
    found = ids("Russian President Vladimir Putin arrived.", actors, dt.date(2010, 1, 1))
    assert ("person", "vladimir-putin") in found and ("person", "dmitry-medvedev") not in found
    # a bare DPRK leader title counts only when its holder is named too
    assert ("person", "kim-il-sung") not in ids("He wished the President success.", actors)
    assert ("person", "kim-il-sung") in ids("Kim Il Sung came. The President said so.", actors)
    # another office: "the President of Mali" is not Kim Il Sung
    mentions = find_mentions("Kim Il Sung's works. He met the President of Mali.", actors, dt.date(2012, 1, 1))
    assert not [m for m in mentions if m.by_title]


def test_casing_and_state_media_forms(actors: Actors) -> None:
    assert ids("The south Korean puppets and S. Korea", actors) == {("country", "KOR")}
    assert ("country", "KOR") in ids("DPRK Slams South Korea", actors)
    assert ids("the north and the south held talks", actors) == set()
    assert ids("It is up to us.", actors) == set()
    assert ids("The U.S. and the US and USA", actors) == {("country", "USA")}
    assert ids("the former Soviet Union and the USSR", actors) == {("country", "SUN")}
    assert ids("anti-Japanese and Sino-DPRK ties", actors) == {
        ("country", "JPN"),
        ("country", "CHN"),
        ("country", "PRK"),
    }
    # the sporting name of Taiwan is Taiwan, not China (GUIDE C7)
    assert ids("Delegations from Singapore and Taipei of China arrived", actors) == {
        ("country", "SGP"),
        ("country", "TWN"),
    }


def test_korea_alone_and_ambiguity(actors: Actors) -> None:
    assert ids("the Korean people and the Korean Peninsula", actors) == set()
    assert ids("Korea-China friendship grew", actors) == {("country", "PRK"), ("country", "CHN")}
    assert ids("the Korean side said", actors) == {("country", "PRK")}
    assert ids("the dignity of Songun Korea", actors) == {("country", "PRK")}
    assert ("country", "PRK") in ids("the Workers' Party of Korea", actors)
    assert ids("a delegation of the General Association of Korean Residents in Japan", actors) == {
        ("organization", "chongryon"),
        ("country", "JPN"),
    }
    # its counterpart in China is home's too (GUIDE O5), the country its name holds a mention
    assert ids("The General Association of Koreans in China issued a statement.", actors) == {
        ("organization", "general-association-of-koreans-in-china"),
        ("country", "CHN"),
    }
    # capitals: only for the government
    assert ids("The talks were held in Beijing.", actors) == set()
    assert ids("Washington's hostile policy", actors) == {("country", "USA")}
    assert ids("Seoul claimed that", actors) == {("country", "KOR")}
    assert ids("Congo and DR Congo", actors) == {("country", "COG"), ("country", "COD")}
    assert ids("Guinea-Bissau and Papua New Guinea", actors) == {("country", "GNB"), ("country", "PNG")}
    # names inside other names, titles of works
    assert ids("students of Kim Il Sung University", actors) == set()
    assert ("person", "kim-il-sung") in ids("Kim Il Sung's statue", actors)
    assert ids('He read "Let Us Defend the Soviet Union with Arms!" aloud.', actors) == set()


def test_armed_bodies_apart_from_the_army(actors: Actors) -> None:
    """The security forces and the anti-Japanese guerrilla army are bodies of their own, as
    every gold set annotates them, not the Korean People's Army."""
    found = ids("Korean People's Internal Security Forces and the KPRA paraded.", actors)
    assert ("organization", "korean-peoples-internal-security-forces") in found
    assert ("organization", "korean-peoples-revolutionary-army") in found
    assert ("organization", "kpa") not in found


def test_romanisations_and_scripts(actors: Actors) -> None:
    for form in ("Kim Jong Un", "Kim Jong-un", "Kim Jong-eun", "Kim Chong-un", "김정은"):
        assert ("person", "kim-jong-un") in ids(f"{form} visited.", actors), form
    assert ("person", "sergey-lavrov") in ids("Sergei Lavrov said", actors)


def test_unknown_persons_and_names(actors: Actors) -> None:
    found = ids("Chairman Anders Kristiansson spoke. Ri Kyu Jae was there.", actors)
    assert {("person", "anders-kristiansson"), ("person", "ri-kyu-jae")} <= found
    text = "Omar Hakimi, chairman of the Sudan-DPRK Friendship Association, met Dorje Namgyal Tashi."
    mentions = find_mentions(text, actors, dt.date(2012, 1, 1))
    assert ("organization", "sudan-dprk-friendship-association") in {(m.type, m.id) for m in mentions}
    assert ("person", "omar-hakimi") in {(m.type, m.id) for m in mentions}
    assert unknown_names(text, mentions) == ["Dorje Namgyal Tashi"]


def test_user_files_extend_and_errors_name_the_field(tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text('[[person]]\nid = "jo-bloggs"\nname = "Jo Bloggs"\ncountry = "GBR"\n', encoding="utf-8")
    actors = Actors.load([extra])
    assert actors.person("jo-bloggs") is not None and ("person", "jo-bloggs") in ids("Jo Bloggs came", actors)

    extra.write_text(
        '[[person]]\nid = "jo-bloggs"\nname = "Jo Bloggs"\nroles = [{role = "president-rus", from = "soon"}]\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"mine\.toml: person #1 \('jo-bloggs'\): roles entry 1: from 'soon'"):
        Actors.load([extra])
    extra.write_text('[[organization]]\nid = "x"\nname = "X"\ncountry = "Russia"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"organization #1 \('x'\): country 'Russia'"):
        Actors.load([extra])
    extra.write_text('[[person]]\nid = "y"\nname = "Y"\nroles = [{role = "king-of-mars"}]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown role 'king-of-mars'"):
        Actors.load([extra])


def test_holder_lookup(actors: Actors) -> None:
    assert actors.holder("president-usa", dt.date(2012, 1, 1)).id == "barack-obama"  # type: ignore[union-attr]
    assert actors.holder("supreme-leader", dt.date(1990, 1, 1)).id == "kim-il-sung"  # type: ignore[union-attr]
    assert actors.holder("president-usa", dt.date(1900, 1, 1)) is None


def score(stories: list[dict], actors: Actors) -> dict[str, tuple[float, float, float]]:
    """Precision, recall, F1 per entity type over sets of (type, id) per story (GUIDE advice)."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for story in stories:
        text = story["text"] if story["ref"]["line"] is None else f"{story['title']}\n\n{story['text']}"
        got = ids(text, actors, dt.date.fromisoformat(story["date"]))
        want = {(e["type"], e["id"]) for e in story["entities"]}
        for kind in ("country", "person", "organization"):
            g, w = {x for x in got if x[0] == kind}, {x for x in want if x[0] == kind}
            tp[kind] += len(g & w)
            fp[kind] += len(g - w)
            fn[kind] += len(w - g)
    result = {}
    for kind in ("country", "person", "organization"):
        p = tp[kind] / max(1, tp[kind] + fp[kind])
        r = tp[kind] / max(1, tp[kind] + fn[kind])
        result[kind] = (p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return result


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus absent")
def test_dev_set_scores(actors: Actors) -> None:
    scores = score(load_gold(DEV), actors)
    for kind, floor in FLOORS.items():
        assert scores[kind][2] >= floor, (kind, scores[kind])


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus absent")
def test_fresh_dev_set_scores(actors: Actors) -> None:
    scores = score(load_gold(FRESH_DEV), actors)
    for kind, floor in FRESH_FLOORS.items():
        assert scores[kind][2] >= floor, (kind, scores[kind])


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # a generic state body takes its country's alpha-3 (GUIDE O4)
        ("Officials of the Ministry of Health of Indonesia said so.", "idn-ministry-of-health"),
        ("The Venezuelan Foreign Ministry issued a statement.", "ven-ministry-of-foreign-affairs"),
        ("The National Public Safety Commission of Japan decided it.", "jpn-national-public-safety-commission"),
        # a body the data hold, named generically with "of <country>", is that body
        ("Members of the Confederation of Trade Unions of South Korea held a rally.", "kctu"),
        ("The National Socialist Party of Bangladesh sent a message.", "bangladesh-national-socialist-party"),
        ("The Confederation of Trade Unions of South Korea and the PCC were named.", "communist-party-of-cuba"),
        # a generic name the data give one country is another's after its word
        ("A delegation of the Lao National Assembly arrived.", "lao-national-assembly"),
        # the DPRK's keeps a bare slug, by any of its names
        ("The DPRK has the invincible People's Army, the article notes.", "kpa"),
        ("The Red Cross Society of the Democratic People's Republic of Korea sent relief.", "red-cross-society"),
        # a proper name drops the country KCNA appends to it
        ("The MS Travel Agency of Germany posted an article.", "ms-travel-agency"),
        # a bracketed word that is no abbreviation stays in the name
        ("A member of the Communist Party of India (Marxist) spoke.", "communist-party-of-india-marxist"),
        # a date after the name is no part of it
        (
            "It was posted by the Finnish National Committee for the Study of the Juche Idea on May 22.",
            "finnish-national-committee-for-the-study-of-the-juche-idea",
        ),
        # firms, publishers and media are organisations (issue 17)
        ("It was brought out by the Dar Damascus Publishing House of Syria.", "dar-damascus-publishing-house"),
        ("The Nepali paper Arpan edited an article.", "arpan"),
        # a name that runs on into a person's is cut before it
        ("General Director of the Associated Fruit Group Kim Chol Ho said so.", "associated-fruit-group"),
    ],
)
def test_organisations_by_shape(actors: Actors, text: str, wanted: str) -> None:
    assert ("organization", wanted) in ids(text, actors)


def test_two_bodies_joined_by_and_are_two(actors: Actors) -> None:
    found = ids("The Military Service Agency and the Ministry of Public Administration and Security of Japan.", actors)
    assert ("organization", "military-service-agency") in found
    assert ("organization", "military-service-agency-and-the-ministry-of-public-administration") not in found


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # a quoted name of a few words is part of a body's name, before or after its body word
        (
            'Kim Jong Il was praised by the Communist Party of Peru "Red Motherland".',
            "communist-party-of-peru-red-motherland",
        ),
        (
            'It was posted by the Ukrainian "Treasured Sword of Songun" Association for the Study of the Juche Idea.',
            "ukrainian-treasured-sword-of-songun-association-for-the-study-of-the-juche-idea",
        ),
        (
            'The Measure Committee for Lifting the "May 24 Step" held a news conference.',
            "measure-committee-for-lifting-the-may-24-step",
        ),
    ],
)
def test_a_quoted_name_inside_a_body_name(actors: Actors, text: str, wanted: str) -> None:
    assert ("organization", wanted) in ids(text, actors)


def test_a_quoted_name_with_and_is_not_cut_into_bodies(actors: Actors) -> None:
    # "and" inside the quotes would cut the federation's name at "and Union's Communist Party"
    text = 'They included the International Social Federation "For the Union and Union\'s Communist Party".'
    assert not any(kind == "organization" and "communist-party" in id for kind, id in ids(text, actors))


def test_and_the_cuts_a_run_before_an_and_inside_a_name(actors: Actors) -> None:
    # "Juche Idea and Songun Idea" is one body's name; "and the" begins the next
    found = ids(
        "It was carried by websites of the French Group for the Study of the Juche Idea and Songun Idea"
        " and the Nigerian Association for the Study of the Juche Idea.",
        actors,
    )
    assert ("organization", "french-group-for-the-study-of-the-juche-idea-and-songun-idea") in found
    assert ("organization", "nigerian-association-for-the-study-of-the-juche-idea") in found


def test_a_headline_verb_is_no_name(actors: Actors) -> None:
    # Title Case makes "President Denounces Plot" look like a titled name; the body never names it
    text = "Iranian President Denounces Plot\n\nThe Iranian President denounced the plot."
    assert not any(kind == "person" and id == "denounces-plot" for kind, id in ids(text, actors))


@pytest.mark.parametrize(
    "text",
    ["Kazakh President Visits Russia", "Kazakh President Visits Russia\n\nThe president arrived in Moscow on Monday."],
)
def test_a_headline_verb_ends_a_name_by_shape(actors: Actors, text: str) -> None:
    # a story carried as its headline alone, or whose body names the visitor by office only
    found = ids(text, actors)
    assert not any(kind == "person" for kind, _ in found)
    assert ("country", "RUS") in found


def test_an_organ_named_with_and_before_of_its_party_is_one_name(actors: Actors) -> None:
    # "… Propaganda and Training Affairs of the Central Committee of …" names one organ, which
    # folds into its party: no body is cut out of it
    found = ids(
        "The delegation of the Commission for Propaganda and Training Affairs of the Central Committee"
        " of the Lao People's Revolutionary Party visited Mangyongdae.",
        actors,
    )
    assert {i for kind, i in found if kind == "organization"} == {"lprp"}


def test_a_generic_body_of_a_state_named_by_its_form_is_that_state_s(actors: Actors) -> None:
    text = "The delegation of the National Assembly of the People's Democratic Republic of Laos visited Mangyongdae."
    found = {(m.type, m.id, m.country) for m in find_mentions(text, actors, dt.date(2012, 6, 1))}
    assert ("organization", "lao-national-assembly", "LAO") in found
    assert not any(m[1] == "kor-national-assembly" for m in found)


def test_the_country_a_body_is_with_is_its_partner_not_its_own(actors: Actors) -> None:
    text = "The Canar Institute for the Friendship and Solidarity with DPRK of Ecuador issued a statement."
    bodies = [m for m in find_mentions(text, actors, dt.date(2012, 6, 1)) if m.type == "organization"]
    assert [m.country for m in bodies] == ["ECU"]


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # a date the name holds is part of it
        (
            "A statement of the Overseas Side Committee for Implementing the June 15 Joint Declaration was adopted.",
            "overseas-side-committee-for-implementing-the-june-15-joint-declaration",
        ),
        # a cause after "for" goes on past "and" to a word for a body at its start
        (
            "The Ecuador-Guaranda Institute for Friendship and Cultural Solidarity with the Korean People issued it.",
            "ecuador-guaranda-institute-for-friendship-and-cultural-solidarity-with-the-korean-people",
        ),
        # the words after a date in a run are read on their own
        ("On February 7 Sankei Shimbun of Japan carried an article.", "sankei-shimbun"),
    ],
)
def test_names_with_dates_and_causes(actors: Actors, text: str, wanted: str) -> None:
    assert ("organization", wanted) in ids(text, actors)


def test_a_body_for_a_cause_and_another_of_the_same_kind_are_two(actors: Actors) -> None:
    found = ids(
        "It was sent by the Group for the Study of the Juche Philosophy and Group for Self-Reliance Studies.", actors
    )
    assert ("organization", "group-for-the-study-of-the-juche-philosophy") in found
    assert ("organization", "group-for-self-reliance-studies") in found


def test_a_country_s_branch_of_a_body_acts_for_that_country(actors: Actors) -> None:
    # the body keeps its id (GUIDE O3); its side is the branch's country (O5)
    text = "The British Branch of the Korean Friendship Association issued a statement."
    bodies = [(m.id, m.country) for m in find_mentions(text, actors, dt.date(2012, 6, 1)) if m.type == "organization"]
    assert bodies == [("korean-friendship-association", "GBR")]


def test_a_prefecture_s_citizens_body_for_a_cause_is_an_organisation(actors: Actors) -> None:
    # a local body stays out (GUIDE O2), a citizens' body named after its prefecture does not
    found = ids("The Tokushima Prefectural Citizens' Forum for Japan-Korea Friendship sent a message.", actors)
    assert ("organization", "tokushima-prefectural-citizens-forum-for-japan-korea-friendship") in found
    found = ids("The South Phyongan Provincial People's Committee held a meeting.", actors)
    assert not any(kind == "organization" for kind, _ in found)


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("Reuters reported on Monday that the talks had failed.", ("reuters", "GBR")),
        ("According to Agence France-Presse, the vote was put off.", ("afp", "FRA")),
        ("AKP news reported her feats.", ("akp", "KHM")),
        ("A member of the Bundestag arrived here.", ("bundestag", "DEU")),
    ],
)
def test_media_and_legislatures_named_by_a_bare_name(actors: Actors, text: str, wanted: tuple[str, str]) -> None:
    found = {(m.id, m.country) for m in find_mentions(text, actors, None) if m.type == "organization"}
    assert wanted in found


@pytest.mark.parametrize(
    "text",
    [
        "Present were Xi Jinping, member of the Standing Committee of the Political Bureau of the C.C., the CPC.",
        "Kim Won Ho, a councilor of the Secretariat of the C.C., the Democratic Front, urged it.",
    ],
)
def test_an_organ_of_the_c_c_is_no_body_of_its_own(actors: Actors, text: str) -> None:
    # "C.C." is the Central Committee: its organs fold into the party named after it (GUIDE O3)
    assert not {i for t, i in ids(text, actors) if t == "organization" and "c-c" in i}
