"""The web reader in a real browser: Debian's Chromium driven by Playwright.

One ``wirewatch demo`` server (the bundled sample, 47 articles) and one Chromium serve the
whole module; every test opens its own browser context. Without a ``chromium`` on PATH the
module is skipped, except under CI (``CI=true``), where a missing browser is a failure:
CI installs it (``.ci/run``) and must never skip these tests silently.

Screenshots of the main pages at desktop and phone width are written to
``$WIREWATCH_ARTIFACTS`` (default ``<repo>/artifacts/screenshots/``) for a person to look at.
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"

try:
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        ConsoleMessage,
        Page,
        Playwright,
        Route,
        expect,
        sync_playwright,
    )
except ImportError:  # pragma: no cover - playwright comes with the test extras
    if IN_CI:
        raise
    pytest.skip("playwright is not installed: pip install -e '.[test]'", allow_module_level=True)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
REFERENCE_TITLE = "DPRK-Russia friendship goes on"
QUERY = 'Lavrov OR "Federation Council"'
ORIGINALS = "http://www.kcna.co.jp/**"
START_TIMEOUT = 60.0  # seconds for the demo to build its archive and listen
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}

expect.set_options(timeout=10_000)


# --- the server -------------------------------------------------------------------------------


@dataclass
class Server:
    url: str  # "http://127.0.0.1:PORT/"
    process: subprocess.Popen[str]
    stdout: list[str]
    stderr_path: Path

    @property
    def origin(self) -> str:
        return self.url.rstrip("/")

    def at(self, path: str) -> str:
        return self.origin + path


@contextlib.contextmanager
def demo_server(db: Path, env: dict[str, str]) -> Iterator[Server]:
    """``wirewatch --db DB demo --port 0`` with ``env``, read until it prints where it
    listens, stopped (SIGINT) when the block ends."""
    stderr_path = db.with_name(db.stem + ".server.stderr")
    command = [sys.executable, "-c", "from wirewatch.cli import main; main()", "--db", str(db), "demo", "--port", "0"]
    with stderr_path.open("w") as stderr:
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
            text=True,
            env={**env, "PYTHONUNBUFFERED": "1"},
        )
    lines: queue.Queue[str | None] = queue.Queue()
    seen: list[str] = []

    def pump() -> None:  # keeps draining stdout so the server never blocks on a full pipe
        assert process.stdout is not None
        for line in process.stdout:
            seen.append(line)
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    url = None
    try:
        while url is None:
            try:
                line = lines.get(timeout=START_TIMEOUT)
            except queue.Empty:
                break
            if line is None:
                break
            if found := re.match(r"Serving at (http://\S+/)\s", line):
                url = found.group(1)
        if url is None:
            pytest.fail(
                f"wirewatch demo did not print 'Serving at …' within {START_TIMEOUT:.0f} s "
                f"(exit code {process.poll()}).\nstdout:\n{''.join(seen)}\nstderr:\n{stderr_path.read_text()}"
            )
        yield Server(url, process, seen, stderr_path)
    finally:
        stop(process)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The demo server of the module's tests (no WIREWATCH_ settings from outside: no base URL, no mail)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIREWATCH_")}
    with demo_server(tmp_path_factory.mktemp("browser") / "demo.db", env) as running:
        yield running


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


# --- the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        reason = "no chromium on PATH: install Debian's (apt-get install chromium) to run the browser tests"
        if IN_CI:
            pytest.fail(f"{reason}; CI must run them, not skip them (.ci/run installs it)", pytrace=False)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def chromium(playwright: Playwright, chromium_path: str) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=LAUNCH_ARGS)
    yield browser
    browser.close()


@dataclass
class Tab:
    """A page with everything it complained about: console errors, uncaught exceptions,
    Content-Security-Policy violations, requests that tried to leave the test's hosts."""

    page: Page
    server: Server
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    originals: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # requests to the source sites

    def goto(self, path: str) -> None:
        response = self.page.goto(self.server.at(path))
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"

    def assert_clean(self) -> None:
        assert self.problems == [], "the browser reported problems:\n" + "\n".join(self.problems)


