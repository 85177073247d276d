"""Which articles to compare (issue 14): MinHash signatures with LSH banding for texts in one
language, anchors for translations.

Comparing every new article with every article of its window is quadratic; the candidate step
keeps, for each article, a small summary that finds the few worth comparing:

- a **MinHash signature** (``rensa``, 128 permutations) of its word 5-shingles, less the
  *common* shingles that very many articles carry (formulas, datelines, boilerplate: see
  ``common_shingles``). Two articles are candidates when one of the signature's 32 bands of 4
  values is equal in both (``band_keys``): likely from a Jaccard similarity of about 0.4 up,
  which finds copies, reprints and most formula siblings (``bench/bench_candidates.py``);
- **passage marks**: the shingles whose CRC-32 is a multiple of ``PASSAGE_SAMPLE`` (a fixed,
  content-defined sample, as in winnowing), less the common ones. A passage of forty words
  that two texts share holds 36 shingles, so four or five marks: two texts that share
  ``MIN_PASSAGE`` marks are candidates whatever their lengths, which finds quotations, and
  reprints cut or expanded, that a whole-text signature misses (on the development pairs,
  21 of 27 quotations, none found by the signature alone);
- **anchors** that survive a translation: the ids analysis resolved people, bodies and places
  to (across scripts and spellings, by the actor data's aliases), proper names as written
  (romanised names are spelt alike in English and Spanish), and numbers. Articles in two
  languages published a day apart that share anchors are translation candidates.

Pure: the caller reads and stores the summaries (``pipeline.linking``).
"""

from __future__ import annotations

import re
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rensa import RMinHash

from wirewatch.analysis.slots import name_words, numbers
from wirewatch.analysis.translation import FURNITURE, UBIQUITOUS
from wirewatch.clean.language import detect_language
from wirewatch.models import EntityCount

__all__ = [
    "BANDS",
    "NUM_PERM",
    "SHINGLE",
    "Summary",
    "band_keys",
    "common_shingles",
    "passage_marks",
    "read_signature",
    "summarise",
    "text_shingles",
]

#: Words in a shingle (as ``compare.SHINGLE``).
SHINGLE = 5
NUM_PERM = 128
#: Bands of ``NUM_PERM // BANDS`` values: two texts of Jaccard similarity s share a band with
#: probability 1 - (1 - s^4)^32: 0.12 at s = 0.2, 0.65 at 0.3, 0.99 at 0.5.
BANDS = 32
SEED = 1
#: A shingle is common when more than this share of the articles sampled carry it …
COMMON_SHARE = 0.005
#: … and at least this many do (a small sample says little).
COMMON_MIN = 5
#: One shingle in this many (by its CRC-32) marks a passage.
PASSAGE_SAMPLE = 8
#: Passage marks two texts share at least to be compared.
MIN_PASSAGE = 4
#: Characters read to tell the language: enough for a sure guess, a fraction of the cost.
LANGUAGE_SAMPLE = 200

_WORDS = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Summary:
    """What the candidate step keeps of an article."""

    language: str | None
    signature: bytes
    anchors: frozenset[str]
    passages: frozenset[int] = frozenset()


def text_shingles(text: str, size: int = SHINGLE) -> set[str]:
    """The word ``size``-grams of a text, lower-cased and space-joined (a shorter text is one)."""
    tokens = _WORDS.findall(text.lower())
    if len(tokens) < size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def common_shingles(shingle_sets: Iterable[set[str]]) -> set[str]:
    """The shingles more than ``COMMON_SHARE`` of the sets (and at least ``COMMON_MIN``) hold."""
    df: Counter[str] = Counter()
    count = 0
    for shingles in shingle_sets:
        df.update(shingles)
        count += 1
    floor = max(COMMON_MIN, COMMON_SHARE * count)
    return {shingle for shingle, n in df.items() if n > floor}


def signature(shingles: set[str]) -> bytes:
    """The MinHash signature of a shingle set, as ``NUM_PERM`` unsigned 32-bit values."""
    minhash = RMinHash(num_perm=NUM_PERM, seed=SEED)
    minhash.update(sorted(shingles))
    return array("I", minhash.digest()).tobytes()


def read_signature(data: bytes) -> tuple[int, ...]:
    values = array("I")
    values.frombytes(data)
    return tuple(values)


def band_keys(data: bytes) -> list[tuple[int, ...]]:
    """The signature's bands, each with its number first: equal keys make a candidate."""
    values = read_signature(data)
    rows = len(values) // BANDS
    return [(band, *values[band * rows : (band + 1) * rows]) for band in range(BANDS)]


def passage_marks(shingles: set[str]) -> frozenset[int]:
    """The shingles that mark passages: those whose CRC-32 is a multiple of ``PASSAGE_SAMPLE``
    (the same in every process and version, unlike ``hash``)."""
    marks = (zlib.crc32(shingle.encode()) for shingle in shingles)
    return frozenset(mark for mark in marks if mark % PASSAGE_SAMPLE == 0)


def anchors(body: str, entities: Sequence[EntityCount]) -> frozenset[str]:
    """What a translation keeps of a text: entity ids (``@id``), proper names less the ones
    every story names, and numbers of two digits or more (``#n``)."""
    found = {f"@{e.id}" for e in entities if e.id not in FURNITURE}
    found |= {name for name in name_words(body) if name not in UBIQUITOUS}
    found |= {f"#{n}" for n in numbers(body) if len(n) > 1}
    return frozenset(found)


def summarise(body: str, entities: Sequence[EntityCount], common: set[str] | frozenset[str]) -> Summary:
    """An article's summary: its language, signature (common shingles left out, unless the
    text is nothing but common ones) and anchors."""
    shingles = text_shingles(body)
    uncommon = shingles - common
    return Summary(
        detect_language(body, sample=LANGUAGE_SAMPLE),
        signature(uncommon or shingles),
        anchors(body, entities),
        passage_marks(uncommon),
    )
