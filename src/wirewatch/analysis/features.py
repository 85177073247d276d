"""The candidates of the statistical event layer (``analysis.learned``) and their features.

A **candidate** is an ordered pair of sides in one sentence: two of the sides its mentions
name (one per country, GUIDE E2), the story's voice (who speaks: KCNA, a foreign party, a
quoted source), or home when the sentence does not name it. The classifier decides which
event types, if any, the sentence reports from the first side to the second.

A candidate's **features** are strings, in two parts so that the sentence's part is scored
once for all its pairs:

- the sentence's: its words (``w:``), whether it is the title (``ti``), negated or
  conditional (``neg``), quoted (``q``), which event types the rules found in it
  (``rs:type``);
- the pair's: each side's role (``a:subj`` the sentence's opening subject, ``a:spk`` the
  subject of its speech verb, ``a:named`` another side named, ``a:voice`` the story's voice
  unnamed, ``a:home`` home unnamed; ``t:`` for the target), kind (person, organization,
  country, international body), the two camps (``c:fh``: a foreign actor, a home target;
  ``i`` an international body), the two roles together (``rc:``), their order (``o:``), and
  the types the rules found for this very pair (``r:type``). Words around the sides
  (before the target, between the two) were tried and left out: they gave nothing in
  cross-validation, and bounding a pair's score without them is cheap (``analysis.learned``).

The rules' own findings are features, so the model learns where to trust them; the training
script (``bench/train_events.py``) drops them from weakly labelled corpus stories, whose
labels *are* the rules' findings.

Pure functions over one story's sentences and mentions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from wirewatch.analysis.sides import Sentence, side, side_key
from wirewatch.analysis.voices import SPEECH_WORDS, speech_subject
from wirewatch.models import Event, Mention, Side

__all__ = [
    "CAMPS",
    "KINDS",
    "MAX_SIDES",
    "ROLES",
    "Candidate",
    "PairKey",
    "Party",
    "SentenceCandidates",
    "SentenceFeatures",
    "StoryReading",
    "pair_key",
    "sentence_candidates",
    "sentence_features",
    "sentence_parties",
    "story_candidates",
]

#: A pair of sides as events are matched: (actor country, target country), keyed (E2).
PairKey = tuple[str | None, str | None]

_WORD = re.compile(r"[a-z]+")
#: Words that make a sentence negated, conditional or wished for (``neg``).
_NEGATION = frozenset(
    "not never no nor should must would if unless propose proposed proposes urge urged urges urging "
    "demand demanded demands hope hoped hopes wish wished wishes".split()
)
_QUOTES = ('"', "“", "”")
#: The values a side's role, kind and camp take (``a:``, ``t:``, ``c:``, ``rc:`` features).
ROLES = ("spk", "subj", "named", "voice", "home")
KINDS = ("person", "organization", "country", "intl", "home", "voice")
CAMPS = ("h", "f", "i")
# How far into a sentence its opening subject's name may start ("The army and people of the ").
_OPENING = 40
# More sides than this in one sentence: a list, whose pairs the rules read better.
MAX_SIDES = 5


def pair_key(actor: Side, target: Side) -> PairKey:
    return side_key(actor.country), side_key(target.country)


@dataclass(frozen=True, slots=True)
class Party:
    """A side of a sentence's candidates, with where and as what it appears (``ROLES``,
    ``KINDS``, ``CAMPS``); the voice and home, unnamed, start at the sentence's end."""

    side: Side
    key: str | None
    role: str
    kind: str
    camp: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Candidate:
    """An ordered pair of sides of one sentence, and the features of the pair."""

    actor: Side
    target: Side
    features: list[str]

    @property
    def key(self) -> PairKey:
        return pair_key(self.actor, self.target)


@dataclass(frozen=True, slots=True)
class SentenceFeatures:
    """A sentence that names a side, with the features its candidates share."""

    sentence: Sentence
    #: its words, once each, lower-cased (the features ``w:word``)
    words: list[str]
    #: its other features
    features: list[str]
    #: the types the rules found in it, per pair
    rules: dict[PairKey, set[str]]

    def all_features(self) -> list[str]:
        return [f"w:{w}" for w in self.words] + self.features


@dataclass(frozen=True, slots=True)
class SentenceCandidates:
    """A sentence's features (``w:word`` included) and its candidates."""

    sentence: Sentence
    features: list[str]
    candidates: list[Candidate]


class StoryReading(NamedTuple):
    """What the rules read in a story: its events, and what the candidates are read from."""

    events: list[Event]
    sentences: list[Sentence]
    #: whose voice the story is in (E4)
    voice: Side
    #: the ids of sides that cannot be determined, which make no candidate (E3)
    undetermined: frozenset[str]


