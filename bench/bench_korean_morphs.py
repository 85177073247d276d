"""Korean morphological analysers on the North's text (issue 19): a measurement, not a choice.

    .venv/bin/pip install kiwipiepy kiwipiepy-model nkhandic mecab-python3   # measured only: not dependencies
    .venv/bin/python bench/bench_korean_morphs.py [--corpus ../shared/corpus] [--analysers kiwi nkhandic]
    unshare -n .venv/bin/python bench/bench_korean_morphs.py      # as root: the same with no network at all

The search needs morpheme starts to apply the initial-sound rule (두음법칙) where the South applies it: at the
start of a word or of a morpheme inside a compound (조선|로동|당 is found by 노동당), never in the middle of one
(근로|인민 is not found by 노인). For each analyser, in a child process of its own:

1. load time and resident memory (VmRSS after loading minus before importing; the peak is VmHWM), then the
   speed over all the New Year addresses (one file a call, after one file as a warm-up): text in, morphemes with
   their offsets out, which is what an indexer would do;
2. the development items of ``bench/data/korean_boundaries.json`` (70 words from the addresses, in context):
   items whose boundaries are exactly right, ㄹ/ㄴ morphemes inside a word that start a morpheme, ㄹ/ㄴ
   syllables inside a morpheme that are kept inside it;
3. whether the North's spellings are recognised: the items' ㄹ/ㄴ morphemes whole or broken up, and over the
   whole corpus the morphemes starting with a ㄹ/ㄴ syllable that are unknown to the analyser or one syllable long;
4. end to end: the text rewritten with the Southern initial at every morpheme start (the index this proposes),
   and how often each Southern query word occurs in it, against the Northern spelling in the original text;
   with two baselines that need no analyser (the rule at the start of written words only, and everywhere).

nkhandic is used through MeCab directly (its dictionary folder, Hangul given as conjoining jamo, as its own API
does): the package's Python API imports ``jamotools``, which it does not declare. Boundaries are counted at
syllables: a morpheme that starts inside a syllable (the ᆫ of 한) is no boundary for search.
Exit status 0 when it ran, 2 when the corpus or the data file is missing.
"""

from __future__ import annotations

import argparse
import bisect
import collections
import importlib.metadata
import importlib.util
import itertools
import json
import multiprocessing
import re
import sys
import time
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from wirewatch.search.korean import southern, southern_text  # the rule the search applies

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data" / "korean_boundaries.json"
RESULTS = ROOT / "bench" / "results" / "korean_morphs.json"
ADDRESSES = "nk-new-year-addresses-ko"
PACKAGES = ["kiwipiepy", "kiwipiepy_model", "nkhandic", "mecab-python3", "tqdm", "jamotools"]

_FIRST, _LAST = 0xAC00, 0xD7A3
_HANGUL = re.compile(f"[{chr(_FIRST)}-{chr(_LAST)}]")
_JAMO = {c: unicodedata.normalize("NFD", chr(c)) for c in range(_FIRST, _LAST + 1)}  # 한 -> ᄒ ᅡ ᆫ


def word_starts(text: str) -> set[int]:
    """Offsets of the syllables that start a written word (after a space or a bracket; not after a digit, where
    the South keeps 년 and 리 of 1990년대)."""
    return {
        m.start() for m in re.finditer(f"(?<![{chr(_FIRST)}-{chr(_LAST)}0-9０-９])[{chr(_FIRST)}-{chr(_LAST)}]", text)
    }


# the rule is for the start of a word: nouns (not bound nouns: 1990년대), roots, verbs (녀기다), adverbs,
# prefixes; not particles, endings or suffixes (해로, 아니라, 리용률)
_LEXICAL = re.compile(r"NN[GP]|N[PR]|V[VAX]|M[AM]|MAJ|XR|XPN")


@dataclass
class Morph:
    start: int  # offset of the syllable the morpheme starts in
    inside: bool  # starts inside that syllable (the ᆫ of 한): no boundary for search
    form: str
    tag: str
    unknown: bool


