"""The comparison pair sets are what docs/compare-guide.md says: well-formed, split by the fixed
rule, and resolvable to the stories they reference (skipped without the shared corpus)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from tests.eval.pairs import LANGUAGES, RELATIONS, load_pairs, pair_key, split_of

HERE = Path(__file__).parent
FILES = {"pairs-dev.jsonl": "dev", "pairs-test.jsonl": "test"}
RULE = re.compile(r"^C\d+$")


def lines(name: str) -> list[dict]:
    return [json.loads(line) for line in (HERE / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("name", FILES)
def test_pair_lines_are_well_formed(name: str) -> None:
    pairs = lines(name)
    assert pairs
    keys = [pair_key(pair) for pair in pairs]
    assert len(keys) == len(set(keys)), "a pair is listed twice"
    for pair in pairs:
        assert set(pair) == {"a", "b", "relation", "rule", "reason", "source"}, pair
        assert pair["relation"] in RELATIONS
        assert RULE.match(pair["rule"]) and pair["reason"].strip()
        assert pair["a"]["file"] != pair["b"]["file"] or pair["a"]["line"] != pair["b"]["line"]
        for side in ("a", "b"):
            ref = pair[side]
            assert set(ref) == {"file", "line", "title", "date", "language"}, ref
            assert ref["language"] in LANGUAGES
            assert ref["line"] is None or ref["line"] >= 1
            dt.date.fromisoformat(ref["date"])
        if pair["relation"] == "translation":
            assert pair["a"]["language"] != pair["b"]["language"]
        if pair["relation"] in ("duplicate", "reprint"):
            assert pair["a"]["language"] == pair["b"]["language"]


def test_the_held_out_file_is_split_by_the_fixed_rule() -> None:
    for name, split in FILES.items():
        assert all(split_of(pair) == split for pair in lines(name)), name
    dev = {pair_key(p) for p in lines("pairs-dev.jsonl")}
    assert not dev & {pair_key(p) for p in lines("pairs-test.jsonl")}


def test_the_development_set_is_as_large_as_the_guide_says() -> None:
    relations = [pair["relation"] for pair in lines("pairs-dev.jsonl")]
    positives = sum(r in ("duplicate", "reprint", "translation", "quotes") for r in relations)
    negatives = sum(r in ("template", "unrelated") for r in relations)
    assert relations.count("translation") >= 40
    assert relations.count("duplicate") + relations.count("reprint") >= 30
    assert relations.count("quotes") >= 10
    assert negatives >= max(120, positives)


@pytest.mark.parametrize("name", FILES)
def test_every_reference_still_points_at_its_story(corpus: Path, name: str) -> None:
    pairs = load_pairs(HERE / name, corpus)  # raises GoldMismatch when a title or date moved
    for pair in pairs:
        assert pair["a"]["text"] and pair["b"]["text"], pair_key(pair)
        if pair["relation"] == "duplicate":
            assert " ".join(pair["a"]["text"].split()) == " ".join(pair["b"]["text"].split())
