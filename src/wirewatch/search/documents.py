"""The tantivy index's documents: its schema, how it cuts text, and an article as a document.

The text is cut the way the other engines and every query cut it (``tokens.index_tokens``):
ASCII titles and bodies, most of an archive, go in as they are and the index's analyser cuts
them in Rust; other text goes in as ``index_tokens`` made it (``analyzer``).
"""

from __future__ import annotations

import tantivy

from wirewatch.search import changes
from wirewatch.search.tantivy_query import CUT
from wirewatch.search.tokens import index_tokens

__all__ = [
    "MAX_TOKEN",
    "SCHEMA_VERSION",
    "TOKENIZER",
    "analyzer",
    "document",
    "field_text",
    "index_schema",
    "register_analyzer",
]

#: Bumped when the documents change shape: an index of another version is rebuilt.
SCHEMA_VERSION = 2  # 2: Korean also in the South's spelling at morpheme starts (search.korean)
TOKENIZER = "wirewatch"
#: Tokens longer than this are left out (tantivy refuses terms past 64 KiB; no word is this long).
MAX_TOKEN = 255
#: Dates as day numbers (``date.toordinal``); a sort key puts the article id in the low 32
#: bits, so that articles of one day come by id as on the other back ends. Oldest first,
#: the undated sort after 31 December 9999 (day 3,652,059).
_NO_DATE_LAST = (3_652_059 + 2) << 32


def index_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("id", stored=True, indexed=True, fast=True)
    builder.add_text_field("title", tokenizer_name=TOKENIZER)
    builder.add_text_field("body", tokenizer_name=TOKENIZER)
    builder.add_unsigned_field("source", indexed=True, fast=True)
    builder.add_text_field("language", tokenizer_name="raw", fast=True)
    builder.add_text_field("status", tokenizer_name="raw")
    builder.add_integer_field("day", indexed=True, fast=True)
    builder.add_unsigned_field("year", fast=True)
    # Sort keys: newest first with undated articles last, and oldest first the same.
    builder.add_integer_field("newest", fast=True)
    builder.add_integer_field("oldest", fast=True)
    return builder.build()


def analyzer() -> tantivy.TextAnalyzer:
    """How the index cuts the text it is given: at white space and ASCII punctuation
    (``tantivy_query.CUT``), lower-cased, without tokens past ``MAX_TOKEN`` bytes. On
    ASCII text that is exactly ``tokens.index_tokens`` (``[a-z0-9]+`` of the lower-cased
    text), done in Rust by the indexing thread; other text is given as ``index_tokens``
    already made (folded words, CJK bigrams, the Korean in the South's spelling), which it
    leaves as they are but for the rare compatibility character that folds to punctuation
    ("⑴" to "(1)"): queries are cut the same way (``tantivy_query.index_form``;
    ``tests/search/test_engine_tokens.py`` checks it)."""
    builder = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(CUT.pattern))
    return builder.filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.remove_long(MAX_TOKEN)).build()


def field_text(text: str) -> str:
    """A title or body as the index is given it (see ``analyzer``)."""
    return text if text.isascii() else " ".join(index_tokens(text))


def document(doc: changes.Document) -> tantivy.Document:
    """The index's document for an article."""
    out = tantivy.Document()
    out.add_unsigned("id", doc.id)
    out.add_text("title", field_text(doc.title))
    out.add_text("body", field_text(doc.body))
    out.add_unsigned("source", doc.source_id)
    if doc.language:
        out.add_text("language", doc.language)
    out.add_text("status", doc.status)
    if doc.date is not None:
        day = doc.date.toordinal()
        out.add_integer("day", day)
        out.add_unsigned("year", doc.date.year)
        out.add_integer("newest", (day + 1) << 32 | doc.id)
        out.add_integer("oldest", day << 32 | doc.id)
    else:
        out.add_integer("newest", doc.id)
        out.add_integer("oldest", _NO_DATE_LAST | doc.id)
    return out


def register_analyzer(index: tantivy.Index) -> None:
    """Give an opened index the analyser its text fields name (``TOKENIZER``)."""
    index.register_tokenizer(TOKENIZER, analyzer())
