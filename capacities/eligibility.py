"""The pool rule, evaluated from the imported intake-closure data, with its working shown.

A pool capacity may go to an area that, when assessed, has had more than `threshold_percent`
of its capacity closed to new patients in each of the `months` most recent complete months
before the date, and has no capacities on the way (awaiting decision, awaiting posting, posted
or granted there on that date). Threshold and months come from the pool's criteria revision in
force on the date, so a revision applies from its own date.

Three outcomes per area:
- eligible: every counted month is above the threshold and nothing is on the way;
- not eligible: the data says no (a counted month at or below the threshold, or a capacity on
  the way);
- missing data: every month with figures is above the threshold and nothing is on the way,
  but some counted month has no figures, so the rule cannot be settled. `eligible` is false.

A month whose total is 0 (no capacities in the area) has no share and is never above.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _

from capacities.models import IN_PROCESS, Pool, PoolCriteriaRevision, Status, Transition
from capacities.verdicts import (
    ELIGIBLE,
    MISSING_DATA,
    NOT_ELIGIBLE,
    Tip,
    on_the_way_since,
    would_tip,
)
from common.text import danish_key, month_label, percent, share_of
from coverage_areas.models import PlanningArea
from shortage.models import IntakeClosure


class NoCriteria(ValueError):
    """No pool, or no criteria revision of it, was in force on the date."""


def counted_months(on: dt.date, count: int) -> list[dt.date]:
    """The `count` most recent complete months before the date, newest first: for
    24 October 2024 and 3, September, August and July 2024 (October is not complete)."""
    months = []
    month = on.replace(day=1)
    for _number in range(count):
        month = (month - dt.timedelta(days=1)).replace(day=1)
        months.append(month)
    return months


@dataclass(frozen=True)
class MonthFigure:
    month: dt.date
    closed: int | None
    total: int | None
    above: bool

    @property
    def missing(self) -> bool:
        return self.closed is None

    @property
    def share(self) -> float | None:
        return share_of(self.closed, self.total)

    @property
    def percent(self) -> float | None:
        return percent(self.share)

    def as_json(self) -> dict:
        share = self.share
        return {
            "month": month_label(self.month),
            "closed": self.closed,
            "total": self.total,
            "share": None if share is None else round(share, 4),
            "above_threshold": self.above,
        }


@dataclass
class Verdict:
    """One area's assessment on a date: the months that count, what is on the way, the result."""

    area: PlanningArea
    on: dt.date
    criteria: PoolCriteriaRevision
    months: list[MonthFigure]  # newest first
    on_the_way_by_status: dict[str, int] = field(default_factory=dict)
    # What would turn the verdict (see `would_tip`); set by `evaluate`.
    tip: Tip | None = None

    @property
    def threshold_percent(self) -> int:
        return self.criteria.threshold_percent

    @property
    def on_the_way(self) -> int:
        return sum(self.on_the_way_by_status.values())

    @property
    def above_threshold_months(self) -> int:
        return sum(1 for m in self.months if m.above)

    @property
    def missing_months(self) -> list[dt.date]:
        return [m.month for m in self.months if m.missing]

    @property
    def outcome(self) -> str:
        if self.on_the_way or any(not m.above for m in self.months if not m.missing):
            return NOT_ELIGIBLE
        if self.missing_months:
            return MISSING_DATA
        return ELIGIBLE

    @property
    def eligible(self) -> bool:
        return self.outcome == ELIGIBLE

    def on_the_way_rows(self) -> list[tuple[str, int]]:
        return [(Status(s).label, n) for s, n in sorted(self.on_the_way_by_status.items())]

    def as_json(self) -> dict:
        return {
            "area": self.area.name,
            "area_slug": self.area.slug,
            "months": [m.as_json() for m in self.months],
            "above_threshold_months": self.above_threshold_months,
            "on_the_way": self.on_the_way,
            "on_the_way_by_status": dict(sorted(self.on_the_way_by_status.items())),
            "missing_months": [month_label(m) for m in self.missing_months],
            "verdict": self.outcome,
            "eligible": self.eligible,
        }

    def as_record(self) -> dict:
        """The verdict as stored with an allocation: self-contained, with the criteria."""
        return {"on": self.on.isoformat(), "criteria": criteria_json(self.criteria)} | (
            self.as_json()
        )


