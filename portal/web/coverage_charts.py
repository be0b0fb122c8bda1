"""The coverage page's charts as server-side SVG (no script, no CDN): the trend of coverage
over time (one line per organization) and the region's grouped bars (the city beside its
neighbours). This module only computes the geometry; the SVG markup is the template
`_coverage_charts.html`, which gives each chart a <title>, a <desc> and axis labels; the
page repeats the numbers in a table for screen readers and for copying."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

WIDTH, HEIGHT = 720, 280
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 56, 16, 16, 48
PERCENT_TICKS = (0, 25, 50, 75, 100)
MAX_TIME_TICKS = 6
LINE_INSET = 40  # the first and last points' distance from the plot's edges: their dates fit
BAR_GAP = 0.25  # of a group's width, left empty between organizations
# Colours told apart by colour-blind readers too (Okabe–Ito), and each line also has a
# marker shape and its name in the legend and the table.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
MARKERS = ("circle", "square", "diamond", "triangle")


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class Line:
    name: str
    colour: str
    marker: str
    points: list[tuple[float, float]]

    @property
    def polyline(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in self.points)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str  # what the bar is, with its number, for its <title>


@dataclass(frozen=True)
class Group:
    label: str
    centre: float
    highlighted: bool


@dataclass(frozen=True)
class Chart:
    """What the template draws: the plot area, the ticks, the lines or the bars."""

    width: int = WIDTH
    height: int = HEIGHT
    left: float = MARGIN_LEFT
    right: float = WIDTH - MARGIN_RIGHT
    top: float = MARGIN_TOP
    bottom: float = HEIGHT - MARGIN_BOTTOM
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)


def percent_y(percent: float) -> float:
    """The y of a percentage (0 at the bottom of the plot, 100 at its top)."""
    span = (HEIGHT - MARGIN_BOTTOM) - MARGIN_TOP
    return (HEIGHT - MARGIN_BOTTOM) - span * max(0.0, min(100.0, percent)) / 100


def _y_ticks() -> list[Tick]:
    return [Tick(percent_y(p), f"{p}%") for p in PERCENT_TICKS]


def trend_chart(series: dict[str, list[tuple[datetime, float]]]) -> Chart:
    """One line per organization over the snapshots' times; a single snapshot is a point
    in the middle of the plot."""
    moments = sorted({at for points in series.values() for at, _ in points})
    if not moments:
        return Chart(y_ticks=_y_ticks())
    first, last = moments[0].timestamp(), moments[-1].timestamp()
    left, right = float(MARGIN_LEFT + LINE_INSET), float(WIDTH - MARGIN_RIGHT - LINE_INSET)

    def x_of(moment: datetime) -> float:
        if last == first:
            return (left + right) / 2
        return left + (right - left) * (moment.timestamp() - first) / (last - first)

    lines = [
        Line(
            name,
            PALETTE[i % len(PALETTE)],
            MARKERS[i % len(MARKERS)],
            [(x_of(at), percent_y(p)) for at, p in sorted(points)],
        )  # fmt: skip
        for i, (name, points) in enumerate(series.items())
    ]
    step = max(1, -(-len(moments) // MAX_TIME_TICKS))
    x_ticks = [Tick(x_of(m), m.strftime("%Y-%m-%d")) for m in moments[::step]]
    return Chart(y_ticks=_y_ticks(), x_ticks=x_ticks, lines=lines)


def region_chart(
    groups: list[tuple[str, dict[str, float]]], measures: dict[str, str], highlight: str
) -> Chart:
    """Grouped bars: for each organization (label, {measure: percent}), one bar per measure
    (measure → colour, in `measures`' order); the organization named `highlight` (the city)
    is marked."""
    if not groups:
        return Chart(y_ticks=_y_ticks())
    left, right = float(MARGIN_LEFT), float(WIDTH - MARGIN_RIGHT)
    group_width = (right - left) / len(groups)
    bar_width = group_width * (1 - BAR_GAP) / max(1, len(measures))
    bottom = percent_y(0)
    bars: list[Bar] = []
    shown: list[Group] = []
    for g, (label, values) in enumerate(groups):
        start = left + g * group_width + group_width * BAR_GAP / 2
        for m, (measure, colour) in enumerate(measures.items()):
            value = values.get(measure, 0.0)
            top = percent_y(value)
            bars.append(Bar(start + m * bar_width, top, bar_width, bottom - top, colour,
                            f"{label} {measure}: {value:.0f}%"))  # fmt: skip
        shown.append(Group(label, left + (g + 0.5) * group_width, label == highlight))
    return Chart(y_ticks=_y_ticks(), bars=bars, groups=shown)
