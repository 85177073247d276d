"""A Korean name as each reader spells it: the query's other spellings, searched as well.

Readers type a name in the system they know: McCune-Reischauer with or without its marks
("Ch'oe T'ae-bok", "Choe Tae-bok"), the South's Revised Romanization ("Kim Jeong-eun"), or
as the press writes it ("Lee", "Park"); the DPRK's outlets print their own system ("Choe
Thae Bok", "Kim Jong Un"). A query is rewritten so that each name in it also finds the
other spellings (``expand``), and says what it added (``Expansion``):

1. **Known people and places**: a name that reads as one entry of the actor data (a
   person's name and aliases, ``data/actors/persons.toml``) or of the places
   (``data/spelling.toml``) is searched in every form the entry lists, Korean included.
   "Reads as" is exact after folding case, marks, hyphens and apostrophes, or syllable by
   syllable: each romanised syllable stands for the Korean syllables it can spell in any
   system, and a name matches an entry when every syllable can be the same (so "Kim
   Il-seong" is Kim Il Sung). A name that reads as two entries (two people) is not
   widened to either: the expansion never merges different people.
2. **Other Korean names**: a name that starts with a Korean surname (``spelling.toml``)
   and reads as Korean syllables is searched as the DPRK's system writes it (each plain
   stop voiced or not, as its outlets print it: Pak Pong Ju, Choe Thae Bok).

Only whole names are rewritten: a quoted phrase, or a run of plain words next to each
other in the query. The rest of the query is left as typed.
"""

from __future__ import annotations

import itertools
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

from wirewatch.search.korean import normalised_tokens, northern_forms, spacings, spellings_of
from wirewatch.search.query import And, Node, Or, Term
from wirewatch.search.tokens import CJK_RUN, query_tokens

#: A Korean syllable as its three letters (jamo): first consonant, vowel, last consonant ("" for none).
Syllable = tuple[str, str, str]
#: What a romanised syllable can stand for.
Reading = frozenset[Syllable]

#: The people whose spellings are widened: those of the two Koreas (the others' names
#: have no romanisation systems to bridge).
KOREAS = ("PRK", "KOR")
#: The most spellings one name is searched in (a long name with many ambiguous syllables
#: would otherwise multiply them).
MAX_FORMS = 16
#: The most names of a query that are widened.
MAX_EXPANSIONS = 8
#: Names of 2 to 5 syllables (a surname and up to four) are read; single words only for places.
_MAX_SYLLABLES = 5

_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINALS = ("", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ", "ㄿ", "ㅀ", "ㅁ", "ㅂ", "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ")  # fmt: skip
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "ʻ": "'"})
_SEPARATORS = re.compile(r"[\s\-‐–—']+")
_HANGUL_WORD = re.compile("[\uac00-\ud7a3]+")


@dataclass(frozen=True, slots=True)
class Expansion:
    """A name of the query and the spellings also searched for it."""

    typed: str
    #: The other spellings, as they are written (the DPRK's first).
    forms: tuple[str, ...]
    #: person, place (an entry of the data), name (read as Korean syllables) or word (a
    #: Korean word, also in the other Korea's spelling: ``korean``).
    kind: str
    #: The entry's id for a person; None otherwise.
    entry: str | None = None


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: str
    id: str | None
    forms: tuple[str, ...]


