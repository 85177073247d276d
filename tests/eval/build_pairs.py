"""Propose candidate pairs for the comparison sets, show them for labelling, split the labels.

The procedure is in docs/compare-guide.md ("How the sets were built"):

    python -m tests.eval.build_pairs propose > /tmp/candidates.jsonl   # deterministic
    python -m tests.eval.build_pairs show /tmp/candidates.jsonl        # read them, one block a pair
    # the annotator adds "relation", "rule" and "reason" to each line, following the guide
    python -m tests.eval.build_pairs split /tmp/labelled.jsonl          # writes pairs-dev/test.jsonl

``propose`` prints one JSON line per candidate: the two references (file, line, title, date,
the language read from the text), the proposer that found it (``source``) and the figures it
rests on. It never labels: a proposer's name is a reason to look, not a relation. The
proposers:

- ``exact``: bodies equal after whitespace is normalised (each copy against its first
  occurrence);
- ``near``: word 5-shingle Jaccard ≥ ``NEAR_JACCARD`` between stories that share at least two
  rare shingles (document frequency ≤ ``RARE_DF``) from a fixed quarter of the shingle space;
- ``passage``: at least ``PASSAGE_SHINGLES`` shared rare shingles (a passage of some 30 words)
  but a Jaccard below ``NEAR_JACCARD`` (quotes and reports on a longer text);
- ``es-best``, ``es-second``: for a seeded sample of Spanish stories, the two English stories
  of the same day or the two days before whose names and numbers it shares most;
- ``korean``: the Korean joint New Year editorials of 2011 and 2012 against KCNA's English and
  Spanish versions (and each other), picked by hand from the dates;
- ``template:<family>``: two stories whose titles follow one formula (``FAMILIES``), the pairs
  of highest Jaccard first, at most ``PER_FAMILY`` per family;
- ``same-day``: seeded random pairs of English stories of one day.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import difflib
import itertools
import json
import random
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:  # run as ``python -m tests.eval.build_pairs`` or as ``python tests/eval/build_pairs.py``
    from tests.eval.gold import iter_corpus
    from tests.eval.pairs import KCNA_FILE, KOREAN_DIR, RELATIONS, pair_key, resolve, split_of
    from tests.eval.selection import is_english
except ImportError:  # pragma: no cover - the script's own folder is on sys.path
    from gold import iter_corpus  # type: ignore[no-redef]
    from pairs import KCNA_FILE, KOREAN_DIR, RELATIONS, pair_key, resolve, split_of  # type: ignore[no-redef]
    from selection import is_english  # type: ignore[no-redef]

HERE = Path(__file__).parent
SEED = 14
SHINGLE = 5
#: A shingle in more stories than this is a formula or boilerplate: it proposes nothing.
RARE_DF = 50
NEAR_JACCARD = 0.3
PASSAGE_SHINGLES = 25
SPANISH_SAMPLE = 80
SAME_DAY_PAIRS = 40
PER_FAMILY = 16
#: ``near`` pairs at or above this Jaccard are all kept; below it, ``NEAR_SAMPLE`` drawn (seeded).
NEAR_ALL = 0.6
NEAR_SAMPLE = 30
#: ``passage`` pairs sharing at least this many rare shingles are all kept; ``PASSAGE_SAMPLE`` others.
PASSAGE_ALL = 150
PASSAGE_SAMPLE = 15
#: of the ``es-second`` pairs (hard negatives across languages), this many are kept (seeded).
SECOND_SAMPLE = 40

#: Title formulas whose stories share most words and report different events (issue 14).
FAMILIES: dict[str, str] = {
    "greetings": r"^(Greetings|Congratulations|Congratulatory Message|Message of Greetings) to (the )?(President|King|Prime Minister|Premier|Governor|Sultan|Emir|Queen|Chairman|Secretary)",
    "work-carried": r"(Work|Works|Article|Treatise)s? (Carried|Published|Run) (by|in)",
    "credentials": r"Credentials",
    "delegation-arrives": r"Delegation[s]? (Arrives?|Here)\b",
    "delegation-leaves": r"Delegation[s]? (Leaves?|Returns?|Back Home)\b",
    "floral-basket": r"Floral Basket",
    "condolences": r"^(Condolences|Message of Condolence|Sympathy)",
    "national-day": r"National Day|Independence Day|Day of .* Observed",
    "gift": r"^Gifts? to Kim Jong (Il|Un) from",
    "meets": r"^\w+ \w+ \w+ Meets? ",
}


@dataclass
class Story:
    line: int
    title: str | None
    date: str
    language: str
    text: str
    shingles: set[int]


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def shingles(text: str, k: int = SHINGLE) -> set[int]:
    """The word ``k``-shingles of ``text`` as 32-bit hashes (CRC-32: stable across runs)."""
    tokens = words(text)
    return {zlib.crc32(" ".join(tokens[i : i + k]).encode()) for i in range(max(1, len(tokens) - k + 1))}


def jaccard(a: set[int], b: set[int]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def load_stories() -> list[Story]:
    """Every KCNA story with a text (a body of ``<NA>`` is no text), in corpus order."""
    stories = []
    for line, record in iter_corpus(KCNA_FILE):
        body = record.get("body")
        if not body or body.strip() == "<NA>":
            continue
        language = "en" if is_english(body) else "es"
        stories.append(Story(line, record.get("title"), record["date"], language, body, shingles(body)))
    return stories


def ref(story: Story) -> dict[str, Any]:
    return {"file": KCNA_FILE, "line": story.line, "title": story.title, "date": story.date, "language": story.language}


def candidate(a: Story, b: Story, source: str, **figures: Any) -> dict[str, Any]:
    return {"a": ref(a), "b": ref(b), "source": source, **figures}


def exact_pairs(stories: list[Story]) -> Iterator[dict[str, Any]]:
    first: dict[str, Story] = {}
    for story in stories:
        key = " ".join(story.text.split())
        if key in first:
            yield candidate(first[key], story, "exact", jaccard=1.0)
        else:
            first[key] = story


def shared_rare(stories: list[Story]) -> tuple[collections.Counter[tuple[int, int]], collections.Counter[int]]:
    """For every two stories that share a rare shingle of the sampled quarter, how many they share
    (by index in ``stories``); and every shingle's document frequency."""
    df: collections.Counter[int] = collections.Counter()
    for story in stories:
        df.update(story.shingles)
    postings: dict[int, list[int]] = collections.defaultdict(list)
    for index, story in enumerate(stories):
        for shingle in story.shingles:
            if shingle % 4 == 0 and df[shingle] <= RARE_DF:
                postings[shingle].append(index)
    shared: collections.Counter[tuple[int, int]] = collections.Counter()
    for posting in postings.values():
        shared.update(itertools.combinations(posting, 2))
    return shared, df


