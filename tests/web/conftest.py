"""The web reader, driven in-process through its ASGI entry point (Starlette's TestClient,
which also runs the lifespan) over archives built with the real import.

Archives, each built once per session:

* ``sample``: the demo sample shipped in the package (47 articles: 44 KCNA stories, one
  of them an exact copy of another, 7 of them headlines whose text the scrape lost; the
  Pyongyang Times reference article; two Korean New Year addresses). Article numbers
  follow the import order, so tests find the articles they mean by title
  (:func:`find_article`, the ``sample_ids`` fixture), never by number.
* ``edge``: hand-made records for what the sample lacks: hostile text, ``javascript:`` and
  ``data:`` addresses, a Korean source name, a source name with a slash, undated and
  month- or year-precision dates, a text repeated within a source and across sources.
  (The sample's only repeat is one KCNA story published twice on 14 January 2012.)
* ``paged``: one source with more articles than a source page shows, some of them
  undated, a few per day.
* ``empty``: a new archive with nothing in it.
* ``versions``: articles collected as WARC captures and seen to change (see
  :func:`build_versions_archive`): one edited twice, one deleted, one deleted and back
  again, one imported from a file and left alone, one imported from a file and deleted.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import json
import re
import uuid
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from tests.conftest import POSTGRESQL, write_jsonl
from wirewatch.clean.boilerplate import BoilerplateRules
from wirewatch.clean.record import CleanOptions
from wirewatch.config.settings import Settings
from wirewatch.pipeline.importer import run_import
from wirewatch.store import open_store
from wirewatch.web import create_app

with warnings.catch_warnings():
    # Starlette asks for the httpx2 fork; httpx is what the test extra installs.
    warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette\.testclient`")
    from starlette.testclient import TestClient

BASE_URL = "https://archive.example.org"

#: Hostile strings as they must come out on the page: as text, never as markup.
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
#: The cleaner strips tags from input fields, so the hostile text goes in entity-encoded:
#: the cleaner decodes it, and the archive then holds the raw characters.
SCRIPT_IN = "&lt;script&gt;alert(1)&lt;/script&gt;"
IMG_IN = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"

HOSTILE_SOURCE = f"Evil {IMG}"
KOREAN_SOURCE = "조선중앙통신"
SLASH_SOURCE = "AP/Reuters"

EDGE_RECORDS: list[dict[str, object]] = [
    {
        "source": "KCNA",
        "title": f"Talks {SCRIPT_IN}",
        "date": "2012-05-09",
        "url": "javascript:alert(1)",
        "language": "en",
        "body": f"First paragraph {SCRIPT_IN} about Russia.\n\nSecond paragraph {IMG_IN} on friendship.",
    },
    {
        "source": f"Evil {IMG_IN}",
        "title": f"Evil {IMG_IN} headline",
        "date": "2012-05-10",
        "url": 'http://example.org/story?a=1&b="><x',
        "language": "en",
        "body": f"Evil body {SCRIPT_IN} about Russia and friendship.",
    },
    {
        "source": KOREAN_SOURCE,
        "title": "김정은 동지 연설",
        "date": "2012-05-11",
        "language": "ko",
        "body": "김정은 동지께서 연설하시였다.\n\n조선의 앞날을 밝히시였다.",
    },
    {
        "source": "KCNA",
        "title": "Cooperation agreed",
        "date": "2012-05-08",
        "url": "http://example.org/original",
        "language": "en",
        "body": "The two sides agreed on cooperation in trade and culture.",
    },
    {
        "source": "Uriminzokkiri",
        "title": "Cooperation agreed, again",
        "date": "2012-05-12",
        "url": "http://example.org/copy",
        "language": "en",
        "body": "The two sides agreed on cooperation in trade and culture.",
    },
    {
        "source": "KCNA",
        "title": "Cooperation agreed, once more",
        "date": "2012-05-13",
        "language": "en",
        "body": "The two sides agreed on cooperation in trade and culture.",
    },
    {"source": "KCNA", "title": "Undated piece", "language": "en", "body": "An undated item about Russia."},
    {
        "source": "KCNA",
        "title": "Data address",
        "date": "2012-05-07",
        "url": "data:text/html,hello",
        "language": "en",
        "body": "A record whose address is a data URL.",
    },
    {
        "source": "KCNA",
        "title": "Mixed-case script address",
        "date": "2012-05-06",
        "url": " JaVaScRiPt:alert(2)",
        "language": "en",
        "body": "A record whose address hides its scheme in mixed case.",
    },
    {
        "source": SLASH_SOURCE,
        "title": "Wire copy",
        "date": "2012-05-05",
        "language": "en",
        "body": "A story from a source whose name holds a slash.",
    },
    {
        "source": "Month Wire",
        "title": "Known to the month",
        "date": "May 2012",
        "language": "en",
        "body": "A story dated only to its month.",
    },
    {
        "source": "Month Wire",
        "title": "Known to the year",
        "date": "2012",
        "language": "en",
        "body": "A story dated only to its year.",
    },
]

#: Articles of the sample the tests name, by title.
REFERENCE = "DPRK-Russia friendship goes on"  # Pyongyang Times, 11/10/2018, no original URL
KCNA_STORY = "Russian FM Rejects Space Militarization"  # KCNA, 5 March 2011
KCNA_URL = "http://www.kcna.co.jp/item/2011/201103/2011-03-05ee.html"
KOREAN_ADDRESS = "사랑하는 온 나라 인민들과 영용한 인민군장병들 동포 형제 여러분!"  # Kim Jong Un, 2018, KCTV
KOREAN_EDITORIAL = "북한 신년사설 전문"  # the 2012 joint New Year editorial, Rodong Sinmun
HEADLINE = "Russia Steps Up Development of Antimissile Weapons"  # body "<NA>": a headline without text
REPEATED = "Russian Organization Discusses Measures for Introducing Immortal Exploits of Great Men"  # twice
DERIVED = "this is our motto"  # "title": null, so the title is the start of the text

#: The paged archive: PAGED_COUNT articles of one source, three a day, every 17th undated.
PAGED_SOURCE = "Big Wire"
PAGED_COUNT = 130


def build_archive(db: str | Path, inputs: list[Path]) -> str:
    """An archive at ``db`` (a file or a database URL) holding ``inputs``, imported the
    way ``wirewatch import`` does."""
    store = open_store(str(db))
    try:
        run_import(store, [str(p) for p in inputs], CleanOptions(rules=BoilerplateRules.load(())))
    finally:
        store.close()
    return str(db)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """Every page test runs on an archive on each back end: one suite, two back ends."""
    if request.param == "postgresql":
        request.getfixturevalue("postgresql_server")
    return str(request.param)


@pytest.fixture(scope="session")
def location(
    backend: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Callable[[str], str]:
    """Where an archive named ``name`` goes: a file, or a new PostgreSQL database dropped
    at the end of the session."""

    def place(name: str) -> str:
        if backend == "sqlite":
            return str(tmp_path_factory.mktemp(name) / f"{name}.db")
        server = request.getfixturevalue("postgresql_server")
        database = f"wirewatch_web_{name}_{uuid.uuid4().hex[:8]}"
        with server.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{database}"'))

        def drop() -> None:
            with server.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))

        request.addfinalizer(drop)
        return POSTGRESQL.rsplit("/", 1)[0] + "/" + database

    return place


@pytest.fixture(scope="session")
def sample_db(location: Callable[[str], str]) -> str:
    sample = importlib.resources.files("wirewatch") / "sample"
    return build_archive(location("sample"), [Path(str(sample))])


@pytest.fixture(scope="session")
def edge_db(location: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("edge")
    return build_archive(location("edge"), [write_jsonl(folder / "edge.jsonl", EDGE_RECORDS)])


@pytest.fixture(scope="session")
def paged_db(location: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory) -> str:
    import datetime as dt

    folder = tmp_path_factory.mktemp("paged")
    records: list[dict[str, object]] = []
    for i in range(PAGED_COUNT):
        day = dt.date(2012, 1, 1) + dt.timedelta(days=i // 3)
        records.append(
            {
                "source": PAGED_SOURCE,
                "title": f"Story number {i}",
                "language": "en",
                "date": None if i % 17 == 0 else day.isoformat(),
                "body": f"Body of story {i}, item{i}.",
            }
        )
    return build_archive(location("paged"), [write_jsonl(folder / "paged.jsonl", records)])


# The versions archive ---------------------------------------------------------------------

#: Unchanged paragraphs long enough that a diff of the text shortens them to "…".
STEADY = [" ".join(f"steadyword{i}" for i in range(60)) + ".", " ".join(f"calmword{i}" for i in range(60)) + "."]

#: Each capture: (URL, WARC-Date, title, date, paragraphs).
Capture = tuple[str, str, str, str, list[str]]

EDITED_URL = "http://www.kcna.kp/en/article/q/edited.kcmsf"
DELETED_URL = "http://www.kcna.kp/en/article/q/deleted.kcmsf"
RESTORED_URL = "http://www.rodong.rep.kp/en/index.php?MTJAMjAxOS0wMS0wNi1IMDAx"
EDITED = "DPRK-Russia friendship grows"  # its title now; first seen as "… goes on"
DELETED = "Minister visits machine factory"
RESTORED = "Farmers finish spring sowing"
PLAIN = "Plain imported story"
GONE_IMPORTED = "Imported story later removed"

KCNA_CAPTURES: list[Capture] = [
    (
        EDITED_URL,
        "2019-01-01T10:00:00Z",
        "DPRK-Russia friendship goes on",
        "2018-10-11",
        [
            "The friendship between the two countries has a long history and grows stronger every year.",
            "Kim Jong Il visited Russia in 2001, 2002 and 2011 and held talks with the Russian leaders.",
            *STEADY,
            "The delegation left Moscow on Friday.",
        ],
    ),
    (
        EDITED_URL,
        "2019-02-01T10:00:00Z",
        EDITED,
        "2018-10-11",
        [
            "The friendship between the two countries has a long history and grows stronger every year.",
            "Kim Jong Il visited Russia three times and held talks with the Russian leaders.",
            *STEADY,
            "The delegation left Moscow on Friday.",
        ],
    ),
    (
        EDITED_URL,
        "2019-03-01T10:00:00Z",
        EDITED,
        "2018-10-12",
        [
            "The friendship between the two countries has a long history and grows stronger every year.",
            "Kim Jong Il visited Russia three times and held talks with the Russian leaders.",
            *STEADY,
            "The delegation left Moscow on Saturday.",
        ],
    ),
    # The third text seen again: its version's last sighting moves, no new version.
    (
        EDITED_URL,
        "2019-03-10T10:00:00Z",
        EDITED,
        "2018-10-12",
        [
            "The friendship between the two countries has a long history and grows stronger every year.",
            "Kim Jong Il visited Russia three times and held talks with the Russian leaders.",
            *STEADY,
            "The delegation left Moscow on Saturday.",
        ],
    ),
    (
        DELETED_URL,
        "2019-01-05T09:00:00Z",
        DELETED,
        "2019-01-04",
        ["The minister visited the machine factory and gave guidance on the spot."],
    ),
]
RODONG_CAPTURES: list[Capture] = [
    (
        RESTORED_URL,
        "2019-01-06T07:30:00Z",
        RESTORED,
        "2019-01-06",
        ["Farmers across the country finished the spring sowing."],
    ),
]
FILE_RECORDS: list[dict[str, object]] = [
    {"source": "KCNA", "title": PLAIN, "date": "2019-01-02", "language": "en", "body": "A story imported from a file."},
    {
        "source": "Rodong Sinmun",
        "title": GONE_IMPORTED,
        "date": "2019-01-03",
        "language": "en",
        "body": "Another story imported from a file, later gone from the site.",
    },
]
#: (title, kind, seen_at, detail) of what happens after the imports, in order.
LATER: list[tuple[str, str, str, str]] = [
    (RESTORED, "deleted", "2019-02-10T06:00:00Z", "absent from the index in 3 crawls"),
    (RESTORED, "restored", "2019-02-20T06:00:00Z", "listed again"),
    (DELETED, "deleted", "2019-03-05T08:00:00Z", "HTTP 404"),
    (GONE_IMPORTED, "deleted", "2019-03-07T12:00:00Z", "HTTP 410"),
]


def write_warc(path: Path, captures: list[Capture]) -> Path:
    """A WARC file holding an HTML page per capture, as a web archive keeps them."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, when, title, date, paragraphs in captures:
            text = "".join(f"<p>{p}</p>" for p in paragraphs)
            html = (
                f'<html lang="en"><head><title>{title}</title><meta property="article:published_time" '
                f'content="{date}"></head><body><article><h1>{title}</h1>{text}</article></body></html>'
            )
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.0")
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(html.encode()),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": when},
            )
            writer.write_record(record)
    return path


def moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def build_versions_archive(db: str, folder: Path) -> str:
    """The versions archive at ``db``: the captures imported as ``wirewatch import FILE.warc.gz
    --source NAME`` does, the file records, then the deletions and returns of LATER."""
    store = open_store(db)
    try:
        rules = BoilerplateRules.load(())
        for name, captures in (("KCNA", KCNA_CAPTURES), ("Rodong Sinmun", RODONG_CAPTURES)):
            warc = write_warc(folder / f"{name.split()[0].lower()}.warc.gz", captures)
            run_import(store, [str(warc)], CleanOptions(rules=rules, default_source=name))
        run_import(store, [str(write_jsonl(folder / "files.jsonl", FILE_RECORDS))], CleanOptions(rules=rules))
        ids = {a.title: int(a.id or 0) for a in store.iter_articles()}
        for title, kind, seen_at, detail in LATER:
            if kind == "deleted":
                assert store.mark_deleted([ids[title]], moment(seen_at), detail) == [ids[title]]
            else:
                assert store.restore_listed([ids[title]], moment(seen_at), detail) == [ids[title]]
    finally:
        store.close()
    return db


@pytest.fixture(scope="session")
def versions_db(location: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory) -> str:
    return build_versions_archive(location("versions"), tmp_path_factory.mktemp("versions"))