def criteria_json(criteria: PoolCriteriaRevision) -> dict:
    return {
        "pool": criteria.pool.name,
        "effective_from": criteria.effective_from.isoformat(),
        "threshold_percent": criteria.threshold_percent,
        "months": criteria.months,
    }


@dataclass
class Report:
    on: dt.date
    criteria: PoolCriteriaRevision
    months: list[dt.date]
    verdicts: list[Verdict]

    @property
    def eligible(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.eligible]

    def as_json(self) -> dict:
        return {
            "on": self.on.isoformat(),
            "criteria": criteria_json(self.criteria),
            "areas": [
                v.as_json() | {"would_tip": v.tip.as_json() if v.tip else None}
                for v in self.verdicts
            ],
        }


def pool_on(on: dt.date) -> Pool | None:
    """The pool whose rule applies on the date: the newest created on or before it."""
    return Pool.objects.filter(created_on__lte=on).order_by("-created_on", "-id").first()


def criteria_on(on: dt.date, pool: Pool | None = None) -> PoolCriteriaRevision:
    pool = pool or pool_on(on)
    criteria = pool.criteria_on(on) if pool is not None else None
    if criteria is None:
        raise NoCriteria(f"No pool criteria were in force on {on.isoformat()}.")
    criteria.pool = pool
    return criteria


def threshold_on(on: dt.date) -> PoolCriteriaRevision | None:
    """The criteria in force on the date of the pool that applies then, in one query (for the
    public chart's threshold line)."""
    return (
        PoolCriteriaRevision.objects.filter(effective_from__lte=on, pool__created_on__lte=on)
        .order_by("-pool__created_on", "-pool_id", "-effective_from")
        .first()
    )


def evaluate(
    on: dt.date, *, pool: Pool | None = None, areas: list[PlanningArea] | None = None
) -> Report:
    """Every area's verdict on the date (or the areas given), in a fixed number of queries."""
    criteria = criteria_on(on, pool)
    months = counted_months(on, criteria.months)
    if areas is None:
        areas = sorted(PlanningArea.objects.all(), key=lambda a: danish_key(a.name))
    ids = [a.pk for a in areas]
    figures = {
        (c.area_id, c.month): c
        for c in IntakeClosure.objects.filter(area_id__in=ids).in_months(months)
    }
    on_the_way: dict[int, dict[str, int]] = defaultdict(dict)
    for area_id, status, count in (
        Transition.objects.state_on(on, statuses=IN_PROCESS)
        .filter(area_id__in=ids)
        .values_list("area_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        on_the_way[area_id][status] = count
    verdicts = []
    for area in areas:
        rows = []
        for month in months:
            closure = figures.get((area.pk, month))
            rows.append(
                MonthFigure(
                    month=month,
                    closed=closure.closed if closure else None,
                    total=closure.total if closure else None,
                    above=bool(closure and closure.above(criteria.threshold_percent)),
                )
            )
        verdicts.append(
            Verdict(
                area=area,
                on=on,
                criteria=criteria,
                months=rows,
                on_the_way_by_status=on_the_way.get(area.pk, {}),
            )
        )
    since = on_the_way_since(on, [v.area.pk for v in verdicts])
    for verdict in verdicts:
        verdict.tip = would_tip(verdict, on_the_way_since=since.get(verdict.area.pk))
    return Report(on=on, criteria=criteria, months=months, verdicts=verdicts)


def verdict_for(area: PlanningArea, on: dt.date, *, pool: Pool | None = None) -> Verdict | None:
    """One area's verdict, or None when no criteria were in force on the date."""
    try:
        return evaluate(on, pool=pool, areas=[area]).verdicts[0]
    except NoCriteria:
        return None


def check_allocation(verdict: Verdict | None, override_reason: str = "") -> dict | None:
    """The pool rule applied to an allocation: the record stored with it (the verdict with
    its working and criteria, and the reason given to allocate despite it). An area the rule
    does not find eligible (the figures rule it out, or months lack figures) needs that
    reason: without one, ValidationError (code "not_eligible"). No criteria in force on the
    date (verdict None): nothing to cite."""
    if verdict is None:
        return None
    override = (override_reason or "").strip()
    if not verdict.eligible and not override:
        raise ValidationError(
            _(
                "The pool rule finds %(area)s not eligible on this date. Say why the "
                "capacity goes there anyway."
            )
            % {"area": verdict.area},
            code="not_eligible",
        )
    record = verdict.as_record()
    if override:
        record["override_reason"] = override
    return record
