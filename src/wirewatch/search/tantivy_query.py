"""The query language (``query.py``) and a request's filters as a tantivy query.

Each word or phrase is looked up in the title and the body, the title's match boosted
``TITLE_BOOST`` times, as FTS5's bm25 weights the title column (5 to 1): tantivy scores
each field with BM25 and adds them. A prefix (``Russia*``) becomes the words of the index
that start with it, each scored as a word (as FTS5 does); past ``MAX_EXPANSION`` words, a
match of any of them, unscored. Tokens are folded as the index holds them
(``tokens.fold``); Korean, Chinese and Japanese words are phrases of bigrams, as on the
other back ends, so the same query finds the same articles on each.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import tantivy

from wirewatch.search.query import Filter, Node, Or, Term
from wirewatch.search.tokens import fold, is_cjk

#: How much more a match in the title weighs than one in the body.
TITLE_BOOST = 5.0
FIELDS = ("title", "body")
#: The most words a prefix is scored as; a prefix of more (``a*``) matches them unscored.
MAX_EXPANSION = 512
#: The words of a field that start with a prefix (``Searcher.terms_with_prefix``).
Expand = Callable[[str, str], list[str]]
#: What the index's analyser keeps as a token: runs without white space or ASCII
#: punctuation (``documents.analyzer``; on ASCII text, ``[a-z0-9]+`` as the other engines).
CUT = re.compile(r"[^\s\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+")


def index_form(tokens: Sequence[str]) -> list[str]:
    """Query tokens as the index holds them: folded (``tokens.fold``; CJK bigrams are
    indexed unfolded, so a compatibility ideograph stays itself), then cut and
    lower-cased as its analyser cuts the text it is given."""
    return [piece.lower() for token in tokens for piece in CUT.findall(token if is_cjk(token) else fold(token))]


def _regex_literal(token: str) -> str:
    """The token as a literal in tantivy's regex syntax (tokens are letters and digits,
    but nothing here relies on that)."""
    return "".join(c if c.isalnum() else "\\" + c for c in token)


def _in_field(
    schema: tantivy.Schema, field: str, tokens: Sequence[str], prefix: bool, expand: Expand | None
) -> tantivy.Query:
    if prefix and len(tokens) == 1:
        words = expand(field, tokens[0]) if expand is not None else None
        if words is None or len(words) > MAX_EXPANSION:
            return tantivy.Query.regex_query(schema, field, _regex_literal(tokens[0]) + ".*")
        if not words:
            return tantivy.Query.empty_query()
        return _should([tantivy.Query.term_query(schema, field, word) for word in words])
    if prefix:
        return tantivy.Query.phrase_prefix_query(schema, field, list(tokens))
    if len(tokens) == 1:
        return tantivy.Query.term_query(schema, field, tokens[0])
    return tantivy.Query.phrase_query(schema, field, list(tokens))


def _should(queries: Sequence[tantivy.Query]) -> tantivy.Query:
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in queries])


def to_tantivy(node: Node, schema: tantivy.Schema, expand: Expand | None = None) -> tantivy.Query:
    """The tantivy query for a parsed query (filters are the caller's: ``TypeError``);
    ``expand`` lists the words a prefix stands for (None: matched unscored)."""
    if isinstance(node, Term):
        tokens = index_form(node.tokens)
        if not tokens:
            return tantivy.Query.empty_query()
        if node.field:
            return _in_field(schema, node.field, tokens, node.prefix, expand)
        title = tantivy.Query.boost_query(_in_field(schema, "title", tokens, node.prefix, expand), TITLE_BOOST)
        return _should([title, _in_field(schema, "body", tokens, node.prefix, expand)])
    if isinstance(node, Filter):
        raise TypeError("a filter is applied beside the text query, never inside it")
    if isinstance(node, Or):
        return _should([to_tantivy(child, schema, expand) for child in node.options])
    clauses = [(tantivy.Occur.Must, to_tantivy(child, schema, expand)) for child in node.include]
    clauses += [(tantivy.Occur.MustNot, to_tantivy(child, schema, expand)) for child in node.exclude]
    return tantivy.Query.boolean_query(clauses)