class Analyser:
    """One analyser, loaded: ``morphs`` cuts a text into morphemes with their offsets; ``alternatives`` gives
    the inner syllable boundaries of its next-best analyses of one word."""

    name = ""

    def __init__(self) -> None:
        self._split: dict[str, set[int]] = {}

    def morphs(self, text: str) -> list[Morph]:
        raise NotImplementedError

    def alternatives(self, word: str) -> list[set[int]]:
        raise NotImplementedError

    def compound_cuts(self, word: str, depth: int = 2) -> set[int]:
        """Where a compound noun kept whole (조선로동당) splits: its first next-best analysis that cuts it
        differently, keeping only cuts that leave at least two syllables on each side (근|로자, 천|리마 are
        refused), then the same inside each part."""
        if word in self._split:
            return self._split[word]
        cuts: set[int] = set()
        for alternative in self.alternatives(word):
            edges = sorted({0, len(word)} | alternative)
            cuts = {c for a, c, b in zip(edges, edges[1:], edges[2:], strict=False) if c - a >= 2 and b - c >= 2}
            if cuts:
                break
        if depth > 1:
            edges = sorted({0, len(word)} | cuts)
            for a, b in itertools.pairwise(edges):
                if b - a >= 3 and (a, b) != (0, len(word)):
                    cuts |= {a + c for c in self.compound_cuts(word[a:b], depth - 1)}
        self._split[word] = cuts
        return cuts


class KiwiAnalyser(Analyser):
    name = "kiwi"

    def __init__(self) -> None:
        from kiwipiepy import Kiwi

        super().__init__()
        self.kiwi = Kiwi(num_workers=1)  # one text a call: one thread either way

    def morphs(self, text: str) -> list[Morph]:
        out: list[Morph] = []
        end = 0
        for token in self.kiwi.tokenize(text):
            out.append(Morph(token.start, token.start < end, token.form, token.tag, bool(token.oov)))
            end = max(end, token.start + token.len)
        return out

    def alternatives(self, word: str) -> list[set[int]]:
        return [{t.start for t in tokens} - {0} for tokens, _ in self.kiwi.analyze(word, top_n=4)[1:]]


class NkhandicAnalyser(Analyser):
    name = "nkhandic"

    def __init__(self) -> None:
        import MeCab

        super().__init__()
        spec = importlib.util.find_spec("nkhandic")  # finds the folder without importing the package
        if spec is None or not spec.submodule_search_locations:
            raise ImportError("nkhandic is not installed")
        dicdir = Path(next(iter(spec.submodule_search_locations))) / "dicdir"
        self.tagger = MeCab.Tagger(f'-r /dev/null -d "{dicdir}"')
        self.tagger.parse("")

    def morphs(self, text: str) -> list[Morph]:
        jamo = text.translate(_JAMO)
        starts = [0]  # jamo offset of each character of the text
        for c in text:
            starts.append(starts[-1] + (len(_JAMO[ord(c)]) if _FIRST <= ord(c) <= _LAST else 1))
        out: list[Morph] = []
        pos = 0
        for line in self.tagger.parse(jamo).splitlines():
            surface, _, feature = line.partition("\t")
            if not feature:  # EOS
                continue
            found = jamo.find(surface, pos)
            if found < 0:
                raise ValueError(f"MeCab's morpheme {surface!r} is not in the text after offset {pos}")
            pos = found + len(surface)
            index = bisect.bisect_right(starts, found) - 1
            fields = feature.split(",", 11)
            form = unicodedata.normalize("NFC", surface)
            unknown = len(fields) > 5 and fields[5] == "*" and bool(_HANGUL.search(form))
            out.append(Morph(index, starts[index] != found, form, fields[10] if len(fields) > 10 else "", unknown))
        return out

    def alternatives(self, word: str) -> list[set[int]]:
        analyses = self.tagger.parseNBest(4, word.translate(_JAMO)).split("EOS\n")[1:4]
        offsets = list(itertools.accumulate(len(_JAMO.get(ord(c), c)) for c in word))
        syllable_at = {jamo: i + 1 for i, jamo in enumerate(offsets)}  # jamo offset -> syllable offset
        found = []
        for analysis in analyses:
            cuts, pos = set(), 0
            for line in analysis.splitlines():
                pos += len(line.partition("\t")[0])
                if pos in syllable_at and syllable_at[pos] < len(word):
                    cuts.add(syllable_at[pos])
            found.append(cuts)
        return found