@dataclass(frozen=True)
class Spellings:
    """The romanisation tables and the known names (``spelling.toml`` and the actor data)."""

    #: romanised letters -> the jamo they can spell, for first consonants, vowels and last ones.
    initials: dict[str, frozenset[str]]
    vowels: dict[str, frozenset[str]]
    finals: dict[str, frozenset[str]]
    #: jamo -> how the DPRK's system writes it, the usual first.
    dprk_initial: dict[str, tuple[str, ...]]
    dprk_vowel: dict[str, tuple[str, ...]]
    dprk_final: dict[str, tuple[str, ...]]
    #: a surname as typed (folded) -> the Korean syllables it spells, and the DPRK's form.
    surnames: dict[str, tuple[Reading, str]]
    entries: tuple[_Entry, ...]
    #: a name folded -> the entries that list it.
    by_name: dict[str, frozenset[int]]
    #: the syllables of each entry's readable forms, by their number: (entry, reading).
    by_length: dict[int, tuple[tuple[int, tuple[Reading, ...]], ...]]

    def read_syllable(self, letters: str) -> Reading:
        """The Korean syllables a romanised syllable can spell, in any system (empty when none)."""
        found: set[Syllable] = set()
        for initial, firsts in self.initials.items():
            if not letters.startswith(initial):
                continue
            rest = letters[len(initial) :]
            for vowel, middles in self.vowels.items():
                if not rest.startswith(vowel):
                    continue
                lasts = self.finals.get(rest[len(vowel) :])
                if lasts is not None:
                    found.update(itertools.product(firsts, middles, lasts))
        return frozenset(found)

    def read_word(self, word: str) -> list[tuple[Reading, ...]]:
        """The ways a folded word cuts into romanised syllables (at most a few; none when
        it does not read as Korean)."""
        return list(itertools.islice(self._cuts(word), 4))

    def _cuts(self, word: str) -> Iterator[tuple[Reading, ...]]:
        if not word:
            yield ()
            return
        for end in range(min(len(word), 7), 0, -1):  # the longest syllable first ("jong|un", not "jon|gun")
            reading = self.read_syllable(word[:end])
            if reading:
                for rest in self._cuts(word[end:]):
                    yield (reading, *rest)

    def dprk(self, reading: Reading) -> list[str]:
        """How the DPRK's system writes a syllable that may be any of ``reading``."""
        forms: dict[str, None] = {}
        for initial, vowel, final in sorted(reading):
            for parts in itertools.product(
                self.dprk_initial.get(initial, ()), self.dprk_vowel.get(vowel, ()), self.dprk_final.get(final, ())
            ):
                forms["".join(parts)] = None
        return list(forms)


def fold_name(text: str) -> str:
    """A name compared regardless of case, marks, hyphens and apostrophes ("Ch'oe T'ae-bok"
    -> "choe thae bok": an apostrophe after k, t or p marks an aspirate, written h)."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"(?<=[ktp])'", "h", text)
    text = re.sub(r"(?<=ch)'", "", text)
    return " ".join(part for part in _SEPARATORS.split(unicodedata.normalize("NFC", text)) if part)


def hangul_syllables(word: str) -> tuple[Reading, ...] | None:
    """A word of Hangul syllables as their jamo (None when it holds anything else)."""
    out = []
    for char in word:
        code = ord(char) - 0xAC00
        if not 0 <= code < 11172:
            return None
        out.append(frozenset({(_INITIALS[code // 588], _VOWELS[code % 588 // 28], _FINALS[code % 28])}))
    return tuple(out) or None


@cache
def packaged() -> Spellings:
    """The packaged tables and names, read once per process."""
    from wirewatch.analysis.actors import Actors  # the actor data: read when the first name is looked up

    text = (resources.files("wirewatch.data") / "spelling.toml").read_text(encoding="utf-8")
    people = [
        (p.id, (p.name, *p.aliases)) for p in Actors.load().persons.values() if p.match_name and p.country in KOREAS
    ]
    return build(tomllib.loads(text), people)


def build(data: Mapping[str, Any], people: Iterable[tuple[str, Sequence[str]]]) -> Spellings:
    """The tables from ``spelling.toml``'s contents and the people (id, names) of the actor data."""

    def reader(part: str) -> dict[str, frozenset[str]]:
        found: dict[str, set[str]] = {}
        for jamo, systems in data[part].items():
            for spellings in systems.values():
                for spelling in spellings:
                    found.setdefault(spelling, set()).add(jamo)
        return {letters: frozenset(jamo) for letters, jamo in found.items()}

    def writer(part: str) -> dict[str, tuple[str, ...]]:
        return {jamo: tuple(systems["dprk"]) for jamo, systems in data[part].items()}

    surnames: dict[str, tuple[Reading, str]] = {}
    for family in data["surname"]:
        reading = frozenset(s for h in family["hangul"] for s in (hangul_syllables(h) or (frozenset(),))[0])
        for form in family["forms"]:
            surnames[fold_name(form)] = (reading, family["forms"][0])
    tables = Spellings(
        initials=reader("initial"),
        vowels=reader("vowel"),
        finals=reader("final"),
        dprk_initial=writer("initial"),
        dprk_vowel=writer("vowel"),
        dprk_final=writer("final"),
        surnames=surnames,
        entries=(),
        by_name={},
        by_length={},
    )
    # People with a name that reads as Korean (a Hangul alias, or a surname of the table
    # first): the others' spellings are not this module's business.
    entries = [
        _Entry("person", ident, tuple(dict.fromkeys(names)))
        for ident, names in people
        if any(_readings(tables, name) for name in names)
    ]
    entries += [_Entry("place", None, tuple(place["forms"])) for place in data["place"]]
    by_name: dict[str, set[int]] = {}
    by_length: dict[int, list[tuple[int, tuple[Reading, ...]]]] = {}
    for number, entry in enumerate(entries):
        for form in entry.forms:
            by_name.setdefault(fold_name(form), set()).add(number)
            for cut in _readings(tables, form):
                by_length.setdefault(len(cut), []).append((number, cut))
    return replace(
        tables,
        entries=tuple(entries),
        by_name={name: frozenset(found) for name, found in by_name.items()},
        by_length={size: tuple(found) for size, found in by_length.items()},
    )


