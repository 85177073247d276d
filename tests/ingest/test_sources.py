"""The sources file: reading, checking, writing back; the shipped profiles; OPML import."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wirewatch.collect.sources import (
    EntryPoint,
    Selectors,
    SourceProfile,
    builtin_profiles,
    format_interval,
    import_opml,
    load_sources,
    parse_interval,
    save_sources,
)
from wirewatch.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
FILE = "wirewatch-sources.toml"

FULL = SourceProfile(
    name="Rodong Sinmun",
    homepage="http://www.rodong.rep.kp/en/",
    entry_points=(
        EntryPoint("index", "http://www.rodong.rep.kp/en/", r"/en/index\.php\?MTJA"),
        EntryPoint("feed", "https://example.org/rss"),
        EntryPoint("sitemap", "https://example.org/sitemap.xml"),
        EntryPoint("sitemap", "https://example.org/news.xml", r"/news/\d+"),
    ),
    languages=("en", "ko"),
    date_order="YMD",
    selectors=Selectors(title=".news_Title", body="div.ArticleContent > p"),
    interval=dt.timedelta(minutes=90),
    delay=2.5,
    enabled=False,
    allow_private=True,
    missing_after=5,
    max_articles=20,
    needs_confirmation=True,
    notes='Two lines,\nwith "quotes" and a \\ backslash.',
)


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in tmp_path, so messages name the file as ``wirewatch-sources.toml``."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def problems_of(text: str) -> list[str]:
    Path(FILE).write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_sources(FILE)
    return str(caught.value).splitlines()


# --- round trips --------------------------------------------------------------------------


def test_every_field_round_trips(tmp_path: Path) -> None:
    minimal = SourceProfile("KCNA", None, (EntryPoint("feed", "http://www.kcna.kp/rss"),))
    save_sources(tmp_path / "s.toml", [FULL, minimal])
    assert load_sources(tmp_path / "s.toml") == [FULL, minimal]


@pytest.mark.parametrize("notes", ["checked daily\r\nby hand", "\r\n", "two\nlines"])
def test_notes_keep_their_line_breaks_as_written(tmp_path: Path, notes: str) -> None:
    # a multi-line TOML string reads a carriage return back as a bare line break
    profile = SourceProfile("KCNA", None, (EntryPoint("feed", "http://www.kcna.kp/rss"),), notes=notes)
    save_sources(tmp_path / "s.toml", [profile])
    assert load_sources(tmp_path / "s.toml") == [profile]


def test_defaults_are_left_out_and_the_header_points_to_the_docs(tmp_path: Path) -> None:
    save_sources(tmp_path / "s.toml", [SourceProfile("KCNA", None, (EntryPoint("feed", "http://www.kcna.kp/rss"),))])
    text = (tmp_path / "s.toml").read_text(encoding="utf-8")
    assert text.startswith("# ") and "docs/sources.md" in text
    body = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert body == ["[sources.KCNA]", "feeds = [", '    "http://www.kcna.kp/rss",', "]"]


def test_names_with_spaces_are_quoted_tables(tmp_path: Path) -> None:
    save_sources(tmp_path / "s.toml", [FULL])
    assert '[sources."Rodong Sinmun"]' in (tmp_path / "s.toml").read_text(encoding="utf-8")


def test_entry_points_are_kept_feeds_sitemaps_then_index_pages() -> None:
    assert [e.kind for e in FULL.entry_points] == ["feed", "sitemap", "sitemap", "index"]
    assert [e.url for e in FULL.entry_points if e.kind == "sitemap"] == [
        "https://example.org/sitemap.xml",
        "https://example.org/news.xml",
    ]


def test_empty_selectors_are_none() -> None:
    assert SourceProfile("A", None, (), selectors=Selectors()).selectors is None


NAMES = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30).filter(
    lambda s: s == s.strip()
)
URLS = st.builds(
    "{}://{}.example/{}".format,
    st.sampled_from(["http", "https"]),
    st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True),
    st.from_regex(r"[a-z0-9/._-]{0,20}", fullmatch=True),
)
PATTERNS = st.sampled_from(
    [r"/news/\d+", r"index\.php\?MTJA", "article", r"^https?://[^/]+/a/[0-9a-f]{32}$", "(?i)story"]
)
ENTRY_POINTS = st.one_of(
    st.builds(EntryPoint, st.just("feed"), URLS),
    st.builds(EntryPoint, st.just("sitemap"), URLS, st.none() | PATTERNS),
    st.builds(EntryPoint, st.just("index"), URLS, PATTERNS),
)
CSS = st.none() | st.sampled_from(["h1", ".title", "div.article > p", "#main time[datetime]", "article p:nth-child(2)"])
PROFILES = st.builds(
    SourceProfile,
    name=NAMES,
    homepage=st.none() | URLS,
    entry_points=st.lists(ENTRY_POINTS, min_size=1, max_size=4, unique_by=lambda e: (e.kind, e.url)).map(tuple),
    languages=st.lists(st.sampled_from(["en", "ko", "ru", "zh-Hant", "es", "ja"]), unique=True).map(tuple),
    date_order=st.none() | st.sampled_from(["DMY", "MDY", "YMD"]),
    selectors=st.none() | st.builds(Selectors, CSS, CSS, CSS),
    interval=st.integers(1, 10**7).map(lambda s: dt.timedelta(seconds=s)),
    delay=st.floats(0, 1e6, allow_nan=False),
    enabled=st.booleans(),
    allow_private=st.booleans(),
    missing_after=st.integers(1, 1000),
    max_articles=st.integers(1, 100_000),
    needs_confirmation=st.booleans(),
    notes=st.text(st.characters(blacklist_categories=("Cs",)), max_size=80),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(PROFILES, max_size=4, unique_by=lambda p: p.name.casefold()))
def test_any_valid_profiles_round_trip(tmp_path: Path, profiles: list[SourceProfile]) -> None:
    path = tmp_path / "s.toml"
    save_sources(path, profiles)
    assert load_sources(path) == profiles


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30m", 1800), ("6h", 21600), ("1d", 86400), ("1h30m", 5400), ("90", 90), (3600, 3600), (" 2H ", 7200)],
)
def test_intervals(text: object, seconds: int) -> None:
    assert parse_interval(text) == dt.timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("seconds", "written"), [(5400, "90m"), (86400, "1d"), (7200, "2h"), (61, "61s"), (172800, "2d")]
)
def test_intervals_are_written_in_the_largest_exact_unit(seconds: int, written: str) -> None:
    assert format_interval(dt.timedelta(seconds=seconds)) == written


@pytest.mark.parametrize("text", ["6x", "0", "0h", "-5", "h", "", "1.5h"])
def test_bad_intervals(text: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(f"--interval {text!r}: ")):
        parse_interval(text)


# --- reading and checking -----------------------------------------------------------------


def test_a_missing_file_declares_no_sources(tmp_path: Path) -> None:
    assert load_sources(tmp_path / "absent.toml") == []


def test_an_empty_file_declares_no_sources(tmp_path: Path) -> None:
    (tmp_path / "s.toml").write_text("# nothing yet\n", encoding="utf-8")
    assert load_sources(tmp_path / "s.toml") == []


def test_hand_written_file_with_literal_strings_and_integer_seconds(in_tmp: Path) -> None:
    Path(FILE).write_text(
        """
