"""The sides of one trigger match: who acts on whom, read the way the trigger's ``voice``
(``data/events.toml``) says, one reader per voice.

Several actors or targets give one pair each (GUIDE E5), and a pair of one side is domestic
and dropped (E2; the rules are those of the annotation guide, ``docs/annotation-guide.md``).

Pure functions over one sentence's text and mentions (offsets relative to the sentence).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from wirewatch.analysis.sides import Sentence, after, coordinated, first_before, side, side_key
from wirewatch.analysis.triggers import Trigger
from wirewatch.models import Mention, Side

__all__ = ["Occurrence", "trigger_pairs"]

# Place words right after a visit trigger that name the home country as the place visited.
_HOME_PLACE = re.compile(r"\s*(?:(?:to|in|at)\s+)?(?:here|Pyongyang|the\s+capital)\b", re.IGNORECASE)
# A bilateral anniversary names its pair: "relations between X and Y", "the X-Y treaty".
_BILATERAL = re.compile(r"\bbetween\b|\b(?:relations|ties|treaty|agreement|declaration|friendship)\s", re.IGNORECASE)
# A country right after "against" is opposed, not praised ("solidarity with the Korean people
# in their struggle against the U.S.").
_OPPOSED = re.compile(r"\bagainst\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
# Nothing but closing marks after a trigger: a headline that ends with its verb.
_HEADLINE_END = re.compile(r"[\s\"'”’.!]*\Z")
_AT_PLACE = re.compile(r"\b(?:at|in)\s+(?:the\s+)?$", re.IGNORECASE)
_ADJACENT_WINDOW = 30
_PREPOSITION = re.compile(r"\b(?:with|to|against|on|of|from|for|in|at|by)\s+(?:the\s+)?$", re.IGNORECASE)

#: The actors and the targets a voice reads.
_Sides = tuple[list[Side], list[Side]]


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One trigger match in a sentence, and what its sides are read against."""

    sentence: Sentence
    trigger: Trigger
    start: int
    end: int
    home: Side
    #: the voice of the sentence: who says what a speech trigger without a subject says
    speaker: Side
    #: the subject of the sentence before, for a sentence that opens with a pronoun
    subject_fallback: Mention | None

    @property
    def text(self) -> str:
        return self.sentence.text

    def following(self) -> list[Mention]:
        """The mentions after the match."""
        return after(self.sentence, self.end, len(self.text))


def trigger_pairs(occurrence: Occurrence) -> list[tuple[Side, Side]]:
    """The (actor, target) pairs of a trigger match: one per pair of countries, in order,
    none domestic."""
    actors, targets = _READERS[occurrence.trigger.voice](occurrence)
    pairs: list[tuple[Side, Side]] = []
    seen: set[tuple[str | None, str | None]] = set()
    for actor in actors:
        for target in targets:
            if actor.country is None and target.country is None:
                continue
            if side_key(actor.country) == side_key(target.country):
                continue  # domestic (E2)
            key = (actor.country, target.country)
            if key not in seen:
                seen.add(key)
                pairs.append((actor, target))
    return pairs


# -- active voices: the subject acts on what follows -----------------------------------------


def _active(o: Occurrence) -> _Sides:
    """``active``, ``nearest`` and ``possessor``: the subject before the match acts on the
    mentions after it."""
    actors = _active_actors(o, _active_subject(o))
    return actors, _active_targets(o, actors)


def _active_subject(o: Occurrence) -> Mention | None:
    """The mention that acts: the sentence's first before the match; for ``possessor`` the
    person named last before it; for ``nearest`` the mention right before it."""
    mentions = o.sentence.mentions
    subject = first_before(o.sentence, o.start)
    if o.trigger.voice == "possessor":
        subject = next((m for m in reversed(mentions) if m.end <= o.start and m.type == "person"), subject)
    if o.trigger.voice == "nearest":
        # the nearest mention before the match that is not the object of a preposition
        # ("… relations with Israel and will take other sanctions" is no threat by Israel)
        subject = next(
            (
                m
                for m in reversed(mentions)
                if m.end <= o.start and not _PREPOSITION.search(o.text, max(0, m.start - 12), m.start)
            ),
            None,
        )
    return subject


def _active_actors(o: Occurrence, subject: Mention | None) -> list[Side]:
    kind = o.trigger.type
    if kind.speaker and _HEADLINE_END.match(o.text, o.end) and not o.following():
        # a headline in the passive without "by" ("S. Korea's … Campaign Blasted"): the
        # speaker says it of what the headline names (the targets before, below)
        return [o.speaker]
    if subject is not None:
        return [side(subject)]
    if o.subject_fallback is not None:
        return [side(o.subject_fallback)]
    if o.trigger.home_actor:
        return [o.home]
    if kind.speaker:
        return [o.speaker]
    return []


