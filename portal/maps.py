"""Maps of the planning areas, drawn on the server as inline SVG by
templates/includes/area_map.html from the prepared shapes (coverage_areas.shapes): no script,
no inline style (the Content-Security-Policy allows neither), so fills are presentation
attributes naming the map's own patterns and everything else is a class in site.css.

A status map shades each area by what coverage_areas.status answers for it on a date; the
legend pairs every colour with a pattern and a label, and every area is a link whose accessible
name says its name and status."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coverage_areas.models import DesignationKind, DesignationRound, PlanningArea
from coverage_areas.shapes import Box, Shape, load_shapes
from coverage_areas.status import DESIGNATED, UNDECIDED, KindStatus, area_status
from coverage_areas.tree import AreaTree

# What a status map shows for an area, from the two kinds' three answers.
BOTH, REGIONAL, NATIONAL, NOT, UNKNOWN = "both", "regional", "national", "not", "undecided"
STATUS_ORDER = (BOTH, REGIONAL, NATIONAL, UNKNOWN, NOT)
STATUS_LABELS = {
    BOTH: gettext_lazy("Regionally and nationally coverage-threatened"),
    REGIONAL: gettext_lazy("Regionally coverage-threatened"),
    NATIONAL: gettext_lazy("Nationally coverage-threatened"),
    UNKNOWN: gettext_lazy("Not decided: no decided list covers the date"),
    NOT: gettext_lazy("Not coverage-threatened"),
}
# Background colour, and the pattern drawn over it (so that print in black and white and
# readers who do not tell the colours apart see the difference too).
PATTERNS = {
    BOTH: ("#c9b3e6", "cross"),
    REGIONAL: ("#f6c27a", "diagonal"),
    NATIONAL: ("#9fd0e0", "dots"),
    UNKNOWN: ("#e4e4e0", "horizontal"),
    NOT: ("#fbfbf8", ""),
}
# Closure-share bins (percent closed in the latest month reported).
CLOSURE_BINS = (
    ("share-0", 0, 25, "#fbfbf8", ""),
    ("share-25", 25, 50, "#f6d7a7", "dots"),
    ("share-50", 50, 75, "#e79a55", "diagonal"),
    ("share-75", 75, None, "#b34a1f", "cross"),
)
NO_FIGURES = "share-none"
# The pattern tile as a share of the map's width: about 8 px on a 700 px wide map.
TILE_SHARE = 1 / 90
# Copenhagen and Frederiksberg, with their neighbours around them, drawn larger.
CAPITAL_MUNICIPALITIES = ("København", "Frederiksberg")
LOCATOR_MIN_METRES = 16_000


def status_class(statuses: dict[str, KindStatus]) -> str:
    """The map's shading for an area from both kinds' answers: designated by either kind
    shows that kind; otherwise unknown wins over "not", since an undecided list may still
    name the area."""
    regional = statuses[DesignationKind.REGIONAL].answer
    national = statuses[DesignationKind.NATIONAL].answer
    if regional == DESIGNATED and national == DESIGNATED:
        return BOTH
    if regional == DESIGNATED:
        return REGIONAL
    if national == DESIGNATED:
        return NATIONAL
    if UNDECIDED in (regional, national):
        return UNKNOWN
    return NOT


def status_date(year: int, today: dt.date) -> dt.date:
    """The date a year's map shows: today for this year, the last day of a past year."""
    return today if year >= today.year else dt.date(year, 12, 31)


def map_years(rounds: list[DesignationRound], today: dt.date) -> list[int]:
    """The years a status map can be drawn for, newest first: from the first recorded round
    to this year."""
    first = min((r.first_year for r in rounds), default=today.year)
    return list(range(today.year, min(first, today.year) - 1, -1))


@dataclass(frozen=True)
class Pattern:
    id: str
    colour: str
    kind: str  # "", "diagonal", "cross", "dots", "horizontal"
    tile: int

    @property
    def half(self) -> float:
        return self.tile / 2

    @property
    def line(self) -> float:
        return round(self.tile / 5, 1)

    @property
    def dot(self) -> float:
        return round(self.tile / 5, 1)

    @property
    def fill(self) -> str:
        return f"url(#{self.id})"

    @property
    def ink(self) -> str:
        """The pattern's lines: dark on a light colour, white on a dark one."""
        red, green, blue = (int(self.colour[i : i + 2], 16) for i in (1, 3, 5))
        light = 0.2126 * red + 0.7152 * green + 0.0722 * blue > 140
        return "#3a3a38" if light else "#ffffff"


