"""The comparison coordinator (issue 14): every article not compared yet is compared with the
articles of its window, and what relates is linked — duplicate, reprint, translation, quotes,
template — with the story threads the first three make.

One flow for import, collection and ``reprocess --stage compare``: the archive keeps a
watermark (the highest article id compared, ``store.links``), and a run takes the articles
above it, ``CHUNK`` at a time:

1. each article's **summary** (``analysis.candidates``): its language as read from the text, a
   MinHash signature of its word shingles less the common ones, its anchors;
2. its **candidates**: the articles of ± ``window_days`` whose signature shares a band with it
   or that share ``MIN_PASSAGE`` passage marks with it (same language: copies, reprints,
   quotations, formulas), and the articles in another language of ± ``TRANSLATION_DAYS`` that share
   the most anchors with it (translations);
3. each candidate pair **classified** by ``analysis.compare.compare_texts`` (the rules of
   docs/compare-guide.md), its text and its entities as stored; a translation is kept only for
   the best pair of an article and a language;
4. a headline (no text) **linked to its story**: the one article with a text of the same
   outlet, day and title (a headline list and the pages describe the same items);
5. the chunk's summaries, links and stories **written in one transaction** with the watermark,
   so a run killed at any point leaves a consistent archive and the next run resumes.

The shingles that very many articles share (formulas, datelines) are found on a large run from
a sample of its texts and kept in the archive, for the small runs of collection to use.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from wirewatch.analysis.candidates import MIN_PASSAGE, band_keys, common_shingles, summarise, text_shingles
from wirewatch.analysis.compare import ComparedText, compare_texts
from wirewatch.models import LINK_RELATIONS
from wirewatch.store.links import COMMON_SHINGLES, LINKED_UPTO, Link, Pending, Signed, Titled

if TYPE_CHECKING:
    from wirewatch.store import SQLStore

__all__ = ["COMPARE", "LinkOptions", "LinkSummary", "link_pending", "relink_all"]

#: Articles a transaction covers.
CHUNK = 2000
#: From this many articles to compare, a run finds the common shingles again …
LARGE_RUN = 1000
#: … from this many texts spread over them.
SAMPLE = 4000
#: The common shingles kept at most.
MAX_COMMON = 20_000
#: A passage mark more articles of the window carry than this is a formula's, not a quote's.
MARK_MAX = 30
#: A translation is published the same day as its original or the next.
TRANSLATION_DAYS = 1
#: The articles in another language, most anchors shared first, checked as translations.
TRANSLATION_CANDIDATES = 3
#: Anchors a translation candidate shares at least.
MIN_ANCHORS = 2
#: An anchor more articles of one day carry than this says nothing (a country every story
#: of the day names).
ANCHOR_MAX = 30


@dataclass(frozen=True, slots=True)
class LinkOptions:
    """``window_days``: how far apart two articles may be published to be compared (0: no
    comparison at all)."""

    window_days: int = 14


_NOT_WORD = re.compile(r"[^\w]+")

#: The comparison as import and collection run it unless told otherwise.
COMPARE = LinkOptions()


@dataclass(slots=True)
class LinkSummary:
    """What a run did; ``as_dict`` is part of ``import --json`` and ``reprocess --json`` (without
    the time taken, so that two runs that did the same say the same)."""

    examined: int = 0
    signed: int = 0
    candidates: int = 0
    links: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "examined": self.examined,
            "signed": self.signed,
            "candidates": self.candidates,
            "links": {relation: self.links.get(relation, 0) for relation in LINK_RELATIONS},
        }


def link_pending(
    store: SQLStore, options: LinkOptions | None = None, *, progress: Callable[[int], None] | None = None
) -> LinkSummary:
    """Compare the articles stored since the last run and link what relates (see above)."""
    options = options or LinkOptions()
    summary = LinkSummary()
    if options.window_days <= 0:
        return summary
    _release_memory()  # what the work before (an import's batches, the index build) freed
    upto = int(store.links.state(LINKED_UPTO, 0))
    common = _common(store, upto)
    while rows := store.links.pending(upto, CHUNK):
        if _link_chunk(store, rows, upto, common, options, summary):
            summary.examined += len(rows)
            if progress:
                progress(len(rows))
            upto = rows[-1].id
        else:  # another process compared these first: go on from where it got
            upto = int(store.links.state(LINKED_UPTO, 0))
        _release_memory()
    return summary


def _glibc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, where the C library is glibc."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return None
    trim: Callable[[int], int] | None = getattr(libc, "malloc_trim", None)
    return trim


_TRIM = _glibc_trim()


def _release_memory() -> None:
    """Hand the heap a chunk freed back to the system. glibc keeps freed pages for reuse, and
    a chunk's texts, diffs and signatures are freed among long-lived objects, so the process
    kept growing through a long comparison (the peak of an import of the shared corpus)."""
    if _TRIM is not None:
        _TRIM(0)


def relink_all(
    store: SQLStore, options: LinkOptions | None = None, *, progress: Callable[[int], None] | None = None
) -> LinkSummary:
    """Forget every link and compare the whole archive again (``reprocess --stage compare``)."""
    store.links.clear()
    return link_pending(store, options, progress=progress)


def _common(store: SQLStore, upto: int) -> frozenset[str]:
    """The common shingles: the archive's, with those of a sample of a large run added."""
    common = set(store.links.state(COMMON_SHINGLES, []))
    pending = store.links.count_pending(upto)
    if pending >= LARGE_RUN:
        found = common_shingles(text_shingles(body) for body in store.links.sample_bodies(upto, SAMPLE, pending))
        if found - common:
            common = set(sorted(common | found)[:MAX_COMMON])
            store.links.set_state(COMMON_SHINGLES, sorted(common))
    return frozenset(common)