def _active_targets(o: Occurrence, actors: list[Side]) -> list[Side]:
    kind = o.trigger.type
    found = o.following()
    actor_country = actors[0].country if actors else None
    if kind.name == "visit" and _HOME_PLACE.match(o.text, o.end):
        return [o.home]
    if kind.many_targets:
        # a place is no target ("Praised in Peru", "rejects the U.S. policy at UN"); "at" a
        # country is the verb's object ("lashed out at the U.S.")
        targets = [
            side(m)
            for m in found
            if not _at_place(o.text, m)
            and not (kind.name == "praise" and _OPPOSED.search(o.text, max(0, m.start - 40), m.start))
        ]
    else:
        targets = [side(m) for m in coordinated(o.text, found, actor_country)]
    if not targets and kind.many_targets and actors:
        # "if the U.S. ignites a war, the DPRK will react with just war": the target before
        targets = [
            side(m) for m in o.sentence.mentions if m.end <= o.start and side_key(m.country) != side_key(actor_country)
        ]
    if not targets and o.trigger.home_target:
        targets = [o.home]
    return targets


def _at_place(text: str, mention: Mention) -> bool:
    found = _AT_PLACE.search(text, max(0, mention.start - 8), mention.start)
    return found is not None and (found.group().lower().startswith("in") or mention.type == "organization")


# -- the other voices -------------------------------------------------------------------------


def _passive(o: Occurrence) -> _Sides:
    """``passive``: what follows the match ("… by X") acts on the subject, else on home."""
    found = o.following()
    subject = first_before(o.sentence, o.start)
    if o.trigger.type.name == "meeting" and subject is not None:
        # "X received Y, who paid a courtesy call on him": the host is the actor (E9)
        return [side(subject)], ([side(found[0])] if found else [])
    actors = [side(found[0])] if found else []
    return actors, [side(subject)] if subject is not None else [o.home]


def _inverted(o: Occurrence) -> _Sides:
    """``inverted``: the mentions after the match act on home."""
    return [side(m) for m in o.following()], [o.home]


def _adjacent(o: Occurrence) -> _Sides:
    """``adjacent``: the target is the mention right before or after the match; the actor the
    sentence's subject when it opens the sentence, else the speaker."""
    start, end = o.start, o.end
    near = [m for m in o.sentence.mentions if start - _ADJACENT_WINDOW <= m.end <= start or end <= m.start <= end + 10]
    if not near:
        return [], []
    targets = [side(near[-1] if near[-1].end <= start else near[0])]
    subject = first_before(o.sentence, start)
    if (
        subject is not None
        and subject.start < near[0].start
        and len(o.text[: subject.start].split()) <= 3  # the sentence's own subject, not an object
        and side_key(subject.country) != side_key(targets[0].country)
    ):
        return [side(subject)], targets
    return [o.speaker], targets


def _anniversary(o: Occurrence) -> _Sides:
    """``anniversary``: the sides before the match mark the anniversary of the first one after
    it; or the pair it names ("relations between X and Y")."""
    found = o.following()
    if not found:
        return [], []
    owner = found[0]
    before = [m for m in o.sentence.mentions if m.end <= o.start and side_key(m.country) != side_key(owner.country)]
    if before:
        return list({side_key(m.country): side(m) for m in before}.values()), [side(owner)]
    if _BILATERAL.search(o.text, o.end):
        # "the 70th anniversary of diplomatic relations between the DPRK and Russia"
        other = [m for m in found[1:] if side_key(m.country) != side_key(owner.country)]
        return ([side(owner)], [side(other[0])]) if other else ([], [])
    # no marker named before, and no pair: "Greeting … the centenary of the birth of
    # President Kim Il Sung, I, on behalf of the Syrian people …" is the message's
    return [], []


def _pair(o: Occurrence) -> _Sides:
    """``pair``: the first two countries named after the match ("talks … between the DPRK and
    the U.S."), else from its start ("adopted the DPRK-Russia joint declaration"), else in the
    sentence."""
    mentions = o.sentence.mentions
    candidates = (o.following(), after(o.sentence, o.start, len(o.text)), mentions)
    named = next((c for c in candidates if len({side_key(m.country) for m in c if m.country}) >= 2), mentions)
    countries: list[Mention] = []
    for mention in named:
        if mention.country and all(side_key(mention.country) != side_key(m.country) for m in countries):
            countries.append(mention)
    if len(countries) < 2:
        return [], []
    return [side(countries[0])], [side(countries[1])]


_READERS: dict[str, Callable[[Occurrence], _Sides]] = {
    "active": _active,
    "nearest": _active,
    "possessor": _active,
    "passive": _passive,
    "inverted": _inverted,
    "adjacent": _adjacent,
    "anniversary": _anniversary,
    "pair": _pair,
}