@pytest.fixture(scope="session")
def versions_client(versions_db: str) -> Iterator[TestClient]:
    yield from serve(versions_db)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def versions_ids(versions_db: str) -> dict[str, int]:
    """The versions archive's article numbers by title (the edited one by its title now)."""
    store = open_store(versions_db)
    try:
        return {a.title: int(a.id or 0) for a in store.iter_articles()}
    finally:
        store.close()


@pytest.fixture(scope="session")
def versions_site(versions_client: TestClient, versions_ids: dict[str, int]) -> dict[str, Any]:
    """The versions archive's pages, crawled from the changes, a search by status and each
    article's versions (an article that never changed links to none)."""
    start = ("/", "/changes", "/changes?kind=deleted", "/search?status=edited&status=deleted")
    return crawl(versions_client, start + tuple(f"/articles/{i}/versions" for i in versions_ids.values()))


@pytest.fixture(scope="session")
def empty_db(location: Callable[[str], str]) -> str:
    db = location("empty")
    open_store(db).close()
    return db


def serve(db: Path, **settings: Any) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=str(db), **settings))) as client:
        yield client


@pytest.fixture(scope="session")
def client(sample_db: Path) -> Iterator[TestClient]:
    """The reader over the sample archive."""
    yield from serve(sample_db)


