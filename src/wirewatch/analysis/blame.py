"""The readers of blame and menace (GUIDE E14, E15): abuse next to the side it is of, conduct
blamed on a sentence's subject, and harm announced to a side. Pure functions over one
sentence's text and mentions, as every voice's reader (``analysis.pairs``); and the story's
enemies a threat that names nobody menaces (``adversaries``), from the events read before it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from wirewatch.analysis.occurrence import Occurrence, Sides
from wirewatch.analysis.sides import coordinated, first_before, harmed, side, side_key
from wirewatch.models import Event, Mention, Side

__all__ = ["adjacent", "adversaries", "blames_another", "conduct", "menaced"]

_ADJACENT_WINDOW = 30
_THEY = re.compile(r"\b[Tt]hey\b")
# What a threat calls the sides it menaces without naming them ("If the warmongers dare …")
# (by their stems: "the enemy" is who "the enemies" were)
_ENEMY_WORD = re.compile(r"\b(warmonger|enem|provoker|aggressor|invader)(?:s|y|ies)?\b", re.IGNORECASE)
_HOSTILE = ("denounce", "threaten")
# Where Korean compatriots live is no side they warn ("Koreans in China Pledge to Settle
# Accounts with Japan"): the side warned is another.
_COMPATRIOTS_IN = re.compile(r"\bKorean(?:s|\s+residents|\s+nationals|\s+compatriots)\s+in\s+(?:the\s+)?$")
# Between a side and an abusive word after it, what makes the word another's: a preposition
# ("the victory of the DPRK over the imperialists") or a clause ended before it ("… in the
# U.S. this year, the traitor").
_APART = re.compile(r"\b(?:over|against|with|from|than)\b|\w[^,;:]*[,;:]", re.IGNORECASE)
# Between an abusive word and a side after it, what makes the side its victim ("aggression
# against the DPRK", "provocations on Iran"), not whose it is.
_VICTIM = re.compile(r"\s+(?:against|on|upon|towards?|to|at)\b", re.IGNORECASE)
# Two sides an abusive word after them is of ("the U.S. and south Korean warmongers").
_OF_GAP = re.compile(r"\s+of\s+(?:the\s+)?", re.IGNORECASE)
_AND_GAP = re.compile(r"\s+and\s+(?:the\s+)?", re.IGNORECASE)
# Before a word of abuse that the side right after it takes, the end of the item before it
# in a list ("… the U.S. forces and the rat-like Lee …", "…, traitor Lee …").
_NEXT_ITEM = re.compile(r"(?:,|\band)\s+(?:the\s+)?$", re.IGNORECASE)
# Between a subject and the conduct blamed on it, what makes it no doer: a passive verb
# ("Palestinians were killed … under the pretext of …") or a clause ended before it.
_BEING = re.compile(r"\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?\w+ed\b|[,;:]", re.IGNORECASE)
# Between a subject and an abusive word: a verb that makes the subject the critic ("X said the
# U.S. imperialists …", "X denounced the puppet regime").
_CRITIC_VERB = re.compile(
    r"\b(?:said|says|noted|stressed|stated|declared|told|wrote|added|denounc\w*|condemn\w*|accus\w*|"
    r"slam\w*|blast\w*|criticis\w*|criticiz\w*|called|urged|demanded|charged|termed|described|"
    r"censur\w*|assail\w*|rebuk\w*|flay\w*|reject\w*)\b",
    re.IGNORECASE,
)


def adjacent(o: Occurrence) -> Sides:
    """``adjacent``: the target is the mention right before or after the match; the actor the
    sentence's subject when it opens the sentence, else the speaker."""
    start, end = o.start, o.end
    # KCNA's words of abuse are never home's ("Kim Jong Il defeated the imperialists' moves"),
    # but for "provocation", which the other side says of home too
    epithet = o.trigger.type.name == "denounce" and not o.text.startswith(("provocat", "Provocat"), o.start)
    home = side_key(o.home.country) if epithet else None
    near = [
        m
        for m in o.sentence.mentions
        if (home is None or side_key(m.country) != home)
        # "an infringement upon the sovereignty of the DPRK and a grave provocation": home, whom
        # the provocation wrongs, is its victim
        and not (
            o.trigger.type.name == "denounce" and side_key(m.country) == side_key(o.home.country) and harmed(o.text, m)
        )
        and (
            (start - _ADJACENT_WINDOW <= m.end <= start and not _APART.search(o.text, m.end, start))
            or (end <= m.start <= end + 10 and not _VICTIM.match(o.text, end, m.start))
        )
    ]
    if not near:
        return [], []
    before = [m for m in near if m.end <= start]
    later = [m for m in near if m.start >= end]
    target = before[-1] if before else later[0]
    if (
        before
        and later
        and _OF_GAP.fullmatch(o.text, end, later[0].start)
        and later[0].start - end < start - before[-1].end
    ):
        target = later[0]  # "the U.S. imperialists and the puppet clique of south Korea": its own
    elif before and later and later[0].start - end <= 1 and _NEXT_ITEM.search(o.text, before[-1].end, start):
        target = later[0]  # "the U.S. forces and the rat-like Lee Myung Bak group": the word is the next item's
    targets = [side(target)]
    if target.end <= start:
        # abuse of a pair: "the U.S. and south Korean warmongers" (not the last of a list of
        # places: "drones in Pakistan, Yemen and Somalia")
        partner = next((m for m in reversed(o.sentence.mentions) if m.end <= target.start), None)
        if (
            partner is not None
            and _AND_GAP.fullmatch(o.text, partner.end, target.start)
            and not o.text[: partner.start].rstrip().endswith(",")
            and side_key(partner.country) != side_key(target.country)
        ):
            targets.insert(0, side(partner))
    subject = first_before(o.sentence, start)
    if (
        subject is not None
        and subject.start < near[0].start
        and len(o.text[: subject.start].split()) <= 3  # the sentence's own subject, not an object
        and side_key(subject.country) != side_key(targets[0].country)
        and _CRITIC_VERB.search(o.text, subject.end, start)
    ):
        return [side(subject)], targets
    # an abusive word is the voice's ("The U.S. defense secretary flew into south Korea … with
    # the south Korean puppet military authorities" is KCNA's abuse, not the secretary's),
    # but for a voice home has denounced: after "The U.S. assistant secretary of State said …"
    # in a commentary slamming the U.S., "the south Korean puppet regime" is home's word again
    if side_key(o.speaker.country) in o.home_targets:
        return [o.home], targets
    return [o.speaker], targets


