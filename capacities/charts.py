"""Server-rendered SVG charts for the pipeline figures (staff and public pages).

No script and no inline style (the Content-Security-Policy allows neither): colours are SVG
presentation attributes. Each chart is `role="img"` with a title and a description, and
every page that shows one gives the same figures as a table.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from capacities.models import ReturnReason
from capacities.pipeline import Pipeline

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 150, 12, 34
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
# Distinguishable and at least 3:1 against white (WCAG 1.4.11), in life-cycle order.
PALETTE = ("#1f4e79", "#b35900", "#2e7d32", "#6a1b9a", "#8b1e3f", "#4d4d4d")
INK, MUTED, LINE = "#1a1a1a", "#4d4d4d", "#c8c8c8"


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]


def _nice_max(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten at or above the value (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _frame(chart_id: str, title: str, description: str, top: float, body: list[str]) -> SafeString:
    ticks = []
    for index in range(5):
        value = top * index / 4
        y = TOP + PLOT_H * (1 - index / 4)
        ticks.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="1"/>'
                '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle" '
                'font-size="12" fill="{}">{}</text>',
                LEFT,
                LEFT + PLOT_W,
                _fmt(y),
                _fmt(y),
                LINE,
                LEFT - 6,
                _fmt(y),
                MUTED,
                _fmt(value),
            )
        )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-title {}-desc" focusable="false" class="pipeline-chart" '
        'width="100%" preserveAspectRatio="xMinYMin meet">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}{}'
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="1.5"/></svg>',
        WIDTH,
        HEIGHT,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        mark_safe("".join(ticks)),
        mark_safe("".join(body)),
        LEFT,
        LEFT + PLOT_W,
        TOP + PLOT_H,
        TOP + PLOT_H,
        INK,
    )


def _legend(series: Sequence[Series], *, dots: bool = False) -> list[str]:
    items = []
    for index, one in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        y = TOP + 8 + index * 20
        x = LEFT + PLOT_W + 14
        mark = (
            format_html('<circle cx="{}" cy="{}" r="5" fill="{}"/>', x + 5, y, colour)
            if dots
            else format_html(
                '<rect x="{}" y="{}" width="10" height="10" fill="{}"/>', x, y - 5, colour
            )
        )
        items.append(
            format_html(
                '{}<text x="{}" y="{}" dominant-baseline="middle" font-size="12" fill="{}">{}'
                "</text>",
                mark,
                x + 16,
                y,
                INK,
                one.label,
            )
        )
    return items


def _x_labels(categories: Sequence[str], slot: float) -> list[str]:
    step = max(1, round(40 / slot))  # a label needs about 40 units
    return [
        format_html(
            '<text x="{}" y="{}" text-anchor="middle" font-size="12" fill="{}">{}</text>',
            _fmt(LEFT + slot * (index + 0.5)),
            TOP + PLOT_H + 18,
            MUTED,
            label,
        )
        for index, label in enumerate(categories)
        if (len(categories) - 1 - index) % step == 0
    ]


def stacked_bars(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
) -> SafeString:
    """One bar per category (a year), stacked by series (a reason), with a legend."""
    totals = [sum(one.values[index] or 0 for one in series) for index in range(len(categories))]
    top = _nice_max(max(totals, default=0))
    slot = PLOT_W / max(1, len(categories))
    body = []
    for index, category in enumerate(categories):
        base = 0.0
        for number, one in enumerate(series):
            value = one.values[index] or 0
            if not value:
                continue
            height = PLOT_H * value / top
            y = TOP + PLOT_H - PLOT_H * base / top - height
            body.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                    "<title>{}: {} {}</title></rect>",
                    _fmt(LEFT + slot * index + slot * 0.15),
                    _fmt(y),
                    _fmt(slot * 0.7),
                    _fmt(height),
                    PALETTE[number % len(PALETTE)],
                    category,
                    one.label,
                    _fmt(value),
                )
            )
            base += value
    body += _x_labels(categories, slot) + _legend(series)
    return _frame(chart_id, title, description, top, body)


def dot_lines(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
) -> SafeString:
    """A dot per category and series (a median per year), joined by a line where adjacent
    categories both have a value; a missing value is a gap, never a zero."""
    values = [v for one in series for v in one.values if v is not None]
    top = _nice_max(max(values, default=0))
    slot = PLOT_W / max(1, len(categories))
    body = []
    for number, one in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        points = [
            None
            if value is None
            else (LEFT + slot * (index + 0.5), TOP + PLOT_H - PLOT_H * value / top, value)
            for index, value in enumerate(one.values)
        ]
        for before, after in itertools.pairwise(points):
            if before and after:
                body.append(
                    format_html(
                        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2"/>',
                        _fmt(before[0]),
                        _fmt(before[1]),
                        _fmt(after[0]),
                        _fmt(after[1]),
                        colour,
                    )
                )
        for index, point in enumerate(points):
            if point:
                body.append(
                    format_html(
                        '<circle cx="{}" cy="{}" r="4.5" fill="{}"><title>{}: {} {}</title>'
                        "</circle>",
                        _fmt(point[0]),
                        _fmt(point[1]),
                        colour,
                        categories[index],
                        one.label,
                        _fmt(point[2]),
                    )
                )
    body += _x_labels(categories, slot) + _legend(series, dots=True)
    return _frame(chart_id, title, description, top, body)


def returns_by_reason_chart(pipeline: Pipeline, *, chart_id: str = "returns-chart") -> SafeString:
    years = pipeline.years
    return stacked_bars(
        chart_id=chart_id,
        title=_("Returned capacities per year, by reason"),
        description=_(
            "%(total)s capacities returned from %(first)s to %(last)s. The table below gives "
            "the figures."
        )
        % {"total": pipeline.total.steps["return"], "first": years[0], "last": years[-1]},
        categories=[str(year) for year in years],
        series=[
            Series(
                str(reason.label).capitalize(),
                [pipeline.by_year[year].returns_by_reason.get(reason.value, 0) for year in years],
            )
            for reason in ReturnReason
        ],
    )


# The stages a committee asks about, as plotted: (duration name, legend label).
def _stages() -> list[tuple[str, str]]:
    return [
        ("return_to_post", _("Return to posting")),
        ("post_to_grant", _("Posting to grant")),
        ("grant_to_establish", _("Grant to establishment")),
        ("return_to_establish", _("Return to new practice")),
    ]


def durations_chart(pipeline: Pipeline, *, chart_id: str = "durations-chart") -> SafeString:
    years = pipeline.years
    return dot_lines(
        chart_id=chart_id,
        title=_("Median days per stage, by the year the stage ended"),
        description=_(
            "Median number of days from one step to the next, per year. A year without a dot "
            "had no completed stage of that kind. The table below gives the figures."
        ),
        categories=[str(year) for year in years],
        series=[
            Series(label, [pipeline.by_year[year].durations[name].median for year in years])
            for name, label in _stages()
        ],
    )
