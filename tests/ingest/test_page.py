from __future__ import annotations

import shutil

from wirewatch.clean.boilerplate import BoilerplateRules
from wirewatch.ingest import ReadOptions

from .conftest import FIXTURES, corpus_file, read_all, records, rejections, write

CHROME = ("Share Button", "Read original version", "Subscribe", "Get North Korea headlines")


def test_the_reference_article_is_read_exactly():
    path = corpus_file("pyongyang-times-dprk-russia-friendship.txt")

    (record,) = read_all(path)

    assert record.kind == "page" and record.line is None
    assert record.fields["title"] == "DPRK-Russia friendship goes on"
    assert record.fields["source"] == "Pyongyang Times"
    assert record.fields["date"] == "11/10/2018"
    assert "url" not in record.fields
    body = record.fields["body"]
    assert body.startswith("The DPRK-Russia friendship with a long history")
    assert body.endswith("for their common interests and prosperity.")
    for chrome in CHROME:
        assert chrome not in body
    paragraphs = body.split("\n\n")
    assert len(paragraphs) == 17 and all(p.strip() == p and p for p in paragraphs)
    assert record.raw == path.read_text(encoding="utf-8")


def test_a_page_whose_header_carries_links(tmp_path):
    path = shutil.copy(FIXTURES / "page-with-link.txt", tmp_path / "saved")  # no extension: sniffed

    (record,) = read_all(path)

    assert record.kind == "page"
    assert record.fields["title"] == "Factory Overfulfils Yearly Plan"
    assert record.fields["date"] == "2019-03-04"
    assert record.fields["source"] == "Example Times"
    assert record.fields["url"] == "http://times.example.org/2019/03/04/factory.html"
    assert record.fields["body"].split("\n\n") == [
        "Workers of a machine factory overfulfilled their yearly plan two months ahead of schedule, the paper reported.",
        "They renovated the production lines\nwith their own efforts.",
    ]


def test_a_url_in_parentheses_after_read_original(tmp_path):
    path = write(
        tmp_path / "page.txt",
        "Title\n\nDate: 2019-03-04 | Source: Rodong Sinmun | Read original version at source (http://r.example/a?id=1)\n\nBody.\n",
    )
    (record,) = records(read_all(path))
    assert record.fields["url"] == "http://r.example/a?id=1"
    assert record.fields["body"] == "Body."


def test_user_rules_given_in_the_options_apply_to_pages(tmp_path):
    rules_file = write(
        tmp_path / "rules.toml",
        "[[rule]]\nname = \"photo-credit\"\npattern = '''photo: .{0,80}'''\n",
    )
    page = write(
        tmp_path / "page.txt",
        "Title\nDate: 2019-03-04 | Source: Minju Joson\n\nPhoto: KCNA\n\nThe text.\n\nShare\n",
    )
    default = records(read_all(page))[0].fields["body"]
    custom = records(read_all(page, options=ReadOptions(boilerplate=BoilerplateRules.load([rules_file]))))
    assert default == "Photo: KCNA\n\nThe text."
    assert custom[0].fields["body"] == "The text."
    assert rejections(read_all(page)) == []