@dataclass(frozen=True)
class MapArea:
    slug: str
    name: str
    url: str | None  # None: drawn for context only
    path: str
    css: str
    fill: str
    label: str  # the accessible name: the area and what the map says of it
    text_x: int = 0
    text_y: int = 0
    named: bool = False  # whether the name is written on the map


@dataclass(frozen=True)
class LegendEntry:
    css: str
    label: str
    count: int
    pattern: Pattern


@dataclass
class AreaMap:
    id: str
    title: str
    viewbox: Box
    areas: list[MapArea]
    frames: list[Box] = field(default_factory=list)
    patterns: list[Pattern] = field(default_factory=list)
    legend: list[LegendEntry] = field(default_factory=list)
    source: str = ""
    small: bool = False
    links: bool = True

    @property
    def viewbox_text(self) -> str:
        return " ".join(str(v) for v in self.viewbox)

    @property
    def font_size(self) -> int:
        return max(round(self.viewbox[2] / 55), 1)

    @property
    def frame_stroke(self) -> float:
        return round(self.viewbox[2] / 600, 1)


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _around(boxes: list[Box], margin: float, minimum: int = 0) -> Box:
    """A box around the given ones, widened by a share on every side and to a minimum size."""
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    width, height = x1 - x0, y1 - y0
    grow_x = max(width * margin, (minimum - width) / 2, 0)
    grow_y = max(height * margin, (minimum - height) / 2, 0)
    return (
        round(x0 - grow_x),
        round(y0 - grow_y),
        round(width + 2 * grow_x),
        round(height + 2 * grow_y),
    )


def _patterns(map_id: str, viewbox: Box, styles: dict[str, tuple[str, str]]) -> dict:
    tile = max(round(viewbox[2] * TILE_SHARE), 2)
    return {
        css: Pattern(id=f"{map_id}-{css}", colour=colour, kind=kind, tile=tile)
        for css, (colour, kind) in styles.items()
    }


def _shapes_in(viewbox: Box) -> list[Shape]:
    return [s for s in load_shapes().areas.values() if _overlaps(s.box, viewbox)]


def _named(shape: Shape, viewbox: Box) -> bool:
    """Write the name on the map where the area is wide enough on screen for it."""
    return shape.box[2] >= viewbox[2] / 9 and _overlaps((*shape.label, 1, 1), viewbox)


def _map(
    *,
    map_id: str,
    title: str,
    viewbox: Box,
    tree: AreaTree,
    classify,
    styles: dict[str, tuple[str, str]],
    labels: dict[str, str],
    names: bool,
) -> AreaMap:
    """A map of the areas in the view box, each classified by `classify(area) -> (css,
    label)`; areas not in the database are drawn for context, without a link."""
    patterns = _patterns(map_id, viewbox, styles)
    areas, counts = [], Counter()
    for shape in _shapes_in(viewbox):
        area = tree.by_slug.get(shape.slug)
        css, label = classify(area) if area is not None else ("other", shape.name)
        counts[css] += 1
        areas.append(
            MapArea(
                slug=shape.slug,
                name=area.name if area else shape.name,
                url=reverse("portal:area_detail", args=[area.slug]) if area else None,
                path=shape.path,
                css=css,
                fill=patterns[css].fill if css in patterns else "",
                label=label,
                text_x=shape.label[0],
                text_y=shape.label[1],
                named=names and _named(shape, viewbox),
            )
        )
    frames = [f for f in load_shapes().frames if _overlaps(f, viewbox)]
    return AreaMap(
        id=map_id,
        title=title,
        viewbox=viewbox,
        areas=areas,
        frames=frames,
        patterns=list(patterns.values()),
        legend=[
            LegendEntry(css=css, label=labels[css], count=counts[css], pattern=patterns[css])
            for css in styles
        ],
        source=load_shapes().source,
    )


def _status_label(area: PlanningArea, statuses: dict[str, KindStatus], css: str) -> str:
    label = f"{area.name}: {STATUS_LABELS[css]}"
    regional = statuses[DesignationKind.REGIONAL].answer
    national = statuses[DesignationKind.NATIONAL].answer
    if css in (REGIONAL, NATIONAL) and UNDECIDED in (regional, national):
        other = _("the national list") if css == REGIONAL else _("the regional list")
        label += " " + _("(%(list)s is not decided)") % {"list": other}
    return label