def _readings(spellings: Spellings, name: str) -> list[tuple[Reading, ...]]:
    """The syllables a name can be read as: a Hangul word exactly; a romanised name syllable
    by syllable, its first word as the surname it spells when the table has it; [] when it
    does not read as Korean, or has fewer than two syllables or more than five."""
    words = name.split()
    if len(words) == 1 and (exact := hangul_syllables(words[0])):
        return [exact]
    folded = fold_name(name).split()
    if not folded:
        return []
    surname = spellings.surnames.get(folded[0])
    first = [(surname[0],)] if surname else spellings.read_word(folded[0])
    parts = [first] + [spellings.read_word(word) for word in folded[1:]]
    if not all(parts):
        return []
    found = [tuple(r for cut in choice for r in cut) for choice in itertools.product(*parts)]
    return [cut for cut in found if 2 <= len(cut) <= _MAX_SYLLABLES]


def _marked(name: str) -> bool:
    """True when a word carries McCune-Reischauer's marks (breves, apostrophes): Korean, then."""
    return any(unicodedata.combining(c) or c in "'’ʼ" for c in unicodedata.normalize("NFKD", name))


def _same(a: tuple[Reading, ...], b: tuple[Reading, ...]) -> bool:
    return len(a) == len(b) and all(x & y for x, y in zip(a, b, strict=True))


def variants(spellings: Spellings, name: str) -> Expansion | None:
    """The spellings of ``name`` (as typed) to search as well, or None when it is not a
    Korean name the tables read, nor a known person or place. The forms may include the
    one typed: the query's own words are left out by the caller, which knows its tokens."""
    folded = fold_name(name)
    if not folded:
        return None
    found = set(spellings.by_name.get(folded, ()))
    readings = _readings(spellings, name)
    typed_words = name.split()
    if len(typed_words) > 1 or hangul_syllables(name.strip()) or _marked(name):  # one plain word: by its name only
        for reading in readings:
            found.update(n for n, known in spellings.by_length.get(len(reading), ()) if _same(reading, known))
    if len(found) == 1:
        entry = spellings.entries[found.pop()]
        return Expansion(name, entry.forms, entry.kind, entry.id)
    if found or len(typed_words) < 2 or folded.split()[0] not in spellings.surnames:
        return None  # two entries (never merged), or not a surname and given names typed apart
    forms = _dprk_forms(spellings, folded.split()[0], readings)
    return Expansion(name, forms, "name") if forms else None


def _dprk_forms(spellings: Spellings, surname: str, readings: list[tuple[Reading, ...]]) -> tuple[str, ...]:
    written: dict[str, None] = {}
    family = spellings.surnames[surname][1]
    for reading in readings:
        given = [[w.capitalize() for w in spellings.dprk(syllable)] for syllable in reading[1:]]
        for names in itertools.islice(itertools.product(*given), MAX_FORMS):
            written[" ".join((family, *names))] = None
    return tuple(written)[:MAX_FORMS]


# -- the query ----------------------------------------------------------------------------


def expand(tree: Node | None, spellings: Spellings | None = None) -> tuple[Node | None, list[Expansion]]:
    """The query with each Korean name in it also matching its other spellings, and what
    was added. ``spellings``: the packaged tables when None."""
    if tree is None:
        return None, []
    tables = spellings or packaged()
    found: list[Expansion] = []
    return _expand(tree, tables, found), found


def _expand(node: Node, tables: Spellings, found: list[Expansion]) -> Node:
    if isinstance(node, Term):
        if _is_korean(node):
            return _korean(node, tables, found)
        return _widen([node], tables, found) or node
    if isinstance(node, Or):
        return Or(tuple(_expand(child, tables, found) for child in node.options))
    if isinstance(node, And):
        exclude = tuple(_expand(child, tables, found) for child in node.exclude)
        return And(_runs(node.include, tables, found), exclude)
    return node  # a filter


