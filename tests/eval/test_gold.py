"""The gold sets are what the guide says: well-formed, reproducible from the corpus, and
resolvable to the stories they annotate (skipped without the shared corpus)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from tests.eval.gold import load_gold
from tests.eval.selection import selection

HERE = Path(__file__).parent
TYPES = {"country", "person", "organization"}
EVENTS = {"visit", "meeting", "message", "anniversary", "agreement", "praise", "denounce", "threaten"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


#: The gold files and the least number of stories each holds (the fresh set's: issue 17).
GOLD_FILES = [
    ("dev.jsonl", 41),
    ("test.jsonl", 20),
    ("fresh-dev.jsonl", 100),
    ("fresh-test.jsonl", 50),
    ("fresh2-test.jsonl", 60),
    ("fresh3-dev.jsonl", 90),
    ("fresh4-dev.jsonl", 60),
    ("fresh5-dev.jsonl", 60),
    ("fresh6-test.jsonl", 60),
    ("fresh7-dev.jsonl", 60),
]


@pytest.mark.parametrize(("name", "least"), GOLD_FILES)
def test_gold_lines_are_well_formed(corpus: Path, name: str, least: int) -> None:
    gold = load_gold(HERE / name, corpus)
    assert len(gold) >= least
    assert all(story["text"] for story in gold)  # every reference resolved, titles checked
    for story in gold:
        for entity in story["entities"]:
            assert entity["type"] in TYPES
            pattern = r"^[A-Z]{3}$" if entity["type"] == "country" else SLUG
            assert re.match(pattern, entity["id"]), entity
        for event in story["events"]:
            assert event["type"] in EVENTS
            for side in (event["actor"], event["target"]):
                assert side is None or re.match(r"^[A-Z]{3}$", side)
            assert event["actor"] != event["target"] or event["actor"] is None  # no domestic events (E2)
            day = dt.date.fromisoformat(event["date"])
            assert event["date_precision"] in ("day", "month", "year")
            assert event["date_precision"] == "day" or day.day == 1
            assert event["date_precision"] != "year" or day.month == 1


def test_the_selection_script_reproduces_the_gold_sets(corpus: Path) -> None:
    names = [name.removesuffix(".jsonl") for name, _ in GOLD_FILES]
    chosen = selection(names)
    for name in names:
        gold = [(s["ref"]["file"], s["ref"]["line"]) for s in load_gold(HERE / f"{name}.jsonl", corpus)]
        drawn = [(s["ref"]["file"], s["ref"]["line"]) for s in chosen if s["set"] == name]
        assert gold == drawn
