"""Charts drawn on the server: the geometry here, the SVG in the templates (bar charts in
``_analysis.html``, line charts in ``_line_chart.html``).

No script draws them (the pages read without JavaScript and the Content-Security-Policy
allows no inline code), and each chart goes with a table of the same figures, for readers
who cannot see it. A chart may diverge: one series stacked above the line (A → B), the
other below it (B → A), so that direction shows by position and not by colour alone. A
line chart tells its lines apart by dash pattern and marker shape as well as colour.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "Bar",
    "BarChart",
    "Level",
    "Line",
    "LineChart",
    "Segment",
    "Series",
    "Tick",
    "bar_chart",
    "drawn",
    "line_chart",
    "period_label",
    "periods_between",
]

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


# -- line charts ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Series:
    """One line to draw: a value per period (None where there is none: a gap in the line),
    and the spans (first and last period index, both included) to mark on it."""

    name: str
    values: Sequence[float | None]
    spans: Sequence[tuple[int, int]] = ()


@dataclass(frozen=True, slots=True)
class LineStyle:
    """How a line is told apart: colour (Okabe-Ito), dash pattern and marker shape."""

    colour: str
    dash: str
    marker: str


#: One style per line, in order; each differs from the others in all three.
LINE_STYLES = (
    LineStyle("#0072b2", "", "circle"),
    LineStyle("#d55e00", "9 4", "square"),
    LineStyle("#009e73", "2 3", "triangle"),
    LineStyle("#cc79a7", "10 3 2 3", "diamond"),
)
LINE_PLOT_HEIGHT = 220
LINE_LEFT = 52
#: The rows under the plot: the period labels, then a legend row per line (and one for bursts).
TICK_ROW, LEGEND_ROW = 26, 18
#: The least room between two labels under a line chart (a label is some 50 units wide).
MIN_TICK_GAP = 54
#: The height of a line's lane for its marked spans, above the plot.
LANE = 5
#: At most this many markers on a line (every point, when it has no more).
MAX_MARKERS = 30


@dataclass(frozen=True, slots=True)
class Mark:
    """A point of a line: its marker (an SVG path) and what it says on hover."""

    x: float
    y: float
    d: str
    label: str


@dataclass(frozen=True, slots=True)
class Band:
    """A marked span of a line: shaded over the plot from ``x`` to ``x + width``, and a
    stroke in the line's style in its lane at the plot's top."""

    x: float
    width: float
    lane: float
    label: str


@dataclass(frozen=True, slots=True)
class Line:
    name: str
    style: LineStyle
    #: "x,y x,y …" runs of the line, broken where a value is missing.
    runs: list[str]
    marks: list[Mark]
    bands: list[Band]
    #: Where its legend row sits, and the marker drawn there.
    legend_y: float
    legend_mark: str


@dataclass(frozen=True, slots=True)
class Level:
    """A line across the plot at a value, and its label."""

    y: float
    label: str


@dataclass(frozen=True, slots=True)
class LineChart:
    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float
    lines: list[Line]
    #: The value axis, from 0 up.
    levels: list[Level]
    ticks: list[Tick]
    #: Where the legend row for the marked spans sits (None: no line has one).
    bands_legend_y: float | None


def _marker(shape: str, x: float, y: float) -> str:
    if shape == "square":
        return f"M{x - 3:.1f},{y - 3:.1f}h6v6h-6z"
    if shape == "triangle":
        return f"M{x:.1f},{y - 4:.1f}l4,7h-8z"
    if shape == "diamond":
        return f"M{x:.1f},{y - 4.5:.1f}l4.5,4.5l-4.5,4.5l-4.5,-4.5z"
    return f"M{x - 3.5:.1f},{y:.1f}a3.5,3.5 0 1,0 7,0a3.5,3.5 0 1,0 -7,0z"


def _nice_top(value: float) -> float:
    """The smallest of 1, 2, 4, 5, 8 × 10ᵏ at or above ``value`` (a share: 0 < value ≤ 1)."""
    if value <= 0:
        return 0.01
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1, 2, 4, 5, 8, 10):
        if step * power >= value * (1 - 1e-9):
            return step * power
    return 10 * power  # pragma: no cover - the loop ends at 10


def _places(value: float, most: int = 6) -> int:
    """How many decimals ``value`` needs, up to ``most``."""
    places = 0
    while places < most and abs(round(value, places) - value) > 1e-9:
        places += 1
    return places


def percent(value: float, places: int | None = None) -> str:
    """A share as a percentage: with ``places`` decimals, or as many as it needs."""
    shown = value * 100
    return f"{shown:.{_places(shown) if places is None else places}f}%"


def line_period_label(period: str, by: str) -> str:
    """A period as the table names it: "2011", "December 2011", "5 December 2011", or a
    week by its Monday ("week of 5 December 2011")."""
    if by in ("day", "week") and len(period) == 10:
        day = dt.date.fromisoformat(period)
        text = f"{day.day} {day:%B %Y}"
        return f"week of {text}" if by == "week" else text
    return period_label(period)


def _short_label(period: str, unit: str) -> str:
    """A tick's label: "5 Dec 2011" (a day or week), "Dec 2011" (a month or quarter), "2011"."""
    if unit == "year":
        return period[:4]
    if unit in ("day", "week"):
        day = dt.date.fromisoformat(period)
        return f"{day.day} {day:%b %Y}"
    return dt.date(int(period[:4]), int(period[5:7]), 1).strftime("%b %Y")


