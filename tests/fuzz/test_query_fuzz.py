"""The search query language, fed generated queries, keeps its contract (issue 18): a
query is parsed, or refused with a ``QueryError``; never another exception, and in
bounded time, in the parser and in the archive's search on each back end.

The queries are made of the language's own pieces (words, "phrases", prefix*, AND / OR /
NOT / -, parentheses, ``title:`` and the filters ``person:``, ``country:``, ``org:``,
``event:``) mixed with what a careless or hostile user types: stray quotes and colons,
Korean and other scripts, control and format characters, lone surrogates (what a shell
passes for bytes that are not UTF-8), very long and very deeply nested input.
Derandomized and bounded (``EXAMPLES``), so that CI is reproducible and quick.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Invoke, write_jsonl
from tests.search.test_search import ARTICLES
from wirewatch.errors import QueryError
from wirewatch.search.base import SearchRequest
from wirewatch.search.query import MAX_QUERY_CHARS, parse_query, positive_terms, split_filters, without_filters
from wirewatch.store import SQLStore, open_store

pytestmark = pytest.mark.fuzz

#: Examples for the parser (microseconds each) and for each back end's search (milliseconds).
PARSER_EXAMPLES = 3000
SEARCH_EXAMPLES = 1000
#: A generous bound on one query: a backtracking regex or a runaway loop shows here.
SECONDS = 5.0


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    )


# -- the queries -------------------------------------------------------------------------

#: Letters an archive holds: Latin with accents, Cyrillic, Korean (syllables and jamo), CJK.
_LETTERS = st.characters(
    codec="utf-8",
    categories=("Lu", "Ll", "Lo", "Nd", "Mn"),
) | st.sampled_from(list("가각김정은조선로동당평양ㄱㅏ한국語ёЛавровéüßİı"))
_WORD = st.text(_LETTERS, min_size=1, max_size=12)
#: What a careless user or a hostile one slips in: controls, separators, BOM, surrogates.
_NASTY = st.sampled_from(
    ["\x00", "\x0e", "\x1f", "\x7f", "\x85", "\r\n", "\t", "\u2028", "\u200b", "\ufeff", "\ufffe", "\udcff", "\ud800"]
)
_PUNCTUATION = st.sampled_from([*"\"'()*:-+^~.,;!?/\\&|<>[]{}%_=#@`", '""', '"*"', "**", "::", "-(", "()"])
_OPERATOR = st.sampled_from(["AND", "OR", "NOT", "-", "and", "or", "not", "NEAR", "AND NOT", "OR -"])
_FILTER_VALUE = st.sampled_from(
    ["RUS", "PRK", "USA", "Atlantis", '"Kim Jong Un"', "Lavrov", "WPK", "visit", "denounce", '""', '"', "*", "", ":"]
)
_FILTER = st.tuples(
    st.sampled_from(["person:", "country:", "org:", "organization:", "event:", "-country:", "NOT person:"]),
    st.one_of(_FILTER_VALUE, _WORD),
).map("".join)
_FIELD = st.tuples(st.sampled_from(["title:", "body:", "TITLE:", "title::"]), st.one_of(_WORD, st.just(""))).map(
    "".join
)
_PHRASE = st.lists(_WORD, min_size=1, max_size=4).map(lambda words: '"' + " ".join(words) + '"')
_PREFIX = _WORD.map(lambda word: word + "*")
_PIECE = st.one_of(_WORD, _WORD, _PHRASE, _PREFIX, _OPERATOR, _FILTER, _FIELD, _PUNCTUATION, _NASTY)


#: Queries the grammar accepts, mostly: words (some with a control character inside),
#: phrases, prefixes and fields, joined by AND, OR, NOT and -, grouped, with filters
#: after them (some naming no one the archive knows).
_ATOM = st.one_of(
    _WORD,
    _PHRASE,
    _PREFIX,
    st.tuples(st.sampled_from(["title:", "body:"]), st.one_of(_WORD, _PHRASE)).map("".join),
    st.tuples(_WORD, _NASTY, _WORD).map("".join),
)
_EXPRESSION = st.recursive(
    _ATOM,
    lambda inner: st.one_of(
        st.tuples(inner, inner).map(" ".join),
        st.tuples(inner, inner).map(" AND ".join),
        st.tuples(inner, inner).map(" OR ".join),
        st.tuples(inner, inner).map(" NOT ".join),
        st.tuples(inner, inner).map(lambda pair: f"{pair[0]} -{pair[1]}"),
        inner.map(lambda query: f"({query})"),
    ),
    max_leaves=12,
)
_WELL_FORMED = st.tuples(
    _EXPRESSION,
    st.lists(
        st.sampled_from(
            ["country:RUS", 'person:"Kim Jong Un"', "event:visit", "org:WPK", "-country:USA", "country:Atlantis"]
        ),
        max_size=2,
    ),
).map(lambda parts: " ".join([parts[0], *parts[1]]))


@st.composite
def _nested(draw: st.DrawFn) -> str:
    """Parentheses around a small query, from a few levels to far past the depth bound,
    sometimes unbalanced."""
    depth = draw(st.one_of(st.integers(1, 25), st.integers(1, 600), st.sampled_from([330, 400, 1000, 5000])))
    inner = " ".join(draw(st.lists(_PIECE, min_size=0, max_size=4)))
    closing = depth + draw(st.sampled_from([0, 0, 0, -1, 1]))
    return "(" * depth + inner + ")" * max(closing, 0)


@st.composite
def _long(draw: st.DrawFn) -> str:
    """Queries about the length bound, and far past it (the audit's ``"Lavrov " * 8500``)."""
    piece = draw(st.sampled_from(["Lavrov ", "a* ", '"a b" ', "x OR ", "(y) ", "김 ", "-z "]))
    length = draw(st.sampled_from([MAX_QUERY_CHARS - 1, MAX_QUERY_CHARS, MAX_QUERY_CHARS + 1, 8500 * 7]))
    return (piece * (length // len(piece) + 1))[:length]


QUERIES = st.one_of(
    _WELL_FORMED,
    _WELL_FORMED,
    st.lists(_PIECE, max_size=30).map(" ".join),
    st.lists(_PIECE, max_size=30).map("".join),
    st.text(max_size=200),
    _nested(),
    _long(),
)


# -- the parser --------------------------------------------------------------------------


def parsed_or_refused(query: str) -> None:
    """The parser's contract on one query (raises AssertionError otherwise)."""
    started = time.perf_counter()
    try:
        tree = parse_query(query)
    except QueryError as error:
        assert str(error), "a QueryError says what is wrong"
        assert error.position is None or 0 <= error.position <= len(query), (error.position, len(query))
    else:
        # What the request builder and the snippets do next with a parsed tree.
        rest, found = split_filters(tree)
        without_filters(query, found)
        positive_terms(rest)
        assert tree is not None or not query.strip()
    assert time.perf_counter() - started < SECONDS


@fuzz(PARSER_EXAMPLES)
@given(QUERIES)
def test_the_parser_gives_a_query_or_a_query_error(query: str) -> None:
    parsed_or_refused(query)


@pytest.mark.parametrize(
    "query",
    [
        "(" * 400 + "Lavrov" + ")" * 400,  # the audit's RecursionError
        "(" * 100_000,
        "Lavrov " * 8500,  # the audit's 59 KB query
        " ".join(["a*"] * 500),
        '"' * 1001,
        "NOT " * 300 + "x",
        "- " * 300,
        "title:" * 200,
        "country:" + '"' * 3,
        "person:\x00",
        "김정은 OR 조선로동당 -평양*",
        "\udcff\udcfe",
    ],
)
def test_the_parser_on_the_audits_inputs(query: str) -> None:
    parsed_or_refused(query)


# -- the archive's search ------------------------------------------------------------------


@pytest.fixture
def archive(cli: Invoke, db: str, tmp_path: Path) -> Iterator[SQLStore]:
    """A small archive (English, Spanish and Korean articles, analysed as an import
    does), on each back end in turn."""
    result = cli("import", str(write_jsonl(tmp_path / "a.jsonl", ARTICLES)), "--json")
    assert result.exit_code == 0, result.stderr
    store = open_store(db)
    try:
        yield store
    finally:
        store.close()


def searched_or_refused(store: SQLStore, query: str) -> None:
    """The search's contract on one query: hits, or a QueryError."""
    from wirewatch.present.params import search_request

    started = time.perf_counter()
    try:
        request = search_request(query=query, limit=5)
        assert isinstance(request, SearchRequest)
        found = store.search(request)
    except QueryError:
        pass
    else:
        assert found.total >= len(found.hits)
    assert time.perf_counter() - started < SECONDS


@fuzz(SEARCH_EXAMPLES)
@given(query=QUERIES)
def test_the_search_gives_hits_or_a_query_error(archive: SQLStore, query: str) -> None:
    searched_or_refused(archive, query)
