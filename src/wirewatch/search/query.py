"""The search query language, parsed into a small tree that each back end compiles.

Syntax (the same in the CLI, the web and the API)::

    word            articles containing the word (case and accents ignored)
    two words       both words (AND is implied)
    "a phrase"      the words next to each other, in order
    lav*            any word starting with "lav"
    a OR b          either; a AND b, both; a NOT b, a without b; -b is NOT b
    (a OR b) c      parentheses group
    title:word      only in titles (also title:"a phrase")
    person:"Kim Jong Un"  country:RUS  org:WPK  event:visit
                    articles whose stored analysis names the person, country or
                    organisation, or reports an event of that type (filters, below)

AND, OR and NOT are operators only in capitals; lower-case "and" is a word.

Filters (``person:``, ``country:``, ``org:`` or ``organization:``, ``event:``) take a word
or a "phrase" and combine with the words and with each other by AND only: they may be
negated (``-country:USA``, ``NOT event:denounce``) but not sit inside OR or a group. A
query may hold filters alone. The parser keeps their values as typed; turning names into
ids is the request builder's job (``wirewatch.present.params.search_request``).

A query is bounded (``QueryError`` past a bound): at most ``MAX_QUERY_CHARS`` characters,
``MAX_QUERY_TERMS`` words, phrases and filters, and parentheses ``MAX_QUERY_DEPTH`` deep.
Each word costs the index a look-up, a prefix* the most (every word it starts); the
bounds keep the slowest query to seconds (figures in docs/web.md) and the parser's
recursion far from Python's limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from wirewatch.errors import QueryError
from wirewatch.search.tokens import query_tokens

FIELDS = ("title", "body")
#: Filter prefixes as typed -> the kind of filter (``base.AnalysisFilter.kind``).
FILTERS = {
    "person": "person",
    "country": "country",
    "org": "organization",
    "organization": "organization",
    "event": "event",
}
#: How each kind is named back to users, in messages and as the CLI's options (--org).
PREFIXES = {"person": "person", "country": "country", "organization": "org", "event": "event"}
_EXAMPLES = {"person": '"Kim Jong Un"', "country": "RUS", "organization": "WPK", "event": "visit"}

#: The bounds on a query (see the module's docstring): far above what an analyst types.
MAX_QUERY_CHARS = 1000
MAX_QUERY_TERMS = 64
MAX_QUERY_DEPTH = 20


@dataclass(frozen=True, slots=True)
class Term:
    """A word or phrase: ``words`` as typed, ``tokens`` as the index holds them."""

    words: tuple[str, ...]
    tokens: tuple[str, ...]
    prefix: bool = False
    field: str | None = None
    phrase: bool = False


@dataclass(frozen=True, slots=True)
class And:
    include: tuple[Node, ...]
    exclude: tuple[Node, ...] = ()


@dataclass(frozen=True, slots=True)
class Or:
    options: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Filter:
    """A filter on the stored analysis, as typed: ``kind`` (person, country,
    organization, event) and ``value`` (a name or id). ``start``/``end``: its place in
    the query text, a NOT or "-" before it included."""

    kind: str
    value: str
    negated: bool = False
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)


Node = Term | And | Or | Filter

_LEXER = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<field>(?:title|body):)
  | (?P<filter>(?:person|country|organization|org|event):)
  | (?P<phrase>"[^"]*"?)
  | (?P<minus>-(?=[^\s\-]))
  | (?P<word>[^\s()"]+)
    """,
    re.X,
)


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str
    pos: int