def near_and_passage_pairs(stories: list[Story], exact: set[tuple[int, int]]) -> Iterator[dict[str, Any]]:
    shared, df = shared_rare(stories)
    for (i, j), count in sorted(shared.items()):
        a, b = stories[i], stories[j]
        if count < 2 or (a.line, b.line) in exact:
            continue
        score = jaccard(a.shingles, b.shingles)
        rare = {s for s in a.shingles & b.shingles if df[s] <= RARE_DF}
        if score >= NEAR_JACCARD:
            yield candidate(a, b, "near", jaccard=round(score, 3), shared_rare=len(rare))
        elif len(rare) >= PASSAGE_SHINGLES:
            yield candidate(a, b, "passage", jaccard=round(score, 3), shared_rare=len(rare))


NAME = re.compile(r"\b(?:[A-Z][a-z]+|[A-Z]{2,}|\d[\d.,]*)\b")


def features(text: str) -> set[str]:
    """Names (capitalised words, acronyms) and numbers: what an English story and its Spanish
    edition write alike. Sentence-initial words are kept: they are noise shared by neither."""
    return set(NAME.findall(text))


def spanish_pairs(stories: list[Story]) -> Iterator[dict[str, Any]]:
    rng = random.Random(SEED)
    seen: set[str] = set()
    spanish = []
    for story in stories:
        key = " ".join(story.text.split())
        if story.language == "es" and key not in seen:
            spanish.append(story)
        seen.add(key)
    by_date: dict[str, list[Story]] = collections.defaultdict(list)
    for story in stories:
        if story.language == "en":
            by_date[story.date].append(story)
    counts: collections.Counter[str] = collections.Counter()
    feats = {story.line: features(story.text) for story in stories}
    for values in feats.values():
        counts.update(values)
    total = len(feats)

    def weight(values: Iterable[str]) -> float:
        return sum(1 / (1 + counts[v] / total * 100) for v in values)

    for es in sorted(rng.sample(spanish, SPANISH_SAMPLE), key=lambda s: s.line):
        day = dt.date.fromisoformat(es.date)
        pool = [en for back in (0, 1, 2) for en in by_date[str(day - dt.timedelta(days=back))]]
        scored = sorted(
            (
                (weight(feats[es.line] & feats[en.line]) / (1 + weight(feats[es.line] ^ feats[en.line])), en)
                for en in pool
            ),
            key=lambda pair: (-pair[0], pair[1].line),
        )
        for source, (score, en) in zip(("es-best", "es-second"), scored, strict=False):
            yield candidate(en, es, source, name_score=round(score, 3))


