"""Reads the public pages share. Each loads whole small tables once (about 40 planning areas,
a few designation rounds per year) and answers the questions in Python, so that a page's
query count does not grow with the data."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Prefetch, QuerySet

from capacities.models import Capacity, Status, Transition
from coverage_areas.models import (
    Benefit,
    Designation,
    DesignationKind,
    DesignationRound,
    PlanningArea,
)
from coverage_areas.text import fold
from shortage.models import IntakeClosure

# Danish alphabetical order: æ, ø, å come after z, in that order.
_DANISH_ORDER = str.maketrans({"æ": "z\x01", "ø": "z\x02", "å": "z\x03"})


def danish_key(name: str) -> str:
    return fold(name).translate(_DANISH_ORDER)


def sorted_names(names) -> list[str]:
    return sorted(names, key=danish_key)


class AreaTree:
    """Every planning area, with parents and sub-areas, from one query."""

    def __init__(self, areas: list[PlanningArea]) -> None:
        self.by_id = {area.pk: area for area in areas}
        self.by_slug = {area.slug: area for area in areas}
        self.children: dict[int | None, list[PlanningArea]] = defaultdict(list)
        for area in sorted(areas, key=lambda a: danish_key(a.name)):
            self.children[area.parent_id].append(area)

    @classmethod
    def load(cls) -> AreaTree:
        return cls(list(PlanningArea.objects.all()))

    def all(self) -> list[PlanningArea]:
        return sorted(self.by_id.values(), key=lambda a: danish_key(a.name))

    def parent(self, area: PlanningArea) -> PlanningArea | None:
        return self.by_id.get(area.parent_id) if area.parent_id else None

    def lineage(self, area: PlanningArea) -> list[PlanningArea]:
        """The area and the areas it is part of: a designation of any of them covers it."""
        found: list[PlanningArea] = []
        current: PlanningArea | None = area
        while current is not None and current not in found:
            found.append(current)
            current = self.parent(current)
        return found

    def with_descendants(self, area: PlanningArea) -> list[PlanningArea]:
        found: list[PlanningArea] = []
        todo = [area]
        while todo:
            current = todo.pop()
            if current in found:
                continue
            found.append(current)
            todo.extend(self.children.get(current.pk, []))
        return found

    def search(self, text: str) -> list[PlanningArea]:
        """Areas whose name or slug contains the text, case-insensitively for æ/ø/å too
        (in Python, because SQLite's LIKE folds only ASCII)."""
        needle = fold(text)
        return [a for a in self.all() if needle in fold(a.name) or needle in a.slug]


def load_rounds() -> list[DesignationRound]:
    """All designation rounds with their designated areas (two queries)."""
    return list(
        DesignationRound.objects.prefetch_related(
            Prefetch("designations", queryset=Designation.objects.select_related("area"))
        ).order_by("kind", "first_year")
    )


def in_force(round_: DesignationRound, on: dt.date) -> bool:
    """As DesignationRound.objects.in_force_on, for a round already loaded."""
    valid_from = round_.valid_from
    return valid_from is not None and valid_from <= on <= round_.valid_to


def round_area_names(round_: DesignationRound) -> list[str]:
    return sorted_names(d.area.name for d in round_.designations.all())


@dataclass
class Changes:
    joined: list[str]
    left: list[str]
    previous_year: int


@dataclass
class RegionalYear:
    year: int
    round: DesignationRound
    areas: list[str]
    changes: Changes | None

    @property
    def decided(self) -> bool:
        return self.round.status == DesignationRound.Status.DECIDED


def regional_years(rounds: list[DesignationRound]) -> list[RegionalYear]:
    """Every regional year, newest first, with the changes from the year before computed
    from the two lists (only when both years are decided)."""
    regional = {r.first_year: r for r in rounds if r.kind == DesignationKind.REGIONAL}
    years: list[RegionalYear] = []
    for year in sorted(regional, reverse=True):
        round_ = regional[year]
        previous = regional.get(year - 1)
        changes = None
        decided = DesignationRound.Status.DECIDED
        if round_.status == decided and previous is not None and previous.status == decided:
            now = {d.area.name for d in round_.designations.all()}
            before = {d.area.name for d in previous.designations.all()}
            changes = Changes(
                joined=sorted_names(now - before),
                left=sorted_names(before - now),
                previous_year=year - 1,
            )
        years.append(
            RegionalYear(year=year, round=round_, areas=round_area_names(round_), changes=changes)
        )
    return years


def national_rounds(rounds: list[DesignationRound]) -> list[DesignationRound]:
    national = [r for r in rounds if r.kind == DesignationKind.NATIONAL]
    return sorted(national, key=lambda r: r.first_year, reverse=True)


def national_round_for_year(rounds: list[DesignationRound], year: int) -> DesignationRound | None:
    for round_ in national_rounds(rounds):
        if round_.first_year <= year <= round_.last_year:
            return round_
    return None


@dataclass
class Overview:
    """What the home and threatened-areas pages say about "this year"."""

    today: dt.date
    regional_now: RegionalYear | None  # the regional list in force today
    regional_announced: RegionalYear | None  # this year's list, announced but not decided
    latest_regional: RegionalYear | None  # the newest decided list (when none is in force)
    national_now: DesignationRound | None
    latest_national: DesignationRound | None
    years: list[RegionalYear] = field(default_factory=list)

    @property
    def shown_year(self) -> int:
        """The regional year the pages lead with: in force, else announced, else the latest."""
        shown = self.regional_now or self.regional_announced or self.latest_regional
        return shown.year if shown else self.today.year

    @property
    def national_now_areas(self) -> list[str]:
        return round_area_names(self.national_now) if self.national_now else []

    @property
    def latest_national_areas(self) -> list[str]:
        return round_area_names(self.latest_national) if self.latest_national else []

    @property
    def earlier_years(self) -> list[RegionalYear]:
        shown = {y.year for y in (self.regional_now, self.regional_announced) if y}
        return [y for y in self.years if y.year not in shown]


def overview(rounds: list[DesignationRound], today: dt.date) -> Overview:
    years = regional_years(rounds)
    now = next((y for y in years if in_force(y.round, today)), None)
    announced = next((y for y in years if y.year == today.year and not y.decided), None)
    latest = next((y for y in years if y.decided and y.round.decision_date <= today), None)
    nationals = national_rounds(rounds)
    national_now = next((r for r in nationals if in_force(r, today)), None)
    latest_national = next(
        (r for r in nationals if r.valid_from is not None and r.valid_from <= today), None
    )
    return Overview(
        today=today,
        regional_now=now,
        regional_announced=announced,
        latest_regional=latest if now is None else None,
        national_now=national_now,
        latest_national=latest_national if national_now is None else None,
        years=years,
    )


@dataclass(frozen=True)
class Applying:
    """A designation that applies to an area on a date, possibly through a parent area."""

    kind: str
    area: PlanningArea
    round: DesignationRound

    @property
    def period(self) -> str:
        return self.round.period

    def get_kind_display(self) -> str:
        return DesignationKind(self.kind).label


def designations_on(
    tree: AreaTree, rounds: list[DesignationRound], area: PlanningArea, on: dt.date
) -> list[Applying]:
    """Which designations applied to the area on the date: its own and its parents' (a
    designation covers sub-areas, never upwards). Regional first, then national."""
    lineage = {a.pk for a in tree.lineage(area)}
    found = [
        Applying(kind=r.kind, area=tree.by_id[d.area_id], round=r)
        for r in rounds
        if in_force(r, on)
        for d in r.designations.all()
        if d.area_id in lineage
    ]
    order = {DesignationKind.REGIONAL: 0, DesignationKind.NATIONAL: 1}
    return sorted(found, key=lambda a: (order.get(a.kind, 2), danish_key(a.area.name)))


def covered_area_kinds(
    tree: AreaTree, rounds: list[DesignationRound], on: dt.date
) -> dict[int, set[str]]:
    """For each area covered on the date, the kinds of designation covering it."""
    covered: dict[int, set[str]] = defaultdict(set)
    for round_ in rounds:
        if not in_force(round_, on):
            continue
        for designation in round_.designations.all():
            area = tree.by_id.get(designation.area_id)
            if area is None:
                continue
            for covered_area in tree.with_descendants(area):
                covered[covered_area.pk].add(round_.kind)
    return covered


def benefits_by_kind() -> dict[str, list[Benefit]]:
    """The benefits of each kind of designation, those for all kinds included (one query)."""
    benefits = list(Benefit.objects.order_by("order", "id"))
    # The kind's own benefits first, then those of every coverage-threatened area.
    return {
        kind: [b for b in benefits if b.kind == kind]
        + [b for b in benefits if b.kind == Benefit.Scope.ALL]
        for kind in DesignationKind.values
    }


def open_postings() -> QuerySet[Capacity]:
    """The public postings: only `posted` (a pool capacity awaiting posting is not public)."""
    return Capacity.objects.open_postings().select_related("area__parent")


def posting_order(queryset: QuerySet[Capacity]) -> QuerySet[Capacity]:
    return queryset.order_by("area__name", "posted_on", "id")


def in_process_in(areas: list[PlanningArea]) -> QuerySet[Capacity]:
    return (
        Capacity.objects.in_process()
        .filter(area__in=areas)
        .select_related("area")
        .order_by("status", "application_deadline", "establishment_deadline", "id")
    )


def data_last_changed() -> dt.datetime | None:
    """When the public data last changed: the newest recorded transition or designation,
    round, benefit or intake-closure history row."""
    stamps = [
        Transition.objects.aggregate(at=Max("recorded_at"))["at"],
        Designation.history.aggregate(at=Max("history_date"))["at"],
        DesignationRound.history.aggregate(at=Max("history_date"))["at"],
        Benefit.history.aggregate(at=Max("history_date"))["at"],
        IntakeClosure.history.aggregate(at=Max("history_date"))["at"],
    ]
    present = [s for s in stamps if s is not None]
    return max(present) if present else None


def posting_counts_by_area(tree: AreaTree) -> list[tuple[PlanningArea, int]]:
    """Open postings per area (one grouped query), in Danish name order."""
    counts = dict(
        Capacity.objects.filter(status=Status.POSTED)
        .values_list("area_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [(a, counts[a.pk]) for a in tree.all() if counts.get(a.pk)]


PRESSURE_ORDERS = ("name", "share")


def latest_closure_shares(order: str = "name") -> list[IntakeClosure]:
    """Each area's most recent closure figures (one query), by Danish name or by share, the
    highest first (an area whose total was 0 has no share and comes last)."""
    rows = list(IntakeClosure.objects.latest_per_area())
    rows.sort(key=lambda c: danish_key(c.area.name))
    if order == "share":
        rows.sort(key=lambda c: -1 if c.share is None else c.share, reverse=True)
    return rows
