"""Voices: who speaks in a sentence, and the laudatory statements a foreign voice makes."""

from __future__ import annotations

import datetime as dt

from tests.analysis.test_events import events, mentions
from wirewatch.analysis.voices import guest_speaks, speech_subject

ON = dt.date(2012, 4, 12)


def test_the_subject_of_a_speech_verb_speaks() -> None:
    text = "The chairman of the Chinese committee said that the DPRK will win."
    speaker = speech_subject(text, mentions(text))
    assert speaker is not None and speaker.country == "CHN"


def test_a_pronoun_or_a_place_does_not_speak() -> None:
    carried = "Kim Il Sung's life was a brilliant model, he stressed."
    assert speech_subject(carried, mentions(carried)) is None
    place = "At a meeting in China the speaker said that the DPRK is strong."
    assert speech_subject(place, mentions(place)) is None
    assert guest_speaks("The head of the delegation said that the talks went well.")
    assert not guest_speaks("The delegation visited a factory.")


def test_a_foreign_voice_praising_the_dprk_is_praise() -> None:
    text = (
        "Chinese Friends Speak\n\n"
        "The chairman of the Chinese committee said on April 10 that the DPRK is an invincible power. "
        "Kim Il Sung was the greatest man of the century, he stressed."
    )
    found = events(text, ON)
    assert ("praise", "CHN", "PRK", "2012-04-10", "day") in found  # dated by the speech (D9)
    assert [e for e in found if e[0] == "praise"] == [("praise", "CHN", "PRK", "2012-04-10", "day")]


def test_kcna_own_eulogy_is_domestic_and_a_third_country_is_not_praised() -> None:
    assert events("Tribute\n\nThe great leader Kim Jong Il has brilliant feats, Rodong Sinmun said.", ON) == []
    text = "Talk\n\nThe Chinese scholar said that Japan has an outstanding economy."
    assert [e for e in events(text, ON) if e[0] == "praise"] == []


def test_a_quoted_message_speaks_for_its_sender() -> None:
    text = (
        "Message\n\n"
        "Kim Jong Un received a message from the Russian President on Wednesday. "
        "The message said: The Korean people under the brilliant guidance of the DPRK will win."
    )
    found = events(text, ON)
    assert ("message", "RUS", "PRK", "2012-04-11", "day") in found
    assert ("praise", "RUS", "PRK", "2012-04-11", "day") in found


def test_the_guest_speaks_after_a_meeting() -> None:
    text = (
        "Meeting\n\n"
        "Kim Yong Nam met the visiting Chinese delegation on Monday. "
        "The head of the delegation said that the DPRK achieved tremendous feats."
    )
    found = events(text, ON)
    assert ("meeting", "PRK", "CHN", "2012-04-09", "day") in found
    assert ("visit", "CHN", "PRK", "2012-04-09", "day") in found  # "the visiting Chinese delegation"
    assert any(e[:3] == ("praise", "CHN", "PRK") for e in found)


def test_talks_between_two_sides_are_a_meeting() -> None:
    text = "Talks\n\nThe second round of talks was held in Geneva on Monday between the DPRK delegation and the U.S. delegation."
    assert [e[:3] for e in events(text, ON) if e[0] == "meeting"] == [("meeting", "PRK", "USA")]


def test_a_foreign_visitor_visited_a_place_at_home() -> None:
    text = "Visit\n\nA Chinese delegation visited Mangyongdae on Monday."
    assert ("visit", "CHN", "PRK", "2012-04-09", "day") in events(text, ON)


def test_a_headline_ending_in_its_verb_is_said_by_the_speaker() -> None:
    assert [e[:3] for e in events("south Korea's Campaign Blasted\n\nIt is absurd.", ON)] == [
        ("denounce", "PRK", "KOR")
    ]


def test_hopes_are_not_agreements() -> None:
    text = "Peace\n\nThe world hopes that a peace agreement would be signed between the DPRK and the U.S."
    assert events(text, ON) == []


def test_his_visit_is_the_named_person_s_and_no_reason_to_drop_another_side_s_anniversary() -> None:
    text = (
        "Lectures\n\n"
        "Lectures were given in China on April 10 to mark the anniversary of Kim Jong Il's work "
        "and welcome his successful visit to Russia."
    )
    found = [e[:3] for e in events(text, ON)]
    assert ("visit", "PRK", "RUS") in found  # "his": Kim Jong Il, not China
    assert ("anniversary", "CHN", "PRK") in found  # marked by China, which made no visit
    assert ("visit", "CHN", "RUS") not in found


def test_an_anniversary_greeted_in_a_message_is_no_anniversary_event_but_a_bilateral_one_is() -> None:
    text = (
        "Message\n\n"
        "Kim Jong Un received a message from the Russian President on Wednesday. "
        "Greeting the centenary of the birth of President Kim Il Sung, I, on behalf of the Russian people, extend congratulations."
    )
    assert [e[:3] for e in events(text, ON) if e[0] == "anniversary"] == []
    text = "Ties\n\nOctober 12 marks the 70th anniversary of diplomatic relations between the DPRK and Russia."
    assert [e[:3] for e in events(text, ON) if e[0] == "anniversary"] == [("anniversary", "PRK", "RUS")]