ANALYSERS: dict[str, type[Analyser]] = {"kiwi": KiwiAnalyser, "nkhandic": NkhandicAnalyser}


def memory_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def boundaries(morphs: list[Morph]) -> set[int]:
    return {m.start for m in morphs if not m.inside}


@dataclass
class Cuts:
    """One text's morpheme boundaries (syllable offsets), and those where the initial-sound rule may apply."""

    all: set[int]
    rule: set[int]


def cuts(analyser: Analyser, text: str, split: bool) -> Cuts:
    morphs = analyser.morphs(text)
    found = Cuts(boundaries(morphs), {m.start for m in morphs if not m.inside and _LEXICAL.fullmatch(m.tag)})
    if split:
        for m in morphs:
            if not m.inside and m.tag in ("NNG", "NNP") and len(m.form) >= 3 and any(map(southern, m.form[1:])):
                extra = {m.start + c for c in analyser.compound_cuts(m.form)}
                found.all |= extra
                found.rule |= extra
    return found


def measure(name: str, texts: list[str], contexts: list[str], queries: list[str], out: Any) -> None:
    """In a child process: load, time, and return the boundaries of every text, context and query, as the
    analyser gives them and with its compound nouns split by its next-best analysis (``+split``)."""
    rss0 = memory_kb("VmRSS")
    t0 = time.perf_counter()
    analyser = ANALYSERS[name]()
    load_s = time.perf_counter() - t0
    rss_loaded = memory_kb("VmRSS")
    analyser.morphs(texts[0])  # warm-up
    t0, cpu0 = time.perf_counter(), time.process_time()
    results = [analyser.morphs(text) for text in texts]
    run_s, cpu_s = time.perf_counter() - t0, time.process_time() - cpu0
    chars = sum(len(text) for text in texts)
    # morphemes that start with a syllable the rule applies to: unknown, one syllable long
    ruled = unknown = single = 0
    odd: collections.Counter[str] = collections.Counter()
    for morphs in results:
        for m in morphs:
            if not m.inside and m.form and southern(m.form[0]):
                ruled += 1
                unknown += m.unknown
                single += len(m.form) == 1 and m.tag.startswith("NN")
                if m.unknown or (len(m.form) == 1 and m.tag.startswith("NN")):
                    odd[f"{m.form}/{m.tag}"] += 1
    out.send(
        {
            "analyser": name,
            "load_s": round(load_s, 2),
            "rss_mb": round((rss_loaded - rss0) / 1024, 1),
            "peak_mb": round((memory_kb("VmHWM") - rss0) / 1024, 1),
            "run_s": round(run_s, 2),
            "cpu_s": round(cpu_s, 2),
            "chars_per_s": round(chars / run_s),
            "morphs": sum(len(m) for m in results),
            "ruled": ruled,
            "ruled_unknown": unknown,
            "ruled_single_noun": single,
            "odd_examples": odd.most_common(15),
            "methods": {
                name + suffix: {
                    "files": [asdict(cuts(analyser, t, split)) for t in texts],
                    "contexts": [asdict(cuts(analyser, c, split)) for c in contexts],
                    "queries": [asdict(cuts(analyser, q, split)) for q in queries],
                }
                for suffix, split in (("", False), ("+split", True))
            },
        }
    )


@dataclass
class Item:
    kind: str
    year: str
    context: str
    word: str
    offset: int  # of the word in the context
    required: set[int]  # boundaries inside the word that must be there (offsets in the word)
    optional: set[int]  # boundaries that may be there


