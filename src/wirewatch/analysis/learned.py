"""The statistical event layer: a linear classifier over the candidates of ``analysis.features``
that revises what the trigger rules found (issue 17).

For each candidate — an ordered pair of sides in a sentence — the model gives, per event
type, the probability that the sentence reports an event of that type from the first side
to the second: a logistic regression per type (one-vs-rest) over the candidate's features,
its weights trained offline by ``bench/train_events.py`` on the gold annotations (the
rules' findings on corpus stories as weak labels can be added: ``--weak``; they cost praise
its recall, so the shipped model has none), and shipped as ``data/event_model.json``:

```
{"types": ["visit", …], "weights": {"w:praised": [0.1, …], …},
 "add": {"praise": 0.8, …}, "veto": {"anniversary": 0.05, …}}
```

``weights`` maps a feature to one weight per type (in the order of ``types``), ``bias``
among them. ``add`` gives, per type, the probability from which a candidate the rules did
not report becomes an event (the sides are the candidate's; dated the article's day);
``veto`` the probability under which an event the rules found in that sentence for that
pair is dropped. A type absent from either is left to the rules.

Applied in pure Python: the sentence's features are summed once, each pair's added on top;
and a sentence's pairs are only read when the most its sides' features could add (their
roles, kinds, camps and order: a few combinations, cached) lifts some pair to a floor — in
about one sentence in twenty on the corpus — so the layer costs little.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from itertools import repeat

from wirewatch.analysis.features import (
    MAX_SIDES,
    Candidate,
    PairKey,
    SentenceFeatures,
    StoryReading,
    pair_key,
    sentence_candidates,
    sentence_features,
    sentence_parties,
)
from wirewatch.analysis.stamps import undated
from wirewatch.analysis.triggers import EventRules
from wirewatch.analysis.voices import SPEECH_WORDS
from wirewatch.models import Event

__all__ = ["UNORDERED", "EventModel", "event_key", "revise"]

#: Types whose two sides are an unordered pair (as the gold set matches them).
UNORDERED = frozenset(("meeting", "agreement", "anniversary"))


def event_key(kind: str, key: PairKey) -> tuple[str, PairKey]:
    """An event's identity in a story: its type and pair of sides, unordered where the type's is."""
    if kind in UNORDERED and (key[1] or "") < (key[0] or ""):
        return kind, (key[1], key[0])
    return kind, key


def _logit(probability: float) -> float:
    probability = min(max(probability, 1e-9), 1 - 1e-9)
    return math.log(probability / (1 - probability))


@dataclass(frozen=True, slots=True, eq=False)  # one model is one model: hashed by identity
class EventModel:
    """The classifier's weights and the thresholds that apply it (see the module docstring)."""

    types: tuple[str, ...]
    weights: Mapping[str, Sequence[float]]
    add: Mapping[str, float]
    veto: Mapping[str, float]

    @classmethod
    def from_json(cls, text: str) -> EventModel:
        data = json.loads(text)
        types = tuple(str(t) for t in data["types"])
        weights = {str(f): tuple(float(v) for v in w) for f, w in data["weights"].items()}
        if any(len(w) != len(types) for w in weights.values()):
            raise ValueError("event model: every feature needs one weight per type")
        return cls(
            types,
            weights,
            {str(t): float(p) for t, p in data.get("add", {}).items()},
            {str(t): float(p) for t, p in data.get("veto", {}).items()},
        )

    @classmethod
    @cache
    def load(cls) -> EventModel:
        """The model shipped with wirewatch (``wirewatch/data/event_model.json``), read once."""
        return cls.from_json(files("wirewatch").joinpath("data/event_model.json").read_text(encoding="utf-8"))


#: The sides' part of a pair's features: (actor role, kind, camp, target role, kind, camp).
_Frame = tuple[str, str, str, str, str, str]