def sentence_features(story: StoryReading, home: str) -> Iterator[SentenceFeatures]:
    """The sentences of a story that give candidates, with their features."""
    found: dict[str, dict[PairKey, set[str]]] = {}
    for event in story.events:
        found.setdefault(event.sentence, {}).setdefault(pair_key(event.actor, event.target), set()).add(event.type)
    undetermined = story.undetermined
    unnamed = {side_key(story.voice.country), side_key(home)}
    for number, sentence in enumerate(story.sentences):
        named = {side_key(m.country) for m in sentence.mentions if m.id not in undetermined}
        if not named or not 2 <= len(named | unnamed) <= MAX_SIDES:
            continue  # no candidate: one side only, or a list the rules read better
        text = sentence.text
        rules = found.get(text, {})
        features = [f"rs:{kind}" for kind in sorted({k for kinds in rules.values() for k in kinds})]
        if number == 0:
            features.append("ti")
        words = list(dict.fromkeys(_WORD.findall(text.lower())))
        if not _NEGATION.isdisjoint(words):
            features.append("neg")
        if any(q in text for q in _QUOTES):
            features.append("q")
        yield SentenceFeatures(sentence, words, features, rules)


def sentence_candidates(found: SentenceFeatures, story: StoryReading, home: str) -> list[Candidate]:
    """The candidates of a sentence: none when it gives fewer than two sides, or a list of
    more than ``MAX_SIDES``."""
    parties = sentence_parties(found, story, home)
    if len(parties) < 2 or len(parties) > MAX_SIDES:
        return []
    text = found.sentence.text
    return [
        Candidate(a.side, t.side, _pair_features(text, a, t, found.rules.get((a.key, t.key), ())))
        for a in parties
        for t in parties
        if a.key != t.key and (a.key is not None or t.key is not None)
    ]


def story_candidates(story: StoryReading, home: str) -> list[SentenceCandidates]:
    """The candidates of a story's sentences (``home``: the home country)."""
    chosen = []
    for found in sentence_features(story, home):
        candidates = sentence_candidates(found, story, home)
        if candidates:
            chosen.append(SentenceCandidates(found.sentence, found.all_features(), candidates))
    return chosen


def sentence_parties(found: SentenceFeatures, story: StoryReading, home: str, speaker: bool = True) -> list[Party]:
    """The sides of a sentence, one per country in text order (their first mention), then the
    voice and home when the sentence does not name them (``speaker``: False leaves who speaks
    unread, none of the sides is ``spk``)."""
    home_key = side_key(home)
    mentions = [m for m in found.sentence.mentions if m.id not in story.undetermined]
    text = found.sentence.text
    spoke = speech_subject(text, mentions) if speaker and not SPEECH_WORDS.isdisjoint(found.words) else None
    parties: list[Party] = []
    keys: set[str | None] = set()
    for number, mention in enumerate(mentions):
        key = side_key(mention.country)
        if key in keys:
            continue
        keys.add(key)
        role, kind = _role(mention, number, spoke), _kind(mention)
        parties.append(Party(side(mention), key, role, kind, _camp(key, home_key), mention.start, mention.end))
    end = len(text)
    voice, voice_key = story.voice, side_key(story.voice.country)
    if voice_key not in keys:
        keys.add(voice_key)
        kind = "home" if voice_key == home_key else "voice"
        parties.append(Party(voice, voice_key, "voice", kind, _camp(voice_key, home_key), end, end))
    if home_key not in keys:
        parties.append(Party(Side(None, home, home), home_key, "home", "home", "h", end, end))
    return parties


def _camp(key: str | None, home_key: str | None) -> str:
    return "h" if key == home_key else ("i" if key is None else "f")


def _role(mention: Mention, number: int, speaker: Mention | None) -> str:
    if mention is speaker:
        return "spk"
    if number == 0 and mention.start <= _OPENING:
        return "subj"
    return "named"


def _kind(mention: Mention) -> str:
    return "intl" if mention.country is None else mention.type


def _pair_features(text: str, a: Party, t: Party, rules: Iterable[str]) -> list[str]:
    features = [
        "bias",
        f"a:{a.role}",
        f"a:{a.kind}",
        f"t:{t.role}",
        f"t:{t.kind}",
        f"c:{a.camp}{t.camp}",
        f"rc:{a.role}-{t.role}",
    ]
    if a.start < len(text) and t.start < len(text):
        features.append("o:at" if a.start < t.start else "o:ta")
    features.extend(f"r:{kind}" for kind in sorted(rules))
    return features
