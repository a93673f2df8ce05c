"""Chart geometry for the aftercare screen, pure: where each bar of an inline SVG goes, from the
numbers alone (the templates add the words, in the person's language)."""

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 680
NAMES = 260  # room for the bar names left of horizontal bars
VALUES = 110  # room for the value written after the longest bar
BAR = 22
GAP = 8
HEADING = 30  # a group's heading above its bars
MIN_BAR = 2.0  # a count above zero never draws as nothing

Series = Sequence[tuple[str, int]]  # (what is counted, how many), in drawing order


@dataclass(frozen=True)
class Bar:
    """One bar: what it counts (in which group), its value, its rectangle, and where its value
    is written."""

    key: str
    value: int
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    group: str = ""


@dataclass(frozen=True)
class Heading:
    """A group's name (a branch), written above its bars."""

    text: str
    y: float


@dataclass(frozen=True)
class HorizontalChart:
    """Bars from a common left edge; names end at `names_x`, the bars start at `bars_x`."""

    width: int
    height: int
    names_x: float
    bars_x: float
    headings: tuple[Heading, ...]
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Column:
    """One group of upright bars (a month), with where its name is written."""

    key: str
    x: float
    label_y: float
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class VerticalChart:
    """Groups of upright bars standing on `baseline`."""

    width: int
    height: int
    baseline: float
    columns: tuple[Column, ...]


def length(value: int, largest: int, span: float) -> float:
    """How long a bar of `value` is when `largest` fills `span` (never a sliver below
    MIN_BAR for a count above zero; nothing for zero)."""
    if value <= 0 or largest <= 0:
        return 0.0
    return round(max(value / largest * span, MIN_BAR), 1)


def horizontal(groups: Sequence[tuple[str, Series]], width: int = WIDTH) -> HorizontalChart:
    """Horizontal bars on one scale, in groups (a group named "" gets no heading)."""
    largest = max((value for _, series in groups for _, value in series), default=0)
    span = width - NAMES - VALUES
    headings: list[Heading] = []
    bars: list[Bar] = []
    y = float(GAP)
    for name, series in groups:
        if name:
            headings.append(Heading(name, y + HEADING - 10))
            y += HEADING
        for key, value in series:
            size = length(value, largest, span)
            bars.append(Bar(key, value, NAMES, y, size, BAR, NAMES + size + 6, y + BAR / 2, name))
            y += BAR + GAP
    return HorizontalChart(width, round(y + GAP), NAMES - 8, NAMES, tuple(headings), tuple(bars))


def vertical(
    groups: Sequence[tuple[str, Series]], width: int = WIDTH, height: int = 260
) -> VerticalChart:
    """Upright bars side by side in each group, groups spread evenly, on one scale; room above
    for the values and below for the group names."""
    top, bottom, side = 24.0, 40.0, 8.0
    largest = max((value for _, series in groups for _, value in series), default=0)
    slot = (width - 2 * side) / max(len(groups), 1)
    baseline = height - bottom
    columns: list[Column] = []
    for index, (key, series) in enumerate(groups):
        centre = side + slot * (index + 0.5)
        bar_width = min(22.0, slot * 0.8 / max(len(series), 1))
        left = centre - bar_width * len(series) / 2
        bars = []
        for offset, (name, value) in enumerate(series):
            size = length(value, largest, baseline - top)
            x = round(left + offset * bar_width, 1)
            label_x = round(x + bar_width / 2 - 1, 1)
            top_y = baseline - size
            bars.append(Bar(name, value, x, top_y, bar_width - 2, size, label_x, top_y - 5, key))
        columns.append(Column(key, round(centre, 1), baseline + 18, tuple(bars)))
    return VerticalChart(width, height, baseline, tuple(columns))
