"""Synthetic data for the benchmarks, bulk-loaded in the same shape the services produce.

Each capacity gets a registration and then whole life cycles (return, decision, posting,
grant, establishment), every step a `Transition` row holding the state it left behind; the
last cycle stops part-way for some capacities so that every status is represented. Regional
designations exist for every year and national ones for every four-year period. History
tables (django-simple-history) are not filled: no page reads them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from capacities.models import Action, Capacity, Origin, Status, Transition
from common.text import danish_slugify
from coverage_areas.models import Designation, DesignationRound, PlanningArea

CYCLE = [
    (Action.RETURN, Status.AWAITING_DECISION),
    (Action.DECIDE_TO_POST, Status.AWAITING_POSTING),
    (Action.POST, Status.POSTED),
    (Action.GRANT, Status.GRANTED),
    (Action.ESTABLISH, Status.ACTIVE),
]
# Days from the step before to each step of a cycle, as in the region's memo: a month or two
# to decide and post, a couple of months to grant, half a year to establish. The rest of a
# cycle a practice uses the capacity, so on any date a few per cent are in process, as in
# the seed (18 of about 1,000 in the Capital Region).
PROCESS_DAYS = {
    Action.DECIDE_TO_POST: 45,
    Action.POST: 30,
    Action.GRANT: 75,
    Action.ESTABLISH: 180,
}


@dataclass(frozen=True)
class Size:
    name: str
    areas: int
    capacities: int
    transitions: int
    years: int


REGION = Size("region", areas=30, capacities=1_000, transitions=20_000, years=50)
COUNTRY = Size("country", areas=300, capacities=10_000, transitions=200_000, years=50)
SIZES = {size.name: size for size in (REGION, COUNTRY)}

LAST_YEAR = 2024
BATCH = 5_000


def _area_names(count: int) -> list[str]:
    base = ["Høje-Taastrup", "Brøndby", "Tårnby", "Vallensbæk", "Ærø", "Østerbro", "Ålborg Øst"]
    return [f"{base[i % len(base)]} {i + 1}" for i in range(count)]


@transaction.atomic
def generate(size: Size, *, seed: int = 20241024) -> dict[str, int]:
    rng = random.Random(seed)
    user, _ = get_user_model().objects.get_or_create(username="bench-loader")
    areas = PlanningArea.objects.bulk_create(
        PlanningArea(name=name, slug=danish_slugify(name), municipality=name)
        for name in _area_names(size.areas)
    )
    first_year = LAST_YEAR - size.years + 1
    _designations(areas, first_year, rng)

    # Whole cycles after the registration, so that most capacities end active again.
    cycles = max(1, round((size.transitions / size.capacities - 1) / len(CYCLE)))
    end = dt.date(LAST_YEAR, 10, 1)
    span_days = (end - dt.date(first_year, 1, 1)).days
    cycle_days = span_days // cycles
    active_days = max(30, cycle_days - sum(PROCESS_DAYS.values()))

    capacities = Capacity.objects.bulk_create(
        (
            Capacity(status=Status.ACTIVE, origin=Origin.REGULAR, area=rng.choice(areas))
            for _ in range(size.capacities)
        ),
        batch_size=BATCH,
    )
    rows: list[Transition] = []
    total = 0
    for capacity in capacities:
        day = dt.date(first_year, 1, 1) + dt.timedelta(days=rng.randrange(active_days // 2))
        state = {"status": Status.ACTIVE, "area": capacity.area, "established_on": day}
        rows.append(_row(capacity, user, Action.REGISTER, "", day, state))
        steps = [step for _ in range(cycles) for step in CYCLE]
        # A few capacities are somewhere in the life cycle today.
        if rng.random() < 0.05:
            steps = steps[: -rng.randrange(1, len(CYCLE))]
        pauses = [
            rng.randint(active_days // 2, active_days * 3 // 2)
            if action == Action.RETURN
            else rng.randint(PROCESS_DAYS[action] // 2, PROCESS_DAYS[action] * 3 // 2)
            for action, _status in steps
        ]
        # Squeeze a history that would run past the last year (no step lies in the future).
        room = (end - day).days
        if sum(pauses) > room:
            pauses = [max(1, pause * room // sum(pauses)) for pause in pauses]
        for (action, status), pause in zip(steps, pauses, strict=True):
            day += dt.timedelta(days=pause)
            state = _next_state(state, action, status, day, rng)
            rows.append(_row(capacity, user, action, rows[-1].status, day, state))
        _apply(capacity, state)
        if len(rows) >= BATCH:
            total += len(Transition.objects.bulk_create(rows))
            rows = []
    total += len(Transition.objects.bulk_create(rows))
    Capacity.objects.bulk_update(capacities, _STATE_FIELDS, batch_size=BATCH)
    return {"areas": len(areas), "capacities": len(capacities), "transitions": total}


_STATE_FIELDS = [
    "status",
    "established_on",
    "return_date",
    "return_reason",
    "posted_on",
    "application_deadline",
    "granted_on",
    "grantee",
    "establishment_deadline",
]


def _next_state(state: dict, action: str, status: str, day: dt.date, rng) -> dict:
    state = {**state, "status": status}
    if action == Action.RETURN:
        state |= {"return_date": day, "return_reason": "retirement"}
        for key in ("posted_on", "application_deadline", "granted_on", "grantee"):
            state.pop(key, None)
        state.pop("establishment_deadline", None)
    elif action == Action.POST:
        deadline = day + dt.timedelta(days=45) if rng.random() < 0.5 else None
        state |= {"posted_on": day, "application_deadline": deadline}
    elif action == Action.GRANT:
        state |= {
            "granted_on": day,
            "grantee": f"Læge {rng.randrange(10_000)}",
            "establishment_deadline": day + dt.timedelta(days=240),
        }
    elif action == Action.ESTABLISH:
        state |= {"established_on": day}
    return state


def _row(capacity, user, action, from_status, day, state) -> Transition:
    return Transition(
        capacity=capacity,
        action=action,
        from_status=from_status,
        from_area=state["area"] if from_status else None,
        effective_date=day,
        recorded_by=user,
        reason="bench",
        **state,
    )


def _apply(capacity: Capacity, state: dict) -> None:
    for field in _STATE_FIELDS:
        setattr(
            capacity, field, state.get(field, "" if field in ("grantee", "return_reason") else None)
        )
    capacity.status = state["status"]


def _designations(areas, first_year: int, rng) -> None:
    rounds = DesignationRound.objects.bulk_create(
        [
            DesignationRound(
                kind="regional",
                first_year=year,
                last_year=year,
                status="decided",
                decision_date=dt.date(year - 1, 12, 15),
            )
            for year in range(first_year, LAST_YEAR + 1)
        ]
        + [
            DesignationRound(
                kind="national",
                first_year=year,
                last_year=year + 3,
                status="decided",
                decision_date=dt.date(year - 1, 12, 1),
            )
            for year in range(first_year, LAST_YEAR + 1, 4)
        ]
    )
    share = max(1, len(areas) // 3)
    Designation.objects.bulk_create(
        Designation(round=round_, area=area)
        for round_ in rounds
        for area in rng.sample(areas, share if round_.kind == "regional" else max(1, share // 3))
    )