def conduct(o: Occurrence) -> Sides:
    """``conduct``: the speaker blames the sentence's subject for what the match says it does
    (E14: "The U.S. forces are killing Pakistanis under the pretext of …")."""
    subject = first_before(o.sentence, o.start)
    if (
        subject is None
        or o.text[: subject.start].strip() not in ("", "The", "the")
        or side_key(subject.country) == side_key(o.speaker.country)
        or _BEING.search(o.text, subject.end, o.start)
        or _CRITIC_VERB.search(o.text, 0, o.start)
    ):
        return [], []
    return [o.speaker], [side(subject)]


# Between sides named together, after words of abuse: "the U.S. imperialists and south Korean …".
_JOINED = re.compile(r"\s*(?:[a-z][\w-]*\s+){0,3}?(?:,\s*(?:and\s+)?|and\s+)(?:the\s+)?\Z")
#: Before the side a sentence says is wronged, not warned: "the exercises for a war against the
#: DPRK …", "fire even a bullet at the DPRK".
_WRONGED = re.compile(r"\b(?:against|at|toward|towards)\s+(?:the\s+)?$")


#: What lies between a harm that ends in "against" and the side it is aimed at.
_AT_HOME = re.compile(r"\s*(?:the\s+)?")


def menaced(o: Occurrence) -> Sides:
    """``menaced``: harm announced to a side — the last one named before the match that is
    not the speaker's, else the first after it, else the story's adversary — by the speaker
    ("If the U.S. persists …, it will have to pay dearly")."""
    speaker = side_key(o.speaker.country)
    # home's friends, whom its media quote, announce no harm to home
    spared = {speaker, side_key(o.home.country)}
    aimed = o.following()
    if (
        aimed
        and side_key(aimed[0].country) == side_key(o.home.country)
        and _AT_HOME.fullmatch(o.text, o.end, aimed[0].start)
    ):
        # "… set it as their goal to launch a war against the DPRK": harm the sides named
        # plan against home, not home's warning to them
        return [], []

    def menaceable(m: Mention) -> bool:
        return (
            m.country is not None
            and side_key(m.country) not in spared
            and not _COMPATRIOTS_IN.search(o.text, max(0, m.start - 40), m.start)
        )

    before = [
        m
        for m in o.sentence.mentions
        if m.end <= o.start and menaceable(m) and not _WRONGED.search(o.text, max(0, m.start - 14), m.start)
    ]
    later = [m for m in o.following() if menaceable(m)]
    if before:
        # "If the U.S. imperialists and south Korean group of traitors fire even a bullet …":
        # the sides named together last
        group = [before[-1]]
        for mention in reversed(before[:-1]):
            if not _JOINED.match(o.text, mention.end, group[0].start):
                break
            group.insert(0, mention)
        found: dict[str | None, Side] = {}
        for mention in group:
            found.setdefault(side_key(mention.country), side(mention))
        return [o.speaker], list(found.values())
    if later:
        # "take revenge upon the U.S. and south Korean plotters": both
        return [o.speaker], [side(m) for m in coordinated(o.text, later, o.speaker.country)]
    # "If the warmongers dare provoke the DPRK …" after "the U.S. and south Korean warmongers"
    targets = [a for a in o.adversaries if side_key(a.country) != speaker]
    if targets:
        return [o.speaker], targets
    if o.adversary is not None and side_key(o.adversary.country) != speaker:
        return [o.speaker], [o.adversary]
    return [], []


