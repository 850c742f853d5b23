"""Many capacities, fast, for query-count tests ONLY.

The services are the only way to change a capacity in real use; creating a thousand through
them takes minutes. For measuring whether a page's query count grows with the data, this
helper writes Capacity rows and their matching `post`/`grant` Transition rows directly with
bulk_create. The rows satisfy the database's constraints, but have no simple-history rows."""

from __future__ import annotations

import datetime as dt

from capacities.models import Action, Capacity, CapacityState, Status, Transition
from coverage_areas.models import PlanningArea
from tests.factories import staff_user

POSTED_ON = dt.date(2024, 3, 1)


def bulk_capacities(count: int, *, in_areas: list[str] | None = None) -> None:
    """`count` more capacities spread over the areas named (default: every area): two thirds
    posted (every other one without a deadline), one third granted."""
    areas = list(PlanningArea.objects.order_by("id"))
    if in_areas:
        areas = [area for area in areas if area.name in in_areas]
    clerk = staff_user()
    capacities = []
    for i in range(count):
        granted = i % 3 == 2
        capacities.append(
            Capacity(
                status=Status.GRANTED if granted else Status.POSTED,
                area=areas[i % len(areas)],
                posted_on=POSTED_ON,
                application_deadline=None if i % 2 else POSTED_ON + dt.timedelta(days=30 + i),
                granted_on=POSTED_ON + dt.timedelta(days=60) if granted else None,
                grantee="Bulk Doctor" if granted else "",
                establishment_deadline=POSTED_ON + dt.timedelta(days=300) if granted else None,
            )
        )
    created = Capacity.objects.bulk_create(capacities)
    state_fields = CapacityState.state_field_names()
    Transition.objects.bulk_create(
        Transition(
            capacity=capacity,
            action=Action.GRANT if capacity.status == Status.GRANTED else Action.POST,
            effective_date=capacity.granted_on or capacity.posted_on,
            recorded_by=clerk,
            **{name: getattr(capacity, name) for name in state_fields},
        )
        for capacity in created
    )