[sources."Rodong Sinmun"]
interval = 3600
delay = 10
date_order = "ymd"

[[sources."Rodong Sinmun".index_pages]]
url = "http://www.rodong.rep.kp/en/"
link_pattern = '/en/index\\.php\\?MTJA'
""",
        encoding="utf-8",
    )
    [source] = load_sources(FILE)
    assert source.interval == dt.timedelta(hours=1) and source.delay == 10.0 and source.date_order == "YMD"
    assert source.entry_points == (EntryPoint("index", "http://www.rodong.rep.kp/en/", r"/en/index\.php\?MTJA"),)


def test_the_full_example_in_the_docs_loads(tmp_path: Path) -> None:
    doc = (REPO / "docs" / "sources.md").read_text(encoding="utf-8")
    example = re.search(r"## A full example\n\n```toml\n(.*?)```", doc, re.S)
    assert example
    (tmp_path / "s.toml").write_text(example.group(1), encoding="utf-8")
    sources = load_sources(tmp_path / "s.toml")
    assert [s.name for s in sources] == ["NK News", "Rodong Sinmun", "Example"]
    assert [e.kind for e in sources[2].entry_points] == ["sitemap", "sitemap", "index"]


S = '[sources.KCNA]\nfeeds = ["http://www.kcna.kp/rss"]\n'
P = f"{FILE}: source 'KCNA': "


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (S + 'interval = "6x"', P + "interval '6x': expected a duration such as 30m, 6h or 1d"),
        (S + "interval = 0", P + "interval 0: must be longer than 0 seconds"),
        (
            S + 'homepage = "ftp://kcna.kp/"',
            P + "homepage 'ftp://kcna.kp/': expected an http(s) address with a host, such as https://example.org/news",
        ),
        (
            S + 'homepage = "http://"',
            P + "homepage 'http://': expected an http(s) address with a host, such as https://example.org/news",
        ),
        (
            S + 'languages = ["english"]',
            P + "languages ['english']: 'english' is not a language code (use ISO 639 codes such as en, ko)",
        ),
        (S + 'languages = "en"', P + 'languages \'en\': expected a list of language codes such as ["en", "ko"]'),
        (S + 'date_order = "DYM"', P + "date_order 'DYM': expected DMY, MDY or YMD"),
        (S + "delay = -1", P + "delay -1: expected a number of seconds, 0 or more"),
        (S + 'delay = "5"', P + "delay '5': expected a number of seconds, 0 or more"),
        (S + "missing_after = 0", P + "missing_after 0: expected a whole number, 1 or more"),
        (S + "max_articles = true", P + "max_articles true: expected a whole number, 1 or more"),
        (S + 'enabled = "yes"', P + "enabled 'yes': expected true or false"),
        (S + "notes = 5", P + "notes 5: expected a string"),
        (S + 'intervall = "1h"', P + "unknown key 'intervall' (did you mean 'interval'?)"),
        (S + "[sources.KCNA.selectors]\nheadline = 'h1'", P + "selectors: unknown key 'headline'"),
        (
            "[sources.KCNA]\nfeeds = 'http://www.kcna.kp/rss'",
            P + 'feeds: expected a list, such as feeds = ["https://example.org/..."]',
        ),
        (
            "[sources.KCNA]\nfeeds = [{url = 'http://a.kp/rss', link_pattern = 'x'}]",
            P + "feeds entry 1: link_pattern: a feed takes none (every item of a feed is an article)",
        ),
        (
            "[sources.KCNA]\nindex_pages = ['http://a.kp/']",
            P
            + "index_pages entry 1: link_pattern: required for an index page (a regular expression its article links match)",
        ),
        (
            "[sources.KCNA]\nindex_pages = [{url = 'http://a.kp/', link_pattern = '('}]",
            P
            + "index_pages entry 1: link_pattern '(': not a regular expression: missing ), unterminated subpattern at position 0",
        ),
        (
            "[sources.KCNA]\nsitemaps = [{url = 'http://a.kp/s.xml', pattern = 'x'}]",
            P + "sitemaps entry 1: unknown key 'pattern' (did you mean 'link_pattern'?)",
        ),
        ("[sources.KCNA]\nsitemaps = [{link_pattern = 'x'}]", P + "sitemaps entry 1: url: required"),
        (
            "[sources.KCNA]\nsitemaps = ['kcna.kp/s.xml']",
            P
            + "sitemaps entry 1: url 'kcna.kp/s.xml': expected an http(s) address with a host, such as https://example.org/news",
        ),
        (
            "[sources.KCNA]\nsitemaps = [5]",
            P + "sitemaps entry 1: expected a URL or a table {url = ..., link_pattern = ...}",
        ),
        (
            "[sources.KCNA]\nfeeds = ['http://a.kp/rss', 'http://a.kp/rss']",
            P + "feeds entry 2: url 'http://a.kp/rss': listed twice",
        ),
        ("[sources.KCNA]\nhomepage = 'http://www.kcna.kp/'", P + "no entry point: give feeds, sitemaps or index_pages"),
        ("[sources.KCNA]\nfeeds = []", P + "no entry point: give feeds, sitemaps or index_pages"),
        ("[sources]\nKCNA = 5", P + 'expected a table: [sources."KCNA"] with its fields below it'),
        (
            '[sources." KCNA"]\nfeeds = ["http://a.kp/rss"]',
            f"{FILE}: source ' KCNA': the name must not start or end with spaces or hold control characters",
        ),
        ('[sources.""]\nfeeds = ["http://a.kp/rss"]', f"{FILE}: source '': the name is empty"),
        (
            S + '[sources.kcna]\nfeeds = ["http://a.kp/rss"]',
            f"{FILE}: source 'kcna': the name is used twice (also as 'KCNA'; case does not count)",
        ),
        (
            '[source.KCNA]\nfeeds = ["http://a.kp/rss"]',
            f"{FILE}: unknown key 'source' (did you mean 'sources'?) (a sources file holds [sources.\"NAME\"] tables)",
        ),
        ("sources = 5", f'{FILE}: sources: expected [sources."NAME"] tables'),
    ],
)
def test_each_problem_is_named(in_tmp: Path, text: str, message: str) -> None:
    assert problems_of(text) == [message]


def test_a_bad_css_selector(in_tmp: Path) -> None:
    [problem] = problems_of(S + "[sources.KCNA.selectors]\ntitle = 'h1['\nbody = 'article p'")
    assert problem.startswith(P + "selectors.title 'h1[': not a CSS selector: ")  # cssselect words the rest


def test_all_problems_are_reported_at_once(in_tmp: Path) -> None:
    problems = problems_of(
        """