def _line_ticks(periods: Sequence[str], xs: Sequence[float], by: str) -> list[Tick]:
    """Labels under the plot: every period when few; else the first period of each month,
    quarter or year, the finest that fits (a regular few of the years when even they do not)."""
    most = MAX_TICKS if by in ("month", "year") else 8

    def starts(key: Callable[[str], str]) -> list[int]:
        return [i for i, p in enumerate(periods) if i == 0 or key(p) != key(periods[i - 1])]

    def quarter(p: str) -> str:
        return f"{p[:4]}Q{(int(p[5:7]) - 1) // 3}"

    picks, unit = list(range(len(periods))), by
    if len(picks) > most and by in ("day", "week"):
        picks, unit = starts(lambda p: p[:7]), "month"
    if len(picks) > most and by in ("day", "week", "month"):
        picks, unit = starts(quarter), "month"
    if len(picks) > most:
        years = starts(lambda p: p[:4])
        picks, unit = years[:: math.ceil(len(years) / MAX_TICKS)], "year"
    ticks: list[Tick] = []
    for i in picks:
        tick = Tick(round(xs[i], 2), _short_label(periods[i], unit))
        if ticks and tick.x - ticks[-1].x < MIN_TICK_GAP:
            if len(ticks) > 1:
                continue
            ticks.pop()  # the first period may be a part of its month, quarter or year: the next label wins
        ticks.append(tick)
    return ticks


def line_chart(periods: Sequence[str], series: Sequence[Series], by: str = "month") -> LineChart:
    """Lines of values per period (shares, 0 to 1) over the same periods, at most
    ``len(LINE_STYLES)`` of them, each with its marked spans and a legend row."""
    if len(series) > len(LINE_STYLES):
        raise ValueError(f"at most {len(LINE_STYLES)} lines")
    any_bands = any(s.spans for s in series)
    # The marked spans' strokes run in lanes above the plot, a lane per line.
    left, right, top = LINE_LEFT, WIDTH - RIGHT, TOP + (LANE * len(series) if any_bands else 0)
    bottom = top + LINE_PLOT_HEIGHT
    slot = (right - left) / (len(periods) or 1)
    xs = [left + (i + 0.5) * slot for i in range(len(periods))]
    highest = max((v for s in series for v in s.values if v is not None), default=0.0)
    ceiling = _nice_top(highest)
    places = max(_places(ceiling * k / 4 * 100) for k in range(5))

    def y_of(value: float) -> float:
        return round(bottom - value / ceiling * LINE_PLOT_HEIGHT, 2)

    legend_top = bottom + TICK_ROW
    lines: list[Line] = []
    for n, s in enumerate(series):
        style = LINE_STYLES[n]
        runs: list[str] = []
        current: list[str] = []
        points: list[tuple[int, float, float, float]] = []
        for i, value in enumerate(s.values):
            if value is None:
                if current:
                    runs.append(" ".join(current))
                current = []
                continue
            y = y_of(value)
            current.append(f"{xs[i]:.2f},{y:.2f}")
            points.append((i, xs[i], y, value))
        if current:
            runs.append(" ".join(current))
        step = max(1, math.ceil(len(points) / MAX_MARKERS))
        # Each line's markers start at another point, so that markers of lines that run
        # together do not all sit on one another.
        offset = n % step
        marks = [
            Mark(x, y, _marker(style.marker, x, y), f"{s.name}, {line_period_label(periods[i], by)}: {percent(v, 3)}")
            for i, x, y, v in points[offset::step]
        ]
        lane = TOP / 2 + n * LANE
        bands = []
        for first, last in s.spans:
            x0 = max(left, xs[first] - slot / 2)
            x1 = min(right, xs[last] + slot / 2)
            span = line_period_label(periods[first], by)
            if last != first:
                span += f" to {line_period_label(periods[last], by)}"
            bands.append(Band(round(x0, 2), round(x1 - x0, 2), lane, f"{s.name}: a burst, {span}"))
        legend_y = legend_top + n * LEGEND_ROW
        lines.append(Line(s.name, style, runs, marks, bands, legend_y, _marker(style.marker, left + 14, legend_y - 4)))
    rows = len(series) + (1 if any_bands else 0)
    levels = [Level(y_of(ceiling * k / 4), percent(ceiling * k / 4, places)) for k in range(5)]
    return LineChart(
        WIDTH,
        legend_top + rows * LEGEND_ROW,
        left,
        right,
        top,
        bottom,
        lines,
        levels,
        _line_ticks(periods, xs, by),
        legend_top + len(series) * LEGEND_ROW if any_bands else None,
    )