@dataclass(frozen=True, slots=True)
class _Scorer:
    """A model's weights for the types it revises, one table each (the sentence's words keyed
    bare), with each type's floors (as log-odds), and what bounds a pair's score before its
    features are read: most sentences' candidates never are (every pair stays under the floors)."""

    kinds: tuple[str, ...]
    words: tuple[dict[str, float], ...]
    tables: tuple[dict[str, float], ...]
    add: tuple[float | None, ...]
    veto: tuple[float | None, ...]
    #: the most the rules' findings for a pair add (but the type's own: such a pair is no addition)
    ruled: tuple[float, ...]
    #: the sides' part of the scores (bias included), per frame and whether someone may speak
    frames: dict[tuple[_Frame, bool], list[float]]

    @classmethod
    @cache
    def of(cls, model: EventModel) -> _Scorer:
        kinds = tuple(t for t in model.types if t in model.add or t in model.veto)
        columns = [model.types.index(t) for t in kinds]
        weights = model.weights
        tables = tuple({f: w[n] for f, w in weights.items() if not f.startswith("w:") and w[n]} for n in columns)
        return cls(
            kinds,
            tuple({f[2:]: w[n] for f, w in weights.items() if f.startswith("w:") and w[n]} for n in columns),
            tables,
            tuple(_logit(model.add[t]) if t in model.add else None for t in kinds),
            tuple(_logit(model.veto[t]) if t in model.veto else None for t in kinds),
            tuple(
                sum(w for f, w in table.items() if f.startswith("r:") and f != f"r:{kind}" and w > 0)
                for kind, table in zip(kinds, tables, strict=True)
            ),
            {},
        )

    def sentence(self, found: SentenceFeatures) -> list[float]:
        return [
            sum(map(words.get, found.words, repeat(0.0))) + sum(map(table.get, found.features, repeat(0.0)))
            for words, table in zip(self.words, self.tables, strict=True)
        ]

    def worth_reading(self, found: SentenceFeatures, base: list[float], story: StoryReading, home: str) -> bool:
        """Whether a candidate of the sentence may be added or vetoed: the rules found in it a
        type the model may veto, or some pair may reach a type's add floor."""
        for n, kind in enumerate(self.kinds):
            if self.veto[n] is not None and any(kind in kinds for kinds in found.rules.values()):
                return True
        floors = [(n, floor) for n, floor in enumerate(self.add) if floor is not None]
        parties = sentence_parties(found, story, home, speaker=False)
        if not floors or not 2 <= len(parties) <= MAX_SIDES:
            return False
        speech = not SPEECH_WORDS.isdisjoint(found.words)
        end = len(found.sentence.text)
        for a in parties:
            for t in parties:
                if a.key == t.key or (a.key is None and t.key is None):
                    continue
                frame = self._frame((a.role, a.kind, a.camp, t.role, t.kind, t.camp), speech)
                ruled = (a.key, t.key) in found.rules
                order = "o:at" if a.start < t.start else "o:ta"
                named = a.start < end and t.start < end
                for n, floor in floors:
                    table = self.tables[n]
                    most = base[n] + frame[n] + (self.ruled[n] if ruled else 0.0)
                    if most + (table.get(order, 0.0) if named else 0.0) >= floor:
                        return True
        return False

    def _frame(self, frame: _Frame, speech: bool) -> list[float]:
        """The most the sides' features give a pair of this frame (a named side may be the
        one who speaks when the sentence has a speech verb: who does is not read yet)."""
        found = self.frames.get((frame, speech))
        if found is None:
            role_a, kind_a, camp_a, role_t, kind_t, camp_t = frame
            roles_a = (role_a, "spk") if speech and role_a in ("subj", "named") else (role_a,)
            roles_t = (role_t, "spk") if speech and role_t in ("subj", "named") else (role_t,)
            found = [
                table.get("bias", 0.0)
                + table.get(f"a:{kind_a}", 0.0)
                + table.get(f"t:{kind_t}", 0.0)
                + table.get(f"c:{camp_a}{camp_t}", 0.0)
                + max(
                    table.get(f"a:{ra}", 0.0) + table.get(f"t:{rt}", 0.0) + table.get(f"rc:{ra}-{rt}", 0.0)
                    for ra in roles_a
                    for rt in roles_t
                )
                for table in self.tables
            ]
            self.frames[(frame, speech)] = found
        return found


def revise(story: StoryReading, model: EventModel, rules: EventRules, on: dt.date | None) -> list[Event]:
    """The rules' events of ``story`` revised by ``model`` over its candidates: those it finds
    very unlikely dropped, the candidates it is confident of and the rules did not report
    added (one per type and pair in a story), after them."""
    scorer = _Scorer.of(model)
    if not scorer.kinds:
        return story.events
    scored: dict[tuple[str, PairKey], list[float]] = {}
    added: list[tuple[str, Candidate, str]] = []
    for found in sentence_features(story, rules.home):
        base = scorer.sentence(found)
        if not scorer.worth_reading(found, base, story, rules.home):
            continue
        text = found.sentence.text
        for candidate in sentence_candidates(found, story, rules.home):
            score = [
                b + sum(map(table.get, candidate.features, repeat(0.0)))
                for b, table in zip(base, scorer.tables, strict=True)
            ]
            scored[(text, candidate.key)] = score
            added.extend(
                (kind, candidate, text)
                for kind, floor, z in zip(scorer.kinds, scorer.add, score, strict=True)
                if floor is not None and z >= floor
            )
    if not scored:
        return story.events
    kept = []
    for event in story.events:
        told = scored.get((event.sentence, pair_key(event.actor, event.target)))
        if told is not None and event.type in scorer.kinds:
            n = scorer.kinds.index(event.type)
            floor = scorer.veto[n]
            if floor is not None and told[n] < floor:
                continue
        kept.append(event)
    seen = {event_key(e.type, pair_key(e.actor, e.target)) for e in story.events}
    for kind, candidate, text in added:
        key = event_key(kind, candidate.key)
        if key in seen:
            continue
        seen.add(key)
        spec, stamp = rules.types[kind], undated(on)
        kept.append(
            Event(
                kind,
                spec.cameo,
                spec.plover,
                candidate.actor,
                candidate.target,
                stamp.date,
                stamp.precision,
                False,
                text,
            )
        )
    return kept
