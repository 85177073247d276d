"""Events the rules missed or made up on later text (issue 17, events fourth round), each
from a made-up sentence."""

from __future__ import annotations

import re

from tests.analysis.test_events import FORMS, ON
from wirewatch.analysis.events import find_events
from wirewatch.models import Mention

# Names the actor data would not hold: found by their shape, of no known country.
UNKNOWN = ("Pak Mun Chol",)
EXTRA = [("Iran", "country", "IRN", "IRN")]


def mentions(text: str) -> list[Mention]:
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for form, kind, ident, country in [*FORMS, *EXTRA]:
        for match in re.finditer(re.escape(form), text):
            if any(match.start() < e and s < match.end() for s, e in taken):
                continue
            taken.append(match.span())
            found.append(Mention(kind, ident, form, country, match.start(), match.end()))  # type: ignore[arg-type]
    for name in UNKNOWN:
        for match in re.finditer(re.escape(name), text):
            ident = name.lower().replace(" ", "-")
            found.append(Mention("person", ident, name, None, match.start(), match.end(), known=False))
    return sorted(found, key=lambda m: m.start)


def of_type(kind: str, text: str) -> list[tuple[str, str]]:
    return sorted(
        (e.actor.country or "", e.target.country or "") for e in find_events(text, mentions(text), ON) if e.type == kind
    )


def test_home_delegation_led_by_an_unknown_person_coming_back_visited_the_country_named() -> None:
    text = (
        "A delegation of the academy led by Pak Mun Chol came back home on Monday after taking part "
        "in a conference held in China."
    )
    assert of_type("visit", text) == [("PRK", "CHN")]


def test_abuse_after_a_clause_that_ends_with_a_country_is_not_of_that_country() -> None:
    text = "When a disease broke out in China this year, the traitor sent a group there for form's sake."
    assert of_type("denounce", text) == []


def test_abuse_after_a_preposition_is_not_of_the_country_before_it() -> None:
    text = "The concert was a song of victory of Syria over the imperialists in acute showdown with them."
    assert of_type("denounce", text) == []


def test_the_country_whose_airspace_is_violated_is_no_target() -> None:
    assert of_type("denounce", "U.S. Drone Violation of Iran's Airspace Flayed") == [("PRK", "USA")]
    text = "Syria strongly denounced the U.S. drone violation of Iran's territorial airspace."
    assert of_type("denounce", text) == [("SYR", "USA")]


def test_a_visit_reported_in_a_clause_is_the_clause_subjects() -> None:
    text = "A society of Japan posted on its homepage the news that Kim Jong Un visited a factory."
    assert of_type("visit", text) == []


def test_a_visit_in_a_quoted_text_is_the_quoted_subjects() -> None:
    text = 'A society of Japan put up the explanation "Kim Jong Il visited a plant of China in 2011."'
    assert of_type("visit", text) == [("PRK", "CHN")]
