"""Charts as geometry: numbers in, the coordinates of an SVG out.

Pure functions, no database and no Django: the pages' templates
(templates/includes/charts/) draw what these return with SVG elements and classes of
static/css/charts.css (the CSP allows no inline style), and print the same numbers as a
table for screen readers. Two kinds serve every chart of issue 15: horizontal stacked
bars (readiness per province, sessions per week) and lines or steps over a numeric x
axis (ready sites over time, port use against capacity, on-time rate per week).

Coordinates are in the SVG's user units (its viewBox): x grows rightwards, y downwards.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

# Most ticks on a value axis: 0 and up to this many steps above it.
MAX_TICKS = 5


def tidy(value: float) -> float:
    """A coordinate to two decimals, written without ".0" when whole: SVG markup for
    thousands of sites stays short."""
    rounded = round(value, 2)
    return int(rounded) if rounded.is_integer() else rounded


@dataclass(frozen=True)
class Tick:
    value: int
    position: float  # x for a horizontal axis, y for a vertical one


def nice_ceiling(value: float) -> int:
    """The smallest 1, 2 or 5 times a power of ten at or above `value` (1 for nothing),
    so that an axis ends on a round number."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 5, 10):
        if factor * power >= value:
            return int(factor * power)
    raise AssertionError("unreachable")  # pragma: no cover


def tick_values(top: int) -> list[int]:
    """Round values from 0 to `top` (itself a nice_ceiling), at most MAX_TICKS steps."""
    for steps in (5, 4, 2, 1):
        if top % steps == 0 and steps <= MAX_TICKS:
            step = top // steps
            return [step * index for index in range(steps + 1)]
    return [0, top]  # pragma: no cover: every nice ceiling divides by 1


# --- horizontal stacked bars -------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    series: str  # the key of the series: its CSS class is chart-<key>
    value: int
    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    label: str
    values: tuple[int, ...]  # one per series, for the table
    total: int
    y: float  # top of the bar
    text_y: float  # baseline of its label and total
    segments: tuple[Segment, ...]
    end: float  # x where the bar ends

    @property
    def total_x(self) -> float:
        return self.end + 4


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    plot_left: float
    plot_width: float
    axis_y: float
    bar_height: float
    series: tuple[tuple[str, str], ...]  # (key, label)
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    top: int

    @property
    def plot_right(self) -> float:
        return self.plot_left + self.plot_width

    @property
    def label_x(self) -> float:
        return self.plot_left - 6

    @property
    def tick_y(self) -> float:
        return self.axis_y + 14


def stacked_bars(
    rows: Sequence[tuple[str, Sequence[int]]],
    series: Sequence[tuple[str, str]],
    *,
    width: int = 640,
    label_width: int = 190,
    total_width: int = 50,
    row_height: int = 22,
    bar_height: int = 14,
) -> BarChart:
    """One bar per row (label, a value per series), its segments side by side in the
    order of `series`, all on one scale from 0 to a round number at or above the
    largest total. A zero value draws no segment."""
    for label, values in rows:
        if len(values) != len(series):
            raise ValueError(f"{label}: {len(values)} values for {len(series)} series")
        if any(value < 0 for value in values):
            raise ValueError(f"{label}: a negative value")
    top = nice_ceiling(max((sum(values) for _label, values in rows), default=0))
    plot_left = label_width
    plot_width = width - label_width - total_width
    scale = plot_width / top
    bars = []
    for index, (label, values) in enumerate(rows):
        y = tidy(index * row_height + (row_height - bar_height) / 2)
        x = plot_left
        segments = []
        for (key, _name), value in zip(series, values, strict=True):
            if value:
                segments.append(Segment(key, value, tidy(x), tidy(value * scale)))
                x += value * scale
        bars.append(
            Bar(
                label=label,
                values=tuple(values),
                total=sum(values),
                y=y,
                text_y=y + bar_height - 3,
                segments=tuple(segments),
                end=tidy(x),
            )
        )
    axis_y = len(rows) * row_height
    ticks = tuple(Tick(value, tidy(plot_left + value * scale)) for value in tick_values(top))
    return BarChart(
        width=width,
        height=len(rows) * row_height + 20,
        plot_left=plot_left,
        plot_width=plot_width,
        axis_y=axis_y,
        bar_height=bar_height,
        series=tuple(series),
        bars=tuple(bars),
        ticks=ticks,
        top=top,
    )


