"""Readable builders for test data. Capacities are made through the services, as in real use."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from capacities import services
from capacities.models import Capacity, Committee, CommitteeMeeting, Pool, Status
from common.text import danish_slugify
from coverage_areas.models import Designation, DesignationRound, PlanningArea

D = dt.date
MEETING_DAY = D(2024, 11, 18)
POOL_DAY = D(2019, 11, 27)


def staff_user(username: str = "factory-clerk"):
    user, _ = get_user_model().objects.get_or_create(username=username, defaults={"is_staff": True})
    return user


def area(name: str = "Herlev", *, parent: PlanningArea | None = None) -> PlanningArea:
    found = PlanningArea.objects.filter(name=name).first()
    if found:
        return found
    return PlanningArea.objects.create(
        name=name,
        slug=danish_slugify(name),
        parent=parent,
        municipality=parent.municipality if parent else name,
    )


def four_areas() -> dict[str, PlanningArea]:
    """Herlev, Høje-Taastrup, Tårnby and Brøndby Strand (a sub-area of Brøndby)."""
    brondby = area("Brøndby")
    return {
        "herlev": area("Herlev"),
        "hoeje": area("Høje-Taastrup"),
        "taarnby": area("Tårnby"),
        "strand": area("Brøndby Strand", parent=brondby),
    }


def meeting(on: dt.date = MEETING_DAY, committee: str = "Udvalget") -> CommitteeMeeting:
    committee_obj, _ = Committee.objects.get_or_create(name=committee)
    found, _ = CommitteeMeeting.objects.get_or_create(committee=committee_obj, date=on)
    return found


def pool(size: int = 3, created_on: dt.date = POOL_DAY) -> Pool:
    return services.create_pool(
        by=staff_user(),
        name=f"Pulje {created_on:%Y}",
        created_on=created_on,
        size=size,
        criteria="Mere end 75% lukket i tre måneder",
    )


# The steps that lead from a fresh active capacity to each status, with dates in order.
def capacity(status: str = Status.ACTIVE, *, in_area: str = "Herlev", by=None) -> Capacity:
    """A regular capacity in the given status, reached through the services in 2024."""
    by = by or staff_user()
    if status == Status.POOL_RESERVE:
        return pool(size=1).capacities.get()
    c = services.register_capacity(by=by, on=D(2010, 1, 1), area=area(in_area))
    if status == Status.ACTIVE:
        return c
    services.return_capacity(c, by=by, on=D(2024, 1, 31), reason=Capacity.ReturnReason.RETIREMENT)
    if status == Status.AWAITING_DECISION:
        return c
    if status == Status.AWAITING_POSTING:
        return services.decide_to_post(c, by=by, on=D(2024, 2, 15), reason="Behov i området")
    services.post_capacity(c, by=by, on=D(2024, 3, 1), application_deadline=D(2024, 4, 1))
    if status == Status.POSTED:
        return c
    services.grant_capacity(
        c, by=by, on=D(2024, 5, 1), grantee="Anne Holm", establishment_deadline=D(2025, 1, 1)
    )
    if status == Status.GRANTED:
        return c
    raise ValueError(status)


def designation_round(
    kind: str = "regional",
    year: int = 2023,
    areas: list[str] = (),
    *,
    last_year: int | None = None,
    status: str = DesignationRound.Status.DECIDED,
    decision_date: dt.date | None = None,
) -> DesignationRound:
    round_ = DesignationRound.objects.create(
        kind=kind,
        first_year=year,
        last_year=last_year or year,
        status=status,
        decision_date=decision_date or D(year - 1, 12, 15),
    )
    for name in areas:
        Designation.objects.create(round=round_, area=area(name))
    return round_