@pytest.fixture(scope="session")
def based_client(sample_db: Path) -> Iterator[TestClient]:
    """The reader over the sample archive, with WIREWATCH_BASE_URL set."""
    yield from serve(sample_db, base_url=BASE_URL)


@pytest.fixture(scope="session")
def edge_client(edge_db: Path) -> Iterator[TestClient]:
    yield from serve(edge_db)


@pytest.fixture(scope="session")
def paged_client(paged_db: Path) -> Iterator[TestClient]:
    yield from serve(paged_db)


@pytest.fixture(scope="session")
def empty_client(empty_db: Path) -> Iterator[TestClient]:
    yield from serve(empty_db)


@pytest.fixture(scope="session")
def lenient_client(sample_db: Path) -> Iterator[TestClient]:
    """Answers a server error with the 500 page, as a real server would, instead of raising."""
    with TestClient(create_app(Settings(db=str(sample_db))), raise_server_exceptions=False) as lenient:
        yield lenient


@pytest.fixture(scope="session")
def edge_ids(edge_client: TestClient) -> dict[str, int]:
    """The edge archive's article numbers by title, as stored (hostile text decoded)."""
    articles = edge_client.get("/api/articles", params={"limit": 500}).json()["articles"]
    ids = {a["title"]: a["id"] for a in articles}
    # The hostile text must reach the archive as raw characters, or the escaping tests test nothing.
    assert f"Talks {SCRIPT}" in ids and f"Evil {IMG} headline" in ids
    assert HOSTILE_SOURCE in {a["source"] for a in articles}
    return ids


def find_article(client: TestClient, title: str) -> int:
    """The number of the one original article titled exactly ``title``, found through the
    API's title search (a search lists originals only, not their copies)."""
    phrase = title.replace('"', " ")
    response = client.get("/api/search", params={"q": f'title:"{phrase}"', "limit": 1000})
    assert response.status_code == 200, response.text
    found = [hit["id"] for hit in response.json()["hits"] if hit["title"] == title]
    assert len(found) == 1, (title, found)
    return found[0]


@pytest.fixture(scope="session")
def sample_ids(client: TestClient) -> dict[str, int]:
    """The sample articles the tests name, by title; ``REPEATED + " (copy)"`` is the copy
    of ``REPEATED``."""
    ids = {
        title: find_article(client, title)
        for title in (REFERENCE, KCNA_STORY, KOREAN_ADDRESS, KOREAN_EDITORIAL, HEADLINE, REPEATED, DERIVED)
    }
    copies = client.get(f"/api/articles/{ids[REPEATED]}").json()["duplicates"]
    assert len(copies) == 1, copies
    ids[REPEATED + " (copy)"] = copies[0]
    return ids