ORIGINAL_PAGE = "<!doctype html><title>KCNA original</title><h1>The original at KCNA</h1>"
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__wirewatchCsp(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


def open_tab(chromium: Browser, server: Server, **options: object) -> tuple[BrowserContext, Tab]:
    context = chromium.new_context(color_scheme="light", locale="en-GB", **options)  # type: ignore[arg-type]
    context.set_default_timeout(15_000)
    page = context.new_page()
    tab = Tab(page, server)
    local = urlsplit(server.url).netloc

    def on_console(message: ConsoleMessage) -> None:
        text = f"console.{message.type}: {message.text} ({message.location.get('url', '')})"
        if message.type == "error":
            tab.problems.append(text)
        elif message.type == "warning":
            tab.warnings.append(text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: tab.problems.append(f"uncaught exception: {error}"))
    context.expose_function("__wirewatchCsp", lambda text: tab.problems.append(f"CSP violation: {text}"))
    context.add_init_script(CSP_LISTENER)

    # Nothing leaves the machine: the server's own requests go through, the original
    # articles at the source are answered by a stand-in page, anything else is refused.
    def outside(route: Route) -> None:
        if urlsplit(route.request.url).netloc == local:
            route.continue_()
        else:
            tab.problems.append(f"request outside the archive: {route.request.url}")
            route.abort()

    def original(route: Route) -> None:
        tab.originals.append((route.request.url, dict(route.request.headers)))
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=ORIGINAL_PAGE)

    context.route("**/*", outside)
    context.route(ORIGINALS, original)  # routes added later are tried first
    return context, tab


@pytest.fixture
def tab(chromium: Browser, server: Server) -> Iterator[Tab]:
    """A desktop-sized page that may read and write the clipboard of the server's origin."""
    context, tab = open_tab(chromium, server, **DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.origin)
    yield tab
    context.close()


