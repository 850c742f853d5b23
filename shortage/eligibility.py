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

from django.db.models import Count
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capacities.models import IN_PROCESS, Action, Pool, PoolCriteriaRevision, Status, Transition
from coverage_areas.models import PlanningArea
from portal.queries import danish_key
from shortage.models import IntakeClosure

ELIGIBLE = "eligible"
NOT_ELIGIBLE = "not_eligible"
MISSING_DATA = "missing_data"


class NoCriteria(ValueError):
    """No pool, or no criteria revision of it, was in force on the date."""


def month_label(month: dt.date) -> str:
    return f"{month:%Y-%m}"


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
        if self.closed is None or not self.total:
            return None
        return self.closed / self.total

    @property
    def percent(self) -> float | None:
        return None if self.share is None else round(self.share * 100, 1)

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

    @property
    def refused(self) -> bool:
        """The data says no (as opposed to: eligible, or not settled for want of figures)."""
        return self.outcome == NOT_ELIGIBLE

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
        Transition.objects.state_on(on)
        .filter(status__in=IN_PROCESS, area_id__in=ids)
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


# What would tip a verdict: the smallest change that turns it, read from the same rule.


def _add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def _month_names(months: list[dt.date]) -> str:
    return ", ".join(date_format(m, "F Y") for m in months)


@dataclass(frozen=True)
class Tip:
    """The smallest change that would turn a verdict.

    Towards eligible: from the assessment month `when` (None: at once), every month in
    `months_above` above the threshold, and the `on_the_way` capacities now on the way
    (the oldest since `on_the_way_since`) no longer on the way. Months at or below the
    threshold cannot be undone; they drop out as later months take their place.
    Towards not eligible: one capacity on the way ends it at once, or from `when` the month
    in `months_at_or_below` at or below the threshold."""

    to: str
    threshold_percent: int
    when: dt.date | None = None
    months_above: tuple[dt.date, ...] = ()
    months_at_or_below: tuple[dt.date, ...] = ()
    on_the_way: int = 0
    on_the_way_since: dt.date | None = None

    def as_json(self) -> dict:
        return {
            "to": self.to,
            "when": month_label(self.when) if self.when else "now",
            "months_above": [month_label(m) for m in self.months_above],
            "months_at_or_below": [month_label(m) for m in self.months_at_or_below],
            "on_the_way": self.on_the_way,
            "on_the_way_since": self.on_the_way_since.isoformat()
            if self.on_the_way_since
            else None,
            "text": self.text(),
        }

    def text(self) -> str:
        values = {
            "threshold": self.threshold_percent,
            "when": date_format(self.when, "F Y") if self.when else "",
            "months": _month_names(list(self.months_above or self.months_at_or_below)),
            "count": self.on_the_way,
            "since": date_format(self.on_the_way_since, "DATE_FORMAT")
            if self.on_the_way_since
            else "",
        }
        if self.to == NOT_ELIGIBLE:
            return (
                _(
                    "Not eligible as soon as a capacity is on the way, or from %(when)s if "
                    "%(months)s is at or below %(threshold)s%%."
                )
                % values
            )
        parts = []
        if self.months_above:
            condition = (
                _("if %(months)s is above %(threshold)s%%")
                if len(self.months_above) == 1
                else _("if %(months)s are above %(threshold)s%%")
            ) % values
            parts.append(
                (
                    _("Eligible from %(when)s %(condition)s")
                    if self.when
                    else _("Eligible %(condition)s")
                )
                % {**values, "condition": condition}
            )
        if self.on_the_way:
            blocker = (
                ngettext(
                    "%(count)s capacity is on the way since %(since)s",
                    "%(count)s capacities are on the way, the first since %(since)s",
                    self.on_the_way,
                )
                if self.on_the_way_since
                else ngettext(
                    "%(count)s capacity is on the way",
                    "%(count)s capacities are on the way",
                    self.on_the_way,
                )
            ) % values
            if parts:
                return _("%(first)s, once no capacity is on the way (now: %(blocker)s).") % {
                    "first": parts[0],
                    "blocker": blocker,
                }
            return _("Would be eligible, but %(blocker)s.") % {"blocker": blocker}
        return _("%(first)s and nothing is on the way.") % {"first": parts[0]}


def would_tip(verdict: Verdict, *, on_the_way_since: dt.date | None = None) -> Tip:
    """The smallest change that turns the verdict, from the same rule as `Verdict.outcome`."""
    threshold = verdict.threshold_percent
    this_month = verdict.on.replace(day=1)
    if verdict.eligible:
        # The current month enters the window at the next assessment.
        return Tip(
            to=NOT_ELIGIBLE,
            threshold_percent=threshold,
            when=_add_months(this_month, 1),
            months_at_or_below=(this_month,),
            on_the_way=1,
        )
    count = len(verdict.months)
    failing = [m.month for m in verdict.months if not m.missing and not m.above]
    when = None
    needed = list(verdict.missing_months)
    if failing:
        # The first assessment whose window has left the newest failing month behind; every
        # month after that one up to it must be above (those with figures already are).
        newest = max(failing)
        when = _add_months(newest, count + 1)
        figures = {m.month: m for m in verdict.months}
        needed = []
        month = _add_months(newest, 1)
        while month < when:
            known = figures.get(month)
            if known is None or known.missing:
                needed.append(month)
            month = _add_months(month, 1)
    return Tip(
        to=ELIGIBLE,
        threshold_percent=threshold,
        when=when,
        months_above=tuple(sorted(needed)),
        on_the_way=verdict.on_the_way,
        on_the_way_since=on_the_way_since if verdict.on_the_way else None,
    )


def on_the_way_since(on: dt.date, area_ids: list[int]) -> dict[int, dt.date]:
    """Per area, since when the longest-waiting capacity on the way there has been on its
    way there (its return, allocation or redistribution to the area), in one query."""
    on_the_way = (
        Transition.objects.state_on(on)
        .filter(status__in=IN_PROCESS, area_id__in=area_ids)
        .values("capacity_id")
    )
    latest: dict[int, tuple[dt.date, int]] = {}
    for capacity_id, area_id, day in (
        Transition.objects.filter(
            capacity_id__in=on_the_way,
            effective_date__lte=on,
            action__in=[Action.RETURN, Action.ALLOCATE, Action.REDISTRIBUTE],
        )
        .order_by("capacity_id", "effective_date", "id")
        .values_list("capacity_id", "area_id", "effective_date")
    ):
        latest[capacity_id] = (day, area_id)
    since: dict[int, dt.date] = {}
    for day, area_id in latest.values():
        if area_id not in since or day < since[area_id]:
            since[area_id] = day
    return since
