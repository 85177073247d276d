"""HTML pages: the article text and metadata as trafilatura extracts them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO, Protocol

from wirewatch.errors import NotAnArticle
from wirewatch.ingest.text import read_file_text
from wirewatch.models import RawRecord, Rejected

if TYPE_CHECKING:
    from wirewatch.ingest.options import ReadContext

_HTML_LANG = re.compile(r"""<html\b[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)""", re.I)
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
#: trafilatura's metadata names → the corpus field names.
_METADATA = (("title", "title"), ("date", "date"), ("url", "url"), ("sitename", "source"), ("author", "author"))


def read_html(stream: BinaryIO, input: str, head: bytes, context: ReadContext) -> Iterator[RawRecord | Rejected]:
    """One record: the page's main text as ``body`` (paragraphs between blank lines) and
    its ``title``, ``date``, ``url``, site name as ``source``, ``language`` and ``author``
    when the page gives them. The text is decoded as a fetched page's is (``decode_body``):
    a saved page reads the same as the page fetched."""
    text = read_file_text(stream, context, page=True)
    yield RawRecord(input, None, "html", extract_html(text), text)


def extract_html(html: str) -> dict[str, str]:
    """The fields of an HTML page; NotAnArticle when it has no article text, or when the
    extractor fails on the page."""
    import trafilatura  # heavy import, paid only by runs that read HTML

    try:
        document = trafilatura.bare_extraction(
            html,
            include_comments=False,
            favor_precision=True,
            with_metadata=True,
            # No guessing from free text: a "Copyright 2018" footer is not the article's date.
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception as exc:  # the extractors' own bugs (htmldate's AssertionError on "<label><html>")
        raise NotAnArticle(f"no article text found in HTML (the extractor failed: {type(exc).__name__})") from exc
    # Without as_dict, bare_extraction answers a Document (or None), never a dict.
    assert not isinstance(document, dict)
    body_text = (document.text if document is not None else None) or ""
    lines = [line.strip() for line in body_text.splitlines() if line.strip()]
    if not lines:
        raise NotAnArticle("no article text found in HTML")
    fields: dict[str, str] = {}
    for name, field in _METADATA:
        value = getattr(document, name, None)
        if isinstance(value, str) and value.strip():
            fields[field] = value.strip()
    if (match := _HTML_LANG.search(html[:4096])) is not None:
        fields["language"] = match.group(1)
    # trafilatura keeps the headline as the text's first line.
    if lines and lines[0] == fields.get("title") and len(lines) > 1:
        lines = lines[1:]
    fields["body"] = "\n\n".join(lines)
    return fields


def extract_page(html: str, selectors: Selectors | None = None) -> dict[str, str]:
    """The fields of a fetched article page: what the source's CSS selectors find
    (``title``, ``date``, ``body``), the rest from the generic extractor.

    NotAnArticle when neither finds the article's text.
    """
    found = _select(html, selectors) if selectors is not None else {}
    if "body" in found and "title" in found and "date" in found:
        generic: dict[str, str] = {}
    else:
        try:
            generic = extract_html(html)
        except NotAnArticle:
            if "body" not in found:
                raise
            generic = {}
    return {**generic, **found}


class Selectors(Protocol):
    @property
    def title(self) -> str | None: ...
    @property
    def date(self) -> str | None: ...
    @property
    def body(self) -> str | None: ...


def _select(html: str, selectors: Selectors) -> dict[str, str]:
    import lxml.html

    document = lxml.html.document_fromstring(html)
    fields: dict[str, str] = {}
    if (
        selectors.title
        and (nodes := document.cssselect(selectors.title))
        and (title := " ".join(nodes[0].text_content().split()))
    ):
        fields["title"] = title
    if selectors.date and (nodes := document.cssselect(selectors.date)):
        node = nodes[0]
        # <time datetime="…"> and <meta content="…"> carry the machine-readable date.
        value = node.get("datetime") or node.get("content") or " ".join(node.text_content().split())
        if value:
            fields["date"] = value
    if selectors.body and (nodes := document.cssselect(selectors.body)):
        paragraphs: list[str] = []
        for node in nodes:
            blocks = node.xpath(".//p") or [node]
            paragraphs += [" ".join(b.text_content().split()) for b in blocks]
        if body := "\n\n".join(p for p in paragraphs if p):
            fields["body"] = body
    if match := _HTML_LANG.search(html[:4096]):
        fields.setdefault("language", match.group(1))
    return fields
