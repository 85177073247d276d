"""Event trigger data: the event types with their CAMEO and PLOVER codes, and the trigger
patterns of ``data/events.toml`` (its format is at its top), compiled once. GUIDE rules are
those of the annotation guide, ``docs/annotation-guide.md``."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from wirewatch.analysis.plain import Dual, dual

__all__ = ["VOICES", "EventRules", "EventType", "Trigger"]

VOICES = (
    "active",
    "nearest",
    "possessor",
    "passive",
    "placed",
    "inverted",
    "guests",
    "senders",
    "adjacent",
    "menaced",
    "conduct",
    "adopted",
    "anniversary",
    "pair",
    "tribute",
)


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    cameo: str
    plover: str
    speaker: bool = False
    many_targets: bool = False


@dataclass(frozen=True, slots=True)
class Trigger:
    """One trigger pattern of the event data file."""

    type: EventType
    #: compiled for Unicode text and for plain ASCII text (``analysis.plain``)
    pattern: Dual
    words: frozenset[str]
    voice: str = "active"
    home_target: bool = False
    home_actor: bool = False
    #: words one of which the sentence must hold besides (empty: none needed)
    requires: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class EventRules:
    """The compiled trigger data: the home country and the triggers in priority order."""

    home: str
    types: dict[str, EventType]
    triggers: tuple[Trigger, ...]
    #: what makes a statement laudatory (GUIDE E13; see ``analysis.voices``): the pattern,
    #: and the words one of which any match holds (None: no laudatory statements)
    laudatory: Dual | None = None
    laudatory_words: frozenset[str] = frozenset()
    #: trigger word -> the indexes of the triggers that list it
    index: dict[str, tuple[int, ...]] = field(default_factory=dict)
    #: the words of the ``menaced`` triggers: a sentence that names nobody is read when it
    #: holds one (its threat is to the side the story last denounced)
    menace_words: set[str] = field(default_factory=set)
    #: each type's first trigger, for an event one type's trigger implies of another
    first: dict[str, Trigger] = field(default_factory=dict)
    #: every trigger word: a sentence's words are intersected with it first
    trigger_words: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        index: dict[str, list[int]] = {}
        for number, trigger in enumerate(self.triggers):
            for word in trigger.words:
                index.setdefault(word, []).append(number)
            if trigger.voice == "menaced":
                self.menace_words.update(trigger.words)
            self.first.setdefault(trigger.type.name, trigger)
        self.index.update({word: tuple(numbers) for word, numbers in index.items()})
        self.trigger_words.update(index)

    @classmethod
    def from_toml(cls, text: str) -> EventRules:
        data = tomllib.loads(text)
        types = {
            name: EventType(
                name,
                str(spec["cameo"]),
                str(spec["plover"]),
                bool(spec.get("speaker", False)),
                bool(spec.get("many_targets", False)),
            )
            for name, spec in data["type"].items()
        }
        triggers = []
        for number, spec in enumerate(data.get("trigger", []), 1):
            voice = spec.get("voice", "active")
            if spec["type"] not in types or voice not in VOICES or not spec.get("words"):
                raise ValueError(f"trigger {number}: unknown type {spec['type']!r} or voice {voice!r}, or no words")
            triggers.append(
                Trigger(
                    types[spec["type"]],
                    dual(spec["pattern"], re.IGNORECASE),
                    frozenset(w.lower() for w in spec["words"]),
                    voice,
                    bool(spec.get("home_target", False)),
                    bool(spec.get("home_actor", False)),
                    frozenset(w.lower() for w in spec.get("requires", [])),
                )
            )
        laudatory = data.get("laudatory", {})
        if laudatory and (not laudatory.get("pattern") or not laudatory.get("words")):
            raise ValueError("[laudatory] needs a pattern and words")
        return cls(
            str(data["home"]),
            types,
            tuple(triggers),
            dual(laudatory["pattern"], re.IGNORECASE) if laudatory else None,
            frozenset(w.lower() for w in laudatory.get("words", [])),
        )

    @classmethod
    @cache
    def load(cls) -> EventRules:
        """The rules shipped with wirewatch (``wirewatch/data/events.toml``), compiled once."""
        return cls.from_toml(files("wirewatch").joinpath("data/events.toml").read_text(encoding="utf-8"))
