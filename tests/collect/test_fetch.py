"""The fetcher against the local site, through ``Fetcher.fetch`` over real HTTP (the robots
cache's expiry and the option checks aside, which need no server)."""

from __future__ import annotations

import gzip
import itertools
import logging
import socket
import threading
import tracemalloc
import zlib
from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.collect.site import LocalSite, article_html, gzip_bomb, rss
from wirewatch import __version__
from wirewatch.collect.fetch import DEFAULT_USER_AGENT, Fetcher, FetchOptions
from wirewatch.collect.robots import RobotsCache
from wirewatch.errors import (
    ConfigError,
    FetchRefused,
    FetchTimeout,
    NetworkError,
    ResponseTooLarge,
    TooManyRedirects,
    UnwantedContent,
)

KOREAN = "조선민주주의인민공화국"
CP949_ONLY = "똠방각하 햏 뷁"  # not in EUC-KR (KS X 1001): only CP949 encodes these as two bytes

MakeFetcher = Callable[..., Fetcher]


class Sleeps(list[float]):
    """A ``sleep`` that records how long it was asked to wait and returns at once."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def make(sleeps: Sleeps) -> Iterator[MakeFetcher]:
    """Builds Fetchers that may fetch loopback, with fast timeouts and a recorded sleep;
    robots.txt is off unless a test turns it on."""
    made: list[Fetcher] = []

    def build(**changes: object) -> Fetcher:
        options = {
            "allow_private": True,
            "robots": False,
            "connect_timeout": 2.0,
            "read_timeout": 2.0,
            "max_time": 10.0,
            **changes,
        }
        fetcher = Fetcher(FetchOptions(**options), sleep=sleeps)  # type: ignore[arg-type]
        made.append(fetcher)
        return fetcher

    yield build
    for fetcher in made:
        fetcher.close()


def test_a_page_comes_back_decoded_with_its_validators(site: LocalSite, make: MakeFetcher) -> None:
    site.set("/news/1.html", article_html("Talks in Pyongyang", ["Délégation arrivée."], date="2024-05-01"))
    result = make().fetch(site.url("/news/1.html"))
    assert (result.status, result.final_url, result.redirects, result.attempts) == (
        200,
        site.url("/news/1.html"),
        (),
        1,
    )
    assert "Délégation arrivée." in result.text and result.charset == "utf-8"
    assert result.content_type == "text/html" and not result.not_modified
    assert result.etag and result.last_modified and result.elapsed > 0


def test_the_user_agent_is_sent_with_every_request(site: LocalSite, make: MakeFetcher) -> None:
    site.set("/a", "<p>a</p>")
    make(robots=True).fetch(site.url("/a"))
    assert [request.path for request in site.requests] == ["/robots.txt", "/a"]
    assert {request.headers["User-Agent"] for request in site.requests} == {DEFAULT_USER_AGENT}
    assert f"wirewatch/{__version__} (self-hosted news archive)" == DEFAULT_USER_AGENT
    make(user_agent="archive-bot/2.0").fetch(site.url("/a"))
    assert site.requests[-1].headers["user-agent"] == "archive-bot/2.0"


def test_conditional_get_answers_not_modified(site: LocalSite, make: MakeFetcher) -> None:
    site.set("/a", "<p>first</p>")
    fetcher = make()
    first = fetcher.fetch(site.url("/a"))
    again = fetcher.fetch(site.url("/a"), etag=first.etag)
    assert again.status == 304 and again.not_modified and again.text == "" and again.content == b""
    assert site.requests[-1].headers["If-None-Match"] == first.etag
    by_date = fetcher.fetch(site.url("/a"), last_modified=first.last_modified)
    assert by_date.not_modified and site.requests[-1].headers["If-Modified-Since"] == first.last_modified
    site.set("/a", "<p>changed</p>")
    changed = fetcher.fetch(site.url("/a"), etag=first.etag)
    assert changed.status == 200 and "changed" in changed.text and changed.etag != first.etag


@pytest.mark.parametrize("status", [404, 410])
def test_deleted_pages_come_back_as_results_without_retries(site: LocalSite, make: MakeFetcher, status: int) -> None:
    site.set("/a", "<p>a</p>")
    site.delete("/a") if status == 404 else site.gone("/a")
    result = make().fetch(site.url("/a"))
    assert (result.status, result.attempts, site.count("/a")) == (status, 1, 1)


def test_server_errors_are_retried_with_jittered_backoff(site: LocalSite, make: MakeFetcher, sleeps: Sleeps) -> None:
    site.set("/a", "<p>at last</p>")
    site.fail("/a", 2)
    result = make(backoff=0.5, backoff_cap=60.0).fetch(site.url("/a"))
    assert (result.status, result.attempts, site.count("/a")) == (200, 3, 3) and "at last" in result.text
    assert len(sleeps) == 2 and 0 <= sleeps[0] <= 0.5 and 0 <= sleeps[1] <= 1.0


def test_the_backoff_never_passes_its_cap(site: LocalSite, make: MakeFetcher, sleeps: Sleeps) -> None:
    site.fail("/a", 10)
    make(retries=6, backoff=10.0, backoff_cap=0.25).fetch(site.url("/a"))
    assert len(sleeps) == 6 and max(sleeps) <= 0.25


def test_a_persistent_server_error_is_returned_after_the_retries(site: LocalSite, make: MakeFetcher) -> None:
    site.set("/a", "<p>never</p>")
    site.fail("/a", 100, status=503)
    result = make(retries=2).fetch(site.url("/a"))
    assert (result.status, result.attempts, site.count("/a")) == (503, 3, 3)


@pytest.mark.parametrize(("retry_after", "slept"), [("2", 2.0), ("3600", 5.0)])
def test_too_many_requests_waits_as_told_up_to_the_cap(
    site: LocalSite, make: MakeFetcher, sleeps: Sleeps, retry_after: str, slept: float
) -> None:
    site.set("/a", "<p>a</p>")
    site.fail("/a", 1, status=429, headers={"Retry-After": retry_after})
    result = make(backoff_cap=5.0).fetch(site.url("/a"))
    assert result.status == 200 and result.attempts == 2 and sleeps == [slept]


def test_no_answer_in_time_is_a_timeout_after_the_retries(site: LocalSite, make: MakeFetcher) -> None:
    site.set("/slow", "<p>late</p>")
    site.hang("/slow", 3.0)
    with pytest.raises(FetchTimeout, match="after 2 attempts"):
        make(read_timeout=0.2, retries=1).fetch(site.url("/slow"))
    assert site.count("/slow") == 2


def test_a_slow_drip_is_cut_off_at_max_time(site: LocalSite, make: MakeFetcher) -> None:
    site.drip("/drip", total_bytes=2_000, bytes_per_chunk=10, interval=0.05)  # 10 s in all
    with pytest.raises(FetchTimeout, match="max_time") as caught:
        make(read_timeout=1.0, max_time=0.5).fetch(site.url("/drip"))
    assert site.count("/drip") == 1  # not retried: a second drip would hold the worker as long again
    assert caught.value.outcome == "timeout"


@pytest.mark.parametrize("announced", [True, False], ids=["content-length", "chunked"])
def test_a_huge_page_is_refused_without_holding_it_in_memory(
    site: LocalSite, make: MakeFetcher, announced: bool
) -> None:
    site.big("/huge", 20_000_000, content_length=announced)
    fetcher = make(max_bytes=10 * 1024 * 1024)
    tracemalloc.start()
    try:
        with pytest.raises(ResponseTooLarge, match="announces" if announced else "reading stopped"):
            fetcher.fetch(site.url("/huge"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 12 * 1024 * 1024  # the 10 MiB cap and a little: never the 20 MB body


def test_a_gzip_bomb_is_refused_without_inflating_past_the_limit(site: LocalSite, make: MakeFetcher) -> None:
    # 1 MB on the wire, 1 GiB inflated. httpx inflated each network read whole (a 64 KiB
    # read of it is 64 MiB): the peak here was 140 MiB before the limit was noticed.
    site.set("/bomb.html", gzip_bomb(), headers={"Content-Encoding": "gzip"})
    fetcher = make(max_bytes=2 * 1024 * 1024)
    tracemalloc.start()
    try:
        with pytest.raises(ResponseTooLarge, match="limit of 2097152 bytes") as caught:
            fetcher.fetch(site.url("/bomb.html"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB"  # the 2 MiB cap and a little
    assert "decompressed (gzip)" in str(caught.value) and caught.value.outcome == "too_large"


def _gzip_members(text: str) -> bytes:
    half = len(text) // 2
    return gzip.compress(text[:half].encode()) + gzip.compress(text[half:].encode())


@pytest.mark.parametrize(
    ("coding", "encode"),
    [
        ("gzip", lambda text: gzip.compress(text.encode())),
        ("x-gzip", lambda text: gzip.compress(text.encode())),
        ("gzip", _gzip_members),
        ("deflate", lambda text: zlib.compress(text.encode())),
        ("deflate", lambda text: zlib.compress(text.encode(), wbits=-zlib.MAX_WBITS)),
        ("deflate, gzip", lambda text: gzip.compress(zlib.compress(text.encode()))),
        ("identity", lambda text: text.encode()),
    ],
    ids=["gzip", "x-gzip", "gzip-members", "deflate", "raw-deflate", "deflate-then-gzip", "identity"],
)
def test_compressed_pages_decode(
    site: LocalSite, make: MakeFetcher, coding: str, encode: Callable[[str], bytes]
) -> None:
    page = article_html("Talks in Pyongyang", ["Délégation arrivée. " * 20_000])  # 400 KB: many steps
    site.set("/page.html", encode(page), headers={"Content-Encoding": coding})
    result = make().fetch(site.url("/page.html"))
    same = result.content == page.encode() and result.text == page  # compared apart: no 400 KB diff on failure
    assert same, f"the page came back changed: {len(result.content)} bytes for {len(page.encode())}"
    assert site.requests[-1].headers["Accept-Encoding"] == "gzip, deflate"


@pytest.mark.parametrize(
    ("coding", "body", "reason"),
    [
        ("gzip", b"\x1f\x8b\x08\x00not gzip at all", "gzip stream is corrupt"),
        ("br", b"\x1b\x03\x00\xf8\xa5\x8a", "content-encoding br is not supported"),
    ],
)
def test_a_body_that_cannot_be_decompressed_is_unreadable(
    site: LocalSite, make: MakeFetcher, coding: str, body: bytes, reason: str
) -> None:
    site.set("/page.html", body, headers={"Content-Encoding": coding})
    with pytest.raises(NetworkError, match=f"unreadable answer \\(the {reason}"):
        make().fetch(site.url("/page.html"))


def test_a_redirect_chain_is_followed(site: LocalSite, make: MakeFetcher) -> None:
    site.redirect("/old", "/moved", status=301)
    site.redirect("/moved", site.url("/again"), status=302)
    site.redirect("/again", "/new", status=307)
    site.set("/new", "<p>here now</p>")
    result = make().fetch(site.url("/old"))
    assert result.url == site.url("/old") and result.final_url == site.url("/new")
    assert result.redirects == (site.url("/moved"), site.url("/again"), site.url("/new"))
    assert "here now" in result.text


def test_a_redirect_loop_is_reported_with_its_chain(site: LocalSite, make: MakeFetcher) -> None:
    site.redirect("/x", "/y")
    site.redirect("/y", "/x")
    with pytest.raises(TooManyRedirects, match=r"loop: .*/x -> .*/y -> .*/x$"):
        make().fetch(site.url("/x"))


def test_more_redirects_than_allowed_stop(site: LocalSite, make: MakeFetcher) -> None:
    for step in range(4):
        site.redirect(f"/{step}", f"/{step + 1}")
    site.set("/4", "<p>end</p>")
    assert make(max_redirects=4).fetch(site.url("/0")).final_url == site.url("/4")
    with pytest.raises(TooManyRedirects, match="more than 3 redirects"):
        make(max_redirects=3).fetch(site.url("/0"))
    assert site.count("/4") == 1


def test_robots_txt_is_obeyed_and_fetched_once(site: LocalSite, make: MakeFetcher) -> None:
    site.robots("User-agent: *\nDisallow: /private/\nDisallow: /*?print=\n")
    for path in ("/public/1", "/public/2", "/private/1", "/story"):
        site.set(path, "<p>page</p>")
    fetcher = make(robots=True)
    for path in ("/public/1", "/public/2", "/story"):
        assert fetcher.fetch(site.url(path)).status == 200
    for path in ("/private/1", "/story?print=1"):
        with pytest.raises(FetchRefused, match=r"robots.txt"):
            fetcher.fetch(site.url(path))
    assert site.count("/robots.txt") == 1 and site.count("/private/1") == 0 and site.count("/story") == 1


def test_robots_rules_for_our_agent_and_the_longest_match_win(site: LocalSite, make: MakeFetcher) -> None:
    site.robots("User-agent: *\nDisallow:\n\nUser-agent: wirewatch\nDisallow: /news/\nAllow: /news/today\n")
    site.set("/news/today", "<p>today</p>")
    fetcher = make(robots=True)
    assert fetcher.fetch(site.url("/news/today")).status == 200
    with pytest.raises(FetchRefused, match=r"robots.txt"):
        fetcher.fetch(site.url("/news/archive"))
    make(robots=True, user_agent="otherbot/1.0").fetch(site.url("/news/archive"))  # the * group allows it


def test_a_redirect_into_a_disallowed_path_is_refused(site: LocalSite, make: MakeFetcher) -> None:
    site.robots("User-agent: *\nDisallow: /private/\n")
    site.redirect("/go", "/private/x")
    with pytest.raises(FetchRefused, match=r"robots.txt"):
        make(robots=True).fetch(site.url("/go"))
    assert site.count("/private/x") == 0


def test_without_robots_txt_everything_is_allowed(site: LocalSite, make: MakeFetcher) -> None:
    site.set("/a", "<p>a</p>")
    assert make(robots=True).fetch(site.url("/a")).status == 200
    assert site.count("/robots.txt") == 1


def test_a_failing_robots_txt_refuses_the_whole_site(site: LocalSite, make: MakeFetcher) -> None:
    site.set("/a", "<p>a</p>")
    site.fail("/robots.txt", 100, status=500)
    fetcher = make(robots=True, retries=1)
    for _ in range(2):
        with pytest.raises(FetchRefused, match=r"robots.txt"):
            fetcher.fetch(site.url("/a"))
    assert site.count("/a") == 0 and site.count("/robots.txt") == 2  # one try and one retry, then cached


def test_robots_txt_in_a_redirect_loop_counts_as_absent(site: LocalSite, make: MakeFetcher) -> None:
    site.redirect("/robots.txt", "/robots-a.txt")
    site.redirect("/robots-a.txt", "/robots.txt")
    site.set("/a", "<p>a</p>")
    assert make(robots=True).fetch(site.url("/a")).status == 200  # RFC 9309: "unavailable", so allowed


def test_robots_txt_is_loaded_again_after_its_hour() -> None:
    now = [0.0]
    loads: list[str] = []

    def load(url: str) -> tuple[int, str]:
        loads.append(url)
        return 200, "User-agent: *\nDisallow: /private/\n"

    cache = RobotsCache("wirewatch/1.0", clock=lambda: now[0])
    assert cache.allows("http://News.example/a", load) and not cache.allows("http://news.example/private/b", load)
    now[0] = 3599.0
    cache.allows("http://news.example/a", load)
    assert loads == ["http://news.example/robots.txt"]
    now[0] = 3600.0
    cache.allows("http://news.example/a", load)
    assert len(loads) == 2


def test_loopback_is_refused_unless_allowed(site: LocalSite, make: MakeFetcher) -> None:
    site.set("/a", "<p>a</p>")
    for url in (site.url("/a"), site.url("/a", host="localhost")):
        with pytest.raises(FetchRefused, match="private or reserved address"):
            make(allow_private=False).fetch(url)
    with pytest.raises(FetchRefused):
        make(allow_private=True).fetch(site.url("/a"), allow_private=False)
    assert site.count("/a") == 0
    assert make(allow_private=False).fetch(site.url("/a"), allow_private=True).status == 200


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://127.0.0.1/a", "http:///no-host", "mailto:desk@example.org"]
)
def test_urls_that_are_not_http_with_a_host_are_refused(make: MakeFetcher, url: str) -> None:
    with pytest.raises(FetchRefused):
        make().fetch(url)


def test_a_redirect_to_a_private_address_is_refused(site: LocalSite, monkeypatch: pytest.MonkeyPatch) -> None:
    # news.example passes the address check as a public host; its redirect points at loopback.
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host == "news.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port))]
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    network = httpx.HTTPTransport()

    def route(request: httpx.Request) -> httpx.Response:
        if request.url.host == "news.example":
            return httpx.Response(301, headers={"Location": site.url("/internal", host="localhost")})
        return network.handle_request(request)

    site.set("/internal", "<p>secret</p>")
    with Fetcher(FetchOptions(robots=False), transport=httpx.MockTransport(route)) as fetcher:
        with pytest.raises(FetchRefused, match=r"localhost resolves to 127.0.0.1"):
            fetcher.fetch("http://news.example/story")
        # The same chain with private addresses allowed reaches the page: the refusal above was the check.
        assert "secret" in fetcher.fetch("http://news.example/story", allow_private=True).text
    network.close()


def test_dns_rebinding_between_check_and_connect_is_refused(site: LocalSite, monkeypatch: pytest.MonkeyPatch) -> None:
    # The first lookup (the check) says public, the next (the connection) says loopback.
    real_getaddrinfo = socket.getaddrinfo
    lookups: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host == "rebind.example":
            lookups.append(host)
            address = "93.184.216.34" if len(lookups) == 1 else "127.0.0.1"
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    site.set("/a", "<p>a</p>")
    with Fetcher(FetchOptions(robots=False)) as fetcher, pytest.raises(FetchRefused, match=r"127.0.0.1"):
        fetcher.fetch(f"http://rebind.example:{site.port}/a")
    assert len(lookups) == 2 and site.count("/a") == 0


def test_content_that_is_not_a_page_or_feed_is_unwanted(site: LocalSite, make: MakeFetcher) -> None:
    site.set("/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(100), content_type="image/png")
    with pytest.raises(UnwantedContent, match="image/png") as caught:
        make().fetch(site.url("/logo.png"))
    assert caught.value.outcome == "content_type"


def test_feeds_are_accepted(site: LocalSite, make: MakeFetcher) -> None:
    site.set(
        "/rss.xml",
        rss([{"title": "Talks", "link": site.url("/1"), "date": "2024-05-01"}]),
        content_type="application/rss+xml",
    )
    result = make().fetch(site.url("/rss.xml"))
    assert result.content_type == "application/rss+xml" and "<title>Talks</title>" in result.text


def test_without_a_content_type_markup_is_sniffed_and_the_rest_refused(site: LocalSite, make: MakeFetcher) -> None:
    site.set("/page", "\ufeff  \n<!DOCTYPE html><p>sniffed</p>", content_type=None)
    site.set("/feed", '<?xml version="1.0"?><rss/>', content_type=None)
    site.set("/blob", b"\x00\x01binary", content_type=None)
    fetcher = make()
    page = fetcher.fetch(site.url("/page"))
    assert page.content_type == "text/html" and "sniffed" in page.text
    assert fetcher.fetch(site.url("/feed")).content_type == "application/xml"
    with pytest.raises(UnwantedContent, match="no content type"):
        fetcher.fetch(site.url("/blob"))


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "text/html; charset=iso-8859-1", "text/html"])
def test_a_euc_kr_page_decodes_whatever_the_header_says(site: LocalSite, make: MakeFetcher, content_type: str) -> None:
    title = f"{KOREAN} 창건"
    site.set(
        "/ko",
        article_html(title, [f"{KOREAN}의 소식"], lang="ko", charset="euc-kr"),
        content_type=content_type,
        encoding="euc-kr",
    )
    result = make().fetch(site.url("/ko"))
    assert f"<h1>{title}</h1>" in result.text and f"{KOREAN}의 소식" in result.text
    assert result.charset == "cp949"


def test_cp949_only_characters_on_a_page_declared_euc_kr(site: LocalSite, make: MakeFetcher) -> None:
    site.set(
        "/ko",
        article_html(CP949_ONLY, [CP949_ONLY], charset="euc-kr"),
        content_type="text/html; charset=euc-kr",
        encoding="cp949",
    )
    result = make().fetch(site.url("/ko"))
    assert f"<h1>{CP949_ONLY}</h1>" in result.text and result.charset == "cp949"


def test_a_correct_single_byte_header_is_used(site: LocalSite, make: MakeFetcher) -> None:
    site.set("/fr", "<p>Délégation à Pyongyang</p>", content_type="text/html; charset=windows-1252", encoding="cp1252")
    result = make().fetch(site.url("/fr"))
    assert "Délégation à Pyongyang" in result.text and result.charset == "cp1252"


def test_the_per_host_delay_separates_request_starts(site: LocalSite, make: MakeFetcher, sleeps: Sleeps) -> None:
    for path in ("/1", "/2", "/3"):
        site.set(path, "<p>page</p>")
    fetcher = make()
    for path in ("/1", "/2", "/3"):
        fetcher.fetch(site.url(path), delay=2.0)
    assert len(sleeps) == 2 and all(1.5 < seconds <= 2.0 for seconds in sleeps)


def test_threads_take_turns_on_one_host(site: LocalSite) -> None:
    paths = [f"/{number}" for number in range(4)]
    for path in paths:
        site.set(path, "<p>page</p>")
    with Fetcher(FetchOptions(allow_private=True, robots=False)) as fetcher:  # the real sleep
        threads = [
            threading.Thread(target=fetcher.fetch, args=(site.url(path),), kwargs={"delay": 0.2}) for path in paths
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    # Arrival times carry connection set-up jitter, hence the margin; without turns they would all arrive at once.
    starts = sorted(request.at for request in site.requests)
    assert len(starts) == 4 and all(later - earlier >= 0.15 for earlier, later in itertools.pairwise(starts))


def test_each_fetch_logs_one_structured_line(
    site: LocalSite, make: MakeFetcher, caplog: pytest.LogCaptureFixture
) -> None:
    site.set("/a", "<p>a</p>")
    site.delete("/gone")
    site.set("/img", b"GIF89a", content_type="image/gif")
    fetcher = make()
    with caplog.at_level(logging.INFO, logger="wirewatch.fetch"):
        fetcher.fetch(site.url("/a"))
        fetcher.fetch(site.url("/gone"))
        with pytest.raises(UnwantedContent):
            fetcher.fetch(site.url("/img"))
    records = [record for record in caplog.records if record.name == "wirewatch.fetch"]
    assert [(record.url, record.status, record.attempts) for record in records] == [  # type: ignore[attr-defined]
        (site.url("/a"), 200, 1),
        (site.url("/gone"), 404, 1),
        (site.url("/img"), None, 1),
    ]
    assert all(record.elapsed >= 0 for record in records)  # type: ignore[attr-defined]


def test_options_refuse_values_that_cannot_work() -> None:
    with pytest.raises(ConfigError, match="max_bytes"):
        FetchOptions(max_bytes=0)
    with pytest.raises(ConfigError, match="retries"):
        FetchOptions(retries=-1)
