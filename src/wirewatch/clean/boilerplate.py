"""Stripping site chrome (share buttons, newsletter promos, cookie notices) from bodies.

The patterns are data: ``wirewatch/data/boilerplate.toml`` (its header documents the
format) plus any files the user adds, checked as ``wirewatch.config.rules.BoilerplateFile``.
This module only loads and applies them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Literal

from wirewatch.config.rules import BoilerplateFile, Place
from wirewatch.config.toml import check_file, parse_toml, read_toml
from wirewatch.errors import ConfigError

Where = Place
DEFAULT_WITHIN = 4
_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


@dataclass(frozen=True, slots=True)
class BoilerplateRule:
    """One pattern of chrome. ``within`` is how many paragraphs from the start (``head``)
    or end (``tail``) it looks at; ``origin`` is the file it came from."""

    name: str
    pattern: str
    where: Where = "anywhere"
    within: int = DEFAULT_WITHIN
    drop_rest: bool = False
    origin: str = ""


@dataclass(frozen=True, slots=True)
class _Group:
    """Rules that apply at the same places, compiled into one alternation."""

    where: Where
    within: int
    drop_rest: bool
    regex: re.Pattern[str]

    def applies(self, index: int, count: int) -> bool:
        if self.where == "head":
            return index < self.within
        if self.where == "tail":
            return index >= count - self.within
        return True


@dataclass(frozen=True)
class BoilerplateRules:
    """A set of rules, compiled once; ``strip`` applies them to a body's paragraphs."""

    rules: tuple[BoilerplateRule, ...] = ()
    _groups: tuple[_Group, ...] = field(init=False, repr=False, compare=False)
    #: Every rule in one regex, when they combine: most paragraphs match no rule, and
    #: one failed match says so without choosing the groups that apply where they stand.
    _any_rule: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        groups, any_rule = _compile(self.rules)
        object.__setattr__(self, "_groups", groups)
        object.__setattr__(self, "_any_rule", any_rule)

    @classmethod
    def load(cls, extra: Iterable[str | os.PathLike[str]] = ()) -> BoilerplateRules:
        """The packaged rules plus those of each ``extra`` file, in that order.

        Raises ConfigError naming the file, the rule and the reason for a file that
        cannot be read or parsed, a bad field or a pattern that does not compile.
        """
        packaged = files("wirewatch") / "data" / "boilerplate.toml"
        rules = list(parse_rules(packaged.read_text(encoding="utf-8"), origin="wirewatch/data/boilerplate.toml"))
        for path in extra:
            origin = os.fspath(path)
            rules.extend(_rules(check_file(BoilerplateFile, read_toml(origin), origin), origin))
        return cls(tuple(rules))

    def strip(self, paragraphs: Sequence[str]) -> list[str]:
        """The paragraphs, stripped of surrounding whitespace, less empty ones and chrome.

        A paragraph of several lines that does not match as a whole loses the lines that
        match. A ``drop_rest`` rule's match drops everything from there on.
        """
        kept: list[str] = []
        count = len(paragraphs)
        for index, paragraph in enumerate(paragraphs):
            text = paragraph.strip()
            if not text:
                continue
            if self._any_rule is not None and "\n" not in text and not self._any_rule.fullmatch(text):
                kept.append(text)
                continue
            groups = [group for group in self._groups if group.applies(index, count)]
            verdict = _match(groups, text)
            if verdict == "rest":
                return kept
            if verdict == "drop":
                continue
            if "\n" in text:
                lines: list[str] = []
                for line in text.split("\n"):
                    verdict = _match(groups, line.strip())
                    if verdict == "rest":
                        if lines:
                            kept.append("\n".join(lines).strip())
                        return kept
                    if verdict is None:
                        lines.append(line)
                text = "\n".join(lines).strip()
                if not text:
                    continue
            kept.append(text)
        return kept


def _match(groups: list[_Group], text: str) -> Literal["rest", "drop"] | None:
    matched: Literal["drop"] | None = None
    for group in groups:
        if group.regex.fullmatch(text):
            if group.drop_rest:
                return "rest"
            matched = "drop"
    return matched


def _compile(rules: tuple[BoilerplateRule, ...]) -> tuple[tuple[_Group, ...], re.Pattern[str] | None]:
    """One regex per (where, within, drop_rest): one search per paragraph, not one per rule;
    and one regex of every rule, None when a rule keeps a regex to itself or there are none.

    A pattern with groups of its own (back references would shift) or inline flags
    (legal only at the start) keeps a regex to itself.
    """
    shared: dict[tuple[Where, int, bool], list[str]] = {}
    alone: list[_Group] = []
    for rule in rules:
        try:
            compiled = re.compile(rule.pattern, re.IGNORECASE)
        except re.error as exc:
            raise ConfigError(f"boilerplate rules {rule.origin}: rule {rule.name!r}: bad pattern: {exc}") from exc
        key = (rule.where, rule.within, rule.drop_rest)
        if compiled.groups or _GLOBAL_FLAGS.match(rule.pattern):
            alone.append(_Group(*key, compiled))
        else:
            shared.setdefault(key, []).append(rule.pattern)
    groups = [
        _Group(*key, re.compile("|".join(f"(?:{pattern})" for pattern in patterns), re.IGNORECASE))
        for key, patterns in shared.items()
    ]
    every = [pattern for patterns in shared.values() for pattern in patterns]
    any_rule = re.compile("|".join(f"(?:{p})" for p in every), re.IGNORECASE) if every and not alone else None
    return tuple(groups + alone), any_rule


def parse_rules(text: str, origin: str) -> list[BoilerplateRule]:
    """The rules of one TOML rules file (format: the header of the packaged file)."""
    return _rules(check_file(BoilerplateFile, parse_toml(text, origin), origin), origin)


def _rules(data: BoilerplateFile, origin: str) -> list[BoilerplateRule]:
    within = {"head": data.head or DEFAULT_WITHIN, "tail": data.tail or DEFAULT_WITHIN}
    return [
        BoilerplateRule(
            name=rule.name,
            pattern=rule.pattern,
            where=rule.where,
            within=within.get(rule.where, DEFAULT_WITHIN),
            drop_rest=rule.drop_rest,
            origin=origin,
        )
        for rule in data.rule
    ]
