"""``compare_texts`` as the archive calls it for every candidate pair (languages given,
``evidence=False``) decides as the ``/compare`` page does, without the work it does not need:
no language detection, no diff across languages, no diff of texts too far apart to relate.
The diff it relies on rebuilds both texts exactly, long texts included."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wirewatch.analysis.compare as compare
from tests.cli.test_compare import GREETING, REPRINT, SIBLING
from wirewatch.analysis.compare import ComparedText, compare_texts
from wirewatch.analysis.slots import numbers
from wirewatch.clean.diff import sentence_diff, word_diff
from wirewatch.models import EntityCount

REPORT = (
    "The Rodong Sinmun on Tuesday carried an article on the greetings of the week. It said: " + GREETING.split("\n")[0]
)
OTHER = (
    "A national meeting of activists in the field of fruit farming took place in Pyongyang on Wednesday. "
    "Reports and speeches made at the meeting reviewed the successes of the last year and set new tasks."
)
EN = (
    "The dear respected Kim Jong Un received a message of greeting from Thomas Boni Yayi, president of "
    "Benin, on April 12. The message said he was very pleased to extend warm congratulations on the "
    "occasion of April 15, 2012, the centenary of the birth of President Kim Il Sung."
)
ES = (
    "El Maximo Dirigente Kim Jong Un recibio un mensaje de felicitacion que le enviara el dia 12 el "
    "presidente de la Republica de Guinea Ecuatorial, Obiang Nguema Mbasogo. El remitente senala que el "
    "15 de abril de 2012, dia del centenario del natalicio del Presidente Kim Il Sung, es una fiesta."
)
ES_OF_EN = (
    "El Maximo Dirigente Kim Jong Un recibio un mensaje de felicitacion que le enviara el dia 12 el "
    "presidente de Benin, Thomas Boni Yayi. El mensaje expresa su placer de extender calurosas "
    "felicitaciones con motivo del 15 de abril de 2012, centenario del natalicio del Presidente Kim Il Sung."
)


def _entity(kind: str, ident: str, name: str) -> EntityCount:
    return EntityCount(kind, ident, name, None, 1)  # type: ignore[arg-type]


def _text(body: str, *entities: EntityCount) -> ComparedText:
    return ComparedText("", body, None, None, "KCNA", tuple(entities))


PAIRS = [
    (GREETING, GREETING.replace("\n\n", "\n")),
    (GREETING, SIBLING),
    (GREETING, REPRINT),
    (REPORT, GREETING),
    (GREETING, OTHER),
    (EN, ES_OF_EN),
    (EN, ES),
]


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_linking_decides_as_the_page_does(a: str, b: str) -> None:
    shown = compare_texts(_text(a), _text(b))
    linked = compare_texts(_text(a), _text(b), languages=shown.languages, evidence=False)
    assert (linked.relation, linked.score, linked.rule, linked.slots) == (
        shown.relation,
        shown.score,
        shown.rule,
        shown.slots,
    )
    assert shown.pieces  # the page always gets the diff, related or not


def test_given_languages_are_not_detected(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str) -> str:
        raise AssertionError("language detected although given")

    monkeypatch.setattr(compare, "detect_language", refuse)
    found = compare_texts(_text(GREETING), _text(SIBLING), languages=("en", "en"), evidence=False)
    assert (found.relation, found.languages) == ("template", ("en", "en"))
    assert found.slots  # a link keeps a template's slots


def test_no_diff_where_none_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(old: str, new: str) -> list[object]:
        raise AssertionError("diffed although nothing it finds decides")

    monkeypatch.setattr(compare, "sentence_diff", refuse)
    duplicate = compare_texts(_text(GREETING), _text(GREETING + " "), languages=("en", "en"), evidence=False)
    translation = compare_texts(_text(EN), _text(ES_OF_EN), languages=("en", "es"), evidence=False)
    unrelated = compare_texts(_text(GREETING), _text(OTHER), languages=("en", "en"), evidence=False)
    assert (duplicate.relation, translation.relation, unrelated.relation) == ("duplicate", "translation", "unrelated")
    assert translation.pieces == translation.changes == unrelated.pieces == ()


def test_a_translation_keeps_its_slots_and_a_sibling_in_another_language_does_not() -> None:
    benin = (_entity("country", "BEN", "Benin"), _entity("person", "boni-yayi", "Thomas Boni Yayi"))
    guinea = (_entity("country", "GNQ", "Equatorial Guinea"),)
    english = _text(EN, *benin)
    assert compare_texts(english, _text(ES_OF_EN, benin[0]), languages=("en", "es")).relation == "translation"
    # Each names a country the other does not (C8): the same formula for another president.
    assert compare_texts(english, _text(ES, *guinea), languages=("en", "es")).relation == "unrelated"


def test_numbers_are_read_as_one_spelling() -> None:
    assert numbers("1,000 tons, 1.000 toneladas, 2.6 and 2,6 per cent, 12,345.5") == [
        "1000",
        "1000",
        "2.6",
        "2.6",
        "12345.5",
    ]


WORDS = st.sampled_from("the of Kim Jong Il met visited Benin Cyprus on Monday Friday greetings , .".split())


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, max_size=120), st.lists(WORDS, max_size=120), st.lists(WORDS, max_size=60))
def test_texts_put_aside_before_the_diff_are_unrelated_after_it(
    left: list[str], right: list[str], shared: list[str]
) -> None:
    """The bound of ``_beyond_reach`` holds: whatever it puts aside, the diff finds unrelated."""
    a, b = " ".join(left + shared), " ".join(shared + right)
    words_a, words_b = compare.words(a), compare.words(b)
    counts_a, counts_b = compare.shingle_counts(words_a), compare.shingle_counts(words_b)
    shared_count = sum(min(counts_a[s], counts_b[s]) for s in counts_a.keys() & counts_b.keys())
    if compare._beyond_reach(shared_count, min(len(words_a), len(words_b))):
        pieces = sentence_diff(a, b)
        assert not compare.shared_spans(pieces)
        assert compare._frame_share(compare._stretches(pieces), min(len(words_a), len(words_b))) < compare.FRAME_SHARE


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="ab c.,\n\u00e9", max_size=300),
    st.text(alphabet="ab c.,\n\u00e9", max_size=300),
    st.sampled_from([2, 5, 1000]),
)
def test_the_diff_rebuilds_both_texts(old: str, new: str, limit: int) -> None:
    """Through difflib at once or cut at anchors first (a small ``limit`` forces the cut)."""
    for pieces in (word_diff(old, new, limit=limit), sentence_diff(old, new, limit=limit)):
        assert "".join(p.text for p in pieces if p.op != "insert") == old
        assert "".join(p.text for p in pieces if p.op != "delete") == new
        assert all(x.op != y.op for x, y in itertools.pairwise(pieces))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from("the of Kim Jong Il Korea , . said and DPRK".split()), max_size=250),
    st.lists(st.sampled_from("the of Kim Jong Un Korea , . said and Russia".split()), max_size=250),
)
def test_the_alignment_is_difflibs(a: list[str], b: list[str]) -> None:
    """The diffs, and so every relation the comparison decides, are difflib's: cydifflib (its
    algorithm in C++) gives the same opcodes and ratios, junk heuristic included."""
    import difflib

    import cydifflib

    assert (
        cydifflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        == difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    )
    left, right = " ".join(a), " ".join(b)
    assert cydifflib.SequenceMatcher(None, left, right).ratio() == difflib.SequenceMatcher(None, left, right).ratio()
    assert cydifflib.SequenceMatcher(None, left, right).get_opcodes() == (
        difflib.SequenceMatcher(None, left, right).get_opcodes()
    )


def test_a_long_text_is_aligned_at_its_passages() -> None:
    """A quoted passage inside a text far longer than the diff's limit is still found."""
    filler = " ".join(f"Sentence {n} of the long report says something else." for n in range(400))
    long = filler + " " + GREETING + " " + filler.replace("else", "new")
    pieces = sentence_diff(GREETING.split("\n")[0], long, limit=50)
    assert max(len(p.text.split()) for p in pieces if p.op == "equal") >= 30
