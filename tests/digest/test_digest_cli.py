"""``wirewatch digest preview`` and ``digest send`` through the real command, over the
demo sample imported as ``wirewatch import`` does (SQLite, then PostgreSQL)."""

from __future__ import annotations

import importlib.resources
from typing import Any

import lxml.html
import pytest

from tests.conftest import Invoke
from tests.digest.conftest import MailBox

BASE = "https://archive.example.org"
STORY = "Kim Jong Il Meets with Russian Delegation"  # KCNA, 17 May 2011
WEEK = [
    "Kim Jong Il Visits Amur Region of Russian Federation",
    "Protocol Signed between DPRK and Russia",
    "Kim Jong Il's Visit to Russia Hailed as Historic Event",
]  # 21, 26 and 27 August 2011
#: The Spanish editions of the first two (the sample holds both editions of each).
SPANISH = ["Kim Jong Il visita la region de Amur de Rusia", "Rubricado protocolo entre Corea y Rusia"]


@pytest.fixture
def sample(cli: Invoke, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """The CLI over an archive holding the demo sample, with WIREWATCH_BASE_URL set."""
    monkeypatch.setenv("WIREWATCH_BASE_URL", BASE)
    imported = cli("import", str(importlib.resources.files("wirewatch") / "sample"), "--json")
    assert imported.json()["added"] == 46  # type: ignore[index]
    return cli


def ids_by_title(cli: Invoke) -> dict[str, int]:
    listed = cli("search", "", "--since", "2011-05-01", "--until", "2011-08-31", "--limit", "100", "--json").json()
    return {hit["title"]: hit["id"] for hit in listed["hits"]}  # type: ignore[index]


def test_preview_prints_the_mail_text_and_its_subject(sample: Invoke) -> None:
    result = sample("digest", "preview", "--date", "2011-05-17")
    assert result.exit_code == 0, result.stderr
    assert f"Subject: Daily Update, 17 May 2011: {STORY}" in result.stderr
    ident = ids_by_title(sample)[STORY]
    text = result.stdout
    assert text.startswith("wirewatch: Daily Update, 17 May 2011\n1 story, chosen from the 1 article of the day.")
    assert f"* {STORY}\n  KCNA, 17 May 2011\n  General Secretary Kim Jong Il met" in text
    assert (
        f"  Archive: {BASE}/articles/{ident}\n  Original: http://www.kcna.co.jp/item/2011/201105/2011-05-17ee.html"
        in text
    )
    assert f"{BASE}/digests/2011-05-17\n" in text and f"{BASE}/unsubscribe\n" in text
    assert "WIREWATCH_BASE_URL is unset" not in result.stderr


def test_preview_html_is_the_mail_html(sample: Invoke) -> None:
    result = sample("digest", "preview", "--date", "2011-08-27", "--weekly", "--format", "html")
    assert result.exit_code == 0, result.stderr
    doc = lxml.html.document_fromstring(result.stdout)
    ids = ids_by_title(sample)
    titles = {a.text_content(): a.get("href") for a in doc.xpath("//a[contains(@href, '/articles/')]")}
    assert titles == {title: f"{BASE}/articles/{ids[title]}" for title in WEEK}
    assert doc.xpath("//h1")[0].text_content() == "Weekly Update, 21–27 August 2011"
    assert [a.get("href") for a in doc.xpath("//a") if a.text_content() == "Read it on the web"] == [
        f"{BASE}/digests/2011-08-27/weekly"
    ]
    assert len(result.stdout.encode()) < 100_000


def _items(result: Any) -> list[dict[str, Any]]:
    assert result.exit_code == 0, result.stderr
    return [item for section in result.json()["sections"] for item in section["items"]]


def test_preview_json_gives_scores_reasons_and_a_reader_copy(sample: Invoke) -> None:
    week = ["digest", "preview", "--date", "2011-08-27", "--weekly", "--format", "json"]
    items = _items(sample(*week))
    assert {i["title"] for i in items} == set(WEEK)
    for item in items:
        assert item["score"] == sum(r["points"] for r in item["reasons"])
        assert item["archive_url"] == f"{BASE}/articles/{item['id']}" and item["section_why"]
    best = max(items, key=lambda i: i["score"])
    assert {"text": "Kim Jong Il (Supreme Leader) in the title", "points": 40} in best["reasons"]
    # A topic raises what it matches, with a reason; a language leaves the rest out.
    raised = {i["title"]: i for i in _items(sample(*week, "--topic", "protocolo"))}
    assert raised[WEEK[1]]["topics"] == ["protocolo"]
    assert raised[WEEK[1]]["reasons"][0] == {"text": "Your topic “protocolo”", "points": 15}
    # A reader of Spanish gets the stories that have a Spanish edition, through it.
    assert {i["title"] for i in _items(sample(*week, "--language", "es"))} == set(SPANISH)
    assert _items(sample(*week, "--source", "Rodong Sinmun")) == []
    every = sample("digest", "preview", "--date", "2011-01-01", "--format", "json", "--all").json()
    assert every["edition"] == "2011-01-01" and every["days"] == 1 and every["articles"] == 2  # type: ignore[index]


def test_preview_of_a_day_without_articles_names_the_nearest(sample: Invoke) -> None:
    result = sample("digest", "preview", "--date", "2011-05-18")
    assert result.exit_code == 0
    assert "no articles are dated 2011-05-18 (nearest days with articles: 2011-05-17, 2011-06-08)" in " ".join(
        result.stderr.split()
    )
    assert "The archive holds no articles dated this day." in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--date", "2011-13-01"), "--date '2011-13-01': expected a date as YYYY-MM-DD"),
        (("--date", "17 May 2011"), "--date '17 May 2011': expected a date as YYYY-MM-DD"),
        (("--date", "2011-05-17", "--format", "pdf"), "--format 'pdf': expected one of text, html, json"),
        (("--date", "2011-05-17", "--source", "Nope"), "--source 'Nope': no such source in the archive"),
        (("--date", "2011-05-17", "--topic", '"unclosed'), "bad query: unclosed quote"),
        (("--date", "2011-05-17", "--language", "english!"), "languages: 'english!' is not a language code"),
    ],
)
def test_preview_refuses_bad_input_with_the_reason(sample: Invoke, args: tuple[str, ...], message: str) -> None:
    result = sample("digest", "preview", *args)
    assert result.exit_code == 2 and result.stdout == ""
    assert message in " ".join(result.stderr.split()) and "Traceback" not in result.stderr


