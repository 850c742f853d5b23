"""The demo reaches the day it is loaded: current lists, open postings, grants and closure
figures after the seed, all illustrative, while the seed's own figures stay as they are."""

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from capacities import demo
from capacities.models import Capacity, Status, Transition
from coverage_areas.models import DesignationRound
from coverage_areas.status import DESIGNATED, area_status, load_rounds
from shortage.models import IntakeClosure

SEED_DAY = dt.date(2024, 10, 24)


def _seed_figures() -> dict:
    state = Transition.objects.state_on(SEED_DAY)
    by_status = Counter(state.values_list("status", flat=True))
    return {
        "awaiting": by_status[Status.AWAITING_DECISION],
        "posted": by_status[Status.POSTED] + by_status[Status.AWAITING_POSTING],
        "granted": by_status[Status.GRANTED],
        "granted_areas": len(set(state.filter(status="granted").values_list("area", flat=True))),
        "waiting_meeting": state.get(status=Status.AWAITING_DECISION).deciding_meeting.date,
    }


SEED_FIGURES = {
    "awaiting": 1,
    "posted": 3,
    "granted": 14,
    "granted_areas": 12,
    "waiting_meeting": dt.date(2024, 11, 18),
}


@pytest.mark.django_db
def test_a_load_today_shows_a_current_list_open_postings_and_grants_ahead():
    today = timezone.localdate()
    demo.load(today=today)

    regional = DesignationRound.objects.get(kind="regional", first_year=today.year)
    assert regional.status == "decided" and regional.areas.exists()
    national = DesignationRound.objects.get(
        kind="national", first_year__lte=today.year, last_year__gte=today.year
    )
    assert national.status == "decided"

    posted = Capacity.objects.filter(status=Status.POSTED)
    assert posted.filter(application_deadline__gt=today).count() >= 2
    assert posted.filter(application_deadline=None).exists()
    # The doctor's main journey: a posting in an area on this year's list.
    rounds = load_rounds()
    threatened = [
        p for p in posted if area_status(rounds, p.area, today)["regional"].answer == DESIGNATED
    ]
    assert threatened, "no open posting in an area on this year's list"
    assert Capacity.objects.filter(status=Status.GRANTED, establishment_deadline__gt=today).exists()
    # Someone waits for the committee's next meeting, which lies ahead.
    waiting = Capacity.objects.get(status=Status.AWAITING_DECISION)
    assert waiting.deciding_meeting.date > today

    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    assert IntakeClosure.objects.latest("month").month == last_month

    assert not Transition.objects.filter(effective_date__gt=today).exists()
    assert _seed_figures() == SEED_FIGURES
    # The 2024 round stays as the seed records it: announced, no decision.
    assert DesignationRound.objects.get(kind="regional", first_year=2024).status == "announced"


@pytest.mark.django_db
def test_a_load_on_an_earlier_day_records_nothing_after_it():
    day = dt.date(2025, 6, 15)
    demo.load(today=day)

    assert not Transition.objects.filter(effective_date__gt=day).exists()
    assert sorted(
        DesignationRound.objects.filter(first_year__gte=2025).values_list("kind", "first_year")
    ) == [("national", 2025), ("regional", 2025)]
    assert IntakeClosure.objects.latest("month").month == dt.date(2025, 5, 1)
    assert _seed_figures() == SEED_FIGURES


@pytest.mark.django_db
def test_the_seed_alone_has_nothing_after_the_memo_day(demo):
    assert not Transition.objects.filter(effective_date__gt=SEED_DAY).exists()
    assert not DesignationRound.objects.filter(first_year__gte=2025).exists()
    assert IntakeClosure.objects.latest("month").month == dt.date(2024, 9, 1)