[sources.KCNA]
interval = "6x"
delay = -1
index_pages = [{url = "http://www.kcna.kp/", link_pattern = "("}]

[sources."Rodong Sinmun"]
feeds = ["http://www.rodong.rep.kp/rss"]
enabled = "no"

[sources.Good]
feeds = ["https://example.org/rss"]

[sources.Empty]
"""
    )
    assert len(problems) == 5 and all(line.startswith(f"{FILE}: source '") for line in problems)
    assert [line.split("'")[1] for line in problems] == ["KCNA", "KCNA", "KCNA", "Rodong Sinmun", "Empty"]


def test_a_toml_syntax_error_names_the_line(in_tmp: Path) -> None:
    [problem] = problems_of('[sources.KCNA]\nfeeds = ["http://a.kp/rss"]\ninterval = 6h\n')
    assert problem.startswith(f"{FILE}: not valid TOML: ") and "line 3" in problem


def test_unreadable_files(tmp_path: Path) -> None:
    (tmp_path / "latin1.toml").write_bytes(b"# caf\xe9\n")
    with pytest.raises(ConfigError, match=r"latin1\.toml: not UTF-8 text \(byte 5\)"):
        load_sources(tmp_path / "latin1.toml")
    with pytest.raises(ConfigError, match="cannot read the file"):
        load_sources(tmp_path)


# --- writing --------------------------------------------------------------------------------


def test_save_refuses_what_load_would_refuse_and_keeps_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    save_sources(path, [FULL])
    before = path.read_bytes()
    bad = SourceProfile("Bad", None, (EntryPoint("index", "http://a.kp/", "("),))
    with pytest.raises(
        ConfigError, match=r"s\.toml: source 'Bad': index_pages entry 1: link_pattern '\(': not a regular expression"
    ):
        save_sources(path, [FULL, bad])
    twice = SourceProfile("rodong sinmun", None, (EntryPoint("feed", "http://a.kp/rss"),))
    with pytest.raises(ConfigError, match="the name is used twice"):
        save_sources(path, [FULL, twice])
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["s.toml"]  # no temporary file left behind


def test_save_keeps_the_files_permissions(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    save_sources(path, [])
    path.chmod(0o600)
    save_sources(path, [FULL])
    assert path.stat().st_mode & 0o777 == 0o600 and load_sources(path) == [FULL]


def test_save_into_a_missing_folder_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nowhere/s\.toml: cannot write the file"):
        save_sources(tmp_path / "nowhere" / "s.toml", [FULL])


# --- shipped profiles ---------------------------------------------------------------------

SITES = {
    "kcna": ("KCNA", "kcna.kp"),
    "rodong": ("Rodong Sinmun", "rodong.rep.kp"),
    "pyongyang-times": ("Pyongyang Times", "pyongyangtimes.com.kp"),
    "voice-of-korea": ("Voice of Korea", "vok.rep.kp"),
    "naenara": ("Naenara", "naenara.com.kp"),
    "minju-joson": ("Minju Joson", None),
    "uriminzokkiri": ("Uriminzokkiri", "uriminzokkiri.com"),
}


def test_builtin_profiles_are_the_dprk_media_all_to_be_confirmed() -> None:
    profiles = builtin_profiles()
    assert list(profiles) == list(SITES)
    for key, (name, site) in SITES.items():
        profile = profiles[key]
        assert profile.name == name and profile.needs_confirmation, key
        assert len(profile.notes) > 80, f"{key}: the notes must say what is assumed"
        assert all(site in e.url for e in profile.entry_points), key
        assert bool(profile.entry_points) == (site is not None), key


def test_builtin_profiles_with_entry_points_load_as_sources(tmp_path: Path) -> None:
    usable = [p for p in builtin_profiles().values() if p.entry_points]
    save_sources(tmp_path / "s.toml", usable)
    assert load_sources(tmp_path / "s.toml") == usable


def test_builtin_link_patterns_match_the_article_urls_they_were_written_from() -> None:
    profiles = builtin_profiles()
    examples = {
        "kcna": "http://www.kcna.kp/en/article/q/b0d3bd6ca1f33a8ef94f48a1de5de5ac.kcmsf",
        "rodong": "http://www.rodong.rep.kp/en/index.php?MTJAMjAyNS0xMC0xMC0wMTNAM0AxQEAw",
        "uriminzokkiri": "http://www.uriminzokkiri.com/index.php?ptype=cfonew&lang=eng&mtype=view&no=12345",
    }
    for key, url in examples.items():
        [pattern, *_] = {e.link_pattern for e in profiles[key].entry_points}
        assert pattern and re.search(pattern, url), key
    kcna_pattern = profiles["kcna"].entry_points[0].link_pattern
    assert kcna_pattern and not re.search(kcna_pattern, profiles["kcna"].entry_points[0].url)


def test_builtin_names_are_the_corpus_names() -> None:
    kcna, reference = CORPUS / "kcna-2011-2012.jsonl.gz", CORPUS / "pyongyang-times-dprk-russia-friendship.txt"
    if not kcna.exists() or not reference.exists():
        pytest.skip("the shared corpus is not here")
    with gzip.open(kcna, "rt", encoding="utf-8") as handle:
        assert json.loads(handle.readline())["source"] == builtin_profiles()["kcna"].name
    assert f"Source: {builtin_profiles()['pyongyang-times'].name} |" in reference.read_text(encoding="utf-8")


# --- OPML -------------------------------------------------------------------------------------

OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My feeds</title></head>
  <body>
    <outline text="Korea" title="Korea">
      <outline type="rss" text="NK News" title="NK News" xmlUrl="https://www.nknews.org/feed/" htmlUrl="https://www.nknews.org/"/>
      <outline type="rss" text="Daily NK" xmlUrl="https://www.dailynk.com/english/feed/" htmlUrl=""/>
      <outline text="Wires">
        <outline type="rss" title="News" xmlUrl="https://a.example/rss"/>
        <outline type="rss" title="News" xmlUrl="https://b.example/rss" htmlUrl="javascript:alert(1)"/>
      </outline>
    </outline>
    <outline type="rss" title="news" xmlUrl="https://c.example/rss"/>
    <outline type="rss" title="NK News again" xmlUrl="https://www.nknews.org/feed/"/>
    <outline type="rss" xmlUrl="https://untitled.example/feed.xml"/>
    <outline text="A note, not a feed"/>
  </body>
</opml>
"""


