"""An area's coverage-threatened status on a date: the one home of the rule pages, open data,
certificates and alerts answer from.

For each kind (regional, national) the answer is one of three:
- designated: a decided round in force on the date lists the area or an area it is part of
  (a designation covers sub-areas, never upwards);
- not designated: a decided round of the kind is in force on the date and lists neither;
- undecided: no decided round of the kind is in force on the date (the year's round is only
  announced, was decided after the date, or none is recorded). A doctor's rights follow the
  status on the date of application, so "not known" must never read as "no".

Reads work on rounds loaded once (`load_rounds`, two queries) and an AreaTree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch

from common.text import danish_key, sorted_names
from coverage_areas.models import (
    Benefit,
    Designation,
    DesignationKind,
    DesignationRound,
    PlanningArea,
)
from coverage_areas.tree import AreaTree

DESIGNATED = "designated"
NOT_DESIGNATED = "not_designated"
UNDECIDED = "undecided"

# Why a date is undecided for a kind.
ANNOUNCED = "announced"  # the round covering the year is recorded as announced, not decided
DECIDED_LATER = "decided_later"  # the round covering the year was decided after the date
NONE_RECORDED = "none_recorded"  # no round of the kind covers the year

KINDS = (DesignationKind.REGIONAL, DesignationKind.NATIONAL)


def load_rounds() -> list[DesignationRound]:
    """All designation rounds with their designated areas (two queries)."""
    return list(
        DesignationRound.objects.prefetch_related(
            Prefetch("designations", queryset=Designation.objects.select_related("area"))
        ).order_by("kind", "first_year")
    )


def round_area_names(round_: DesignationRound) -> list[str]:
    return sorted_names(d.area.name for d in round_.designations.all())


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


@dataclass(frozen=True)
class KindStatus:
    """One kind's answer for an area on a date, with what it rests on."""

    kind: str
    on: dt.date
    answer: str  # DESIGNATED, NOT_DESIGNATED or UNDECIDED
    applying: tuple[Applying, ...] = ()  # designated: the designations that make it so
    deciding: DesignationRound | None = None  # designated or not: the round in force
    pending: DesignationRound | None = None  # undecided: the round recorded for the year
    reason: str = ""  # undecided: ANNOUNCED, DECIDED_LATER or NONE_RECORDED

    @property
    def designated(self) -> bool | None:
        """True or False where a decided list answers, None where none does."""
        return None if self.answer == UNDECIDED else self.answer == DESIGNATED

    def get_kind_display(self) -> str:
        return DesignationKind(self.kind).label


def kind_status(
    rounds: list[DesignationRound], area: PlanningArea, on: dt.date, kind: str
) -> KindStatus:
    """The three-answer status of one kind for the area on the date (area.lineage() must not
    query: pass areas from an AreaTree)."""
    of_kind = [r for r in rounds if r.kind == kind]
    in_force = [r for r in of_kind if r.in_force_on(on)]
    if not in_force:
        pending = next((r for r in of_kind if r.first_year <= on.year <= r.last_year), None)
        if pending is None:
            reason = NONE_RECORDED
        elif pending.status == DesignationRound.Status.DECIDED:
            reason = DECIDED_LATER
        else:
            reason = ANNOUNCED
        return KindStatus(kind=kind, on=on, answer=UNDECIDED, pending=pending, reason=reason)
    lineage = area.lineage()
    by_id = {a.pk: a for a in lineage}
    applying = tuple(
        sorted(
            (
                Applying(kind=kind, area=by_id[d.area_id], round=r)
                for r in in_force
                for d in r.designations.all()
                if d.area_id in by_id
            ),
            key=lambda a: danish_key(a.area.name),
        )
    )
    return KindStatus(
        kind=kind,
        on=on,
        answer=DESIGNATED if applying else NOT_DESIGNATED,
        applying=applying,
        deciding=in_force[0],
    )


def area_status(
    rounds: list[DesignationRound], area: PlanningArea, on: dt.date
) -> dict[str, KindStatus]:
    """Both kinds' answers for the area on the date, regional first."""
    return {kind: kind_status(rounds, area, on, kind) for kind in KINDS}


def statuses_by_area(
    tree: AreaTree, rounds: list[DesignationRound], on: dt.date
) -> dict[int, dict[str, KindStatus]]:
    """Every area's answers on the date (no query beyond the tree and the rounds)."""
    return {area.pk: area_status(rounds, area, on) for area in tree.all()}


def covered_area_kinds(
    tree: AreaTree, rounds: list[DesignationRound], on: dt.date
) -> dict[int, set[str]]:
    """For each area designated on the date, the kinds of designation covering it."""
    covered: dict[int, set[str]] = {}
    for pk, status in statuses_by_area(tree, rounds, on).items():
        kinds = {kind for kind, answer in status.items() if answer.answer == DESIGNATED}
        if kinds:
            covered[pk] = kinds
    return covered


def summary(status: dict[str, KindStatus]) -> dict[str, list[str]]:
    """The kinds an area is designated under, and those not known, for a list's one cell."""
    return {
        "designated": [k for k, s in status.items() if s.answer == DESIGNATED],
        "undecided": [k for k, s in status.items() if s.answer == UNDECIDED],
    }


def benefits_by_kind() -> dict[str, list[Benefit]]:
    """The benefits of each kind of designation, those for all kinds included (one query)."""
    benefits = list(Benefit.objects.order_by("order", "id"))
    # The kind's own benefits first, then those of every coverage-threatened area.
    return {
        kind: [b for b in benefits if b.kind == kind]
        + [b for b in benefits if b.kind == Benefit.Scope.ALL]
        for kind in DesignationKind.values
    }


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
    now = next((y for y in years if y.round.in_force_on(today)), None)
    announced = next((y for y in years if y.year == today.year and not y.decided), None)
    latest = next((y for y in years if y.decided and y.round.decision_date <= today), None)
    nationals = national_rounds(rounds)
    national_now = next((r for r in nationals if r.in_force_on(today)), None)
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
