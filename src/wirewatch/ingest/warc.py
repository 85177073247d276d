"""WARC files: captures of article pages from web archives, each a dated version.

Every ``response`` record that holds an HTML page answered with 200 becomes a
*capture* (``RawRecord.captured_at`` = its ``WARC-Date``) of its target URL, so
the captures of one address become the versions of one article (see
``store.versions``). A ``revisit`` record (the archive saw the same payload again)
is a capture of the text of the record it refers to, when this file holds it.
Requests, metadata, other media and error answers are not articles and are passed
over without complaint; a page with no article text is rejected with the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO

from wirewatch.errors import NotAnArticle, RecordError
from wirewatch.ingest.decode import decode_body, split_content_type
from wirewatch.ingest.html import extract_html
from wirewatch.models import RawRecord, Rejected

if TYPE_CHECKING:
    from wirewatch.ingest.options import ReadContext

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _capture_time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def read_warc(stream: BinaryIO, input: str, head: bytes, context: ReadContext) -> Iterator[RawRecord | Rejected]:
    """A capture per HTML page answered with 200 (see the module docstring)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    by_digest: dict[str, tuple[dict[str, str], str]] = {}
    number = 0
    try:
        for record in ArchiveIterator(stream):
            number += 1
            if record.rec_type not in ("response", "revisit"):
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            seen = _capture_time(record.rec_headers.get_header("WARC-Date"))
            if not url or seen is None:
                yield Rejected(input, number, "a WARC record without a target URI or a valid WARC-Date")
                continue
            digest = record.rec_headers.get_header("WARC-Payload-Digest") or ""
            if record.rec_type == "revisit":
                known = by_digest.get(digest)
                if known is not None:
                    fields, text = known
                    yield RawRecord(input, number, "warc", {**fields, "url": url}, text, captured_at=seen)
                continue
            http = record.http_headers
            if http is None or http.get_statuscode() != "200":
                continue
            media, header_charset = split_content_type(http.get_header("Content-Type"))
            if media not in _HTML_TYPES:
                continue
            payload = record.content_stream().read(context.options.max_record_bytes + 1)
            if len(payload) > context.options.max_record_bytes:
                yield Rejected(
                    input, number, f"{url}: the page is larger than {context.options.max_record_bytes:,} bytes"
                )
                continue
            try:
                # Decoded as the collector decodes the page it fetches: the same bytes, the same text.
                text = decode_body(payload, header_charset).text
                fields = extract_html(text)
            except RecordError as exc:
                yield Rejected(input, number, f"{url}: {exc}")
                continue
            fields["url"] = url
            if digest:
                by_digest[digest] = (fields, text)
            yield RawRecord(input, number, "warc", fields, text, captured_at=seen)
    except ArchiveLoadFailed as exc:
        raise NotAnArticle(f"not a readable WARC file: {exc}") from None
    except (RecordError, OSError):
        raise
    except Exception as exc:
        where = f" after record {number - 1}" if number > 1 else ""
        raise NotAnArticle(f"a broken WARC record{where} ({type(exc).__name__}: {exc})") from None
