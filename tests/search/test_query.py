"""The query language: what parses to what, and what a bad query is told."""

from __future__ import annotations

import re

import pytest

from wirewatch.errors import QueryError
from wirewatch.search.fts5 import to_fts5
from wirewatch.search.query import (
    MAX_QUERY_CHARS,
    MAX_QUERY_DEPTH,
    MAX_QUERY_TERMS,
    And,
    Or,
    Term,
    parse_query,
    positive_terms,
)


def test_words_are_anded_and_lowercased() -> None:
    tree = parse_query("Lavrov Pyongyang")
    assert isinstance(tree, And)
    assert [t.tokens for t in tree.include] == [("lavrov",), ("pyongyang",)]


def test_or_phrase_prefix_not_and_groups() -> None:
    tree = parse_query('(Lavrov OR "Federation Council") nucle* -test')
    assert isinstance(tree, And)
    group, prefix = tree.include
    assert isinstance(group, Or)
    assert group.options[1] == Term(("Federation", "Council"), ("federation", "council"), phrase=True)
    assert prefix == Term(("nucle",), ("nucle",), prefix=True)
    assert tree.exclude == (Term(("test",), ("test",)),)
    assert to_fts5(tree) == '((("lavrov" OR "federation council") AND "nucle" *) NOT "test")'


def test_lowercase_operators_are_words() -> None:
    tree = parse_query("war and peace")
    assert isinstance(tree, And) and len(tree.include) == 3


def test_hyphenated_word_is_a_phrase_of_its_parts() -> None:
    assert parse_query("DPRK-Russia") == Term(("DPRK-Russia",), ("dprk", "russia"))


def test_field_filter() -> None:
    assert to_fts5(parse_query('title:"Kim Jong Un"')) == 'title : "kim jong un"'


def test_korean_becomes_bigrams() -> None:
    term = parse_query("김정은")
    assert isinstance(term, Term) and term.tokens == ("김정", "정은")


def test_empty_query_is_none() -> None:
    assert parse_query("   ") is None


def test_highlight_terms_leave_out_excluded_ones() -> None:
    assert [t.words for t in positive_terms(parse_query("a OR b NOT c"))] == [("a",), ("b",)]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"Federation Council', "unclosed quote"),
        ("(Lavrov OR Putin", "unclosed parenthesis"),
        ("NOT Lavrov", "cannot only exclude"),
        ("Lavrov OR", "expected a word or phrase"),
        ("Lavrov )", "unexpected ')'"),
        ("***", "no letters or digits"),
        ("title:", "expected a word or phrase after 'title:'"),
    ],
)
def test_bad_queries_say_what_is_wrong(query: str, message: str) -> None:
    with pytest.raises(QueryError, match=re.escape(message)):
        parse_query(query)


def test_a_query_at_its_bounds_parses() -> None:
    """The bounds (MAX_QUERY_CHARS, MAX_QUERY_TERMS, MAX_QUERY_DEPTH) are inclusive."""
    terms = " OR ".join(f"w{i}" for i in range(MAX_QUERY_TERMS))
    assert isinstance(parse_query(terms), Or)
    phrase = '"' + ("Lavrov " * 200)[: MAX_QUERY_CHARS - 2] + '"'  # a phrase is one term, whatever its words
    assert len(phrase) == MAX_QUERY_CHARS and isinstance(parse_query(phrase), Term)
    nested = "(" * MAX_QUERY_DEPTH + "Lavrov" + ")" * MAX_QUERY_DEPTH
    assert parse_query(nested) == Term(("Lavrov",), ("lavrov",))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("Lavrov " * 8500, "the query is 59,500 characters long: a query may hold at most 1,000"),
        ("x " * (MAX_QUERY_TERMS + 1), "a query may hold at most 64 words, phrases and filters (the 65th is at"),
        (
            " ".join(['"a b"', "title:c", "country:RUS", *(f"w{i}" for i in range(MAX_QUERY_TERMS - 2))]),
            "at most 64 words, phrases and filters",
        ),
        ("(" * 21 + "Lavrov" + ")" * 21, "parentheses nested more than 20 deep at position 21"),
        ("(" * 400 + "Lavrov" + ")" * 400, "parentheses nested more than 20 deep"),
        ("-(" * 300 + "Lavrov" + ")" * 300, "parentheses nested more than 20 deep"),
    ],
)
def test_a_query_past_its_bounds_says_which(query: str, message: str) -> None:
    with pytest.raises(QueryError, match=re.escape(message)):
        parse_query(query)
