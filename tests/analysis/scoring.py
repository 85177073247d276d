"""Scoring events against the gold set (docs/annotation-guide.md, "Scoring advice").

Per story, events match on ``(type, actor country, target country)`` as a multiset; for
``meeting``, ``agreement`` and ``anniversary`` the two sides are compared as an unordered
pair (the guide fixes their order only to keep the gold deterministic). Dates are scored on
the matched events: the same ``date`` and ``date_precision``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

UNORDERED = frozenset({"meeting", "agreement", "anniversary"})


@dataclass(frozen=True, slots=True)
class SetScore:
    """Precision, recall and F1 of predicted sets against gold sets."""

    true_positives: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class EventScore(SetScore):
    """Events matched as the guide says, and how many of the matched have the right date."""

    dates_right: int = 0

    @property
    def date_accuracy(self) -> float:
        return self.dates_right / self.true_positives if self.true_positives else 1.0


def event_key(kind: str, actor: str | None, target: str | None) -> tuple[str, Any, Any]:
    if kind in UNORDERED:
        a, b = sorted((actor or "", target or ""))
        return kind, a or None, b or None
    return kind, actor, target


def _story(predicted: Iterable[Mapping[str, Any]], gold: Iterable[Mapping[str, Any]]) -> tuple[int, int]:
    """(matched events, of which with the right date) for one story."""
    pred = [dict(e) for e in predicted]
    wanted = [dict(e) for e in gold]
    tp = dates = 0
    left = list(wanted)
    # exact dates first, so a matched pair also agrees on the date where it can
    for exact in (True, False):
        for event in list(pred):
            key = event_key(event["type"], event["actor"], event["target"])
            for candidate in left:
                if event_key(candidate["type"], candidate["actor"], candidate["target"]) != key:
                    continue
                same = (
                    str(candidate["date"]) == str(event["date"])
                    and candidate["date_precision"] == event["date_precision"]
                )
                if exact and not same:
                    continue
                tp += 1
                dates += same
                left.remove(candidate)
                pred.remove(event)
                break
    return tp, dates


def score_events(
    predicted: Iterable[Iterable[Mapping[str, Any]]],
    gold: Iterable[Iterable[Mapping[str, Any]]],
) -> EventScore:
    """P/R/F1 and date accuracy over stories: ``predicted`` and ``gold`` give, per story in the
    same order, events as dicts with ``type``, ``actor``, ``target`` (alpha-3 or None),
    ``date`` and ``date_precision``."""
    tp = n_pred = n_gold = dates = 0
    for story_pred, story_gold in zip(predicted, gold, strict=True):
        story_pred, story_gold = list(story_pred), list(story_gold)
        matched, dated = _story(story_pred, story_gold)
        tp, dates = tp + matched, dates + dated
        n_pred, n_gold = n_pred + len(story_pred), n_gold + len(story_gold)
    return EventScore(tp, n_pred, n_gold, dates)


def score_entities(
    predicted: Iterable[Iterable[tuple[str, str]]], gold: Iterable[Iterable[tuple[str, str]]]
) -> dict[str, SetScore]:
    """Per entity type, P/R/F1 over stories of the sets of ``(type, id)`` pairs found
    (presence, not counts: the guide's G1)."""
    counts: dict[str, list[int]] = {t: [0, 0, 0] for t in ("country", "person", "organization")}
    for story_pred, story_gold in zip(predicted, gold, strict=True):
        found, wanted = set(story_pred), set(story_gold)
        for kind, tally in counts.items():
            f = {e for e in found if e[0] == kind}
            w = {e for e in wanted if e[0] == kind}
            tally[0] += len(f & w)
            tally[1] += len(f)
            tally[2] += len(w)
    return {kind: SetScore(*tally) for kind, tally in counts.items()}
