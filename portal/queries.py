"""Reads the public pages share about capacities and closure figures (the designation status
is coverage_areas.status's). Each is one query whatever the data size."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max, QuerySet

from capacities.models import Capacity, Status, Transition
from common.text import danish_key
from coverage_areas.models import Benefit, Designation, DesignationRound, PlanningArea
from coverage_areas.tree import AreaTree
from shortage.models import IntakeClosure


def open_postings() -> QuerySet[Capacity]:
    """The public postings: only `posted` (a pool capacity awaiting posting is not public)."""
    return Capacity.objects.open_postings().select_related("area__parent")


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
