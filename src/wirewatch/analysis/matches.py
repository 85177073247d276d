"""A sentence's trigger matches: found in its text (``sentence_triggers``), each with the
pairs of sides it gives (``Found``), and kept to one event per occurrence (GUIDE E6, E7):
``one_type_each`` within a sentence, ``one_statement_each`` within a story, and
``verbs_first`` (a verb that made the sides is not doubled by an abusive word).

Pure functions, used by ``analysis.events``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from wirewatch.analysis.sides import side_key
from wirewatch.analysis.triggers import EventRules, Trigger
from wirewatch.models import Event, Side

__all__ = ["Found", "one_statement_each", "one_type_each", "sentence_triggers", "verbs_first"]


class Found(NamedTuple):
    """A trigger match and the (actor, target) pairs it gives."""

    trigger: Trigger
    match: re.Match[str]
    pairs: list[tuple[Side, Side]]


def one_type_each(found: list[Found]) -> list[Found]:
    """One type per occurrence (E7): an anniversary marked by a visit or a message of the
    same side, a meeting that is the same pair's message or anniversary, is that only.
    Matches left without pairs are dropped."""
    visiting = {side_key(a.country) for t, _, ps in found if t.type.name in ("message", "visit") for a, _ in ps}
    # a message whose sender the sentence does not make a side ("The president in his
    # message extended congratulations … on the occasion of the anniversary") is still the
    # occasion's only event
    greeting = any(t.type.name == "message" and not ps for t, _, ps in found)
    marked = {
        frozenset((side_key(a.country), side_key(b.country)))
        for t, _, ps in found
        if t.type.name in ("message", "anniversary")
        for a, b in ps
    }
    kept = []
    for trigger, match, pairs in found:
        if trigger.type.name == "anniversary":
            pairs = [] if greeting else [(a, b) for a, b in pairs if side_key(a.country) not in visiting]
        elif trigger.type.name == "meeting":
            pairs = [(a, b) for a, b in pairs if frozenset((side_key(a.country), side_key(b.country))) not in marked]
        if pairs:
            kept.append(Found(trigger, match, pairs))
    return kept


def one_statement_each(events: list[Event], rules: EventRules) -> list[Event]:
    """One praise, denunciation or threat per side and target in a story: what a commentary,
    statement or speech says of a side in sentence after sentence is one event (E6), dated
    as the first telling dates it; a telling the text dates itself stays apart. So is one
    side's marking of one anniversary: "Bulletins were published in Ethiopia … on August 22
    and 25 to mark …", then "The Ethiopian Youth Study Group … carried an article"."""
    seen: set[tuple[str, str | None, str | None]] = set()
    kept = []
    for event in events:
        if rules.types[event.type].speaker or event.type == "anniversary":
            key = (event.type, side_key(event.actor.country), side_key(event.target.country))
            if key in seen and not event.date_from_text:
                continue  # a statement dated apart ("Charcha on Aug. 13 carried …") is another
            seen.add(key)
        kept.append(event)
    return kept


def verbs_first(found: list[Found]) -> list[Found]:
    """A sentence whose verb makes someone the critic of a side ("Minjok Thongsin posted an
    article condemning the south Korean group of traitors") gives no second critic of that
    side from an abusive word in it: the sentence made the sides."""
    criticised = {
        side_key(b.country) for t, _, ps in found if t.type.name == "denounce" and t.voice != "adjacent" for _, b in ps
    }
    if not criticised:
        return found
    kept = []
    for trigger, match, pairs in found:
        if trigger.voice == "adjacent" and trigger.type.name == "denounce":
            pairs = [(a, b) for a, b in pairs if side_key(b.country) not in criticised]
        kept.append(Found(trigger, match, pairs))
    return kept


def sentence_triggers(
    sentence: str, words: set[str], rules: EventRules, plain: bool
) -> list[tuple[Trigger, re.Match[str]]]:
    """The trigger matches of a sentence, an earlier trigger winning where two overlap
    (``plain``: the sentence is plain ASCII, see ``analysis.plain``)."""
    hits = words & rules.trigger_words
    if not hits:
        return []
    taken: list[tuple[int, int]] = []
    found: list[tuple[Trigger, re.Match[str]]] = []
    index = rules.index
    numbers = sorted({n for word in hits for n in index[word]})
    for trigger in (rules.triggers[n] for n in numbers):
        if trigger.requires and words.isdisjoint(trigger.requires):
            continue
        for match in trigger.pattern.on(sentence, plain).finditer(sentence):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            found.append((trigger, match))
    found.sort(key=lambda item: item[1].start())
    return found
