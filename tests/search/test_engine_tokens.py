"""The tantivy index cuts ASCII text itself: its tokens must be exactly those the other
engines and every query use (``tokens.index_tokens``), or a search would miss articles."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.eval.gold import iter_corpus
from wirewatch.search.documents import MAX_TOKEN, analyzer, field_text
from wirewatch.search.tantivy_query import CUT, index_form
from wirewatch.search.tokens import index_tokens, query_tokens

ANALYZER = analyzer()


def expected(text: str) -> list[str]:
    """``index_tokens``, with the rare token that folds to punctuation cut there."""
    return [p.lower() for t in index_tokens(text) for p in CUT.findall(t) if len(p.encode()) < MAX_TOKEN]


@pytest.mark.parametrize(
    "text",
    [
        'Kim Jong Il\'s visit to Russia, 2011-08-20: "friendship" (KCNA)',
        "Pyongyang, January 1 (KCNA) -- U.S.-S.Korea drills_slammed",
        "Corea del Norte: Kim Jong Un recibió al embajador de la Federación de Rusia",
        "김정은동지께서 조선로동당 중앙위원회를 방문하시였다",
        "Straße Ørsted café ﬁnal ＫＣＮＡ",
        "x" * 300 + " short",
        "",
    ],
)
def test_the_index_holds_the_tokens_every_engine_uses(text: str) -> None:
    assert ANALYZER.analyze(field_text(text)) == expected(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cn")), max_size=80))
def test_any_text_is_cut_the_same_way(text: str) -> None:
    assert ANALYZER.analyze(field_text(text)) == expected(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cn")), min_size=1, max_size=12))
def test_a_word_typed_is_looked_up_as_the_index_holds_it(word: str) -> None:
    """Whatever a reader types, its tokens are those an article holding it was indexed with."""
    typed = [t for t in index_form(query_tokens(word)) if len(t.encode()) < MAX_TOKEN]
    if not word.isascii() and any("\uac00" <= c <= "\ud7af" for c in word):
        return  # Korean also has its second stream (search.korean), checked in test_spelling
    assert typed == ANALYZER.analyze(field_text(word))


def test_the_corpus_is_cut_the_same_way(corpus: Path) -> None:
    texts = 0
    for number, record in iter_corpus("kcna-2011-2012.jsonl.gz", corpus):
        for text in (record.get("title") or "", record.get("body") or ""):
            assert ANALYZER.analyze(field_text(text)) == expected(text), (number, text[:80])
            texts += 1
        if number >= 3000:
            break
    for path in sorted((corpus / "nk-new-year-addresses-ko").glob("*.txt"))[:10]:
        text = path.read_text(encoding="utf-8")
        assert ANALYZER.analyze(field_text(text)) == expected(text), path.name
    assert texts >= 6000
