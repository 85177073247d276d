"""Security: the headers on every response, no inline script or style, hostile article text
shown as text everywhere, no script addresses as links, no redirect off the site."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import lxml.html
import pytest

from tests.web.conftest import IMG, SCRIPT, TestClient, meta, one, page, text_of
from wirewatch.config.settings import Settings
from wirewatch.web import create_app
from wirewatch.web.security import HEADERS

#: One response of each kind: pages, errors, feeds, CSV, JSON, static files, a path with a
#: trailing slash (no redirect: a 404). Article 1 is the first the sample's import stores.
KINDS = [
    "/",
    "/articles/1",
    "/sources",
    "/sources/KCNA",
    "/days",
    "/days/2011-08",
    "/days/2011-08-20",
    "/search?q=Lavrov",
    '/search?q="unclosed',
    "/nope",
    "/articles/abc",
    "/api/docs",
    "/feed.atom",
    "/search.atom?q=Lavrov",
    "/search.csv?q=Lavrov",
    "/api/stats",
    "/api/articles/1",
    "/api/nope",
    "/api/search?q=AND",
    "/static/style.css",
    "/static/wirewatch.js",
    "/robots.txt",
    "/sources/",
]


@pytest.mark.parametrize("url", KINDS)
def test_every_response_carries_the_security_headers(client: TestClient, url: str) -> None:
    response = client.get(url, follow_redirects=False)
    policy = response.headers["content-security-policy"]
    directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
    assert directives["default-src"] == ["'none'"]
    assert directives["script-src"] == ["'self'"] and directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"] and directives["base-uri"] == ["'none'"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] in (
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    )


def _check_markup(url: str, doc: Any) -> None:
    """Nothing on the page runs or styles itself inline, and no link is a script address."""
    for script in doc.iter("script"):
        assert script.get("src", "").startswith("/static/") and not (script.text or "").strip(), url
    assert list(doc.iter("style")) == [], url
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert name != "style" and not name.lower().startswith("on"), (url, element.tag, name)
            if name in ("href", "src", "action", "formaction"):
                scheme = urlsplit(value.strip()).scheme.lower()
                assert scheme in ("", "http", "https", "mailto"), (url, value)


def test_sample_pages_have_no_inline_script_style_or_handlers(sample_site: dict[str, Any]) -> None:
    pages = {u: r for u, r in sample_site.items() if r.headers["content-type"].startswith("text/html")}
    assert len(pages) > 150
    for url, response in pages.items():
        _check_markup(url, lxml.html.fromstring(response.text))
        assert "'unsafe-inline'" not in response.headers["content-security-policy"], url
        assert response.headers["x-frame-options"] == "DENY" and response.headers["x-content-type-options"] == "nosniff"


def test_sample_pages_link_only_to_pages_that_exist(sample_site: dict[str, Any]) -> None:
    broken = {u: r.status_code for u, r in sample_site.items() if r.status_code != 200}
    assert broken == {"/search?q=%22unclosed": 400, "/articles/99999999": 404}  # the two asked for


def test_hostile_text_is_escaped_on_every_page(edge_site: dict[str, Any]) -> None:
    pages = {u: r for u, r in edge_site.items() if r.headers["content-type"].startswith("text/html")}
    assert len(pages) > 30
    shown = 0
    for url, response in pages.items():
        doc = lxml.html.fromstring(response.text)
        _check_markup(url, doc)
        assert SCRIPT not in response.text and IMG not in response.text, url
        # The only images and drawings are the timeline's, from /trend.svg and the trend
        # page's own chart: none comes from an article's text.
        drawn = "//img[not(starts-with(@src, '/trend.svg?'))] | //svg[not(contains(@class, 'lines'))]"
        assert doc.xpath(f"{drawn} | //iframe | //object | //embed") == [], url
        shown += SCRIPT in text_of(doc) or IMG in text_of(doc)
    assert shown > 10  # the text is there, as text, on the lists as well as the article


def test_hostile_article_page(edge_client: TestClient, edge_ids: dict[str, int]) -> None:
    talks = edge_ids[f"Talks {SCRIPT}"]
    doc = page(edge_client.get(f"/articles/{talks}"))
    assert text_of(one(doc, "//h1")) == f"Talks {SCRIPT}"
    assert meta(doc, "og:title") == f"Talks {SCRIPT}" and meta(doc, "twitter:title") == f"Talks {SCRIPT}"
    assert IMG in meta(doc, "og:description")
    assert [text_of(p) for p in doc.xpath("//div[@class='body']/p")] == [
        f"First paragraph {SCRIPT} about Russia.",
        f"Second paragraph {IMG} on friendship.",
    ]
    assert f"Talks {SCRIPT}" in one(doc, "//button[@class='native-share']").get("data-title")
    evil = page(edge_client.get(f"/articles/{edge_ids[f'Evil {IMG} headline']}"))
    source = one(evil, "//p[@class='dateline']//a[starts-with(@href, '/sources/')]")
    assert text_of(source) == f"Evil {IMG}"
    # An http address with quotes and brackets stays one attribute value.
    assert one(evil, "//a[@class='original']").get("href") == 'http://example.org/story?a=1&b="><x'


@pytest.mark.parametrize("title", ["Talks <script>alert(1)</script>", "Data address", "Mixed-case script address"])
def test_script_and_data_addresses_never_become_links(
    edge_client: TestClient, edge_ids: dict[str, int], title: str
) -> None:
    response = edge_client.get(f"/articles/{edge_ids[title]}")
    doc = page(response)
    assert doc.xpath("//a[@class='original']") == []
    assert "Original address not recorded" in text_of(doc)
    hrefs = doc.xpath("//@href | //@src | //@action")
    assert not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:"))]


@pytest.mark.parametrize(
    "url",
    [
        "/?next=https://evil.example",
        "/search?q=x&next=//evil.example",
        "http://testserver//evil.example",
        "http://testserver//evil.example/",
        "http://testserver//evil.example/sources/",
        "http://testserver/%2F%2Fevil.example/",
        "http://testserver/%5Cevil.example/",
        "/sources/",
        "/search/?q=Lavrov",
        "/articles/1/",
        "/static",
    ],
)
def test_no_redirect_leaves_the_site(client: TestClient, url: str) -> None:
    response = client.get(url, follow_redirects=False)
    location = response.headers.get("location")
    if location is None:
        assert response.status_code < 300 or response.status_code >= 400
        return
    assert 300 <= response.status_code < 400
    target = urlsplit(location)
    assert target.netloc in ("", "testserver") and not target.path.startswith("//"), location


@pytest.mark.parametrize("url", ["/sources/", "/search/?q=Lavrov", "/articles/1/", "/api/articles/", "/days/"])
def test_a_trailing_slash_is_not_found_rather_than_redirected(
    client: TestClient, based_client: TestClient, url: str
) -> None:
    """A redirect from /path/ to /path would be built from the Host header: there is none."""
    for reader in (client, based_client):
        response = reader.get(url, follow_redirects=False, headers={"host": "evil.example"})
        assert response.status_code == 404 and "location" not in response.headers, url
        assert "evil.example" not in response.text
    assert client.get(url.replace("/?", "?").rstrip("/")).status_code == 200  # without the slash it is there


def test_every_class_of_answer_carries_the_security_headers(sample_db: str) -> None:
    """Errors too, a 500 from an unhandled exception included: Starlette answers those
    outside the middleware that ``add_middleware`` installs."""
    app = create_app(Settings(db=sample_db))

    @app.get("/test-only/fails")
    def fails() -> None:  # a route of this test's app alone, never of the product
        raise RuntimeError("a bug")

    with TestClient(app, raise_server_exceptions=False) as reader:
        answers = {
            200: reader.get("/"),
            303: reader.get("/relations", params={"a": "RUS", "b": "PRK"}, follow_redirects=False),
            400: reader.get("/api/search", params={"q": "AND"}),
            404: reader.get("/nope"),
            405: reader.post("/api/stats"),
            500: reader.get("/test-only/fails"),
        }
        head = reader.head("/test-only/fails")
    for status, response in [*answers.items(), (500, head)]:
        assert response.status_code == status, (status, response.text[:300])
        for name, value in HEADERS:
            assert response.headers.get(name.decode()) == value.decode(), (status, name)
    assert "The server met an error" in answers[500].text and head.content == b""