def _link_chunk(
    store: SQLStore,
    rows: Sequence[Pending],
    after: int,
    common: frozenset[str],
    options: LinkOptions,
    summary: LinkSummary,
) -> bool:
    """Compare and link one chunk (the articles after id ``after``); False when another
    process got there first and nothing was written."""
    links = _copy_links(store, rows)
    links += _headline_links(store, rows)
    texts = [r for r in rows if r.body and r.duplicate_of is None]
    entities = store.links.entities(r.id for r in texts)
    signed = []
    for row in texts:
        found = summarise(row.body or "", entities.get(row.id, ()), common)
        signed.append(Signed(row.id, row.date, found.language, found.signature, found.anchors, found.passages))
    known = store.links.linked_pairs(r.id for r in rows)
    links = [link for link in links if (link.a_id, link.b_id) not in known]
    pairs = _candidates(store, signed, options.window_days)
    pairs -= known | {(link.a_id, link.b_id) for link in links}
    languages = {s.id: s.language for s in signed}
    links += _classify(store, pairs, languages)
    if not store.links.write(signed, links, after, rows[-1].id):
        return False
    summary.signed += len(signed)
    summary.candidates += len(pairs)
    summary.links.update(link.relation for link in links)
    return True


def _copy_links(store: SQLStore, rows: Sequence[Pending]) -> list[Link]:
    """Each exact copy (``duplicate_of``) linked to its original and to the original's other
    copies: every two of them carry the same text (C2), whatever the days between them."""
    copies = [r for r in rows if r.duplicate_of is not None]
    if not copies:
        return []
    siblings = store.links.copies_of(r.duplicate_of for r in copies if r.duplicate_of is not None)
    pairs: set[tuple[int, int]] = set()
    for row in copies:
        assert row.duplicate_of is not None
        pairs.add(_pair(row.id, row.duplicate_of))
        pairs.update(_pair(row.id, other) for other in siblings.get(row.duplicate_of, ()) if other != row.id)
    return [Link(a, b, "duplicate", 1.0, "C2") for a, b in sorted(pairs)]


def _candidates(store: SQLStore, signed: Sequence[Signed], window_days: int) -> set[tuple[int, int]]:
    """The pairs worth comparing: each new article with the articles of its window (stored,
    or new in this chunk) that share a band of its signature, and with the articles in another
    language of ± ``TRANSLATION_DAYS`` that share the most anchors with it."""
    dated = [s for s in signed if s.date is not None]
    if not dated:
        return set()
    window = dt.timedelta(days=window_days)
    since = min(s.date for s in dated if s.date) - window
    until = max(s.date for s in dated if s.date) + window
    everyone = {s.id: s for s in store.links.signatures_between(since, until)} | {s.id: s for s in dated}
    bands: dict[tuple[int, ...], list[int]] = defaultdict(list)
    by_anchor: dict[tuple[str, dt.date], list[int]] = defaultdict(list)
    by_mark: dict[int, list[int]] = defaultdict(list)
    for s in everyone.values():
        for key in band_keys(s.minhash):
            bands[key].append(s.id)
        for mark in s.passages:
            by_mark[mark].append(s.id)
        if s.language and s.date:
            for anchor in s.anchors:
                by_anchor[(anchor, s.date)].append(s.id)
    top = _Translations(everyone, by_anchor)
    pairs: set[tuple[int, int]] = set()
    for s in dated:
        near = {other for key in band_keys(s.minhash) for other in bands[key]}
        marked = Counter(o for mark in s.passages if len(by_mark[mark]) <= MARK_MAX for o in by_mark[mark])
        near.update(o for o, n in marked.items() if n >= MIN_PASSAGE)
        pairs.update(_pair(s.id, o) for o in near if o != s.id and _days(s, everyone[o]) <= window_days)
        pairs.update(_pair(s.id, o) for o in top.of(s.id) if s.id in top.of(o))
    return pairs


def title_key(title: str) -> str:
    """A title as a headline list and a story page write it alike: case, spacing and end
    punctuation aside."""
    return " ".join(_NOT_WORD.sub(" ", title.casefold()).split())


