"""Persons the actor data do not hold, read from the grammar of names and titles (GUIDE P1,
P4, P5; issue 17): made-up sentences, so that no rule can lean on a name of the corpus."""

from __future__ import annotations

import datetime as dt

import pytest

from wirewatch.analysis.actors import Actors
from wirewatch.analysis.entities import find_mentions
from wirewatch.models import Mention


@pytest.fixture(scope="module")
def actors() -> Actors:
    return Actors.load()


def persons(text: str, actors: Actors) -> dict[str, Mention]:
    body = f"Headline\n\n{text}"
    return {m.id: m for m in find_mentions(body, actors, dt.date(2012, 6, 1)) if m.type == "person"}


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # lowercase words of rank and possessive determiners before an appositive title
        ("Anders Holm, executive chairman of the Danish Timber Company, arrived.", "anders-holm"),
        ("It came from Moussa Diallo Kane, national permanent secretary of the party.", "moussa-diallo-kane"),
        ("Present were Tomas Ruiz Vela, its secretary general, and others.", "tomas-ruiz-vela"),
        ("He met Tran Van Hoa, outgoing Vietnamese ambassador to the DPRK.", "tran-van-hoa"),
        # names after "led by", an epithet, a lowercase post, an envoy's post
        ("A youth delegation led by Gabriel Mendes Rocha arrived here.", "gabriel-mendes-rocha"),
        ("The war was ignited by traitor Johan Brink of the puppet regime.", "johan-brink"),
        ("At the session Cuban counsellor Nancy Vidal Soto said so.", "nancy-vidal-soto"),
        ("Swedish Ambassador to the DPRK Lars Eriksson gave a reception.", "lars-eriksson"),
        # Korean syllables spelled like English words, and a two-syllable family name
        ("Present were Pak To Hun and Ri Sun On.", "pak-to-hun"),
        ("Present were Pak To Hun and Ri Sun On.", "ri-sun-on"),
        ("Buried there are Ho Chol Man and Sonu Ryong Gil.", "sonu-ryong-gil"),
        # the longest name at a start wins ("U" is no name token of its own)
        ("A group led by Ko Tok U, vice-chairman of the association, left.", "ko-tok-u"),
        # a title's hyphenated form starts no name
        ("A group led by Vice-Chairman Jon Sok Man left for Beijing.", "jon-sok-man"),
    ],
)
def test_person_found(text: str, wanted: str, actors: Actors) -> None:
    assert wanted in persons(text, actors)


def test_a_full_stop_is_no_part_of_a_name(actors: Actors) -> None:
    found = persons("A delegation led by Gabriel Mendes Rocha.", actors)
    assert found["gabriel-mendes-rocha"].name == "Gabriel Mendes Rocha"


def test_a_middle_initial_does_not_hide_a_known_person(actors: Actors) -> None:
    found = persons("Valery E. Sukhinin, Russian ambassador to the DPRK, spoke.", actors)
    assert "valery-sukhinin" in found and "valery-e-sukhinin" not in found


@pytest.mark.parametrize(
    ("text", "unwanted"),
    [
        # a person's name inside an institution's, possessive or a few words on (GUIDE P4)
        ("It marked Kim Il Sung University's 65th anniversary.", "kim-il-sung"),
        ("The Ri Chol Ho Machine Complex overfulfilled its plan.", "ri-chol-ho"),
        ("It was in the closing years of the Ri Dynasty.", "ri-dynasty"),
        ("Workers of the Jongbangsan General Foodstuff Factory met.", "foodstuff-factory"),
        # a plural title starts no name
        ("They met Deputy Cabinet Secretaries Tanaka and Sato.", "secretaries-tanaka"),
        # "vice-" makes another office: not the holder of the one after it (GUIDE P3)
        ("He met the vice-president of Iran in Harare.", "mahmoud-ahmadinejad"),
    ],
)
def test_no_person(text: str, unwanted: str, actors: Actors) -> None:
    assert unwanted not in persons(text, actors)


def test_a_headline_verb_is_no_institution_word(actors: Actors) -> None:
    # a text that is all headline: "Order" after the name is a verb's object, not a body
    found = find_mentions("Kim Jong Il Issues Order on Raising Ranks", actors, dt.date(2011, 4, 1))
    assert "kim-jong-il" in {m.id for m in found}