def test_send_mails_each_reader_their_copy_once(
    sample: Invoke, smtp_server: MailBox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIREWATCH_SMTP_URL", smtp_server.url())
    monkeypatch.setenv("WIREWATCH_SECRET_KEY", "a-test-secret")
    monkeypatch.setenv("WIREWATCH_MAIL_RATE", "0")
    for args in (
        ("en@example.org", "--language", "en"),
        ("all@example.org", "--topic", "protocolo"),
        ("none@example.org", "--source", "Rodong Sinmun"),
    ):
        added = sample("subscribers", "add", args[0], "--confirmed", "--frequency", "weekly", *args[1:])
        assert added.exit_code == 0, added.stderr
    sent = sample("digest", "send", "--date", "2011-08-27", "--weekly", "--json")
    assert sent.exit_code == 0, sent.stderr
    summary = sent.json()
    assert (summary["readers"], summary["sent"], summary["empty"]) == (3, 2, 1)  # type: ignore[index]
    smtp_server.wait_for(2)
    ids = ids_by_title(sample)
    english, everything = smtp_server.to("en@example.org")[0], smtp_server.to("all@example.org")[0]
    for mail in (english, everything):
        assert mail.get_content_type() == "multipart/alternative"
        text, html = mail.get_body(("plain",)).get_content(), mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
        doc = lxml.html.document_fromstring(html)
        unsubscribe = [a.get("href") for a in doc.xpath("//a") if a.text_content() == "Unsubscribe"]
        assert (
            len(unsubscribe) == 1 and unsubscribe[0].startswith(f"{BASE}/unsubscribe?token=") and unsubscribe[0] in text
        )
        assert mail["List-Unsubscribe"] == f"<{unsubscribe[0]}>"
        assert mail["Subject"].startswith("Weekly Update, 21–27 August 2011: ")
    english_titles = {
        a.text_content()
        for a in lxml.html.document_fromstring(english.get_body(("html",)).get_content()).xpath(
            "//a[contains(@href, '/articles/')]"
        )
    }  # type: ignore[union-attr]
    assert english_titles == set(WEEK)  # each story through its English edition
    everything_text = everything.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert f"* {WEEK[1]}" in everything_text and "Your topic: protocolo" in everything_text
    assert f"{BASE}/articles/{ids[WEEK[1]]}" in everything_text
    again = sample("digest", "send", "--date", "2011-08-27", "--weekly")
    assert again.exit_code == 0 and "3 subscribers, 0 sent" in " ".join(again.stderr.split())
    assert len(smtp_server.messages) == 2


def test_send_needs_a_mail_server(sample: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WIREWATCH_SMTP_URL", raising=False)
    result = sample("digest", "send", "--date", "2011-08-27")
    assert result.exit_code == 2 and "WIREWATCH_SMTP_URL" in result.stderr and "Traceback" not in result.stderr