def load_items(data: dict[str, Any]) -> list[Item]:
    items = []
    for raw in data["items"]:
        word, required, optional = "", set(), set()
        for ch in raw["expect"]:
            if ch == "|":
                required.add(len(word))
            elif ch == "/":
                optional.add(len(word))
            else:
                word += ch
        offset = raw["context"].index(word)
        items.append(Item(raw["kind"], raw["year"], raw["context"], word, offset, required, optional))
    return items


def segmented(word: str, cuts: set[int]) -> str:
    return "".join(("|" if i in cuts else "") + ch for i, ch in enumerate(word))


@dataclass
class ItemScore:
    exact: bool
    starts_needed: int  # ㄹ/ㄴ syllables inside the word that must start a morpheme
    starts_found: int
    inside_needed: int  # ㄹ/ㄴ syllables inside the word that must not
    inside_kept: int
    ruled_whole: int  # ㄹ/ㄴ morphemes (the North's spelling) that come out whole
    ruled_total: int
    got: str


def score(item: Item, found: Cuts) -> ItemScore:
    """Compare a method's boundaries inside the word with the item's: all of them for the exact segmentation,
    those where the rule may apply for the ㄹ/ㄴ syllables."""
    inner = {c - item.offset for c in found.all if 0 < c - item.offset < len(item.word)}
    rule = {c - item.offset for c in found.rule if 0 < c - item.offset < len(item.word)}
    exact = item.required <= inner <= item.required | item.optional
    needed = starts = kept_needed = kept = 0
    for i in range(1, len(item.word)):
        if southern(item.word[i]) is None:
            continue
        if i in item.required:
            needed += 1
            starts += i in rule
        elif i not in item.optional:
            kept_needed += 1
            kept += i not in rule
    edges = sorted({0, len(item.word)} | item.required)
    whole = total = 0
    for a, b in itertools.pairwise(edges):
        if southern(item.word[a]) and b - a > 1:
            total += 1
            whole += (a == 0 or a in inner) and not any(a < c < b and c not in item.optional for c in inner)
    return ItemScore(exact, needed, starts, kept_needed, kept, whole, total, segmented(item.word, inner))


def installed_mb(name: str) -> tuple[str, float] | None:
    try:
        dist = importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        return None
    paths = [Path(str(f.locate())) for f in dist.files or []]
    size = sum(p.stat().st_size for p in paths if p.is_file())
    return dist.version, size / 1e6


