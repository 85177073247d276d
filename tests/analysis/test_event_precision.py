"""Anniversaries that are no foreign side's marking (issue 17, events second round), each
from a made-up sentence (the hand-built actor forms of test_events)."""

from __future__ import annotations

import pytest

from tests.analysis.test_events import ON, events


def anniversaries(text: str) -> list[tuple[str | None, str | None]]:
    return [(actor, target) for kind, actor, target, _, _ in events(text, ON) if kind == "anniversary"]


@pytest.mark.parametrize(
    "text",
    [
        "A Syria paper carried a speech made by Kim Jong Un at a parade celebrating the 60th anniversary of the DPRK.",
        "A Chinese officer was moved by the might of the Workers' Party of Korea at the rally marking the anniversary of Kim Il Sung.",
    ],
)
def test_an_anniversary_of_the_owners_own_event_is_not_the_reporters(text: str) -> None:
    assert anniversaries(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "The art troupe of Koreans in Japan performed to celebrate the birthday of Kim Jong Il.",
        "A group of Korean residents in Japan came to celebrate the 60th anniversary of the DPRK.",
    ],
)
def test_compatriots_abroad_mark_their_own_anniversary(text: str) -> None:
    assert anniversaries(text) == []
