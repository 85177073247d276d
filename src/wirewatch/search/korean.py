"""Korean as both Koreas write it: the initial-sound rule (두음법칙) at morpheme starts.

The South drops or changes an initial ㄹ or ㄴ where the North keeps it: 로동당 / 노동당,
력사 / 역사, 녀성 / 여성, 리익 / 이익. The rule applies at the start of a word *or of a
morpheme inside a compound* (조선로동당 is the South's 조선노동당), never in the middle of one
(근로인민 stays 근로인민, so 노인 "the elderly" is not inside it).

So that either spelling finds the other, the index holds, beside each Korean text's
bigrams, a second stream: the text with the South's initial at every morpheme start,
spaces between Korean words removed (the two orthographies space differently: 할수 있다
/ 할 수 있다), as bigrams marked ``MARK``. A Korean query word is rewritten the same way and
looked up in that stream (``normalised_tokens``); with ``exact_spelling`` it is looked up
in the plain bigrams as typed.

Morpheme starts come from MeCab with nkhandic, a dictionary built from Rodong Sinmun (the
North's spellings are in it): its lexical morphemes (nouns, numerals, verbs, adjectives,
adverbs, determiners, roots, prefixes), not particles, endings, suffixes or bound nouns
(1990년대, 리용률), and the written word starts. A compound noun it keeps whole (조선로동당)
is cut where its next-best analysis cuts it, keeping parts of two syllables or more
(근|로자 is refused). ``bench/bench_korean_morphs.py`` measured the choice: 61 of 70
hand-checked words cut right, 99.4 % of the Southern spellings' occurrences in the New
Year addresses found, no match across morphemes.
"""

from __future__ import annotations

import bisect
import importlib.util
import itertools
import re
import threading
import unicodedata
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from wirewatch.errors import ConfigError

#: The second stream's tokens start with this (letters, so that FTS5's tokenizer keeps the
#: token whole; no text token mixes Latin letters with Korean ones).
MARK = "kq"
#: The same for a pair of syllables that a space separates in the text (하여 성의 holds 여성
#: only across words: no match for 여성).
SPANNING = "kx"
#: The most spacings of a query looked up (2 to the power of its pairs but one, the ones
#: nearest the spacing typed first: every one-space difference of a phrase of 32 pairs).
MAX_SPACINGS = 32
_FIRST, _LAST = 0xAC00, 0xD7A3
_N, _R, _O = 2, 5, 11  # the first consonants ㄴ ㄹ ㅇ
_R_TO_N = frozenset({0, 1, 8, 11, 13, 18})  # 라 래 로 뢰 루 르 -> 나 내 노 뇌 누 느
_TO_O = frozenset({2, 6, 7, 12, 17, 20})  # 랴 려 례 료 류 리 (and 녀 녜 뇨 뉴 니) -> 야 여 예 요 유 이
_HANGUL = re.compile(f"[{chr(_FIRST)}-{chr(_LAST)}]")
#: Korean words with only spaces between them: one run for the second stream.
_RUN = re.compile(f"[{chr(_FIRST)}-{chr(_LAST)}]+(?:\\s+[{chr(_FIRST)}-{chr(_LAST)}]+)*")
#: Where a written word starts (not after a digit: the South keeps 년 and 리 in 1990년대).
_WORD_START = re.compile(f"(?<![{chr(_FIRST)}-{chr(_LAST)}0-9０-９])[{chr(_FIRST)}-{chr(_LAST)}]")
#: Units written after numbers, which keep their ㄹ or ㄴ in the South as well.
_UNITS = frozenset("년리량냥")
_JAMO = {c: unicodedata.normalize("NFD", chr(c)) for c in range(_FIRST, _LAST + 1)}
#: nkhandic's tags (field 11 of its features) of the morphemes the rule applies at.
_LEXICAL = re.compile(r"NN[GP]|N[PR]|V[VAX]|M[AM]|MAJ|XR|XPN")