# --- lines and steps ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    series: str
    label: str
    # Each run of known values as SVG polyline points ("x,y x,y …"): an unknown value
    # (None) breaks the line rather than drawing it down to 0.
    runs: tuple[str, ...]
    dots: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Marker:
    """A vertical line at an x value (the session's start), with its label."""

    label: str
    position: float

    @property
    def after(self) -> float:
        return self.position + 4


@dataclass(frozen=True)
class XTick:
    label: str
    position: float


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    lines: tuple[Line, ...]
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[XTick, ...]
    moments: tuple[Marker, ...]  # vertical reference lines
    # The numbers, for the table: one row per x, its label and each series' value.
    rows: tuple[tuple[str, tuple[float | None, ...]], ...]
    series: tuple[tuple[str, str], ...]
    top: int

    @property
    def y_tick_x(self) -> float:
        return self.plot_left - 6

    @property
    def x_tick_y(self) -> float:
        return self.plot_bottom + 16

    @property
    def moment_y(self) -> float:
        return self.plot_top + 10


def line_chart(
    xs: Sequence[float],
    x_labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float | None]]],
    *,
    x_ticks: Sequence[tuple[float, str]] = (),
    moments: Sequence[tuple[float, str]] = (),
    top: int | None = None,
    step: bool = False,
    dots: bool = False,
    width: int = 640,
    height: int = 240,
) -> LineChart:
    """Lines (or steps: each value held until the next x) through (x, value) points on
    one value scale from 0 to `top`, else to a round number at or above the largest
    value. `series` is (key, label, values), a value per x; `x_labels` name
    each x in the table; `x_ticks` and `moments` are (x, label) on the same x scale."""
    if len(xs) != len(x_labels):
        raise ValueError("one label per x")
    if any(later <= earlier for earlier, later in pairwise(xs)):
        raise ValueError("x values must increase")
    for key, _label, values in series:
        if len(values) != len(xs):
            raise ValueError(f"{key}: {len(values)} values for {len(xs)} x values")
    known = [value for _key, _label, values in series for value in values if value is not None]
    if top is None:
        top = nice_ceiling(max(known, default=0))
    # Room on the right for half of the last time label ("24:00", "28/12-31/12").
    plot_left, plot_right, plot_top, plot_bottom = 48, width - 40, 12, height - 28
    x_min, x_max = (xs[0], xs[-1]) if xs else (0.0, 1.0)
    x_span = (x_max - x_min) or 1.0

    def x_at(value: float) -> float:
        return tidy(plot_left + (value - x_min) / x_span * (plot_right - plot_left))

    def y_at(value: float) -> float:
        return tidy(plot_bottom - value / top * (plot_bottom - plot_top))

    lines = []
    for key, label, values in series:
        runs: list[list[tuple[float, float]]] = []
        current: list[tuple[float, float]] = []
        for x, value in zip(xs, values, strict=True):
            if value is None:
                if current:
                    runs.append(current)
                current = []
                continue
            point = (x_at(x), y_at(value))
            if step and current and current[-1][1] != point[1]:
                current.append((point[0], current[-1][1]))
            current.append(point)
        if current:
            runs.append(current)
        lines.append(
            Line(
                series=key,
                label=label,
                runs=tuple(" ".join(f"{x:g},{y:g}" for x, y in run) for run in runs),
                dots=tuple(
                    (x_at(x), y_at(value))
                    for x, value in zip(xs, values, strict=True)
                    if dots and value is not None
                ),
            )
        )
    return LineChart(
        width=width,
        height=height,
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        lines=tuple(lines),
        y_ticks=tuple(Tick(value, y_at(value)) for value in tick_values(top)),
        x_ticks=tuple(XTick(label, x_at(x)) for x, label in x_ticks if x_min <= x <= x_max),
        moments=tuple(Marker(label, x_at(x)) for x, label in moments if x_min <= x <= x_max),
        rows=tuple(
            (x_label, tuple(values[index] for _key, _label, values in series))
            for index, x_label in enumerate(x_labels)
        ),
        series=tuple((key, label) for key, label, _values in series),
        top=top,
    )
