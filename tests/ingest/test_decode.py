from __future__ import annotations

import pytest

from wirewatch.errors import ConfigError, UndecodableRecord
from wirewatch.ingest import ReadOptions
from wirewatch.ingest.decode import declared_charset, decode_body, decode_text, split_content_type


def test_utf8_first_with_the_bom_stripped():
    assert decode_text(b"\xef\xbb\xbfPyongyang", None, ("cp949",)) == "Pyongyang"


def test_the_declared_charset_comes_before_the_fallbacks():
    data = "Caf\u00e9".encode("latin-1")
    assert decode_text(data, "latin-1", ("cp949",)) == "Caf\u00e9"


def test_reason_names_every_charset_tried():
    with pytest.raises(UndecodableRecord, match=r"^not valid UTF-8, ASCII or CP949$"):
        decode_text(b"\xff\x80\xff", "ascii", ("cp949",))
    with pytest.raises(UndecodableRecord, match=r"^not valid UTF-8, EUC-KR or CP949$"):  # named once
        decode_text(b"\xff\x80\xff", "euc-kr", ("euc-kr", "cp949"))


def test_declared_charsets():
    assert declared_charset(b'<meta charset="EUC-KR">') == "euc-kr"
    assert (
        declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">')
        == "windows-1252"
    )
    assert declared_charset(b'<?xml version="1.0" encoding="ISO-8859-1"?><html>') == "iso-8859-1"
    assert declared_charset(b'<meta charset="no-such-charset">') is None
    assert declared_charset(b"<html><body>") is None


def test_options_refuse_unknown_encodings_and_bad_limits():
    with pytest.raises(ConfigError, match="no-such"):
        ReadOptions(fallback_encodings=("no-such",))
    with pytest.raises(ConfigError):
        ReadOptions(max_record_bytes=0)


KOREAN_PAGE = (
    "<html><body><p>"
    + "조선중앙통신사는 오늘 평양에서 새로운 공장이 조업을 시작하였다고 보도하였다. " * 3
    + "</p></body></html>"
)


def test_a_page_decodes_by_bom_then_multibyte_then_single_byte_charsets():
    assert decode_body(b"\xef\xbb\xbf<p>caf\xc3\xa9</p>", "iso-8859-1") == ("<p>café</p>", "utf-8")
    # A latin-1 header does not win over the page's own multi-byte <meta>, widened to CP949.
    page = '<meta charset="euc-kr"><p>평양</p>'
    assert decode_body(page.encode("euc-kr"), "iso-8859-1") == (page, "cp949")
    assert decode_body("<p>café</p>".encode("cp1252"), "windows-1252") == ("<p>café</p>", "cp1252")
    # A UTF-16 declaration readable as ASCII means UTF-8.
    assert decode_body('<meta charset="utf-16"><p>café</p>'.encode()).charset == "utf-8"


def test_an_undeclared_page_is_detected_and_nothing_fails():
    assert decode_body(KOREAN_PAGE.encode("euc-kr")) == (KOREAN_PAGE, "cp949")
    assert decode_body(b"\xff\xfe\x00\x00\x80").charset == "utf-16-le"  # replaced, not raised


def test_content_type_parts():
    assert split_content_type('Text/HTML; Charset="EUC-KR"') == ("text/html", "EUC-KR")
    assert split_content_type("text/plain") == ("text/plain", None)
    assert split_content_type(None) == (None, None)