def count_queries(
    queries: list[dict[str, Any]], original: str, rewritten: dict[str, tuple[str, list[str]]]
) -> list[dict[str, Any]]:
    """For each query: how often its Northern and Southern spellings occur in the original text, and how often
    the Southern query, rewritten as each method rewrites, occurs in the text that method rewrote."""
    rows = []
    for n, q in enumerate(queries):
        north, south = q["north"], q["south"]
        not_word = sum(original.count(w) for w in q.get("not_word", []))
        row = {
            "south": south,
            "north": north,
            "wanted": original.count(north) - not_word + original.count(south),
            "north_today": original.count(north),
            "south_today": original.count(south),
        }
        row.update({method: text.count(query[n]) for method, (text, query) in rewritten.items()})
        rows.append(row)
    return rows


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--analysers", nargs="+", default=list(ANALYSERS), choices=list(ANALYSERS))
    args = parser.parse_args(argv)
    folder = args.corpus / ADDRESSES
    files = sorted(folder.glob("*.txt"))
    if not files or not DATA.exists():
        print(f"missing: {folder} (the shared corpus) or {DATA}", file=sys.stderr)
        return 2
    texts = [f.read_text(encoding="utf-8") for f in files]
    data = json.loads(DATA.read_text(encoding="utf-8"))
    items = load_items(data)
    contexts = [item.context for item in items]
    southern_queries = [q["south"] for q in data["queries"]]

    print("packages (installed size: the files each distribution's RECORD lists)")
    for name in PACKAGES:
        found = installed_mb(name)
        print(f"  {name:<16} " + (f"{found[0]:<12} {found[1]:>7.1f} MB" if found else "not installed"))

    context = multiprocessing.get_context("spawn")  # a fresh interpreter: its RSS before the import is the baseline
    results: dict[str, dict[str, Any]] = {}
    for name in args.analysers:
        print(f"{name}: measuring", file=sys.stderr)
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=measure, args=(name, texts, contexts, southern_queries, send))
        child.start()
        send.close()
        try:
            results[name] = receive.recv()
        except EOFError:  # the child died: its traceback is on stderr
            print(f"{name}: the measurement failed (see stderr)")
        child.join()
    if not results:
        return 1

    chars = sum(len(t) for t in texts)
    print(f"\n1. load and speed: {len(files)} files, {chars:,} characters, one file a call after a one-file warm-up")
    print(f"  {'analyser':<9} {'load s':>6} {'RSS +MB':>7} {'peak +MB':>8} {'run s':>6} {'cpu s':>6} {'chars/s':>8}")
    for r in results.values():
        print(
            f"  {r['analyser']:<9} {r['load_s']:>6} {r['rss_mb']:>7} {r['peak_mb']:>8} {r['run_s']:>6} "
            f"{r['cpu_s']:>6} {r['chars_per_s']:>8,}"
        )

    # each method's boundaries: per file, per item context, per query
    methods: dict[str, dict[str, list[Cuts]]] = {
        method: {part: [Cuts(set(c["all"]), set(c["rule"])) for c in found] for part, found in parts.items()}
        for r in results.values()
        for method, parts in r["methods"].items()
    }

    print(f"\n2. development items ({len(items)}; {DATA.relative_to(ROOT)}); +split: compound nouns split by the")
    print("   analyser's next-best analysis; 'start split' and 'kept inside' count rule starts (nouns, roots, verbs)")
    scores = {m: [score(i, c) for i, c in zip(items, parts["contexts"], strict=True)] for m, parts in methods.items()}
    kinds = sorted({item.kind for item in items})
    header = "".join(f" {k:>9}" for k in kinds)
    print(
        f"  {'method':<14} {'exact':>6}{header} {'ㄹ/ㄴ start split':>17} {'kept inside':>11} {'North morph whole':>17}"
    )
    for method, marks in scores.items():
        per_kind = "".join(
            f" {sum(s.exact for s, i in zip(marks, items, strict=True) if i.kind == k):>4}"
            f"/{sum(i.kind == k for i in items):<4}"
            for k in kinds
        )
        print(
            f"  {method:<14} {sum(s.exact for s in marks):>3}/{len(marks):<2}{per_kind}"
            f" {sum(s.starts_found for s in marks):>11}/{sum(s.starts_needed for s in marks):<5}"
            f" {sum(s.inside_kept for s in marks):>5}/{sum(s.inside_needed for s in marks):<5}"
            f" {sum(s.ruled_whole for s in marks):>11}/{sum(s.ruled_total for s in marks):<5}"
        )
    print(f"\n  {'kind':<8} {'expected':<24} " + " ".join(f"{m:<24}" for m in scores))
    for n, item in enumerate(items):
        expect = segmented(item.word, item.required | item.optional)
        got = " ".join(f"{('' if scores[m][n].exact else '✗') + scores[m][n].got:<24}" for m in scores)
        print(f"  {item.kind:<8} {expect:<24} {got}")

    print("\n3. North spellings over the whole corpus: morphemes starting with a ㄹ/ㄴ syllable the rule applies to")
    for r in results.values():
        print(
            f"  {r['analyser']:<9} {r['ruled']:>6} such morphemes, unknown to the analyser {r['ruled_unknown']:>5}, "
            f"one-syllable nouns {r['ruled_single_noun']:>5}"
        )
        print("            most frequent of those: " + ", ".join(f"{f} {n}" for f, n in r["odd_examples"]))
    print("\n  corpus checks (every occurrence; is the ㄹ/ㄴ syllable at offset 'at' of the pattern a rule start?)")
    print(f"  {'pattern':<10} {'at':>2} {'start?':<6} {'n':>4} " + " ".join(f"{m:>14}" for m in methods))
    for check in data["corpus_checks"]:
        hits = [(f, m.start() + check["at"]) for f, t in enumerate(texts) for m in re.finditer(check["pattern"], t)]
        right = {
            m: sum((pos in parts["files"][f].rule) == check["start"] for f, pos in hits) for m, parts in methods.items()
        }
        print(
            f"  {check['pattern']:<10} {check['at']:>2} {'yes' if check['start'] else 'no':<6} {len(hits):>4} "
            + " ".join(f"{right[m]:>14}" for m in methods)
        )
    if {"kiwi", "nkhandic"} <= set(methods):
        agree: collections.Counter[str] = collections.Counter()
        words: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
        for text, ca, cb in zip(texts, methods["kiwi"]["files"], methods["nkhandic"]["files"], strict=True):
            firsts = word_starts(text)
            for m in re.finditer(f"[{chr(_FIRST)}-{chr(_LAST)}]+", text):
                for i in range(m.start() + 1, m.end()):
                    if i in firsts or not southern(text[i]):
                        continue
                    key = {(True, True): "both", (True, False): "kiwi", (False, True): "nkhandic"}.get(
                        (i in ca.rule, i in cb.rule), "neither"
                    )
                    agree[key] += 1
                    words[key][m.group()] += 1
        print(
            f"\n  ㄹ/ㄴ syllables inside written words, rule starts: both {agree['both']}, neither {agree['neither']}, "
            f"kiwi only {agree['kiwi']}, nkhandic only {agree['nkhandic']}"
        )
        for key in ("kiwi", "nkhandic"):
            print(f"    {key} only: " + ", ".join(f"{w} {n}" for w, n in words[key].most_common(12)))

    print("\n4. end to end: each Southern query word, rewritten as the method rewrites, in the text it rewrote")
    print("   (wanted: the Northern spelling's occurrences that are the word, plus the Southern spelling's)")
    rewritten = {
        "words": (
            "\n".join(southern_text(t, word_starts(t)) for t in texts),
            [southern_text(q, {0}) for q in southern_queries],
        ),
        "every": (
            "\n".join(southern_text(t, set(range(len(t)))) for t in texts),
            [southern_text(q, set(range(len(q)))) for q in southern_queries],
        ),
    }
    for method, parts in methods.items():
        rewritten[method] = (
            "\n".join(southern_text(t, c.rule) for t, c in zip(texts, parts["files"], strict=True)),
            [southern_text(q, c.rule) for q, c in zip(southern_queries, parts["queries"], strict=True)],
        )
    rows = count_queries(data["queries"], "\n".join(texts), rewritten)
    names = list(rewritten)
    print(
        f"  {'south':<6} {'north':<6} {'wanted':>6} {'N today':>7} {'S today':>7} " + " ".join(f"{m:>9}" for m in names)
    )
    for row in rows:
        print(
            f"  {row['south']:<6} {row['north']:<6} {row['wanted']:>6} {row['north_today']:>7} {row['south_today']:>7} "
            + " ".join(f"{row[m]:>9}" for m in names)
        )
    wanted = sum(row["wanted"] for row in rows)
    print(f"  found (each query capped at wanted), of {wanted}:")
    print("    " + ", ".join(f"{m} {sum(min(r[m], r['wanted']) for r in rows)}" for m in names))
    print("  more than wanted (false matches, or occurrences the wanted count misses):")
    print("    " + ", ".join(f"{m} {sum(max(r[m] - r['wanted'], 0) for r in rows)}" for m in names))
    print("  (words: the rule at the start of written words only; every: at every syllable; neither needs an analyser)")

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    summary = {
        "analysers": {n: {k: v for k, v in r.items() if k != "methods"} for n, r in results.items()},
        "items": {m: [asdict(s) for s in row] for m, row in scores.items()},
        "queries": rows,
    }
    RESULTS.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\nall figures: {RESULTS.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