def capital_view(tree: AreaTree) -> Box | None:
    """Copenhagen's districts and Frederiksberg, with a little of their neighbours."""
    shapes = load_shapes().areas
    boxes = [
        shapes[a.slug].box
        for a in tree.all()
        if a.municipality in CAPITAL_MUNICIPALITIES and a.slug in shapes
    ]
    return _around(boxes, 0.08) if boxes else None


def status_map(
    tree: AreaTree,
    rounds: list[DesignationRound],
    on: dt.date,
    *,
    map_id: str = "status-map",
    title: str,
    view: Box | None = None,
) -> AreaMap:
    """Every area (or those in `view`) shaded by its designation status on the date."""

    def classify(area: PlanningArea) -> tuple[str, str]:
        statuses = area_status(rounds, area, on)
        css = status_class(statuses)
        return css, _status_label(area, statuses, css)

    return _map(
        map_id=map_id,
        title=title,
        viewbox=view or load_shapes().viewbox,
        tree=tree,
        classify=classify,
        styles={css: PATTERNS[css] for css in STATUS_ORDER},
        labels={css: str(STATUS_LABELS[css]) for css in STATUS_ORDER},
        names=view is not None,
    )


def status_title(on: dt.date, today: dt.date) -> str:
    if on == today:
        return _("Coverage-threatened areas today, %(date)s") % {"date": date_format(on)}
    return _("Coverage-threatened areas on %(date)s") % {"date": date_format(on)}


def year_maps(tree: AreaTree, rounds: list[DesignationRound], on: dt.date, today: dt.date):
    """The threatened-areas page's maps of a date: the region, and Copenhagen enlarged."""
    capital = capital_view(tree)
    return {
        "map": status_map(tree, rounds, on, title=status_title(on, today)),
        "capital_map": capital
        and status_map(
            tree,
            rounds,
            on,
            map_id="capital-map",
            title=_("Copenhagen and Frederiksberg, enlarged"),
            view=capital,
        ),
    }


def closure_map(tree: AreaTree, closures: list, *, title: str) -> AreaMap:
    """Every area shaded by the bin of its latest closure share (IntakeClosure rows from
    portal.queries.latest_closure_shares)."""
    by_area = {c.area_id: c for c in closures}
    styles = {css: (colour, kind) for css, _lo, _hi, colour, kind in CLOSURE_BINS}
    styles[NO_FIGURES] = PATTERNS[UNKNOWN]
    labels = {
        css: (
            _("%(low)s%% to under %(high)s%% closed") % {"low": lo, "high": hi}
            if hi is not None
            else _("%(low)s%% or more closed") % {"low": lo}
        )
        for css, lo, hi, _colour, _kind in CLOSURE_BINS
    }
    labels[NO_FIGURES] = _("No figures")

    def classify(area: PlanningArea) -> tuple[str, str]:
        closure = by_area.get(area.pk)
        share = closure.share if closure else None
        if share is None:
            return NO_FIGURES, f"{area.name}: {labels[NO_FIGURES]}"
        percent = share * 100
        css = next(
            c for c, lo, hi, *_r in CLOSURE_BINS if lo <= percent and (hi is None or percent < hi)
        )
        return css, _("%(area)s: %(percent)s%% closed") % {
            "area": area.name,
            "percent": number_format(percent, 1),
        }

    return _map(
        map_id="closure-map",
        title=title,
        viewbox=load_shapes().viewbox,
        tree=tree,
        classify=classify,
        styles=styles,
        labels=labels,
        names=False,
    )


def locator_map(tree: AreaTree, area: PlanningArea, *, title: str) -> AreaMap | None:
    """A small map around the area, the area marked; None for an area without a shape."""
    shapes = load_shapes().areas
    if area.slug not in shapes:
        return None
    size = LOCATOR_MIN_METRES // load_shapes().unit_metres
    view = _around([shapes[area.slug].box], 0.35, size)
    here, other = "here", "context"
    styles = {here: ("#00566f", "diagonal"), other: ("#f1f1ee", "")}
    labels = {here: area.name, other: _("Other planning areas")}

    def classify(shown: PlanningArea) -> tuple[str, str]:
        return (here if shown.pk == area.pk else other), shown.name

    located = _map(
        map_id="locator-map",
        title=title,
        viewbox=view,
        tree=tree,
        classify=classify,
        styles=styles,
        labels=labels,
        names=False,
    )
    located.small = True
    located.links = False
    return located
