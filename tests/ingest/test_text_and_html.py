from __future__ import annotations

import shutil

from .conftest import FIXTURES, read_all, records, rejections, write


def test_plain_text_title_then_body(tmp_path):
    path = write(
        tmp_path / "story.txt", "\n\n  Delegation Leaves for Laos  \nIt left on Monday.\nBy train.\n\n\nSecond para.\n"
    )
    (record,) = read_all(path)
    assert (record.kind, record.line) == ("text", None)
    assert record.fields == {
        "title": "Delegation Leaves for Laos",
        "body": "It left on Monday.\nBy train.\n\nSecond para.",
    }
    assert record.raw == path.read_text()


def test_a_text_with_only_a_title_has_no_body(tmp_path):
    (record,) = read_all(write(tmp_path / "headline.txt", "Just a headline\n"))
    assert record.fields == {"title": "Just a headline"}


def test_korean_text_in_euc_kr(tmp_path):
    path = write(tmp_path / "address.txt", "신년사\n\n조선인민은 새해를 맞이하였다.\n".encode("euc-kr"))
    (record,) = records(read_all(path))
    assert record.fields == {"title": "신년사", "body": "조선인민은 새해를 맞이하였다."}


def test_text_that_no_charset_decodes_is_rejected(tmp_path):
    path = write(tmp_path / "junk.txt", b"Title\n\nabc \xff\x80\xff def \xfe\xfe\xff\n")
    (bad,) = read_all(path)
    assert (bad.line, bad.reason) == (None, "not valid UTF-8 or CP949")


def test_html_article_body_and_metadata():
    (record,) = read_all(FIXTURES / "article.html")
    assert record.kind == "html" and record.line is None
    fields = record.fields
    assert fields["title"] == "Farmers Reap Rich Harvest"
    assert fields["date"] == "2018-10-11"
    assert fields["url"] == "http://wire.example.org/2018/10/harvest.html"
    assert fields["source"] == "Example Wire"
    assert fields["language"] == "en"
    paragraphs = fields["body"].split("\n\n")
    assert paragraphs[0].startswith("Farmers across the country brought in a rich harvest")
    assert paragraphs[-1].startswith("Agricultural scientists visited the fields")
    assert "Politics" not in fields["body"] and "Copyright" not in fields["body"]
    assert record.raw.startswith("<!DOCTYPE html>")


def test_html_without_an_extension_is_sniffed(tmp_path):
    path = shutil.copy(FIXTURES / "article.html", tmp_path / "article")
    (record,) = read_all(path)
    assert record.kind == "html" and record.fields["title"] == "Farmers Reap Rich Harvest"


def test_html_in_the_charset_it_declares(tmp_path):
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=euc-kr">'
        "<title>평양 소식</title></head><body><article><h1>평양 소식</h1>"
        "<p>" + "조선중앙통신사는 오늘 평양에서 새로운 공장이 조업을 시작하였다고 보도하였다. " * 3 + "</p>"
        "<p>" + "공장의 로동자들은 계획을 넘쳐 수행하기 위한 투쟁을 벌리고 있다. " * 3 + "</p>"
        "</article></body></html>"
    ).encode("euc-kr")
    (record,) = records(read_all(write(tmp_path / "korean.htm", page)))
    assert record.fields["title"] == "평양 소식"
    assert "조선중앙통신사는" in record.fields["body"]


def test_html_without_article_text_is_rejected(tmp_path):
    path = write(
        tmp_path / "empty.html", "<!doctype html><html><head><title>x</title></head><body><div></div></body></html>"
    )
    assert [(r.line, r.reason) for r in rejections(read_all(path))] == [(None, "no article text found in HTML")]