def artifacts() -> Path:
    folder = Path(os.environ.get("WIREWATCH_ARTIFACTS") or ROOT / "artifacts" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def reference_path(tab: Tab) -> str:
    """The reference article's address, found the way a reader finds it: from the home page."""
    tab.goto("/")
    href = tab.page.locator("main").get_by_role("link", name=REFERENCE_TITLE, exact=True).get_attribute("href")
    assert href and re.fullmatch(r"/articles/\d+", href), href
    return href


# --- the tests --------------------------------------------------------------------------------


def test_home_lists_articles_and_sources_without_errors(tab: Tab) -> None:
    page = tab.page
    tab.goto("/")
    expect(page).to_have_title("wirewatch")
    expect(page.get_by_role("heading", level=1)).to_have_text("Latest articles")
    articles = page.locator("section.latest ul.articles > li")
    expect(articles.first).to_be_visible()
    assert articles.count() >= 20  # originals only: the sample's duplicates are left out
    expect(page.locator("section.latest").get_by_role("link", name=REFERENCE_TITLE, exact=True)).to_be_visible()
    sources = page.locator("aside.side ul.counts > li")
    expect(sources).to_have_count(4)
    for name in ("KCNA", "KCTV", "Pyongyang Times", "Rodong Sinmun"):
        expect(sources.get_by_role("link", name=name, exact=True)).to_have_attribute("href", re.compile("^/sources/"))
    expect(page.locator("aside.side p.note")).to_contain_text("47 articles")
    # The stylesheet loaded (under the Content-Security-Policy): the two columns are a grid.
    expect(page.locator("main .columns")).to_have_css("display", "grid")
    tab.assert_clean()


def test_search_box_then_open_the_reference_article(tab: Tab) -> None:
    page = tab.page
    tab.goto("/")
    box = page.get_by_role("searchbox", name="Search the archive")
    box.click()
    box.press_sequentially(QUERY)
    box.press("Enter")

    # The results page.
    expect(page).to_have_url(re.compile(r"/search\?q=Lavrov"))
    expect(page).to_have_title(f"{QUERY} — Search — wirewatch")
    expect(page.locator("#q")).to_have_value(QUERY)
    heading = page.locator("#results-heading")
    expect(heading).to_have_text(re.compile(r"1–\d+ of \d+ articles"))
    total = int(re.search(r"of (\d+) articles", heading.inner_text()).group(1))  # type: ignore[union-attr]
    hits = page.locator("ol.hits > li")
    expect(hits.first).to_be_visible()
    # A story's other copies on the page are folded into its first hit, named in its "also in".
    folded = page.locator("ol.hits p.also a.folded").count()
    expect(hits).to_have_count(total - folded)
    assert total >= 2
    marks = page.locator("ol.hits .snippet mark")
    expect(marks.first).to_be_visible()
    words = {text.strip().lower() for text in marks.all_inner_texts()}
    assert words and words <= {"lavrov", "federation", "council", "federation council"}, words
    expect(marks.first).not_to_have_css("background-color", "rgba(0, 0, 0, 0)")
    result = page.locator("ol.hits").get_by_role("link", name=REFERENCE_TITLE, exact=True)
    expect(result).to_be_visible()

    # The article, reached by clicking its result.
    result.click()
    expect(page).to_have_url(re.compile(r"/articles/\d+$"))
    expect(page).to_have_title(f"{REFERENCE_TITLE} — Pyongyang Times — wirewatch")
    expect(page.get_by_role("heading", level=1)).to_have_text(REFERENCE_TITLE)
    dateline = page.locator("p.dateline")
    expect(dateline).to_contain_text("Date: 11 October 2018 (ambiguous: or 10 November 2018)")
    expect(dateline.locator("time")).to_have_attribute("datetime", "2018-10-11")
    expect(dateline.get_by_role("link", name="Pyongyang Times", exact=True)).to_have_attribute(
        "href", "/sources/Pyongyang%20Times"
    )
    expect(dateline).to_contain_text("Original address not recorded")  # this one came without an address
    expect(dateline.locator("a.original")).to_have_count(0)

    permalink = page.url
    share = page.locator("section.share")
    for name in ("Email", "X", "Facebook", "Telegram", "VK", "LinkedIn"):
        link = share.get_by_role("link", name=re.compile(rf"^{name} \(opens a new tab\)$"))
        expect(link).to_have_attribute("href", re.compile(re.escape(permalink.replace(":", "%3A").replace("/", "%2F"))))
        expect(link).to_have_attribute("target", "_blank")
    expect(share.get_by_role("button", name="Copy link")).to_be_visible()  # the script ran
    expect(page.locator("#permalink")).to_have_value(permalink)
    expect(page.locator('link[rel="canonical"]')).to_have_attribute("href", permalink)

    paragraphs = page.locator("article.story div.body > p")
    expect(paragraphs.first).to_have_text(re.compile(r"^The DPRK-Russia friendship with a long history"))
    assert paragraphs.count() >= 15
    expect(paragraphs.filter(has_text="Sergei Lavrov")).to_have_count(1)
    expect(page.locator("#citation")).to_contain_text(
        f"“{REFERENCE_TITLE}.” Pyongyang Times, 11 October 2018. Archived at {permalink}"
    )
    tab.assert_clean()


def test_a_name_in_another_romanisation_and_a_korean_word_in_the_souths_spelling(tab: Tab) -> None:
    page = tab.page
    tab.goto("/")
    box = page.get_by_role("searchbox", name="Search the archive")
    box.fill("Kim Chŏng-il")  # McCune-Reischauer; the sample's stories print Kim Jong Il
    box.press("Enter")
    note = page.locator("p.spelling")
    expect(note).to_be_visible()
    expect(note).to_contain_text("Also searched: Kim Chŏng-il as Kim Jong Il")
    expect(page.locator("#results-heading")).to_have_text(re.compile(r"1–\d+ of \d+ articles"))
    marks = {m.strip() for m in page.locator("ol.hits .snippet mark").all_inner_texts()}
    assert "Kim Jong Il" in marks, marks
    note.get_by_role("link", name="Search only the spelling typed").click()
    expect(page).to_have_url(re.compile(r"exact_spelling=1"))
    expect(page.locator("p.spelling")).to_contain_text("only as typed")
    expect(page.locator("#results-heading")).to_have_text("No articles match")

    # 로동 is how the North writes 노동 ("labour"): the South's spelling finds the address.
    tab.goto("/search?q=" + "노동")
    expect(page.locator("p.spelling")).to_contain_text("노동 as 로동")
    expect(page.locator("p.spelling span.form[lang=ko]")).to_have_text("로동")
    expect(page.locator("ol.hits .snippet mark").first).to_be_visible()
    marked = {m.strip() for m in page.locator("ol.hits .snippet mark").all_inner_texts()}
    assert "로동" in marked and marked <= {"로동", "노동"}, marked  # either spelling, highlighted
    tab.assert_clean()


def test_copy_link_and_copy_citation_write_the_clipboard(tab: Tab) -> None:
    page = tab.page
    tab.goto("/")
    page.locator("main").get_by_role("link", name=REFERENCE_TITLE, exact=True).click()
    expect(page).to_have_url(re.compile(r"/articles/\d+$"))
    permalink = page.url
    assert permalink == tab.server.at(urlsplit(permalink).path)

    button = page.get_by_role("button", name="Copy link")
    button.click()
    expect(page.locator("section.share button.copy")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == permalink
    assert page.locator("#permalink").input_value() == permalink
    expect(page.locator("section.share button.copy")).to_have_text("Copy link")  # back after two seconds

    citation = page.locator("#citation").inner_text()
    page.get_by_role("button", name="Copy citation").click()
    expect(page.locator("section.cite button.copy")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == citation
    tab.assert_clean()


def test_read_original_version_at_source(tab: Tab) -> None:
    page = tab.page
    tab.goto("/search?q=Lavrov")
    kcna = page.locator("ol.hits > li").filter(has=page.locator(".source", has_text=re.compile("^KCNA$")))
    expect(kcna.first).to_be_visible()
    kcna.first.locator("a.title").click()
    expect(page).to_have_url(re.compile(r"/articles/\d+$"))
    expect(page.locator("p.dateline")).to_contain_text("Source: KCNA")

    link = page.get_by_role("link", name="Read original version at source")
    expect(link).to_have_attribute("href", re.compile(r"^http://www\.kcna\.co\.jp/.+"))
    original = link.get_attribute("href")
    assert original is not None
    expect(link).to_have_attribute("rel", re.compile(r"\bnoreferrer\b"))
    target = link.get_attribute("target")
    if target == "_blank":  # a new tab, should the page ever open one
        with page.context.expect_page() as opened:
            link.click()
        arrived = opened.value
    else:
        link.click()
        arrived = page
    expect(arrived).to_have_url(original)
    expect(arrived.get_by_role("heading", level=1)).to_have_text("The original at KCNA")
    headers = [h for url, h in tab.originals if url == original]
    assert len(headers) == 1, tab.originals
    assert "referer" not in {name.lower() for name in headers[0]}, "the archive's address leaked to the source"
    tab.assert_clean()


def test_keyboard_skip_link_and_visible_focus(tab: Tab) -> None:
    page = tab.page
    tab.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # moved on screen while focused
    expect(skip).not_to_have_css("outline-style", "none")
    assert outline_width(skip.evaluate("e => getComputedStyle(e).outlineWidth")) >= 2

    page.keyboard.press("Enter")
    expect(page).to_have_url(tab.server.at("/#main"))
    expect(page.locator("main#main")).to_be_focused()

    # The next Tab lands on the first link of the content, not back in the header.
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_count(1)
    assert focused.evaluate("e => e.closest('main') !== null"), focused.evaluate("e => e.outerHTML")
    expect(focused).not_to_have_css("outline-style", "none")
    assert outline_width(focused.evaluate("e => getComputedStyle(e).outlineWidth")) >= 2
    tab.assert_clean()


def outline_width(css: str) -> float:
    return float(css.removesuffix("px"))


@pytest.mark.parametrize(
    ("width", "options"), [("desktop", DESKTOP), ("phone", PHONE)], ids=["desktop-1280", "phone-390"]
)
def test_screenshots_and_no_sideways_scrolling(
    chromium: Browser, server: Server, width: str, options: dict[str, object]
) -> None:
    context, tab = open_tab(chromium, server, **options)
    try:
        page = tab.page
        folder = artifacts()
        article = reference_path(tab)
        size = options["viewport"]["width"]  # type: ignore[index]
        pages = {"home": "/", "search": f"/search?q={QUERY}", "article": article}
        for name, path in pages.items():
            tab.goto(path)
            expect(page.locator("footer.site")).to_be_visible()
            if name == "article":
                expect(page.get_by_role("button", name="Copy link")).to_be_visible()
            shot = folder / f"{width}-{size}-{name}.png"
            page.screenshot(path=shot, full_page=True)
            assert shot.stat().st_size > 0
            # Against the viewport asked for: a mobile browser widens innerWidth to fit
            # content that overflows, which would hide the very fault looked for.
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= size, f"{name} at {size} px scrolls sideways: {scroll} px of content"
        tab.assert_clean()
    finally:
        context.close()