def blames_another(event: Event, home: str | None) -> bool:
    """Whether ``event`` denounces or threatens a side other than ``home`` (a ``side_key``):
    home, charged by its enemies ("… continue blaming the DPRK's satellite launch"), is no
    adversary."""
    return event.type in _HOSTILE and side_key(event.target.country) != home


def _charges_home(event: Event, home: str | None) -> bool:
    """Whether ``event`` is a foreign side's charge against home."""
    return (
        event.type in _HOSTILE
        and side_key(event.target.country) == home
        and side_key(event.actor.country) not in (home, None)
    )


def _blamers_of_home(events: Sequence[Event], home: str | None) -> frozenset[str | None]:
    """The sides that charged home together in one sentence (a "they": "Japan keeps blaming
    the DPRK" is no "they"), none with friendly dealings with home in the story (a party that
    met home's envoy and "denounces the anti-DPRK moves" is no enemy)."""
    friends = {side_key(s.country) for e in events if e.type not in _HOSTILE for s in (e.actor, e.target)}
    together: dict[str, set[str | None]] = {}
    for e in events:
        if _charges_home(e, home) and side_key(e.actor.country) not in friends:
            together.setdefault(e.sentence, set()).add(side_key(e.actor.country))
    return frozenset(key for keys in together.values() if len(keys) > 1 for key in keys)


def adversaries(events: Sequence[Event], home: str | None, text: str) -> tuple[Side, ...]:
    """Every side the sentence that last denounced or threatened did so to ("the U.S. and
    south Korean warmongers"): what "the warmongers", "the enemies" of a threat in ``text``
    that names nobody refer to; the last such sentence that called them by the same word, if
    one did ("the U.S. and south Korean warmongers staged the drill", then the traitors abused,
    then "If the warmongers dare provoke the DPRK …"). "They" are also the sides that charged
    home together ("… now that the U.S., Japan and south Korean authorities continue blaming
    the DPRK's satellite launch", then "They are sadly mistaken if …")."""
    blamers = _blamers_of_home(events, home) if _THEY.search(text) else frozenset()
    blamed = [
        (e.sentence, e.actor if side_key(e.actor.country) in blamers else e.target)
        for e in events
        if blames_another(e, home) or (side_key(e.actor.country) in blamers and _charges_home(e, home))
    ]
    if not blamed:
        return ()
    last = blamed[-1][0]
    called = {w.lower() for w in _ENEMY_WORD.findall(text)}
    if called:
        last = next((s for s, _ in reversed(blamed) if any(w in s.lower() for w in called)), last)
    found: dict[str | None, Side] = {}
    for sentence, enemy in blamed:
        if sentence == last:
            found.setdefault(side_key(enemy.country), enemy)
    return tuple(found.values())