def test_opml_feeds_are_flattened_with_unique_names(tmp_path: Path) -> None:
    (tmp_path / "feeds.opml").write_text(OPML, encoding="utf-8")
    profiles = import_opml(tmp_path / "feeds.opml")
    assert [(p.name, p.homepage, [e.url for e in p.entry_points]) for p in profiles] == [
        ("NK News", "https://www.nknews.org/", ["https://www.nknews.org/feed/"]),
        ("Daily NK", None, ["https://www.dailynk.com/english/feed/"]),
        ("News", None, ["https://a.example/rss"]),
        ("News (2)", None, ["https://b.example/rss"]),
        ("news (3)", None, ["https://c.example/rss"]),
        ("untitled.example", None, ["https://untitled.example/feed.xml"]),
    ]
    assert all(p.entry_points[0].kind == "feed" and p.interval == dt.timedelta(hours=6) for p in profiles)
    save_sources(tmp_path / "s.toml", profiles)
    assert load_sources(tmp_path / "s.toml") == profiles


def test_opml_with_unusable_feeds_lists_them_all(tmp_path: Path) -> None:
    path = tmp_path / "feeds.opml"
    path.write_text(
        '<opml><body><outline title="A" xmlUrl="feed://a.example/rss"/><outline title="B" xmlUrl="/rss"/></body></opml>',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        import_opml(path)
    assert str(caught.value).splitlines() == [
        f"{path}: feed 'A': feeds entry 1: url 'feed://a.example/rss': expected an http(s) address with a host, such as https://example.org/news",
        f"{path}: feed 'B': feeds entry 1: url '/rss': expected an http(s) address with a host, such as https://example.org/news",
    ]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("<html><body><p>not a feed list</p></body></html>", "expected <opml> with a <body>, found <html>"),
        ("<opml version='2.0'><head/></opml>", "expected <opml> with a <body>, found <opml>"),
        ("name,url\nKCNA,http://www.kcna.kp/\n", "syntax error"),
        ("", "no element found"),
    ],
)
def test_a_file_that_is_not_opml_is_refused(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "feeds.opml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"^{re.escape(str(path))}: not an OPML file: .*{re.escape(reason)}"):
        import_opml(path)


def test_a_missing_opml_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"absent\.opml: cannot read the file"):
        import_opml(tmp_path / "absent.opml")
