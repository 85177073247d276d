"""Capitals named as places (GUIDE C9): "arrived in Moscow", "left for Beijing", "the games
held in London". A capital that does not stand for its government is no mention of its
country (``analysis.entities``), but it is where a visit goes: the visit triggers read the
sentence with its capitals as the countries they are in (E8).

``Places.of(actors)`` is built once per actor data; ``in_sentence`` is a pure function of a
sentence.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

import ahocorasick

from wirewatch.analysis.actors import Actors
from wirewatch.analysis.sides import Sentence
from wirewatch.models import Mention

__all__ = ["Places", "packaged_places"]


#: How far after a visit's trigger its place is named ("left here for Moscow by air on …").
_REACH = 100
_MISSION = re.compile(r"\b(?:embass(?:y|ies)|missions?|consulates?)\b", re.IGNORECASE)
#: What makes a capital a place: a preposition right before it (the pattern's own prefix).
_PLACED = r"\b(?:in|for|from|to|at|into|via)\s+"
_PLACED_BEFORE = re.compile(_PLACED + r"\Z")


@dataclass(frozen=True, slots=True)
class Places:
    """The capitals of the actor data: a pattern for them as places, an automaton that finds
    them fast (for a whole story), and each one's country (id, name)."""

    pattern: re.Pattern[str] | None
    automaton: ahocorasick.Automaton
    countries: dict[str, tuple[str, str]]

    @classmethod
    def of(cls, actors: Actors) -> Places:
        """The capitals of ``actors``' countries (kept in ``actors.cache``)."""
        cached = actors.cache.get("places")
        if isinstance(cached, Places):
            return cached
        countries = {
            capital: (country.id, country.name) for country in actors.countries.values() for capital in country.capitals
        }
        names = sorted(countries, key=len, reverse=True)  # the longer first: "Abu Dhabi", not a part of it
        alternatives = "|".join(map(re.escape, names))
        pattern = re.compile(rf"{_PLACED}({alternatives})\b") if names else None
        automaton = ahocorasick.Automaton()
        for name, (code, _) in countries.items():
            automaton.add_word(name, (len(name), code))
        if names:
            automaton.make_automaton()
        places = cls(pattern, automaton, countries)
        actors.cache["places"] = places
        return places

    def in_sentence(self, sentence: Sentence, home: str, start: int = 0, reach: int = _REACH) -> Sentence:
        """``sentence`` with each capital it names as a place ("in", "for", "from" … it)
        within ``reach`` characters after ``start``, as a mention of its country; but home's,
        those already mentions (a capital that stands for its government) and the seat of a
        mission ("visited the DPRK embassy in Beijing": the visitors stay home)."""
        if self.pattern is None:
            return sentence
        added = []
        for match in self.pattern.finditer(sentence.text, start, start + reach):
            code, name = self.countries[match.group(1)]
            at, end = match.span(1)
            if code == home or any(m.start <= at < m.end for m in sentence.mentions):
                continue
            if _MISSION.search(sentence.text, start, at):
                continue
            if any(start <= m.start < at and m.type == "country" for m in sentence.mentions):
                continue  # "his visit to the DPRK in Kinshasa": the country named first is where
            added.append(Mention("country", code, name, code, at, end))
        if not added:
            return sentence
        return replace(sentence, mentions=sorted([*sentence.mentions, *added], key=lambda m: (m.start, -m.end)))

    def abroad(self, text: str, home: str) -> bool:
        """Whether ``text`` names a capital other than home's as a place (every story that
        names only home's sides asks: the automaton keeps it to about ten microseconds)."""
        if self.pattern is None:
            return False
        for last, (length, code) in self.automaton.iter(text):
            start, end = last + 1 - length, last + 1
            if code == home or (end < len(text) and text[end].isalnum()):
                continue
            if _PLACED_BEFORE.search(text, max(0, start - 8), start):
                return True
        return False


@functools.cache
def packaged_places() -> Places:
    """The capitals of the packaged actor data (for a caller that gives none)."""
    return Places.of(Actors.load())
