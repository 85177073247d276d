"""Readings of visits and messages added in issue 17's second round of events, each from a
made-up sentence (the hand-built actor forms of test_events)."""

from __future__ import annotations

import pytest

from tests.analysis.test_events import ON, events


def pairs(text: str) -> list[tuple[str, str | None, str | None]]:
    return [(kind, actor, target) for kind, actor, target, _, _ in events(text, ON)]


@pytest.mark.parametrize(
    "text",
    [
        "A Chinese delegation left here for home on Tuesday.",
        "The Chinese delegation flew back on Friday.",
        "A Chinese delegation is staying here at the invitation of a friendship body.",
        "A Chinese delegation was welcomed at the airport by Kim Yong Nam.",
        "Members of a Chinese delegation were seen off at the airport by Kim Yong Nam.",
    ],
)
def test_a_guest_coming_staying_or_leaving_visits_home(text: str) -> None:
    assert pairs(text) == [("visit", "CHN", "PRK")]


def test_home_delegation_back_from_a_meeting_abroad_visited_its_country() -> None:
    text = "The DPRK delegation returned home after taking part in a meeting in Russia."
    assert pairs(text) == [("visit", "PRK", "RUS")]


def test_the_delegation_of_a_body_is_the_visitor() -> None:
    text = "Kim Yong Nam received the delegation of the Russian Federation Council on a visit to the DPRK."
    assert sorted(pairs(text)) == [("meeting", "PRK", "RUS"), ("visit", "RUS", "PRK")]


@pytest.mark.parametrize(
    "text",
    [
        "A floral basket to Kim Jong Un came from Sergei Lavrov.",
        "Congratulations to Kim Jong Un from Vladimir Putin",
        "Vladimir Putin in a message to Kim Jong Un congratulated him on the New Year.",
    ],
)
def test_a_message_named_with_its_recipient_and_sender(text: str) -> None:
    assert pairs(text) == [("message", "RUS", "PRK")]
