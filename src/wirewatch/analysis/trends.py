"""Trends: counts over time, terms that rose in a period, and bursts. Pure functions.

Three pieces, each documented where the user meets it (``docs/trends.md``):

- **Timelines** (``timeline``): a query's matches per day, week, month or year beside the
  number of all articles of the same sources in that period, so that the share, not the
  count, carries the signal (state outlets publish steady volumes).
- **Emerging terms** (``log_odds``, ``rising``): the weighted log-odds ratio with an
  informative Dirichlet prior of Monroe, Colaresi and Quinn (2008, "Fightin' Words",
  *Political Analysis* 16(4)), the period against a baseline. Its z-score divides each term's
  log-odds difference by its standard deviation, so a term seen three times does not outrank
  one seen three hundred times for a ratio it owes to chance; the prior, the period and the
  baseline pooled, pulls rare terms towards "no change". Counts are document frequencies (in
  how many articles a term occurs): a speech that repeats a slogan forty times is one article.
- **Bursts** (``bursts``): Kleinberg's two-state automaton for batched arrivals (Kleinberg
  2002, "Bursty and Hierarchical Structure in Streams", section 4): each period's matches
  out of its articles are drawn at the base rate or at ``scale`` times it, moving up costs
  ``gamma`` × ln(periods), and the cheapest state sequence (Viterbi) marks the bursts.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

__all__ = [
    "BY",
    "Burst",
    "By",
    "Point",
    "Scored",
    "bursts",
    "log_odds",
    "period_bounds",
    "period_of",
    "periods",
    "terms_of",
    "timeline",
    "words_of",
]

By = Literal["day", "week", "month", "year"]
BY: tuple[By, ...] = ("day", "week", "month", "year")


def period_of(day: dt.date, by: By) -> str:
    """The period a day falls in, as its label: ``2011-12-05`` (a day, or the Monday that
    starts an ISO week), ``2011-12`` (a month), ``2011`` (a year)."""
    if by == "day":
        return day.isoformat()
    if by == "week":
        return (day - dt.timedelta(days=day.weekday())).isoformat()
    if by == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.year:04d}"


def period_bounds(period: str, by: By) -> tuple[dt.date, dt.date]:
    """The first and last day of a period label (``period_of``'s inverse)."""
    if by == "day":
        day = dt.date.fromisoformat(period)
        return day, day
    if by == "week":
        start = dt.date.fromisoformat(period)
        return start, start + dt.timedelta(days=6)
    if by == "month":
        year, month = (int(p) for p in period.split("-"))
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return dt.date(year, month, 1), following - dt.timedelta(days=1)
    return dt.date(int(period), 1, 1), dt.date(int(period), 12, 31)


def periods(first: dt.date, last: dt.date, by: By) -> Iterator[str]:
    """Every period label from the one holding ``first`` to the one holding ``last``."""
    label = period_of(first, by)
    while True:
        yield label
        end = period_bounds(label, by)[1]
        following = end + dt.timedelta(days=1)
        if following > last:
            return
        label = period_of(following, by)


@dataclass(frozen=True, slots=True)
class Point:
    """One period of a timeline: the query's matches, all articles of the same sources,
    and the share (``None`` when the period holds no article at all)."""

    period: str
    count: int
    total: int

    @property
    def share(self) -> float | None:
        return self.count / self.total if self.total else None


def timeline(
    matches: Iterable[tuple[dt.date, int]],
    totals: Iterable[tuple[dt.date, int]],
    by: By,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[Point]:
    """Counts per day (``matches`` and ``totals``: (day, count) pairs, a day may repeat)
    folded into periods, every period from the first to the last present (or from
    ``since`` to ``until``), empty ones included so that a chart's gaps are true gaps."""
    counts: Counter[str] = Counter()
    all_: Counter[str] = Counter()
    days: list[dt.date] = []
    for day, n in matches:
        counts[period_of(day, by)] += n
        days.append(day)
    for day, n in totals:
        all_[period_of(day, by)] += n
        days.append(day)
    if not days and (since is None or until is None):
        return []
    first = since or min(days)
    last = until or max(days)
    if first > last:
        return []
    return [Point(p, counts[p], all_[p]) for p in periods(first, last, by)]


# -- emerging terms ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scored:
    """A term's weighted log-odds of the period against the baseline: ``delta`` the
    difference of log-odds (the effect), ``z`` that difference over its standard deviation
    (how sure; the ranking key)."""

    term: str
    delta: float
    z: float
    count: int
    baseline_count: int


def log_odds(
    period: Mapping[str, int],
    baseline: Mapping[str, int],
    *,
    sizes: tuple[int, int] | None = None,
    prior_size: float | None = None,
) -> list[Scored]:
    """Monroe, Colaresi and Quinn's weighted log-odds with an informative Dirichlet prior,
    for every term of ``period`` (its count there) against ``baseline``, best first.

    ``sizes``: the number of articles of the period and of the baseline, when the counts
    are document frequencies: each article then holds a term or not, and the odds are those
    of an article holding it (a rate, which a quiet week does not change). Without it, the
    sums of the counts (the paper's composition of one vocabulary). The prior is the two
    pooled, scaled to ``prior_size`` pseudo-counts (default: the period's size, so that it
    weighs like the evidence it tempers). With y the counts, n the sizes and α the prior
    (α₀ its size): δ = log((yᴾ+α)/(nᴾ+α₀−yᴾ−α)) − log((yᴮ+α)/(nᴮ+α₀−yᴮ−α)),
    var δ ≈ 1/(yᴾ+α) + 1/(yᴮ+α).
    """
    n_period, n_base = sizes if sizes is not None else (sum(period.values()), sum(baseline.values()))
    pooled = n_period + n_base
    if not n_period or not pooled or not period:
        return []
    a0 = float(prior_size if prior_size is not None else n_period)
    out = []
    for term, y_p in period.items():
        y_b = baseline.get(term, 0)
        alpha = a0 * (y_p + y_b) / pooled
        odds_p = (y_p + alpha) / max(n_period + a0 - y_p - alpha, 1e-9)
        odds_b = (y_b + alpha) / max(n_base + a0 - y_b - alpha, 1e-9)
        delta = math.log(odds_p) - math.log(odds_b)
        z = delta / math.sqrt(1.0 / (y_p + alpha) + 1.0 / (y_b + alpha))
        out.append(Scored(term, delta, z, y_p, y_b))
    out.sort(key=lambda s: (-s.z, s.term))
    return out


#: A word: letters (digits after the first), a possessive 's dropped ("Il's" → "il").
_WORD = re.compile(r"([^\W\d_][^\W_]*)(?:['’]s\b)?")


def words_of(text: str) -> list[str]:
    """The words of a text as ``terms_of`` reads them: lower-cased, possessive 's dropped."""
    return [w.lower() for w in _WORD.findall(text)]


@lru_cache(maxsize=4)
def _stopwords(languages: tuple[str, ...], keep: frozenset[str]) -> frozenset[str]:
    import stopwordsiso  # the stopwords-iso lists (data in the package): loaded once

    words: set[str] = set()
    for language in languages:
        if stopwordsiso.has_lang(language):
            words |= set(stopwordsiso.stopwords(language))
    return frozenset(words - keep)


def terms_of(
    text: str,
    *,
    formulas: frozenset[str] = frozenset(),
    keep: frozenset[str] = frozenset(),
    languages: tuple[str, ...] = ("en", "es"),
) -> set[str]:
    """The distinct words and phrases (two or three words in a row, within a sentence) of a
    text, lower-cased: what ``rising`` counts per article.

    A word is kept when it is no function word (the stopwords-iso lists of ``languages``),
    has three letters or more and is not a ``formulas`` word; a phrase when neither end is
    such a word (two letters will do there: "kim il sung") and it is not itself one of
    ``formulas``. ``keep``: words of those lists that are no function words here (the
    parts of Korean names: "il", "un"). The outlets' fixed formulas
    ("the respected Marshal", "Korean Central News Agency") are listed in
    ``data/trends.toml``."""
    stop = _stopwords(languages, keep)
    found: set[str] = set()
    for sentence in re.split(r"[.!?;:\n]+", text):
        words = words_of(sentence)
        usable = [len(w) >= 2 and w not in stop and w not in formulas for w in words]
        for i, word in enumerate(words):
            if not usable[i]:
                continue
            if len(word) >= 3:
                found.add(word)
            for size in (2, 3):
                j = i + size - 1
                if j < len(words) and usable[j] and (size == 2 or words[i + 1] not in formulas):
                    phrase = " ".join(words[i : j + 1])
                    if phrase not in formulas:
                        found.add(phrase)
    return found


def collapse(scored: Sequence[Scored], *, keep: float = 0.8) -> list[Scored]:
    """The ranked list with each term replaced by the longest phrase that contains it and
    holds at least ``keep`` of its count ("lee", "myung" and "bak" become one "lee myung
    bak"), and without the terms a better-ranked entry already stands for."""
    by_term = {s.term: s for s in scored}
    longer: dict[str, list[Scored]] = {}
    for item in scored:
        words = item.term.split()
        for size in range(1, len(words)):
            for i in range(len(words) - size + 1):
                longer.setdefault(" ".join(words[i : i + size]), []).append(item)
    kept: list[Scored] = []
    seen: set[str] = set()
    for item in scored:
        best = item
        for other in longer.get(item.term, ()):
            if other.count >= keep * item.count and len(other.term) > len(best.term):
                best = by_term[other.term]
        if best.term in seen or any(f" {best.term} " in f" {k.term} " for k in kept):
            continue
        seen.add(best.term)
        kept.append(best)
    return kept


# -- bursts -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Burst:
    """A run of periods in the high state: ``start`` and ``end`` index the sequence given
    to ``bursts`` (both included); ``weight`` is how much cheaper the burst state made
    those periods (Kleinberg's weight: the larger, the stronger the burst)."""

    start: int
    end: int
    weight: float


def _cost(r: int, d: int, p: float) -> float:
    """−ln of the binomial probability of r of d at rate p, without the constant C(d, r)
    (the same for both states, so it never changes the choice)."""
    p = min(max(p, 1e-12), 1 - 1e-12)
    return -(r * math.log(p) + (d - r) * math.log(1 - p))


def bursts(
    counts: Sequence[int],
    totals: Sequence[int],
    *,
    scale: float = 2.0,
    gamma: float = 1.0,
    min_count: int = 3,
) -> list[Burst]:
    """The bursts of a series: ``counts[t]`` matches among ``totals[t]`` articles.

    The base rate is the whole series' share; the burst rate ``scale`` times it (at most
    just under 1). Entering the burst state costs ``gamma`` × ln(len(counts)), leaving it
    nothing. Runs with fewer than ``min_count`` matches in all are dropped (a single
    article in a quiet week is not a burst)."""
    periods_ = len(counts)
    if periods_ != len(totals):
        raise ValueError("counts and totals differ in length")
    r_all, d_all = sum(counts), sum(totals)
    if not periods_ or not r_all or not d_all:
        return []
    p0 = r_all / d_all
    p1 = min(scale * p0, 0.9999)
    if p1 <= p0:
        return []
    up = gamma * math.log(periods_)
    inf = float("inf")
    # Viterbi over two states: cost[s] of the cheapest path ending in s, and back-pointers.
    cost = [0.0, inf]
    back: list[tuple[int, int]] = []
    for r, d in zip(counts, totals, strict=True):
        c0, c1 = _cost(r, d, p0), _cost(r, d, p1)
        from0 = cost[0] + c0, cost[1] + c0  # to state 0 from 0, from 1 (leaving is free)
        from1 = cost[0] + up + c1, cost[1] + c1
        b0 = 0 if from0[0] <= from0[1] else 1
        b1 = 0 if from1[0] < from1[1] else 1
        back.append((b0, b1))
        cost = [from0[b0], from1[b1]]
    state = 0 if cost[0] <= cost[1] else 1
    states = [0] * periods_
    for t in range(periods_ - 1, -1, -1):
        states[t] = state
        state = back[t][state]
    found: list[Burst] = []
    t = 0
    while t < periods_:
        if states[t] != 1:
            t += 1
            continue
        start = t
        while t < periods_ and states[t] == 1:
            t += 1
        end = t - 1
        weight = sum(_cost(counts[i], totals[i], p0) - _cost(counts[i], totals[i], p1) for i in range(start, end + 1))
        if sum(counts[start : end + 1]) >= min_count:
            found.append(Burst(start, end, weight))
    return found
