from __future__ import annotations

import pytest

from wirewatch.errors import ConfigError, UndecodableRecord
from wirewatch.ingest import ReadOptions
from wirewatch.ingest.decode import declared_charset, decode_text


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
