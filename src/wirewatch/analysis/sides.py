"""Sides of events: a story's sentences with the mentions in each, and the helpers that pick
an event's sides from them.

A side is keyed by its country, Russia and the Soviet Union counting as one (GUIDE E2, the
annotation guide, ``docs/annotation-guide.md``): two sides with one key are domestic.

Pure functions over one sentence's text and mentions (offsets relative to the sentence).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from wirewatch.analysis.sentences import split_sentences
from wirewatch.models import Mention, Side

__all__ = [
    "COORDINATED",
    "SAME_SIDE",
    "Sentence",
    "after",
    "coordinated",
    "first_before",
    "harmed",
    "home_side",
    "side",
    "side_key",
    "story_sentences",
    "tied_throughout",
]

#: Countries that count as one side (E2).
SAME_SIDE = {"SUN": "RUS"}
#: What joins the items of a list: ", ", ", and ", "and ", "or ".
COORDINATED = re.compile(r"^\s*(?:,\s*(?:and\s+)?|and\s+|or\s+)(?:the\s+)?$")
# A group of people of the next side coordinated with the last ("the delegation of X and the
# delegation of Y", "Delegations of X, members of a delegation of Y and …"): both are sides.
_COORDINATED_GROUP = re.compile(
    # ("… of Korean Residents in Japan and other overseas Koreans, members of a delegation of …")
    r"\s*(?:and\s+other\s+(?:[\w'-]+\s+){0,2}[\w'-]+\s*)?"
    r"(?:,\s*(?:and\s+)?|and\s+)(?:the\s+|a\s+|an\s+)?(?:members?\s+of\s+(?:the\s+|a\s+|an\s+)?)?"
    r"(?:[\w-]+\s+){0,2}?(?:delegations?|groups?|representatives|officials|members|troupes?|teams?)\s+"
    r"(?:of|from)\s+(?:the\s+|a\s+|an\s+)?"
    # an organ of the body named next ("a delegation of the Central Committee of the …")
    r"(?:(?-i:[A-Z][\w-]*\s+){1,3}of\s+(?:the\s+)?)?",
    re.IGNORECASE,
)
# A country right after "anti-" or "pro-" qualifies a word: it is no side ("anti-U.S. struggle").
_ATTRIBUTIVE = re.compile(r"(?:anti|pro)-\s*$", re.IGNORECASE)


def side_key(country: str | None) -> str | None:
    """The country a side counts as (E2)."""
    return SAME_SIDE.get(country, country) if country else country


def side(mention: Mention) -> Side:
    return Side(mention.name, mention.country, mention.id)


def home_side(home: str) -> Side:
    return Side(None, home, home)


@dataclass(slots=True)
class Sentence:
    """A sentence of the analysed text and the mentions in it."""

    start: int
    end: int
    text: str
    mentions: list[Mention]  # offsets made relative to the sentence, attributive ones dropped


def story_sentences(text: str, mentions: Sequence[Mention]) -> list[Sentence]:
    """The sentences of ``text``, each with the mentions that lie wholly inside it."""
    ordered = sorted(mentions, key=lambda m: (m.start, -m.end))
    starts = [m.start for m in ordered]
    return [
        Sentence(
            start,
            end,
            text[start:end],
            [_shifted(m, start) for m in _sentence_mentions(text, start, end, ordered, starts)],
        )
        for start, end in split_sentences(text)
    ]


def tied_throughout(mentions: Sequence[Mention], title_end: int) -> Sequence[Mention]:
    """``mentions`` with a name the headline (``text[:title_end]``) gives bare tied to the
    country the body ties it to ("Hyon Hak Bong Presents Credentials …", then "Hyon Hak Bong,
    DPRK ambassador to …"): one person, one side."""

    def bare(m: Mention) -> bool:
        return m.start < title_end and not m.known and m.country is None

    if not any(bare(m) for m in mentions):
        return mentions
    tied = {m.id: m.country for m in reversed(mentions) if m.start >= title_end and m.country is not None}
    return [
        Mention(m.type, m.id, m.name, tied[m.id], m.start, m.end, m.by_title, m.role, m.known)
        if bare(m) and m.id in tied
        else m
        for m in mentions
    ]


def _shifted(m: Mention, offset: int) -> Mention:
    """A mention with offsets relative to ``offset`` (built field by field: ``dataclasses.replace``
    costs several times more, and every sentence's mentions are shifted)."""
    return Mention(m.type, m.id, m.name, m.country, m.start - offset, m.end - offset, m.by_title, m.role, m.known)


def _sentence_mentions(
    text: str, start: int, end: int, mentions: Sequence[Mention], starts: list[int]
) -> list[Mention]:
    low = bisect.bisect_left(starts, start)
    high = bisect.bisect_left(starts, end)
    found = []
    for mention in mentions[low:high]:
        if mention.end > end:
            continue
        if (
            mention.type == "country"
            and "-" in text[max(0, mention.start - 2) : mention.start]  # most are not: spare the regex
            and _ATTRIBUTIVE.search(text, max(0, mention.start - 6), mention.start)
        ):
            continue
        found.append(mention)
    return found


def first_before(sentence: Sentence, offset: int) -> Mention | None:
    """The sentence's first mention, if it starts before ``offset``."""
    for mention in sentence.mentions:
        if mention.start >= offset:
            break
        return mention
    return None


def after(sentence: Sentence, offset: int, limit: int) -> list[Mention]:
    """The mentions between ``offset`` and ``limit``."""
    return [m for m in sentence.mentions if offset <= m.start and m.end <= limit]


def coordinated(text: str, found: list[Mention], actor: str | None) -> list[Mention]:
    """The first mention of another side than ``actor``, and those coordinated with it."""
    chosen: list[Mention] = []
    reach = 0  # where the chosen end, past the names inside a body's ("Chinese" in "Chinese People's …")
    for mention in found:
        if not chosen:
            if side_key(mention.country) != side_key(actor) or mention.country is None:
                chosen.append(mention)
                reach = mention.end
            continue
        if mention.end <= reach:
            continue  # a name inside a body's chosen ("Korean" in "… of the Korean Friendship Association")
        gap = text[chosen[-1].end : mention.start]
        if side_key(mention.country) == side_key(chosen[-1].country):
            chosen.append(mention)  # the same side named again ("Russian FM Lavrov")
        elif (
            COORDINATED.match(gap)
            or re.fullmatch(r"\s*(?:'s|’s)?\s*", gap)
            or _COORDINATED_GROUP.fullmatch(text, reach, mention.start)  # none where reach > start
        ):
            chosen.append(mention)
        else:
            break
        reach = max(reach, mention.end)
    return chosen


# Whose right or land a harm is done to: a victim, not the denounced ("the U.S. drone
# violation of Iran's airspace", "the invasion of Iraq").
_HARMED = re.compile(
    r"\b(?:violations?|infringements?|encroachments?|invasion|intrusions?|attacks?)\s+(?:of|on|upon|into)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# The same done by a verb: "for violating the sovereignty and dignity of the DPRK", "hurting
# the dignity of its supreme leadership".
_HARMING = re.compile(
    r"\b(?:violat|infring|encroach|hurt|insult|invad)\w*\s+(?:upon\s+)?(?:the\s+)?(?:[\w-]+\s+){0,4}?"
    r"(?:of|on|upon|into)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def harmed(text: str, mention: Mention) -> bool:
    """Whether ``mention`` is the victim of a harm named right before it ("the violation of
    Iran's airspace", "an infringement upon the sovereignty of the DPRK"): a victim, not
    the one denounced."""
    return (
        _HARMED.search(text, max(0, mention.start - 30), mention.start) is not None
        or _HARMING.search(text, max(0, mention.start - 60), mention.start) is not None
    )