def _plain(node: Node) -> bool:
    """A word a name may be made of (Korean words are read one by one: ``_korean``)."""
    return isinstance(node, Term) and not node.phrase and not node.prefix and not _is_korean(node)


def _is_korean(term: Term) -> bool:
    return not term.prefix and bool(term.words) and all(_HANGUL_WORD.fullmatch(w) for w in term.words)


def _korean(term: Term, tables: Spellings, found: list[Expansion]) -> Node:
    """A Korean word or phrase looked up as either Korea spells it (``korean``), its words
    joined whatever their spacing; a known person's name also in its romanisations."""
    typed = " ".join(term.words)
    joined = "".join(term.words)
    spaced = spacings(normalised_tokens(" ".join(term.words), whole_start=True))
    phrases = [Term(term.words, tokens, field=term.field, phrase=True) for tokens in spaced]
    widened: Node = phrases[0] if len(phrases) == 1 else Or(tuple(phrases))
    if len(found) < MAX_EXPANSIONS and (other := spellings_of(joined) or northern_forms(joined)):
        found.append(Expansion(typed, other, "word"))
    person = variants(tables, typed) if len(term.words) == 1 else None
    if person is None or len(found) >= MAX_EXPANSIONS:
        return widened
    forms: dict[tuple[str, ...], str] = {}  # by their tokens: Kim Jong Un and Kim Jong-un are one
    for form in person.forms:
        if not CJK_RUN.search(form):
            forms.setdefault(tuple(t for w in form.split() for t in query_tokens(w)), form)
    if not forms:
        return widened
    found.append(replace(person, forms=tuple(forms.values())))
    romanised = [Term(tuple(form.split()), tokens, field=term.field, phrase=True) for tokens, form in forms.items()]
    return Or((widened, *romanised))


def _runs(children: Sequence[Node], tables: Spellings, found: list[Expansion]) -> tuple[Node, ...]:
    """The children of an AND with each run of plain words that is a name widened (the
    longest first, from the left)."""
    out: list[Node] = []
    i = 0
    while i < len(children):
        child = children[i]
        if not _plain(child):
            out.append(_expand(child, tables, found))
            i += 1
            continue
        end = i
        while end < len(children) and _plain(children[end]) and end - i < _MAX_SYLLABLES:
            end += 1
        for stop in range(end, i, -1):
            run = [c for c in children[i:stop] if isinstance(c, Term)]
            if len({t.field for t in run}) == 1 and (widened := _widen(run, tables, found)) is not None:
                out.append(widened)
                i = stop
                break
        else:
            out.append(child)
            i += 1
    return tuple(out)


def _widen(run: list[Term], tables: Spellings, found: list[Expansion]) -> Node | None:
    """``run`` (one phrase, or plain words next to each other) OR'ed with its other
    spellings; None when it is not a name the tables know, or the query has enough."""
    if len(found) >= MAX_EXPANSIONS or any(t.prefix for t in run):
        return None
    typed = " ".join(w for t in run for w in t.words)
    expansion = variants(tables, typed)
    if expansion is None:
        return None
    field = run[0].field
    tokens = tuple(t for term in run for t in term.tokens)
    alternatives: list[Node] = []
    kept: list[str] = []
    seen = {tokens}
    for form in expansion.forms:
        words = tuple(form.split())
        form_tokens = tuple(t for w in words for t in query_tokens(w))
        if not form_tokens or form_tokens in seen or _contains(form_tokens, tokens):
            continue  # the same words, or a longer form the query finds already
        seen.add(form_tokens)
        kept.append(form)
        alternatives.append(Term(words, form_tokens, field=field, phrase=len(words) > 1 or len(form_tokens) > 1))
    if not alternatives:
        return None
    found.append(replace(expansion, forms=tuple(kept)))
    original: Node = run[0] if len(run) == 1 else And(tuple(run))
    return Or((original, *alternatives))


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    size = len(shorter)
    return len(longer) > size and any(longer[i : i + size] == shorter for i in range(len(longer) - size + 1))


def describe(expansions: Sequence[Expansion]) -> list[dict[str, object]]:
    """The expansions as the CLI's and the API's JSON give them."""
    return [{"typed": e.typed, "also": list(e.forms), "kind": e.kind, "entry": e.entry} for e in expansions]