# Reading responses ----------------------------------------------------------------------


def page(response: Any, status: int = 200) -> lxml.html.HtmlElement:
    """The response's HTML as a tree, after checking its status and type."""
    assert response.status_code == status, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("text/html")
    return lxml.html.fromstring(response.text)


def text_of(element: lxml.html.HtmlElement) -> str:
    """An element's text as a reader sees it: whitespace runs as one space."""
    return " ".join(element.text_content().split())


def one(doc: lxml.html.HtmlElement, xpath: str) -> Any:
    found = doc.xpath(xpath)
    assert len(found) == 1, (xpath, len(found))
    return found[0]


def article_ids(doc: lxml.html.HtmlElement, xpath: str = "//main//a[@class='title']") -> list[int]:
    """The article numbers the list links to, in page order."""
    return [int(re.fullmatch(r"/articles/(\d+)", a.get("href"))[1]) for a in doc.xpath(xpath)]  # type: ignore[index]


def query_of(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def meta(doc: lxml.html.HtmlElement, key: str) -> str:
    """The content of ``<meta property=key>`` or ``<meta name=key>``."""
    return str(one(doc, f"//head/meta[@property='{key}' or @name='{key}']").get("content"))


def run_cli(db: Path, *args: str) -> Any:
    """``wirewatch --db DB ARGS`` through the real command; its stdout read as JSON."""
    from wirewatch.cli import app

    result = CliRunner().invoke(app, ["--db", str(db), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def crawl(client: TestClient, start: tuple[str, ...] = ("/",), limit: int = 400) -> dict[str, Any]:
    """The site's HTML pages reachable from ``start`` by its own links (feeds, CSV, JSON and
    static files left out), by address, breadth first, at most ``limit`` of them."""
    found: dict[str, Any] = {}
    queue = list(start)
    while queue and len(found) < limit:
        url = queue.pop(0)
        if url in found:
            continue
        response = client.get(url)
        found[url] = response
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        for href in lxml.html.fromstring(response.text).xpath("//a/@href"):
            target = href.split("#", 1)[0]
            if (
                target.startswith("/")
                and not target.startswith(("//", "/static/"))
                and not (target.startswith("/api/") and not target.startswith("/api/docs"))
                and not urlsplit(target).path.endswith((".atom", ".csv"))
                and target not in found
            ):
                queue.append(target)
    return found


@pytest.fixture(scope="session")
def sample_site(client: TestClient) -> dict[str, Any]:
    """The sample archive's pages, crawled from / and from a search, a 404 and a bad search."""
    return crawl(client, ("/", "/search?q=Russia*", "/search?q=%22unclosed", "/articles/99999999", "/days/2011-08-19"))


@pytest.fixture(scope="session")
def edge_site(edge_client: TestClient) -> dict[str, Any]:
    return crawl(edge_client, ("/", "/search?q=alert", "/search?q=Russia", "/sources"))


# The analysed archive ----------------------------------------------------------------------


def analyse_archive(db: str) -> str:
    """Write every article's entities and events, as import does (replacing any it wrote)."""
    from wirewatch.analysis.actors import Actors
    from wirewatch.analysis.analyse import analyse
    from wirewatch.store.analysis import write_analysis

    store = open_store(db)
    try:
        actors = Actors.load()
        rows = []
        for article in store.iter_articles():
            found = analyse(article, actors)
            rows.append((int(article.id or 0), found.entities, found.events))
        with store.writer.begin() as conn:  # type: ignore[attr-defined]
            write_analysis(conn, rows, replace=True)
    finally:
        store.close()
    return db


@pytest.fixture(scope="session")
def analysed_db(location: Callable[[str], str]) -> str:
    """The sample archive with its entities and events stored."""
    sample = importlib.resources.files("wirewatch") / "sample"
    return analyse_archive(build_archive(location("analysed"), [Path(str(sample))]))


@pytest.fixture(scope="session")
def analysed_client(analysed_db: str) -> Iterator[TestClient]:
    yield from serve(analysed_db)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def analysed_site(analysed_client: TestClient) -> dict[str, Any]:
    """The entity and relations pages, crawled from the relations of DPRK and Russia."""
    start = (
        "/relations",
        "/relations/PRK/RUS",
        "/relations/PRK/RUS?by=month",
        "/entities/person/kim-jong-un",
        "/entities/country/RUS?by=month",
        "/entities/person/nobody",
        "/entities/thing/x",
        "/relations/PRK/XYZ",
    )
    return crawl(analysed_client, start, limit=150)
