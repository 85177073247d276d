"""Bar charts drawn on the server: the geometry here, the SVG in ``_charts.html``.

No script draws them (the pages read without JavaScript and the Content-Security-Policy
allows no inline code), and each chart goes with a table of the same figures, for readers
who cannot see it. A chart may diverge: one series stacked above the line (A → B), the
other below it (B → A), so that direction shows by position and not by colour alone.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = ["Bar", "BarChart", "Segment", "Tick", "bar_chart", "drawn", "period_label", "periods_between"]

#: The drawing's size in SVG units (it scales to the page's width).
WIDTH = 720
PLOT_HEIGHT = {False: 160, True: 240}
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 12, 22
#: At most this many labels under the bars.
MAX_TICKS = 12

#: Counts by period ("2011" or "2011-05"), then by series.
Counts = Mapping[str, Mapping[str, int]]


@dataclass(frozen=True, slots=True)
class Segment:
    """One series' part of a bar."""

    series: str
    value: int
    y: float
    height: float


@dataclass(frozen=True, slots=True)
class Bar:
    period: str
    label: str
    x: float
    width: float
    up: tuple[Segment, ...]
    down: tuple[Segment, ...]

    @property
    def total_up(self) -> int:
        return sum(s.value for s in self.up)


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True, slots=True)
class BarChart:
    width: float
    height: float
    #: The plot's left and right edges, its top and bottom, and the zero line.
    left: float
    right: float
    top: float
    bottom: float
    baseline: float
    max_up: int
    max_down: int
    #: Every period from the first to the last, empty ones included (no segments).
    bars: list[Bar]
    ticks: list[Tick]
    diverging: bool

    @property
    def filled(self) -> list[Bar]:
        """The bars with something in them, for the table beside the chart."""
        return [b for b in self.bars if b.up or b.down]


def periods_between(first: str, last: str, by: str) -> list[str]:
    """Every period from ``first`` to ``last``: years ("2000") or months ("2000-01")."""
    if by == "year":
        return [f"{y:04d}" for y in range(int(first[:4]), int(last[:4]) + 1)]
    year, month = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    out = []
    while (year, month) <= end:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def drawn(period: str, by: str) -> bool:
    """Whether a period gets a bar: a year by year, a month by month. Counts by month
    keep an event known only to its year under the year, and undated ones apart: those
    go in the table only."""
    return len(period) == (4 if by == "year" else 7) and period[:4].isdigit()


def period_label(period: str) -> str:
    """ "2011" as is; "2011-05" as "May 2011"."""
    if len(period) == 7:
        return dt.date(int(period[:4]), int(period[5:]), 1).strftime("%B %Y")
    return period


def bar_chart(up: Counts, down: Counts | None = None, series: Sequence[str] = (), by: str = "year") -> BarChart:
    """Stacked bars for the periods of ``up`` (and ``down``, drawn below the line), the
    series stacked in the order of ``series`` (then any others, by name)."""
    diverging = down is not None
    down = down or {}
    keys = sorted(p for p in {*up, *down} if drawn(p, by))
    periods = periods_between(keys[0], keys[-1], by) if keys else []

    def totals(counts: Counts) -> int:
        return max((sum(counts.get(p, {}).values()) for p in periods), default=0)

    max_up, max_down = totals(up), totals(down)
    plot = PLOT_HEIGHT[diverging]
    top, left, right = TOP, LEFT, WIDTH - RIGHT
    scale = plot / ((max_up + max_down) or 1)
    baseline = top + (max_up * scale if diverging else plot)
    slot = (right - left) / (len(periods) or 1)
    width = max(1.0, round(slot * 0.75, 2))
    ordered = {name: n for n, name in enumerate(series)}

    def stack(values: Mapping[str, int], upward: bool) -> tuple[Segment, ...]:
        out, level = [], baseline
        for name in sorted((k for k, v in values.items() if v), key=lambda k: (ordered.get(k, len(ordered)), k)):
            height = round(values[name] * scale, 2)
            y = level - height if upward else level
            out.append(Segment(name, values[name], round(y, 2), height))
            level = y if upward else level + height
        return tuple(out)

    bars = [
        Bar(
            p,
            period_label(p),
            round(left + i * slot + (slot - width) / 2, 2),
            width,
            stack(up.get(p, {}), True),
            stack(down.get(p, {}), False),
        )
        for i, p in enumerate(periods)
    ]
    return BarChart(
        WIDTH,
        top + plot + BOTTOM,
        left,
        right,
        top,
        top + plot,
        round(baseline, 2),
        max_up,
        max_down,
        bars,
        _ticks(bars, by),
        diverging,
    )


def _ticks(bars: list[Bar], by: str) -> list[Tick]:
    """Labels under the bars: every year or a regular few; months by their year."""
    if by == "month" and len(bars) > MAX_TICKS:
        years = [b for b in bars if b.period.endswith("-01")] or bars[:1]
        step = math.ceil(len(years) / MAX_TICKS)
        return [Tick(round(b.x + b.width / 2, 2), b.period[:4]) for b in years[::step]]
    step = math.ceil(len(bars) / MAX_TICKS) if bars else 1
    short = (
        (lambda b: dt.date(int(b.period[:4]), int(b.period[5:]), 1).strftime("%b %Y"))
        if by == "month"
        else (lambda b: b.label)
    )
    return [Tick(round(b.x + b.width / 2, 2), short(b)) for b in bars[::step]]
