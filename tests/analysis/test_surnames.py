"""A person named again by the surname alone is a mention of that person (``analysis.surnames``),
through the real actor data and the real extractor."""

from __future__ import annotations

import datetime as dt

import pytest

from wirewatch.analysis.actors import Actors
from wirewatch.analysis.entities import find_mentions
from wirewatch.analysis.events import find_events

ON = dt.date(2012, 8, 18)
SECRETARY = "secretary of the Jilin Provincial Committee of the Communist Party of China"


@pytest.fixture(scope="module")
def actors() -> Actors:
    return Actors.load()


def persons_at(text: str, word: str, actors: Actors) -> list[str | None]:
    """The person each whole-word occurrence of ``word`` is a mention of (None: none)."""
    mentions = [m for m in find_mentions(text, actors, ON) if m.type == "person"]
    found = []
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        if not text[end : end + 1].isalnum():
            found.append(
                next(
                    (m.id for m in mentions if m.start <= start and end <= m.end and m.end - m.start == len(word)), None
                )
            )
        start = text.find(word, end)
    return found


def test_a_surname_after_the_full_name_is_the_person(actors: Actors) -> None:
    text = "Wen Jiabao met Jang Song Thaek on Friday. Jang conveyed greetings to Wen. Wen thanked Jang for them."
    assert persons_at(text, "Jang", actors) == [
        None,
        "jang-song-thaek",
        "jang-song-thaek",
    ]  # the first is inside the full name
    assert persons_at(text, "Wen", actors) == [None, "wen-jiabao", "wen-jiabao"]


def test_a_western_surname_is_the_last_word(actors: Actors) -> None:
    text = "Vladimir Putin received the delegation. Putin said the talks were useful."
    assert persons_at(text, "Putin", actors)[-1] == "vladimir-putin"


def test_a_surname_two_persons_share_names_neither(actors: Actors) -> None:
    text = "Kim Yong Nam met Kim Ki Nam on Friday. Kim said the meeting was useful."
    assert persons_at(text, "Kim", actors)[-1] is None


@pytest.mark.parametrize(
    "text",
    [
        "Jang Song Thaek arrived on Friday. Jang Chol met him.",  # another name
        # a word after an article
        f"Sun Zhengcai, {SECRETARY}, spoke on Friday. It was the Day of the Sun.",
        f"Sun Zhengcai, {SECRETARY}, spoke on Friday. They praised the Sun of Juche.",
    ],
)
def test_a_surname_that_starts_another_name_or_is_a_word_is_not_the_person(text: str, actors: Actors) -> None:
    word = text.split()[0]
    assert persons_at(text, word, actors)[-1] is None


def test_the_surname_before_a_noun_is_the_person(actors: Actors) -> None:
    text = "Lee Myung Bak spoke on Friday. The crimes of the Lee group are many."
    assert persons_at(text, "Lee", actors)[-1] == "lee-myung-bak"
    text = f"Sun Zhengcai, {SECRETARY}, spoke on Friday. Sun said the talks were useful."
    assert persons_at(text, "Sun", actors)[-1] == "sun-zhengcai"


def test_a_sentence_whose_subject_is_a_surname_has_its_event(actors: Actors) -> None:
    text = (
        "Chinese Premier Meets Delegation\n\nWen Jiabao met Jang Song Thaek on Friday. "
        "Jang conveyed greetings of Kim Jong Un to Wen Jiabao."
    )
    events = find_events(text, find_mentions(text, actors, ON), ON)
    assert ("message", "PRK", "CHN") in [(e.type, e.actor.country, e.target.country) for e in events]
