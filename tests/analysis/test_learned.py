"""The statistical event layer (``analysis.features``, ``analysis.learned``): the shipped
model, what it adds to and drops from the rules' events, and the reference article kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from importlib.resources import files

import pytest

from tests.analysis.scoring import event_key
from tests.analysis.test_events import ON, REFERENCE, mentions, reference_text
from wirewatch.analysis.events import EventModel, EventRules, find_events, read_story
from wirewatch.analysis.features import story_candidates
from wirewatch.analysis.learned import revise
from wirewatch.models import Event

TYPES = ("visit", "meeting", "message", "anniversary", "agreement", "praise", "denounce", "threaten")
# A foreign party's praise of the leader in words no trigger holds.
PRAISE = (
    "Syrian Party Leader on Kim Jong Il\n\n"
    "The Syrian party leader in his article wrote that the policy of Kim Jong Il "
    "ensures the independence of the country."
)


def pairs(events: Iterable[Event]) -> set[tuple[str, str | None, str | None]]:
    return {(e.type, e.actor.country, e.target.country) for e in events}


def test_shipped_model_loads_small_with_a_weight_per_type() -> None:
    model = EventModel.load()
    assert model.types == TYPES
    assert len(files("wirewatch").joinpath("data/event_model.json").read_bytes()) < 1_000_000
    assert {"bias", "a:subj"} <= set(model.weights)
    assert set(model.add) | set(model.veto) <= set(TYPES)


def test_candidates_are_ordered_pairs_with_the_voice_and_home() -> None:
    rules = EventRules.load()
    story = read_story(PRAISE, mentions(PRAISE), ON, rules)
    body = story_candidates(story, rules.home)[-1]
    assert {c.key for c in body.candidates} == {("SYR", "PRK"), ("PRK", "SYR")}
    praise = next(c for c in body.candidates if c.key == ("SYR", "PRK"))
    assert {"bias", "a:spk", "a:country", "t:person", "c:fh", "o:at"} <= set(praise.features)
    assert {"w:policy", "w:wrote"} <= set(body.features)


def test_the_rules_miss_the_praise_the_model_adds() -> None:
    assert ("praise", "SYR", "PRK") not in pairs(find_events(PRAISE, mentions(PRAISE), ON))
    got = find_events(PRAISE, mentions(PRAISE), ON, model=EventModel.load())
    assert ("praise", "SYR", "PRK") in pairs(got)
    assert all(e.date == ON and not e.date_from_text for e in got)


def test_a_vetoed_event_is_dropped_and_an_added_one_not_doubled() -> None:
    text = "Minjok Thongsin Denounces Japan\n\nMinjok Thongsin denounced Japan for its moves."
    rules = EventRules.load()
    story = read_story(text, mentions(text), ON, rules)
    assert pairs(story.events) == {("denounce", "USA", "JPN")}
    # a model that finds every denunciation certain, and none where the rules found one
    weights = {"bias": tuple(9.0 if t == "denounce" else -9.0 for t in TYPES), "r:denounce": (0.0,) * 6 + (-20.0, 0.0)}
    model = EventModel(TYPES, weights, {"denounce": 0.5}, {"denounce": 0.05})
    got = revise(story, model, rules, ON)
    assert ("denounce", "USA", "JPN") not in pairs(got)  # vetoed, and not added back
    assert ("denounce", "JPN", "USA") in pairs(got)
    assert len([e for e in got if e.type == "denounce" and e.actor.country == "JPN" and e.target.country == "USA"]) == 1


def test_a_model_file_with_a_short_weight_row_is_refused() -> None:
    with pytest.raises(ValueError):
        EventModel.from_json('{"types": ["praise", "visit"], "weights": {"bias": [0.1]}}')


@pytest.mark.corpus
@pytest.mark.skipif(not REFERENCE.exists(), reason="needs ../shared/corpus")
def test_the_model_keeps_the_reference_articles_events() -> None:
    text = reference_text()
    rules_only = find_events(text, mentions(text), ON)
    with_model = find_events(text, mentions(text), ON, model=EventModel.load())
    keys = {(*event_key(e.type, e.actor.country, e.target.country), e.date, e.date_precision) for e in with_model}
    for e in rules_only:
        assert (*event_key(e.type, e.actor.country, e.target.country), e.date, e.date_precision) in keys, e
    assert dt.date(2018, 10, 12) in {e.date for e in with_model}