def _headline_links(store: SQLStore, rows: Sequence[Pending]) -> list[Link]:
    """Headlines (no text) linked to their story: the one article with a text of the same
    outlet, day and title (rule H1 of docs/compare-guide.md). A headline list and an archive
    of pages describe the same items; where two different stories share a title that day,
    the headline stays unlinked, since which one it names cannot be told."""
    titled = [r for r in rows if r.date is not None and r.title and r.duplicate_of is None]
    if not titled:
        return []
    since = min(r.date for r in titled if r.date)
    until = max(r.date for r in titled if r.date)
    groups: dict[tuple[int, dt.date, str], list[Titled]] = defaultdict(list)
    for article in store.links.titled_between(since, until):
        groups[(article.source_id, article.date, title_key(article.title))].append(article)
    links: set[tuple[int, int]] = set()
    for row in titled:
        assert row.date is not None
        group = groups.get((row.source_id, row.date, title_key(row.title)), [])
        stories = {a.duplicate_of or a.id for a in group if a.has_text}
        if len(stories) != 1:
            continue
        (story,) = stories
        headlines = [a.id for a in group if not a.has_text]
        links.update(_pair(h, story) for h in headlines if row.id in (h, story))
    return [Link(a, b, "duplicate", 1.0, "H1") for a, b in sorted(links)]


class _Translations:
    """Each article's translation candidates: the ``TRANSLATION_CANDIDATES`` articles in another
    language of ± ``TRANSLATION_DAYS`` that share the most anchors with it (``MIN_ANCHORS`` at
    least). A pair is compared when each is among the other's: an English story that names
    many countries is not compared with every Spanish story of its day, and a Spanish story
    is still compared with its original, which names what it names."""

    def __init__(self, everyone: dict[int, Signed], by_anchor: dict[tuple[str, dt.date], list[int]]) -> None:
        self.everyone = everyone
        #: The articles with a language that carry an anchor, by anchor and day.
        self.by_anchor = by_anchor
        self.found: dict[int, set[int]] = {}
        self.languages = {i: s.language for i, s in everyone.items()}

    def of(self, ident: int) -> set[int]:
        if ident not in self.found:
            s = self.everyone[ident]
            shared: dict[int, int] = {}
            if s.language and s.date:
                days = [s.date + dt.timedelta(days=n) for n in range(-TRANSLATION_DAYS, TRANSLATION_DAYS + 1)]
                by_anchor, languages, own = self.by_anchor, self.languages, s.language
                for anchor in s.anchors:
                    for day in days:
                        ids = by_anchor.get((anchor, day))
                        if ids and len(ids) <= ANCHOR_MAX:
                            for o in ids:
                                if languages[o] != own:
                                    shared[o] = shared.get(o, 0) + 1
            # Ties go to the lower id: the order anchors are counted in follows string hashing,
            # which differs between runs, and the same archive must get the same links.
            ranked = sorted(shared.items(), key=lambda item: (-item[1], item[0]))
            self.found[ident] = {o for o, n in ranked[:TRANSLATION_CANDIDATES] if n >= MIN_ANCHORS}
        return self.found[ident]


def _classify(store: SQLStore, pairs: Iterable[tuple[int, int]], languages: dict[int, str | None]) -> list[Link]:
    """Each pair's relation (unrelated pairs dropped); one translation per article and language."""
    pairs = sorted(pairs)
    ids = {i for pair in pairs for i in pair}
    texts, entities = store.links.texts(ids)
    found: list[Link] = []
    translations: list[Link] = []
    sides: dict[int, ComparedText] = {}
    for a, b in pairs:
        if a not in texts or b not in texts:
            continue
        left, right = (_side(i, texts[i], entities.get(i, ()), sides) for i in (a, b))
        known = (languages.get(a) or texts[a][3], languages.get(b) or texts[b][3])
        result = compare_texts(left, right, languages=known, evidence=False)
        if result.relation == "unrelated":
            continue
        slots = tuple((s.kind, s.a, s.b) for s in result.slots)
        link = Link(a, b, result.relation, float(result.score), result.rule, slots)
        (translations if result.relation == "translation" else found).append(link)
    taken: set[tuple[int, str | None]] = set()
    for link in sorted(translations, key=lambda x: -x.score):
        ends = ((link.a_id, languages.get(link.b_id)), (link.b_id, languages.get(link.a_id)))
        if not taken.intersection(ends):
            taken.update(ends)
            found.append(link)
    return found


def _side(ident: int, text: tuple[Any, ...], entities: Sequence[Any], cache: dict[int, ComparedText]) -> ComparedText:
    if ident not in cache:
        title, body, day, language, source = text
        cache[ident] = ComparedText(title, body, language, day, source, tuple(entities))
    return cache[ident]


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _days(a: Signed, b: Signed) -> int:
    if a.date is None or b.date is None:
        return 1 << 30
    return abs((a.date - b.date).days)