def korean_pairs(stories: list[Story]) -> Iterator[dict[str, Any]]:
    """The joint editorials: English 2011 is a fragment (line 1, the scrape lost its start)."""
    by_line = {story.line: story for story in stories}
    korean = {year: {"file": f"{KOREAN_DIR}/{year}.txt", "line": None, "language": "ko"} for year in ("2011", "2012")}
    resolved = resolve(list(korean.values()))
    for value in korean.values():
        story = resolved[(value["file"], None)]
        value.update(title=story["title"], date=story["date"])
    for year, lines in (("2011", (1, 19)), ("2012", (13927, 13943))):
        for line in lines:
            yield {"a": korean[year], "b": ref(by_line[line]), "source": "korean"}
    yield candidate(by_line[1], by_line[19], "korean")
    yield candidate(by_line[13927], by_line[13943], "korean")
    yield {"a": korean["2011"], "b": korean["2012"], "source": "korean"}


def template_pairs(stories: list[Story]) -> Iterator[dict[str, Any]]:
    for family, pattern in FAMILIES.items():
        regex = re.compile(pattern)
        members = [s for s in stories if s.language == "en" and s.title and regex.search(s.title)]
        scored = []
        for a, b in itertools.combinations(members, 2):
            if abs((dt.date.fromisoformat(a.date) - dt.date.fromisoformat(b.date)).days) > 60:
                continue
            if " ".join(a.text.split()) == " ".join(b.text.split()):
                continue
            scored.append((jaccard(a.shingles, b.shingles), a, b))
        scored.sort(key=lambda item: (-item[0], item[1].line, item[2].line))
        # half the family's quota from the most alike pairs, half seeded among the rest
        top = scored[: PER_FAMILY // 2]
        rest = scored[PER_FAMILY // 2 :]
        drawn = random.Random(f"{SEED}:{family}").sample(rest, min(len(rest), PER_FAMILY - len(top)))
        for score, a, b in sorted(top + drawn, key=lambda item: (item[1].line, item[2].line)):
            yield candidate(a, b, f"template:{family}", jaccard=round(score, 3))


def same_day_pairs(stories: list[Story]) -> Iterator[dict[str, Any]]:
    rng = random.Random(SEED + 1)
    by_date: dict[str, list[Story]] = collections.defaultdict(list)
    for story in stories:
        if story.language == "en":
            by_date[story.date].append(story)
    days = sorted(day for day, members in by_date.items() if len(members) >= 2)
    for day in sorted(rng.sample(days, SAME_DAY_PAIRS)):
        a, b = sorted(rng.sample(by_date[day], 2), key=lambda s: s.line)
        yield candidate(a, b, "same-day", jaccard=round(jaccard(a.shingles, b.shingles), 3))


def thin(pairs: list[dict[str, Any]], keep_all: Any, k: int, seed: str) -> list[dict[str, Any]]:
    """The pairs ``keep_all`` accepts, and ``k`` of the others drawn with ``seed``, in input order."""
    kept = [p for p in pairs if keep_all(p)]
    rest = [p for p in pairs if not keep_all(p)]
    drawn = random.Random(seed).sample(rest, min(k, len(rest)))
    chosen = {id(p) for p in kept + drawn}
    return [p for p in pairs if id(p) in chosen]


def propose() -> list[dict[str, Any]]:
    stories = load_stories()
    exact = list(exact_pairs(stories))
    exact_lines = {(pair["a"]["line"], pair["b"]["line"]) for pair in exact}
    found = list(near_and_passage_pairs(stories, exact_lines))
    near = thin([p for p in found if p["source"] == "near"], lambda p: p["jaccard"] >= NEAR_ALL, NEAR_SAMPLE, "near")
    passage = [p for p in found if p["source"] == "passage"]
    passage = thin(passage, lambda p: p["shared_rare"] >= PASSAGE_ALL, PASSAGE_SAMPLE, "passage")
    spanish = list(spanish_pairs(stories))
    spanish = thin(spanish, lambda p: p["source"] == "es-best", SECOND_SAMPLE, "es-second")
    out = [*exact, *near, *passage, *spanish]
    out += [*korean_pairs(stories), *template_pairs(stories), *same_day_pairs(stories)]
    seen: set[str] = set()
    unique = []
    for pair in out:  # a pair two proposers found keeps the first proposer's name
        key = pair_key(pair)
        if key not in seen:
            seen.add(key)
            unique.append(pair)
    return unique


def show(pairs: list[dict[str, Any]], width: int = 220) -> None:
    """Print each candidate for reading: titles, dates, the opening of each text and, for two
    texts in one language, the words that differ."""
    texts = resolve([pair[side] for pair in pairs for side in ("a", "b")])
    for number, pair in enumerate(pairs, 1):
        a, b = (texts[(pair[s]["file"], pair[s]["line"])]["text"] or "" for s in ("a", "b"))
        figures = {k: v for k, v in pair.items() if k not in ("a", "b")}
        print(f"#{number} {pair_key(pair)} {json.dumps(figures, ensure_ascii=False)}")
        for side, text in (("a", a), ("b", b)):
            r = pair[side]
            print(f"  {side} {r['date']} {r['language']} {len(text)}c {r['title']!r}: {' '.join(text.split())[:width]}")
        if pair["a"]["language"] == pair["b"]["language"] and pair["a"]["language"] != "ko":
            wa, wb = a.split(), b.split()
            ops = [op for op in difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes() if op[0] != "equal"]
            shown = [f"{' '.join(wa[i1:i2])[:60]!r}->{' '.join(wb[j1:j2])[:60]!r}" for _, i1, i2, j1, j2 in ops[:8]]
            print(f"  diff {len(ops)} ops: {'; '.join(shown)}")


def split(labelled: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The labelled pairs by ``split_of``, each in a stable order (by its key)."""
    fields = ("a", "b", "relation", "rule", "reason", "source")
    sets: dict[str, list[dict[str, Any]]] = {"dev": [], "test": []}
    keys = [pair_key(pair) for pair in labelled]
    if len(keys) != len(set(keys)):
        raise ValueError("a pair is labelled twice")
    for pair in sorted(labelled, key=pair_key):
        if pair["relation"] not in RELATIONS:
            raise ValueError(f"{pair_key(pair)}: unknown relation {pair['relation']!r}")
        sets[split_of(pair)].append({field: pair[field] for field in fields})
    return sets


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("propose", help="print the candidate pairs as JSON lines")
    shown = commands.add_parser("show", help="print candidates for reading")
    shown.add_argument("file", type=Path)
    shown.add_argument("--width", type=int, default=220, help="characters of each text to show")
    cut = commands.add_parser("split", help="write pairs-dev.jsonl and pairs-test.jsonl from labelled lines")
    cut.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    if args.command == "propose":
        for pair in propose():
            print(json.dumps(pair, ensure_ascii=False))
        return
    lines = [json.loads(line) for line in args.file.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.command == "show":
        show(lines, args.width)
        return
    for name, pairs in split(lines).items():
        path = HERE / f"pairs-{name}.jsonl"
        path.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pairs), encoding="utf-8")
        counts = collections.Counter(p["relation"] for p in pairs)
        print(f"{path.name}: {len(pairs)} pairs, {dict(sorted(counts.items()))}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
