"""Korean names as each reader spells them (issue 19): recall of each variant spelling, and the cost.

    .venv/bin/python bench/bench_spelling.py [--corpus ../shared/corpus] [--db ARCHIVE] [--repeat 5]
    .venv/bin/python bench/bench_spelling.py --at-scale ARCHIVE INDEX [--repeat 10]   # the cost at 10^6

The archive: the KCNA stories of the shared corpus (``kcna-2011-2012.jsonl.gz``), imported with
``wirewatch import --no-analysis`` into a temporary file (or ``--db``, an archive already built).

The names: the 40 most frequent Korean names of the KCNA stories, with their Hangul (``bench/data/korean_names.json``
says how they were chosen); the official spelling is the one the outlet prints. Some are in the actor data (their
aliases are searched), the others are read through the syllable tables alone (column ``actors``). For each, this
script writes the Hangul name again, with rules of its own (not the search's tables), in four other systems:

- ``mr``: McCune-Reischauer with its breves and apostrophes, the given name hyphenated (Ch'oe T'ae-bok);
- ``mr-plain``: the same without the marks (Choe Tae-bok);
- ``rr``: the Revised Romanization (Choe Tae-bok, Kim Jeong-eun);
- ``press``: the surname as the Western press writes it, the given name in RR (Choi Tae-bok, Lee Yong-ho).

Each spelling is searched as a phrase (``SearchRequest(query='"…"')``), once with the spelling variants (the
default) and once without (``spellings=False``). Recall: the share of the official spelling's articles
(searched as a phrase, exactly) that the variant finds. Extra: articles the variant finds that the official
spelling does not (a name merged with another would show here). Speed: the searches' p50/p95 with and without
the variants, against the official spelling searched as typed. Every figure goes to ``bench/results/spelling.json``. Exit status 0 when it ran, 2 without the corpus.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "spelling.json"
NAMES = ROOT / "bench" / "data" / "korean_names.json"
WORDS = ROOT / "bench" / "data" / "korean_boundaries.json"
KOREAN = "nk-new-year-addresses-ko"
#: Pairs added to bench_korean_morphs.py's 28 (North, South, where the North's letters stand
#: inside another word: 분렬사상 holds 렬사), chosen from the addresses.
MORE_WORDS: list[tuple[str, str, list[str]]] = [
    ("로동자", "노동자", []),
    ("렬사", "열사", ["분렬사"]),
    ("륙군", "육군", []),
    ("량식", "양식", []),
    ("려행", "여행", []),
    ("류학", "유학", []),
    ("리유", "이유", []),
    ("락후", "낙후", []),
    ("로력", "노력", []),
]

_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINALS = ["", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ", "ㄿ", "ㅀ", "ㅁ", "ㅂ", "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ"]  # fmt: skip

# McCune-Reischauer: (at a word's start, between voiced sounds); aspirates with an apostrophe.
MR_INITIAL = {"ㄱ": ("k", "g"), "ㄲ": ("kk", "kk"), "ㄴ": ("n", "n"), "ㄷ": ("t", "d"), "ㄸ": ("tt", "tt"),
              "ㄹ": ("r", "r"), "ㅁ": ("m", "m"), "ㅂ": ("p", "b"), "ㅃ": ("pp", "pp"), "ㅅ": ("s", "s"),
              "ㅆ": ("ss", "ss"), "ㅇ": ("", ""), "ㅈ": ("ch", "j"), "ㅉ": ("tch", "tch"), "ㅊ": ("ch'", "ch'"),
              "ㅋ": ("k'", "k'"), "ㅌ": ("t'", "t'"), "ㅍ": ("p'", "p'"), "ㅎ": ("h", "h")}  # fmt: skip
MR_VOWEL = {"ㅏ": "a", "ㅐ": "ae", "ㅑ": "ya", "ㅒ": "yae", "ㅓ": "ŏ", "ㅔ": "e", "ㅕ": "yŏ", "ㅖ": "ye", "ㅗ": "o",
            "ㅘ": "wa", "ㅙ": "wae", "ㅚ": "oe", "ㅛ": "yo", "ㅜ": "u", "ㅝ": "wŏ", "ㅞ": "we", "ㅟ": "wi",
            "ㅠ": "yu", "ㅡ": "ŭ", "ㅢ": "ŭi", "ㅣ": "i"}  # fmt: skip
RR_INITIAL = {"ㄱ": "g", "ㄲ": "kk", "ㄴ": "n", "ㄷ": "d", "ㄸ": "tt", "ㄹ": "r", "ㅁ": "m", "ㅂ": "b", "ㅃ": "pp",
              "ㅅ": "s", "ㅆ": "ss", "ㅇ": "", "ㅈ": "j", "ㅉ": "jj", "ㅊ": "ch", "ㅋ": "k", "ㅌ": "t", "ㅍ": "p",
              "ㅎ": "h"}  # fmt: skip
RR_VOWEL = {"ㅏ": "a", "ㅐ": "ae", "ㅑ": "ya", "ㅒ": "yae", "ㅓ": "eo", "ㅔ": "e", "ㅕ": "yeo", "ㅖ": "ye", "ㅗ": "o",
            "ㅘ": "wa", "ㅙ": "wae", "ㅚ": "oe", "ㅛ": "yo", "ㅜ": "u", "ㅝ": "wo", "ㅞ": "we", "ㅟ": "wi",
            "ㅠ": "yu", "ㅡ": "eu", "ㅢ": "ui", "ㅣ": "i"}  # fmt: skip
FINAL = {"": "", "ㄱ": "k", "ㄴ": "n", "ㄷ": "t", "ㄹ": "l", "ㅁ": "m", "ㅂ": "p", "ㅇ": "ng", "ㅅ": "t"}
#: Surnames as the press writes them (and MR's, where it differs from the syllable rules).
PRESS = {"김": "Kim", "리": "Lee", "이": "Lee", "박": "Park", "최": "Choi", "정": "Jung", "강": "Kang", "조": "Cho",
         "윤": "Yoon", "장": "Chang", "림": "Lim", "임": "Lim", "한": "Han", "오": "Oh", "서": "Suh", "신": "Shin",
         "권": "Kwon", "황": "Hwang", "안": "Ahn", "송": "Song", "전": "Jeon", "홍": "Hong", "류": "Ryu", "유": "Yoo",
         "고": "Ko", "문": "Moon", "량": "Yang", "양": "Yang", "로": "Roh", "노": "Roh", "주": "Joo", "우": "Woo",
         "구": "Koo", "태": "Tae", "현": "Hyun", "백": "Baek", "허": "Huh", "곽": "Kwak", "성": "Sung"}  # fmt: skip
MR_SURNAME = {"리": "Yi", "이": "Yi", "림": "Im", "임": "Im", "류": "Yu", "량": "Yang", "로": "No"}
RR_SURNAME = {
    "김": "Gim",
    "리": "I",
    "이": "I",
    "박": "Bak",
    "림": "Im",
    "임": "Im",
    "류": "Yu",
    "량": "Yang",
    "로": "No",
}
SYSTEMS = ("mr", "mr-plain", "rr", "press")


def jamo(syllable: str) -> tuple[str, str, str]:
    code = ord(syllable) - 0xAC00
    return _INITIALS[code // 588], _VOWELS[code % 588 // 28], _FINALS[code % 28]


def write_syllables(syllables: str, system: str) -> str:
    """A given name (Hangul) in MR or RR, as one word (the caller hyphenates)."""
    out = []
    previous_final = None
    for number, char in enumerate(syllables):
        first, vowel, last = jamo(char)
        if system == "rr":
            out.append(RR_INITIAL[first] + RR_VOWEL[vowel] + FINAL.get(last, ""))
        else:
            voiced = number > 0 and previous_final in ("", "ㄴ", "ㅁ", "ㅇ", "ㄹ")
            out.append(MR_INITIAL[first][voiced] + MR_VOWEL[vowel] + FINAL.get(last, ""))
        previous_final = last
    return "-".join(out).capitalize()


def spell(hangul: str, system: str) -> str:
    surname, given = hangul[0], hangul[1:]
    if system == "press":
        family = PRESS.get(surname) or write_syllables(surname, "rr").capitalize()
        return f"{family} {_hyphenated(given, 'rr')}"
    kind = "rr" if system == "rr" else "mr"
    table = RR_SURNAME if kind == "rr" else MR_SURNAME
    family = table.get(surname) or write_syllables(surname, kind).capitalize()
    name = f"{family} {_hyphenated(given, kind)}"
    if system == "mr-plain":
        name = name.replace("'", "").replace("ŏ", "o").replace("ŭ", "u")
    return name


def _hyphenated(given: str, system: str) -> str:
    parts = [write_syllables(s, system).lower() for s in given]
    if system == "mr":  # the voicing rule runs across the whole given name
        whole = write_syllables(given, "mr")
        return whole.capitalize()
    return "-".join(parts).capitalize()


def import_into(db: str, data: Path) -> subprocess.CompletedProcess[str]:
    """``wirewatch --db DB import DATA --no-analysis --json``, the real command, without the comparison."""
    command = [str(Path(sys.executable).with_name("wirewatch")), "--db", db, "import", str(data), "--no-analysis", "--json"]  # fmt: skip
    env = {**os.environ, "WIREWATCH_COMPARE_WINDOW": "0"}
    return subprocess.run(command, env=env, check=False, capture_output=True, text=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    at = (len(ordered) - 1) * q
    low = int(at)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--db", help="an archive already built (else the KCNA stories are imported afresh)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each search (default 5)")
    parser.add_argument(
        "--at-scale",
        nargs=2,
        metavar=("ARCHIVE", "INDEX"),
        help="instead: time bench_search_engine.py's nine queries through /api/search on a kept archive "
        "(bench_search_engine.py --keep) with the variants and without",
    )
    args = parser.parse_args()
    if args.at_scale:
        return at_scale(args.at_scale[0], Path(args.at_scale[1]), args.repeat)
    stories = args.corpus / "kcna-2011-2012.jsonl.gz"
    if not args.db and not stories.is_file():
        print(f"error: corpus missing: {stories} (use --corpus DIR)", file=sys.stderr)
        return 2
    folder = tempfile.mkdtemp(prefix="wirewatch-spelling-")
    db = args.db or str(Path(folder) / "kcna.db")
    if not args.db:
        print(f"importing {stories.name} into {db}", file=sys.stderr)
        import_into(db, stories)

    from wirewatch.analysis.actors import Actors
    from wirewatch.search.base import SearchRequest
    from wirewatch.search.spelling import fold_name
    from wirewatch.store import open_store

    store = open_store(db)
    store.catch_up_index()

    def ids(query: str, spellings: bool) -> set[int]:
        found = store.search(SearchRequest(query=query, limit=50_000, spellings=spellings))
        return {h.id for h in found.hits}

    known = {fold_name(n): p.id for p in Actors.load().persons.values() for n in (p.name, *p.aliases)}
    names = json.loads(NAMES.read_text(encoding="utf-8"))["names"]
    people = [(official, hangul, ids(f'"{official}"', spellings=False)) for official, hangul in names]
    people = [p for p in people if p[2]]
    print(f"{len(people)} of the {len(names)} names of {NAMES.name} found in the archive in their official spelling\n")
    rows: list[dict[str, Any]] = []
    timings: dict[str, list[float]] = {"official, as typed": [], "variants, widened": []}
    print(f"{'official':18} {'n':>5} {'actors':>6}  " + "  ".join(f"{s:>24}" for s in SYSTEMS))
    for official, hangul, found_official in people:
        cells = []
        for system in SYSTEMS:
            typed = f'"{spell(hangul, system)}"'
            found = ids(typed, spellings=True)
            exact = ids(typed, spellings=False)
            for label, query, widened in (
                ("official, as typed", f'"{official}"', False),
                ("variants, widened", typed, True),
            ):
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    store.search(SearchRequest(query=query, spellings=widened))
                    timings[label].append((time.perf_counter() - start) * 1000)
            recall = len(found & found_official) / len(found_official)
            rows.append(
                {
                    "official": official,
                    "hangul": hangul,
                    "in_actor_data": known.get(fold_name(official)),
                    "official_hits": len(found_official),
                    "system": system,
                    "typed": typed,
                    "recall": recall,
                    "recall_as_typed": len(exact & found_official) / len(found_official),
                    "extra": len(found - found_official),
                }
            )
            cells.append(f"{typed[1:-1][:15]:>15} {recall:4.0%} +{len(found - found_official)}")
        actor = "yes" if known.get(fold_name(official)) else "no"
        print(f"{official[:18]:18} {len(found_official):>5} {actor:>6}  " + "  ".join(f"{c:>24}" for c in cells))
    print()
    for system in SYSTEMS:
        mine = [r for r in rows if r["system"] == system]
        if not mine:
            continue
        held = sum(r["recall"] >= 0.9 for r in mine)
        print(
            f"{system:9} names with recall ≥ 90 %: {held}/{len(mine)}; mean recall {statistics.mean(r['recall'] for r in mine):.1%} "
            f"(as typed, without the variants: {statistics.mean(r['recall_as_typed'] for r in mine):.1%}); "
            f"extra articles {sum(r['extra'] for r in mine)}"
        )
    speed = {
        label: {"p50_ms": percentile(times, 0.5), "p95_ms": percentile(times, 0.95)}
        for label, times in timings.items()
        if times
    }
    for label, figures in speed.items():
        print(f"search {label}: p50 {figures['p50_ms']:.2f} ms, p95 {figures['p95_ms']:.2f} ms")
    words = korean_words(args.corpus, folder) if (args.corpus / KOREAN).is_dir() else []
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps({"rows": rows, "speed": speed, "words": words}, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return 0


#: bench_search_engine.py's queries: bench_growth's eight and 김정일.
SCALE_QUERIES = ["Lavrov", '"Federation Council"', "Russia*", "missile", '"Kim Jong Il"', "friendship",
                 "nuclear AND test", "Putin OR Medvedev", "김정일"]  # fmt: skip


def at_scale(db: str, index: Path, repeat: int) -> int:
    """/api/search on an archive of any size, each query with the spelling variants (the
    default) and as typed (``exact_spelling=true``), taking turns after a warm-up."""
    import warnings

    with warnings.catch_warnings():  # Starlette's advice to install httpx2 instead of httpx
        warnings.filterwarnings("ignore", message=".*httpx2")
        from fastapi.testclient import TestClient

    from wirewatch.config.settings import Settings
    from wirewatch.web.app import create_app

    app = create_app(Settings(db=db, search_index=index, compare_window=0))
    runs: dict[str, list[float]] = {"with the variants": [], "as typed": []}
    with TestClient(app) as client:
        start = time.perf_counter()
        app.state.store.catch_up_index()
        print(f"index caught up in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        for query in SCALE_QUERIES:
            for label in runs:
                params = {"q": query} | ({"exact_spelling": "true"} if label == "as typed" else {})
                data = client.get("/api/search", params=params).json()
                also = "; ".join(f"{a['typed']}: {', '.join(a['also'])}" for a in data["also_searched"])
                print(f"{query:22} {label:18} total {data['total']:>8,} {also}")
            for _ in range(repeat):
                for label in runs:
                    params = {"q": query} | ({"exact_spelling": "true"} if label == "as typed" else {})
                    start = time.perf_counter()
                    client.get("/api/search", params=params)
                    runs[label].append((time.perf_counter() - start) * 1000)
    for label, times in runs.items():
        print(f"/api/search {label:18} p50 {percentile(times, 0.5):6.1f} ms  p95 {percentile(times, 0.95):6.1f} ms")
    return 0


def korean_words(corpus: Path, folder: str) -> list[dict[str, Any]]:
    """The Korean words: each Southern spelling searched (with the variants, the default)
    against its Northern spelling searched exactly, in the New Year addresses."""
    from bench_search_engine import korean_records  # the addresses as that bench imports them

    from wirewatch.search.base import SearchRequest
    from wirewatch.store import open_store

    records = korean_records(corpus)
    data = Path(folder) / "addresses.jsonl"
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    db = str(Path(folder) / "addresses.db")
    start = time.perf_counter()
    done = import_into(db, data)
    if done.returncode not in (0, 1):  # 1: some records rejected (named in the summary)
        raise RuntimeError(f"the import of the addresses failed: {done.stderr[-500:]}")
    summary = json.loads(done.stdout)
    print(
        f"\nKorean words: {summary['added']} of the {len(records)} New Year addresses imported in "
        f"{time.perf_counter() - start:.1f} s (with the Korean analysis; rejected {summary['rejected']})"
    )
    store = open_store(db)

    def found(query: str, spellings: bool) -> set[int]:
        return {h.id for h in store.search(SearchRequest(query=query, limit=500, spellings=spellings)).hits}

    queries = json.loads(WORDS.read_text(encoding="utf-8"))["queries"]
    pairs = [(q["north"], q["south"], q.get("not_word", [])) for q in queries] + MORE_WORDS

    def really(article_id: int, north: str, not_word: list[str]) -> bool:
        """The article holds the Northern spelling as the word, not only inside another
        (근로인민 holds 로인; the words to leave out are bench_korean_morphs.py's)."""
        article = store.get_article(article_id)
        text = f"{article.title}\n{article.body or ''}" if article else ""
        for other in not_word:
            text = text.replace(other, "")
        return north in text

    rows = []
    print(f"{'North':8} {'South':8} {'North finds':>11} {'South finds':>11} {'recall':>7} {'extra':>5} {'before':>7}")
    for north, south, not_word in pairs:
        wanted = {i for i in found(north, spellings=False) if really(i, north, not_word)}
        got = found(south, spellings=True)
        before = found(south, spellings=False)
        if not wanted:
            continue
        recall = len(got & wanted) / len(wanted)
        rows.append({"north": north, "south": south, "north_finds": len(wanted), "south_finds": len(got), "recall": recall, "extra": sorted(got - wanted), "recall_before": len(before & wanted) / len(wanted)})  # fmt: skip
        print(
            f"{north:8} {south:8} {len(wanted):>11} {len(got):>11} {recall:>7.0%} {len(got - wanted):>5} {rows[-1]['recall_before']:>7.0%}"
        )
    held = sum(r["recall"] >= 0.9 for r in rows)
    print(f"words with recall ≥ 90 %: {held}/{len(rows)}; mean {statistics.mean(r['recall'] for r in rows):.1%} "
          f"(before: {statistics.mean(r['recall_before'] for r in rows):.1%})")  # fmt: skip
    extra = [(r["south"], i) for r in rows for i in r["extra"]]
    print(f"articles found beyond the Northern spelling's: {len(extra)}; each, with its snippet, to check by eye:")
    for south, article in extra[:12]:
        hit = next(h for h in store.search(SearchRequest(query=south, limit=500)).hits if h.id == article)
        print(f"  {south}: #{article} {hit.title[:30]} … {hit.snippet[:90]}")
    return rows


if __name__ == "__main__":
    sys.exit(main())
