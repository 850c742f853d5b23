"""The outcomes of the pool rule's verdict, and what would turn a verdict: the smallest change
that makes an area eligible or not, read from the same rule (capacities.eligibility)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capacities.models import IN_PROCESS, Action, Transition
from common.text import month_label

if TYPE_CHECKING:
    from capacities.eligibility import Verdict

ELIGIBLE = "eligible"
NOT_ELIGIBLE = "not_eligible"
MISSING_DATA = "missing_data"


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
        Transition.objects.state_on(on, statuses=IN_PROCESS)
        .filter(area_id__in=area_ids)
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
