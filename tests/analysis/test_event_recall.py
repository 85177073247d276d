"""Events the rules missed on later text (issue 17, events third round), each from a made-up
sentence (the hand-built actor forms of test_events)."""

from __future__ import annotations

import pytest

from tests.analysis.test_events import ON, events


def of_type(kind: str, text: str) -> list[tuple[str | None, str | None]]:
    return [(actor, target) for found, actor, target, _, _ in events(text, ON) if found == kind]


@pytest.mark.parametrize(
    "text",
    [
        "A Syria trade delegation laid a bouquet before the statues on the hill on Tuesday.",
        "The Chinese visitors placed a floral basket before the monument on Tuesday.",
        "Pakistani guests placed bunches of flowers before a portrait of the leaders.",
    ],
)
def test_flowers_laid_before_a_memorial_are_a_message_to_home(text: str) -> None:
    assert of_type("message", text) in ([("SYR", "PRK")], [("CHN", "PRK")], [("PAK", "PRK")])


@pytest.mark.parametrize(
    "text",
    [
        "Kim Jong Il's work was broadcast by a Pakistani radio station on Tuesday.",
        "A part of Kim Il Sung's work came off press in a booklet by a Syria publisher on Tuesday.",
    ],
)
def test_a_work_broadcast_or_off_the_press_abroad_is_praise(text: str) -> None:
    assert of_type("praise", text) in ([("PAK", "PRK")], [("SYR", "PRK")])
