"""The staff dashboard: what needs doing this week, in a constant number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from capacities.models import Capacity, CommitteeMeeting, Pool, Status
from common.text import danish_key

# How far ahead the dashboard warns about establishment deadlines.
SOON = dt.timedelta(days=30)


@dataclass
class Dashboard:
    today: dt.date
    counts: list[tuple[str, str, int]]  # (status, label, count), life-cycle order
    overdue_establishments: list[Capacity]
    establishments_due_soon: list[Capacity]
    postings_past_deadline: list[Capacity]
    next_meeting: CommitteeMeeting | None
    waiting_for_next_meeting: list[Capacity]
    awaiting_without_meeting: list[Capacity]
    # Waiting for a meeting that has been held: the decision was not recorded, or the item
    # was moved to a later meeting and nobody said so.
    waiting_on_past_meeting: list[Capacity]
    pools: list[Pool]


def build(today: dt.date) -> Dashboard:
    capacities = Capacity.objects.select_related("area", "deciding_meeting__committee")
    per_status = dict(
        Capacity.objects.order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    next_meeting = CommitteeMeeting.objects.upcoming(today).select_related("committee").first()
    # Every capacity awaiting a decision, in one query: the three meeting lists come from it.
    awaiting = list(capacities.filter(status=Status.AWAITING_DECISION).order_by("id"))
    return Dashboard(
        today=today,
        counts=[(value, label, per_status.get(value, 0)) for value, label in Status.choices],
        overdue_establishments=list(
            capacities.filter(status=Status.GRANTED, establishment_deadline__lt=today).order_by(
                "establishment_deadline", "area__name"
            )
        ),
        establishments_due_soon=list(
            capacities.filter(
                status=Status.GRANTED,
                establishment_deadline__gte=today,
                establishment_deadline__lte=today + SOON,
            ).order_by("establishment_deadline", "area__name")
        ),
        postings_past_deadline=list(
            capacities.filter(status=Status.POSTED, application_deadline__lt=today).order_by(
                "application_deadline", "area__name"
            )
        ),
        next_meeting=next_meeting,
        waiting_for_next_meeting=[
            c for c in awaiting if next_meeting and c.deciding_meeting_id == next_meeting.pk
        ],
        awaiting_without_meeting=[c for c in awaiting if c.deciding_meeting_id is None],
        waiting_on_past_meeting=sorted(
            (c for c in awaiting if c.deciding_meeting and c.deciding_meeting.date < today),
            key=lambda c: (c.deciding_meeting.date, danish_key(c.area.name)),
        ),
        pools=list(
            Pool.objects.annotate(
                remaining=Count("capacities", filter=Q(capacities__status=Status.POOL_RESERVE)),
                allocated=Count("capacities", filter=~Q(capacities__status=Status.POOL_RESERVE)),
            )
        ),
    )
