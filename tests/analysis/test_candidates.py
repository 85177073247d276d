"""The candidate step of the comparison (analysis/candidates.py): signatures that find copies and
formula siblings, band keys, common shingles left out, anchors that survive a translation."""

from __future__ import annotations

from tests.cli.test_compare import EN, ES, GREETING, REPRINT, SIBLING
from wirewatch.analysis.candidates import (
    BANDS,
    MIN_PASSAGE,
    NUM_PERM,
    anchors,
    band_keys,
    common_shingles,
    passage_marks,
    read_signature,
    signature,
    summarise,
    text_shingles,
)
from wirewatch.models import EntityCount

UNRELATED = (
    "The Korean Central News Agency reported on Tuesday that the spring sowing was under way on the farms "
    "of South Hwanghae Province, where farmers used new machines and better seeds to raise the yield of rice "
    "and maize this year, as the plan for the agricultural sector demands."
)


def _shared_bands(a: str, b: str) -> int:
    keys_a = set(band_keys(signature(text_shingles(a))))
    return len(keys_a & set(band_keys(signature(text_shingles(b)))))


def test_a_signature_is_stable_and_sized() -> None:
    first = signature(text_shingles(GREETING))
    assert first == signature(text_shingles(GREETING))  # the same in any process: seeded, no hash() of str
    assert len(read_signature(first)) == NUM_PERM
    keys = band_keys(first)
    assert len(keys) == BANDS and len(set(keys)) == BANDS  # each key carries its band's number


def test_copies_and_siblings_share_bands_and_other_stories_do_not() -> None:
    assert _shared_bands(GREETING, GREETING) == BANDS
    assert _shared_bands(GREETING, REPRINT) > 0
    assert _shared_bands(GREETING, SIBLING) > 0  # a formula sibling is a candidate (then kept apart)
    assert _shared_bands(GREETING, UNRELATED) == 0
    assert _shared_bands(EN, ES) == 0  # no shared words across languages: anchors find those


def test_shingles_are_word_five_grams() -> None:
    assert text_shingles("One two three four five six") == {"one two three four five", "two three four five six"}
    assert text_shingles("Too short") == {"too short"}
    assert text_shingles("") == set()


def test_common_shingles_need_a_share_and_a_floor() -> None:
    formula = text_shingles("sent a message of greetings to")
    sets = [formula | {f"story {n} own words here"} for n in range(100)] + [{"x y z w v"}] * 3
    found = common_shingles(sets)
    assert formula <= found and "x y z w v" not in found  # 3 of 103 is under the floor of 5
    assert common_shingles([formula] * 3) == set()


def test_the_formula_is_left_out_of_the_signature_unless_it_is_all_there_is() -> None:
    common = text_shingles(GREETING) - text_shingles(SIBLING)  # what only this greeting says, as if common
    kept = summarise(GREETING, (), frozenset(common))
    assert kept.signature == signature(text_shingles(GREETING) - common)
    only_formula = summarise(GREETING, (), frozenset(text_shingles(GREETING)))
    assert only_formula.signature == signature(text_shingles(GREETING))


def test_anchors_survive_a_translation() -> None:
    people = (
        EntityCount("person", "pak-ui-chun", "Pak Ui Chun", "PRK", 2, False),
        EntityCount("country", "PRK", "DPRK", None, 3, False),
    )
    english, spanish = anchors(EN, people), anchors(ES, people)
    shared = english & spanish
    assert {"@pak-ui-chun", "valerie", "amos", "#2011", "#16"} <= shared
    assert "@PRK" not in english  # the DPRK is in every story
    assert summarise(ES, people, frozenset()).language == "es"
    assert summarise(EN, people, frozenset()).language == "en"


def test_a_quoted_passage_shares_marks_whatever_the_lengths() -> None:
    passage = " ".join(UNRELATED.split()[:45])
    long_report = " ".join([EN, GREETING, passage, SIBLING, EN.replace("Pak", "Ri")])
    shared = passage_marks(text_shingles(long_report)) & passage_marks(text_shingles(passage + " " + ES))
    assert len(shared) >= MIN_PASSAGE
    assert not passage_marks(text_shingles(GREETING)) & passage_marks(text_shingles(UNRELATED))
    assert passage_marks({"a b c d e"}) == passage_marks({"a b c d e"})  # stable: CRC-32, not hash()