def _lex(text: str) -> list[_Token]:
    tokens = []
    for match in _LEXER.finditer(text):
        kind = match.lastgroup or ""
        value = match.group()
        if kind == "space":
            continue
        if kind == "phrase" and (len(value) < 2 or not value.endswith('"')):
            raise QueryError(f'unclosed quote at position {match.start() + 1}: add a closing "', match.start())
        if kind == "word" and value in ("AND", "OR", "NOT"):
            kind = value
        tokens.append(_Token(kind, value, match.start()))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _lex(text)
        self.i = 0
        self.terms = 0  # words, phrases and filters so far
        self.depth = 0  # parentheses open here

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse(self) -> Node:
        node = self.or_expr()
        token = self.peek()
        if token is not None:
            raise QueryError(f"unexpected {token.text!r} at position {token.pos + 1}", token.pos)
        return node

    def or_expr(self) -> Node:
        options = [self.and_expr()]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            options.append(self.and_expr())
        return options[0] if len(options) == 1 else Or(tuple(options))

    def and_expr(self) -> Node:
        include: list[Node] = []
        exclude: list[Node] = []
        start = self.peek()
        while (token := self.peek()) is not None and token.kind not in ("OR", "rparen"):
            if token.kind == "AND":
                self.take()
                continue
            if token.kind in ("NOT", "minus"):
                self.take()
                exclude.append(self.spanned(token, self.atom(after=token), negated=True))
            else:
                include.append(self.spanned(token, self.atom()))
        if not include and exclude and all(isinstance(node, Filter) for node in exclude):
            return And((), tuple(exclude))  # "-country:USA": every article but those
        if not include:
            where = start.pos if start else len(self.text)
            if exclude:
                raise QueryError("a query cannot only exclude: put a word before NOT (e.g. 'Korea NOT south')", where)
            raise QueryError(f"expected a word or phrase at position {where + 1}", where)
        if len(include) == 1 and not exclude:
            return include[0]
        return And(tuple(include), tuple(exclude))

    def spanned(self, first: _Token, node: Node, negated: bool = False) -> Node:
        """A filter with the place of all it took in the text: a NOT, parentheses."""
        if not isinstance(node, Filter):
            return node
        last = self.tokens[self.i - 1]
        return replace(node, negated=negated, start=first.pos, end=last.pos + len(last.text))

    def atom(self, after: _Token | None = None) -> Node:
        token = self.peek()
        if token is None:
            where = after.pos if after else len(self.text)
            what = f"after {after.text!r}" if after else "at the end"
            raise QueryError(f"expected a word or phrase {what}", where)
        if token.kind == "lparen":
            self.take()
            self.depth += 1
            if self.depth > MAX_QUERY_DEPTH:
                raise QueryError(
                    f"parentheses nested more than {MAX_QUERY_DEPTH} deep at position {token.pos + 1}", token.pos
                )
            node = self.or_expr()
            closing = self.peek()
            if closing is None or closing.kind != "rparen":
                raise QueryError(f"unclosed parenthesis at position {token.pos + 1}", token.pos)
            self.take()
            self.depth -= 1
            return node
        if token.kind == "field":
            self.take()
            inner = self.peek()
            if inner is None or inner.kind not in ("word", "phrase"):
                raise QueryError(f"expected a word or phrase after {token.text!r}", token.pos)
            return self.term(self.take(), field=token.text[:-1])
        if token.kind == "filter":
            self.take()
            inner = self.peek()
            value = inner.text.strip('"').strip() if inner is not None and inner.kind in ("word", "phrase") else ""
            if inner is None or not value:
                example = _EXAMPLES[FILTERS[token.text[:-1]]]
                raise QueryError(f"expected a name or id after {token.text!r} (e.g. {token.text}{example})", token.pos)
            self.take()
            self.count_term(token)
            return Filter(
                FILTERS[token.text[:-1]], " ".join(value.split()), False, token.pos, inner.pos + len(inner.text)
            )
        if token.kind in ("word", "phrase"):
            return self.term(self.take())
        raise QueryError(f"unexpected {token.text!r} at position {token.pos + 1}", token.pos)

    def count_term(self, token: _Token) -> None:
        self.terms += 1
        if self.terms > MAX_QUERY_TERMS:
            raise QueryError(
                f"too many terms: a query may hold at most {MAX_QUERY_TERMS} words, phrases and filters "
                f"(the {MAX_QUERY_TERMS + 1}th is at position {token.pos + 1})",
                token.pos,
            )

    def term(self, token: _Token, field: str | None = None) -> Term:
        self.count_term(token)
        phrase = token.kind == "phrase"
        raw = token.text[1:-1] if phrase else token.text
        prefix = not phrase and raw.endswith("*")
        body = raw.rstrip("*") if prefix else raw
        tokens = tuple(query_tokens(body))
        if not tokens:
            raise QueryError(
                f"{token.text!r} at position {token.pos + 1} has no letters or digits to search for", token.pos
            )
        return Term(tuple(body.split()), tokens, prefix, field, phrase)


def parse_query(text: str) -> Node | None:
    """The query's tree, or None for an empty query (filters alone).

    Raises ``QueryError`` naming the position and the problem, or the bound passed.
    """
    if not text or not text.strip():
        return None
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the query is {len(text):,} characters long: a query may hold at most {MAX_QUERY_CHARS:,}", MAX_QUERY_CHARS
        )
    tree = _Parser(text).parse()
    split_filters(tree)  # filters stand only where AND joins them to the rest
    return tree


def split_filters(node: Node | None) -> tuple[Node | None, tuple[Filter, ...]]:
    """The query without its filters (None when only filters are left), and the filters.

    Filters may be the whole query or items of its outermost AND; anywhere else (inside
    OR, a group, or a NOT group) they raise ``QueryError``.
    """
    if isinstance(node, Filter):
        return None, (node,)
    if not isinstance(node, And):
        _no_filters_in(node)
        return node, ()
    include = tuple(child for child in node.include if not isinstance(child, Filter))
    exclude = tuple(child for child in node.exclude if not isinstance(child, Filter))
    found = tuple(child for child in (*node.include, *node.exclude) if isinstance(child, Filter))
    for child in (*include, *exclude):
        _no_filters_in(child)
    if exclude and not include:
        raise QueryError(
            "words after NOT need a word to search for: put one before NOT (e.g. 'country:RUS Korea NOT south')"
        )
    if not include:
        return None, found
    if len(include) == 1 and not exclude:
        return include[0], found
    return And(include, exclude), found


def _no_filters_in(node: Node | None) -> None:
    if isinstance(node, Filter):
        raise QueryError(
            f"{PREFIXES[node.kind]}:{node.value} at position {node.start + 1}: filters combine with the rest of the query "
            "by AND only; they cannot stand inside OR or a group",
            node.start,
        )
    if isinstance(node, And | Or):
        for child in node.options if isinstance(node, Or) else (*node.include, *node.exclude):
            _no_filters_in(child)


def without_filters(text: str, filters: tuple[Filter, ...]) -> str:
    """The query text with the filters (and a NOT or "-" before each) cut out."""
    for found in sorted(filters, key=lambda f: f.start, reverse=True):
        text = text[: found.start] + " " + text[found.end :]
    return text.strip()


def positive_terms(node: Node | None) -> list[Term]:
    """The terms a matching article contains: the ones to highlight in snippets."""
    if node is None:
        return []
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Filter):
        return []
    children = node.include if isinstance(node, And) else node.options
    return [term for child in children for term in positive_terms(child)]
