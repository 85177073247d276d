"""The mails as a reader gets them: the digest's HTML (inline styles, one 600px table,
under 100 KB, readable on a phone) and plain text with the same stories and links; the
confirmation and alert mails; hostile text kept as text."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from urllib.parse import urlsplit

import lxml.html
import pytest

from wirewatch.analysis.actors import Actors
from wirewatch.digest.rendering import (
    AlertItem,
    MailLinks,
    article_url,
    digest_path,
    render_alert,
    render_confirmation,
    render_digest,
)
from wirewatch.digest.rules import load_rules
from wirewatch.digest.selection import Digest, score_edition
from wirewatch.models import Article, EntityCount, Preferences
from wirewatch.store.digests import EditionData

DAY = dt.date(2011, 5, 17)
BASE = "https://archive.example.org"
LINKS = MailLinks(
    web_copy=BASE + digest_path(DAY),
    preferences=BASE + "/preferences?token=abc.def&x=1",
    unsubscribe=BASE + "/unsubscribe?token=u-123",
)
SCRIPT = "<script>alert(1)</script>"

STORIES = [
    (
        "KCNA",
        "Kim Jong Il Meets with Russian Delegation",
        "General Secretary Kim Jong Il met the delegation. It was cordial.",
    ),
    ("KCNA", "Missile Launch Demonstrates Nuclear Deterrent", "A missile launch was conducted. The paper said so."),
    ("Rodong Sinmun", "South Korean Puppets Denounced", "The puppets block reunification, the paper said."),
    ("Rodong Sinmun", "Farmers Finish Spring Sowing", "The farms finished sowing early this year."),
    ("KCNA", f"Talks {SCRIPT} Held", f'Talks on {SCRIPT} and "quotes" & ampersands.'),
]


def article(n: int, source: str, title: str, body: str, **more: object) -> Article:
    values: dict[str, object] = {"url": f"http://www.kcna.co.jp/item/{n}.html", "language": "en", **more}
    return Article(source=source, title=title, body=body, date=DAY, date_precision="day", id=n, **values)  # type: ignore[arg-type]


def edition(articles: list[Article], **data: object) -> Digest:
    return score_edition(EditionData(DAY, DAY, articles, **data), load_rules(), Actors.load(), day=DAY, days=1)  # type: ignore[arg-type]


@pytest.fixture
def digest() -> Digest:
    articles = [article(n, *story) for n, story in enumerate(STORIES, 1)]
    articles.append(article(6, "KCNA", "Headline With a Bad Address", "Text.", url="javascript:alert(2)"))
    return edition(articles, entities={1: [EntityCount("person", "kim-jong-il", "Kim Jong Il", "PRK", 3)]})


def doc_of(html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html)


def test_the_digest_mail_has_every_story_and_link_in_both_parts(digest: Digest) -> None:
    copy = digest.for_reader(Preferences(topics=("sowing",)), {"sowing": frozenset({4})})
    mail = render_digest(copy, LINKS, base_url=BASE)
    assert mail.subject == "Daily Update, 17 May 2011: Kim Jong Il Meets with Russian Delegation"
    doc = doc_of(mail.html)
    assert doc.get("lang") == "en" and doc.xpath("//meta[@name='viewport']")
    hrefs = doc.xpath("//a/@href")
    assert all(urlsplit(h).scheme in ("http", "https") for h in hrefs), hrefs
    for item in copy.items:
        archive = article_url(BASE, item.article_id)
        title_link = doc.xpath(f"//a[@href='{archive}']")
        assert [a.text_content() for a in title_link] == [item.title]
        assert archive in mail.text and item.title in mail.text
        if item.url:
            assert item.url in hrefs and f"Original: {item.url}" in mail.text
        assert item.lead in " ".join(doc.text_content().split())
    # The address a reader should not follow (javascript:) is no link, in either part.
    assert not any("javascript" in h for h in hrefs) and "javascript" not in mail.text
    # The reader's own links, exactly (the & survives HTML escaping), in both parts.
    for label, url in (
        ("Read it on the web", LINKS.web_copy),
        ("Change your topics", LINKS.preferences),
        ("Unsubscribe", LINKS.unsubscribe),
    ):
        assert [a.get("href") for a in doc.xpath("//a") if a.text_content().startswith(label)] == [url]
        assert f"\n{url}\n" in mail.text
    # Sections in the rules' order, each story under its heading.
    headings = [h.text_content() for h in doc.xpath("//h2")]
    assert headings == [s.name for s in copy.sections if s.items] and len(headings) >= 4
    assert [line for line in mail.text.splitlines() if line.isupper() and len(line) > 3] == [
        h.upper() for h in headings
    ]
    # The topic that raised a story says so.
    assert "Your topic: sowing" in doc.text_content() and "  Your topic: sowing" in mail.text
    # The preheader (the line clients show after the subject) is the best story.
    assert "Kim Jong Il Meets with Russian Delegation" in doc.xpath("//body/div")[0].text_content()


def test_the_html_is_one_narrow_table_with_inline_styles(digest: Digest) -> None:
    mail = render_digest(digest.for_reader(), LINKS, base_url=BASE)
    doc = doc_of(mail.html)
    assert not doc.xpath("//style | //link | //script | //*[@class]")
    card = doc.xpath("//table//table")
    assert len(card) == 1 and "max-width:600px" in card[0].get("style") and card[0].get("role") == "presentation"
    for element in doc.xpath("//body//td | //body//a | //body//p | //body//h1 | //body//h2"):
        assert element.get("style"), lxml.html.tostring(element)[:80]
    assert len(mail.html.encode()) < 100_000


def test_hostile_text_stays_text(digest: Digest) -> None:
    mail = render_digest(digest.for_reader(), MailLinks(unsubscribe=f'{BASE}/unsubscribe?token="><b>x'), base_url=BASE)
    assert SCRIPT not in mail.html and "&lt;script&gt;" in mail.html
    doc = doc_of(mail.html)
    assert not doc.xpath("//script | //b")
    assert [a.get("href") for a in doc.xpath("//a") if a.text_content() == "Unsubscribe"] == [
        f'{BASE}/unsubscribe?token="><b>x'
    ]
    assert f"Talks {SCRIPT} Held" in mail.text  # plain text has nothing to escape
    assert "Read it on the web" not in mail.text and not doc.xpath("//a[starts-with(., 'Read it on the web')]")


def test_a_big_day_stays_under_100_kb() -> None:
    body = (
        "The delegation of the Ministry of Foreign Affairs met officials in Pyongyang and discussed cooperation. " * 20
    )
    articles = [
        article(
            n, "KCNA" if n % 2 else "Rodong Sinmun", f"Story number {n} about the delegation and the factory {n}", body
        )
        for n in range(1, 401)
    ]
    big = edition(articles)
    mail = render_digest(big.for_reader(), LINKS, base_url=BASE)
    assert len(mail.html.encode()) < 100_000 and len(mail.text.encode()) < 100_000
    assert mail.html.count(BASE + "/articles/") == sum(min(len(s.items), big.rules.per_section) for s in big.sections)


def test_each_story_is_rendered_once_per_edition(digest: Digest) -> None:
    first = render_digest(digest.for_reader(), LINKS, base_url=BASE)
    cached = dict(digest.cache)
    other = MailLinks(
        web_copy=LINKS.web_copy,
        preferences=BASE + "/preferences?token=zzz",
        unsubscribe=BASE + "/unsubscribe?token=yyy",
    )
    second = render_digest(digest.for_reader(Preferences(sources=("KCNA",))), other, base_url=BASE)
    assert digest.cache == cached  # nothing new to render: the same stories, the same frame
    assert "token=zzz" in second.html and "token=zzz" not in first.html and "token=abc.def&amp;x=1" in first.html
    assert second.html.count("Rodong Sinmun ·") == 0 and first.html.count("Rodong Sinmun ·") == 2
    raised = render_digest(digest.for_reader(Preferences(topics=("x",)), {"x": frozenset({2})}), LINKS, base_url=BASE)

    def pieces() -> int:
        return sum(1 for key in digest.cache if str(key[0]).startswith("item."))

    assert (
        "Your topic: x" in raised.html and pieces() == sum(1 for key in cached if str(key[0]).startswith("item.")) + 2
    )


def test_an_empty_edition_says_so() -> None:
    mail = render_digest(edition([]).for_reader(), LINKS, base_url=BASE)
    assert mail.subject == "Daily Update, 17 May 2011: no new stories"
    assert "The archive holds no articles dated this day." in mail.text and "no articles dated this day" in mail.html
    filtered = render_digest(
        edition([article(1, *STORIES[0])]).for_reader(Preferences(languages=("ko",))), LINKS, base_url=BASE
    )
    assert "No story of this edition matched your sources and languages." in filtered.text


@pytest.mark.skipif(shutil.which("chromium") is None, reason="no chromium on PATH")
def test_the_digest_reads_on_a_phone(digest: Digest, tmp_path: object) -> None:
    from playwright.sync_api import sync_playwright

    html = render_digest(digest.for_reader(), LINKS, base_url=BASE).html
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"))
        try:
            for width in (360, 800):
                page = browser.new_page(viewport={"width": width, "height": 700})
                page.set_content(html)
                assert page.evaluate("document.documentElement.scrollWidth") <= width
                card = page.evaluate("document.querySelector('table table').getBoundingClientRect().width")
                assert card <= min(width, 600) and card >= min(width, 600) - 20
                size = page.evaluate(
                    "parseFloat(getComputedStyle(document.querySelector('table table a[href*=\"/articles/\"]')).fontSize)"
                )
                assert size >= 16
        finally:
            browser.close()


def test_the_confirmation_mail() -> None:
    url = BASE + "/confirm?token=abc.def&x=1"
    mail = render_confirmation("reader@example.org", url, BASE, valid_days=7)
    assert mail.subject == "Confirm your subscription to the wirewatch digest"
    doc = doc_of(mail.html)
    assert [a.get("href") for a in doc.xpath("//a") if "Confirm" in a.text_content() or a.text_content() == url] == [
        url,
        url,
    ]
    assert "reader@example.org" in doc.text_content() and "7 days" in doc.text_content()
    assert f"\n{url}\n" in mail.text and "7 days" in mail.text and "reader@example.org" in mail.text
    assert not doc.xpath("//style | //script") and len(mail.html) < 100_000


def test_the_alert_mail() -> None:
    new = article(7, "KCNA", f"Lavrov Visits {SCRIPT}", "Sergey Lavrov arrived in Pyongyang. He met officials.")
    edited = AlertItem(8, "Talks Held", "Rodong Sinmun", "17 May 2011", None, "", "en", "Edited: title, text")
    links = MailLinks(web_copy=BASE + "/search?q=Lavrov", unsubscribe=BASE + "/alerts/3/stop")
    mail = render_alert("Lavrov", "Lavrov", [new, edited, *[AlertItem.of(new)] * 3], links, base_url=BASE, limit=3)
    assert mail.subject == "wirewatch alert “Lavrov”: 4 new articles and 1 change"
    doc = doc_of(mail.html)
    assert [a.get("href") for a in doc.xpath("//a") if "/articles/" in a.get("href")] == [
        article_url(BASE, n) for n in (7, 8, 7)
    ]
    assert "Edited: title, text" in doc.text_content() and "And 2 more." in doc.text_content()
    assert "http://www.kcna.co.jp/item/7.html" in doc.xpath("//a/@href")
    assert not doc.xpath("//script") and f"Lavrov Visits {SCRIPT}" in mail.text
    assert "Stop this alert: " + links.unsubscribe in mail.text and "Manage this alert" not in mail.text
    assert re.search(r"\[Edited: title, text\]\n\* Talks Held", mail.text)
    assert "Sergey Lavrov arrived in Pyongyang." in mail.text
