"""The ASCII fast path of the analysis's patterns (``analysis.plain``): taken only where it
finds what the Unicode patterns find, so a story reads the same with or without a
character outside ASCII in it."""

from __future__ import annotations

import re

import pytest

from tests.analysis.test_events import ON, events
from wirewatch.analysis.plain import dual, is_plain


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("Kim Jong Un received the delegation.", True),
        ("Kim Jong Un received José Pérez.", False),  # Spanish names: Unicode
        ("the people’s army", False),  # a curly apostrophe
        ("the delegation\x1cleft", False),  # white space to Unicode, not to ASCII
    ],
)
def test_a_text_is_plain_only_where_both_modes_agree(text: str, plain: bool) -> None:
    assert is_plain(text) is plain


def test_a_text_with_an_information_separator_is_matched_as_unicode_sees_it() -> None:
    pattern = dual(r"left\s+here", re.IGNORECASE)
    text = "The delegation LEFT\x1fhere."
    assert pattern.ascii.search(text) is None  # what the fast path alone would miss
    assert pattern.on(text).search(text) is not None


@pytest.mark.parametrize(
    ("plain", "unicode"),
    [
        (
            "The Chinese delegation denounced the U.S. imperialists for their aggression.",
            "The Chinese delegation denounced the U.S. imperialists for their aggression\u2026",
        ),
        (
            "Kim Jong Un sent a message of greetings to Vladimir Putin on Monday.",
            "Kim Jong Un sent a message of greetings to Vladimir Putin on Monday \u2014 a friend.",
        ),
        (
            "Chinese visitors said the DPRK is an ever-victorious country.",
            "Chinese visitors said the DPRK is an ever-victorious country (\u201cstrong\u201d).",
        ),
    ],
)
def test_a_story_reads_the_same_with_a_character_outside_ascii(plain: str, unicode: str) -> None:
    assert is_plain(plain) and not is_plain(unicode)
    found = [(kind, actor, target) for kind, actor, target, _, _ in events(plain, ON)]
    assert found  # each sentence holds an event
    assert [(kind, actor, target) for kind, actor, target, _, _ in events(unicode, ON)] == found
