"""The search query language, parsed into a small tree that each back end compiles.

Syntax (the same in the CLI, the web and the API)::

    word            articles containing the word (case and accents ignored)
    two words       both words (AND is implied)
    "a phrase"      the words next to each other, in order
    lav*            any word starting with "lav"
    a OR b          either; a AND b, both; a NOT b, a without b; -b is NOT b
    (a OR b) c      parentheses group
    title:word      only in titles (also title:"a phrase")

AND, OR and NOT are operators only in capitals; lower-case "and" is a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wirewatch.errors import QueryError
from wirewatch.search.tokens import query_tokens

FIELDS = ("title", "body")


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


Node = Term | And | Or

_LEXER = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<field>(?:title|body):)
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
                exclude.append(self.atom(after=token))
            else:
                include.append(self.atom())
        if not include:
            where = start.pos if start else len(self.text)
            if exclude:
                raise QueryError(
                    "a query cannot only exclude: put a word before NOT (e.g. 'Korea NOT south')", where
                )
            raise QueryError(f"expected a word or phrase at position {where + 1}", where)
        if len(include) == 1 and not exclude:
            return include[0]
        return And(tuple(include), tuple(exclude))

    def atom(self, after: _Token | None = None) -> Node:
        token = self.peek()
        if token is None:
            where = after.pos if after else len(self.text)
            what = f"after {after.text!r}" if after else "at the end"
            raise QueryError(f"expected a word or phrase {what}", where)
        if token.kind == "lparen":
            self.take()
            node = self.or_expr()
            closing = self.peek()
            if closing is None or closing.kind != "rparen":
                raise QueryError(f"unclosed parenthesis at position {token.pos + 1}", token.pos)
            self.take()
            return node
        if token.kind == "field":
            self.take()
            inner = self.peek()
            if inner is None or inner.kind not in ("word", "phrase"):
                raise QueryError(f"expected a word or phrase after {token.text!r}", token.pos)
            return self.term(self.take(), field=token.text[:-1])
        if token.kind in ("word", "phrase"):
            return self.term(self.take())
        raise QueryError(f"unexpected {token.text!r} at position {token.pos + 1}", token.pos)

    def term(self, token: _Token, field: str | None = None) -> Term:
        phrase = token.kind == "phrase"
        raw = token.text[1:-1] if phrase else token.text
        prefix = not phrase and raw.endswith("*")
        body = raw.rstrip("*") if prefix else raw
        tokens = tuple(query_tokens(body))
        if not tokens:
            raise QueryError(f"{token.text!r} at position {token.pos + 1} has no letters or digits to search for", token.pos)
        return Term(tuple(body.split()), tokens, prefix, field, phrase)


def parse_query(text: str) -> Node | None:
    """The query's tree, or None for an empty query (filters alone).

    Raises ``QueryError`` naming the position and the problem.
    """
    if not text or not text.strip():
        return None
    return _Parser(text).parse()


def positive_terms(node: Node | None) -> list[Term]:
    """The terms a matching article contains: the ones to highlight in snippets."""
    if node is None:
        return []
    if isinstance(node, Term):
        return [node]
    children = node.include if isinstance(node, And) else node.options
    return [term for child in children for term in positive_terms(child)]