def southern(syllable: str) -> str | None:
    """The syllable as the South writes it at a morpheme start, or None when the rule does not change it."""
    code = ord(syllable) - _FIRST
    if not 0 <= code <= _LAST - _FIRST:
        return None
    initial, vowel = divmod(code // 28, 21)
    if initial == _R and vowel in _R_TO_N:
        initial = _N
    elif initial in (_R, _N) and vowel in _TO_O:
        initial = _O
    else:
        return None
    return chr(_FIRST + (initial * 21 + vowel) * 28 + code % 28)


@cache
def northern(syllable: str) -> tuple[str, ...]:
    """The syllables the North may write where the South writes ``syllable`` at a morpheme start
    (노 -> 로; 이 -> 리, 니), the syllable itself first."""
    code = ord(syllable) - _FIRST
    if not 0 <= code <= _LAST - _FIRST:
        return (syllable,)
    initial, vowel = divmod(code // 28, 21)
    final = code % 28
    found = [syllable]
    if initial == _N and vowel in _R_TO_N:
        found.append(chr(_FIRST + (_R * 21 + vowel) * 28 + final))
    elif initial == _O and vowel in _TO_O:
        found += [chr(_FIRST + (c * 21 + vowel) * 28 + final) for c in (_R, _N)]
    return tuple(found)


class Morphemes:
    """MeCab with the nkhandic dictionary: where the rule applies in a text."""

    def __init__(self) -> None:
        try:
            import MeCab  # the mecab-python3 package
        except ImportError as exc:  # a dependency: missing only from a broken install
            raise ConfigError(f"Korean search needs mecab-python3: pip install mecab-python3 ({exc})") from None
        spec = importlib.util.find_spec("nkhandic")  # its folder: importing it needs a package it does not declare
        if spec is None or not spec.submodule_search_locations:
            raise ConfigError("Korean search needs the nkhandic dictionary: pip install nkhandic")
        folder = Path(next(iter(spec.submodule_search_locations))) / "dicdir"
        self._tagger = MeCab.Tagger(f'-r /dev/null -d "{folder}"')
        self._lock = threading.Lock()  # one tagger, shared by the web's threads
        self._cuts: dict[str, frozenset[int]] = {}

    def rule_starts(self, text: str) -> set[int]:
        """The offsets in ``text`` of the syllables that start a lexical morpheme or a word."""
        starts = {m.start() for m in _WORD_START.finditer(text)}
        base = 0
        for line in text.splitlines(keepends=True):  # a line at a time: MeCab's lattice grows with its input
            if _HANGUL.search(line):
                for offset, form, tag, _ in self._morphemes(line):
                    if _LEXICAL.fullmatch(tag):
                        starts.add(base + offset)
                        if tag in ("NNG", "NNP") and len(form) >= 3 and any(map(southern, form[1:])):
                            starts.update(base + offset + cut for cut in self._compound_cuts(form))
            base += len(line)
        # After a number, units keep their initial in the South too (1990년대, 100리, 2량):
        # the tagger sometimes reads 년대 there as a noun of its own.
        return {i for i in starts if not (i and text[i - 1].isdigit() and text[i] in _UNITS)}

    def northern_entries(self, text: str) -> set[int]:
        """Where in ``text`` a word of two syllables or more starts that the dictionary marks as
        the North's spelling (&북한어: 로동, 녀성, 리익)."""
        return {offset for offset, form, _, north in self._morphemes(text) if north and len(form) >= 2}

    def _morphemes(self, text: str) -> list[tuple[int, str, str, bool]]:
        """(offset of the syllable it starts in, form, tag, marked as the North's spelling) for
        each morpheme that starts a syllable."""
        jamo = text.translate(_JAMO)
        offsets = [0]  # where each character of the text starts in ``jamo``
        for char in text:
            offsets.append(offsets[-1] + len(_JAMO.get(ord(char), char)))
        with self._lock:
            parsed = self._tagger.parse(jamo)
        found: list[tuple[int, str, str, bool]] = []
        position = 0
        for line in parsed.splitlines():
            surface, _, feature = line.partition("\t")
            if not feature:  # EOS
                continue
            at = jamo.find(surface, position)
            if at < 0:  # MeCab normalised something: leave the rest of the text to the word starts
                break
            position = at + len(surface)
            index = bisect.bisect_right(offsets, at) - 1
            if offsets[index] == at:  # not the ᆫ of 한
                fields = feature.split(",")
                tag = fields[10] if len(fields) > 10 else ""
                north = len(fields) > 11 and fields[11] == "&북한어"
                found.append((index, unicodedata.normalize("NFC", surface), tag, north))
        return found

    def _compound_cuts(self, word: str, depth: int = 2) -> frozenset[int]:
        """Where a compound noun kept whole splits: its first next-best analysis that cuts it
        into parts of two syllables or more, then the same inside each part."""
        if word in self._cuts:
            return self._cuts[word]
        cuts: set[int] = set()
        for alternative in self._alternatives(word):
            edges = sorted({0, len(word)} | alternative)
            cuts = {c for a, c, b in zip(edges, edges[1:], edges[2:], strict=False) if c - a >= 2 and b - c >= 2}
            if cuts:
                break
        if depth > 1:
            edges = sorted({0, len(word)} | cuts)
            for a, b in itertools.pairwise(edges):
                if b - a >= 3 and (a, b) != (0, len(word)):
                    cuts |= {a + c for c in self._compound_cuts(word[a:b], depth - 1)}
        self._cuts[word] = frozenset(cuts)
        return self._cuts[word]

    def _alternatives(self, word: str) -> list[set[int]]:
        with self._lock:
            analyses = self._tagger.parseNBest(4, word.translate(_JAMO)).split("EOS\n")[1:4]
        ends = list(itertools.accumulate(len(_JAMO.get(ord(c), c)) for c in word))
        syllable_after = {end: i + 1 for i, end in enumerate(ends)}
        found = []
        for analysis in analyses:
            cuts, position = set(), 0
            for line in analysis.splitlines():
                position += len(line.partition("\t")[0])
                if syllable_after.get(position, len(word)) < len(word):
                    cuts.add(syllable_after[position])
            found.append(cuts)
        return found


@cache
def morphemes() -> Morphemes:
    """The analyser, loaded once per process (when the first Korean text is met)."""
    return Morphemes()


def southern_text(text: str, starts: set[int]) -> str:
    """``text`` with the South's initial at each of ``starts``."""
    chars = list(text)
    for offset in starts:
        if offset < len(chars) and (south := southern(chars[offset])):
            chars[offset] = south
    return "".join(chars)


def normalised_tokens(text: str, *, whole_start: bool = False) -> list[str]:
    """The second stream of ``text``: its Korean runs with the South's initial at each morpheme
    start, as bigrams marked ``MARK``, or ``SPANNING`` for a pair of syllables with a space
    between them ([] without Korean). ``whole_start``: the rule also applies at the text's
    first syllable, whatever the analyser says (a query word starts a word)."""
    if not _HANGUL.search(text):
        return []
    starts = morphemes().rule_starts(text)
    if whole_start:
        starts.add(0)
    south = southern_text(text, starts)
    tokens: list[str] = []
    for run in _RUN.finditer(south):
        words = run.group().split()
        joined = "".join(words)
        if len(joined) == 1:
            tokens.append(MARK + joined)
            continue
        spaced = set(itertools.accumulate(len(w) for w in words[:-1]))  # where a word ends inside the run
        tokens.extend((SPANNING if i + 1 in spaced else MARK) + joined[i : i + 2] for i in range(len(joined) - 1))
    return tokens


def spacings(tokens: Sequence[str]) -> list[tuple[str, ...]]:
    """A query's second-stream tokens as each spacing could have them: as typed first, then
    with one pair after the first moved across a space or into a word (조국통일 finds 조국 통일
    and the reverse), then two, and so on, up to ``MAX_SPACINGS``. The first pair stays as
    typed: a match starts inside a word (여성 is not found across 위하여 성의)."""
    if not tokens:
        return []
    flipped = {MARK: SPANNING, SPANNING: MARK}
    found: list[tuple[str, ...]] = []
    for count in range(len(tokens)):
        for places in itertools.combinations(range(1, len(tokens)), count):
            found.append(
                tuple(flipped[t[: len(MARK)]] + t[len(MARK) :] if i in places else t for i, t in enumerate(tokens))
            )
            if len(found) == MAX_SPACINGS:
                return found
    return found


def spellings_of(word: str) -> tuple[str, ...]:
    """The South's form of a word spelt the North's way at a morpheme start (로동당 -> 노동당),
    for telling the reader what was also searched; () when the rule changes nothing."""
    south = southern_text(word, morphemes().rule_starts(word) | {0})
    return (south,) if south != word else ()


def northern_forms(word: str) -> tuple[str, ...]:
    """The North's spellings of a word spelt the South's way (노동당 -> 로동당, 여성 -> 녀성):
    those of its forms with a Northern ㄹ or ㄴ at a morpheme start that the dictionary knows
    as the North's words (노래 stays 노래, 인민 인민); at most three."""
    analyser = morphemes()
    starts = analyser.rule_starts(word) | {0}
    changeable = [i for i in sorted(starts) if i < len(word) and len(northern(word[i])) > 1]
    if not changeable:
        return ()
    options = [northern(c) if i in changeable else (c,) for i, c in enumerate(word)]
    found: list[str] = []
    for letters in itertools.islice(itertools.product(*options), 1, 9):
        candidate = "".join(letters)
        known = analyser.northern_entries(candidate)
        if all(i in known for i in changeable if candidate[i] != word[i]):
            found.append(candidate)
    return tuple(found[:3])


def highlight_pattern(word: str) -> str:
    """A regex finding ``word`` in either spelling (each syllable that the rule may change
    matches its counterparts), with any spacing between its syllables."""
    parts = []
    for char in word.replace(" ", ""):
        south = southern(char) or char
        forms = {char, south, *northern(south)}
        parts.append(re.escape(char) if len(forms) == 1 else "[" + "".join(sorted(forms)) + "]")
    return r"\s*".join(parts)
