"""The demo data is the region's: loading it gives the seed memo's figures for 24 October 2024."""

import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command

from capacities.models import Capacity, Status, Transition
from coverage_areas.models import Benefit, Designation, DesignationRound, PlanningArea

SEED_DAY = dt.date(2024, 10, 24)
SEED_GRANTED = {
    "Brøndby": ["2024-11-01"],
    "Ballerup": ["2024-11-01"],
    "Amager": ["2025-05-01", "2025-09-01"],
    "Gribskov": ["2024-10-01"],
    "Valby": ["2025-01-01"],
    "Indre By": ["2025-01-01"],
    "Hillerød": ["2025-01-01"],
    "Vallensbæk": ["2025-02-01", "2025-02-01"],
    "Bispebjerg": ["2025-03-01"],
    "Glostrup": ["2025-05-01"],
    "Rødovre": ["2025-07-01"],
    "Gladsaxe": ["2025-08-01"],
}


def _snapshot():
    return {
        "areas": sorted(PlanningArea.objects.values_list("name", "slug", "parent__name")),
        "capacities": sorted(Capacity.objects.values_list("status", "origin", "area__name")),
        "transitions": Transition.objects.count(),
        "rounds": sorted(DesignationRound.objects.values_list("kind", "first_year", "status")),
        "designations": Designation.objects.count(),
        "benefits": Benefit.objects.count(),
    }


@pytest.mark.django_db
def test_load_demo_twice_gives_the_same_data(capsys):
    call_command("load_demo")
    first = _snapshot()
    call_command("load_demo")
    assert _snapshot() == first
    assert "already present" in capsys.readouterr().out


@pytest.mark.django_db
def test_state_on_seed_day_gives_the_memo_figures(demo):
    state = Transition.objects.state_on(SEED_DAY)
    by_status = Counter(state.values_list("status", flat=True))
    assert by_status[Status.AWAITING_DECISION] == 1
    assert by_status[Status.POSTED] + by_status[Status.AWAITING_POSTING] == 3
    assert by_status[Status.GRANTED] == 14

    posted = sorted(
        state.filter(status__in=[Status.POSTED, Status.AWAITING_POSTING]).values_list(
            "area__name", "application_deadline"
        )
    )
    assert posted == [("Herlev", None), ("Høje-Taastrup", None), ("Rødovre", None)]

    granted: dict[str, list[str]] = {}
    for name, deadline in state.filter(status=Status.GRANTED).values_list(
        "area__name", "establishment_deadline"
    ):
        granted.setdefault(name, []).append(deadline.isoformat())
    assert {name: sorted(days) for name, days in granted.items()} == SEED_GRANTED
    brondby = state.get(status=Status.GRANTED, area__name="Brøndby")
    assert brondby.grant_remark == "lægerne meddeler at de aktiverer pr. 1 november 2024"

    pool = Counter(state.filter(capacity__origin="pool").values_list("status", flat=True))
    assert sum(pool.values()) == 10
    assert pool[Status.POOL_RESERVE] == 3
    assert pool[Status.AWAITING_POSTING] == 1
    assert sum(pool.values()) - pool[Status.POOL_RESERVE] - pool[Status.AWAITING_POSTING] == 6

    waiting = state.get(status=Status.AWAITING_DECISION)
    assert waiting.deciding_meeting.date == dt.date(2024, 11, 18)


@pytest.mark.django_db
def test_demo_areas_keep_danish_letters_with_ascii_slugs(demo):
    area = PlanningArea.objects.get(slug="hoeje-taastrup")
    assert area.name == "Høje-Taastrup"
    assert PlanningArea.objects.get(name="Brøndby Strand").parent.name == "Brøndby"
    assert PlanningArea.objects.count() == 38
    assert all(slug.isascii() for slug in PlanningArea.objects.values_list("slug", flat=True))


@pytest.mark.django_db
def test_state_on_a_date_ignores_what_happened_later(demo):
    before_pool = Transition.objects.state_on(dt.date(2019, 11, 26))
    on_pool_day = Transition.objects.state_on(dt.date(2019, 11, 27))
    assert not before_pool.filter(capacity__origin="pool").exists()
    assert on_pool_day.filter(capacity__origin="pool", status=Status.POOL_RESERVE).count() == 10


@pytest.mark.django_db
def test_state_on_query_count_does_not_grow_with_data(demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        rows = list(Transition.objects.state_on(SEED_DAY).filter(status=Status.GRANTED))
        names = [row.area.name for row in rows]
    assert len(names) == 14


@pytest.mark.django_db
def test_state_on_statuses_are_the_states_then_not_any_earlier_step(demo):
    """`statuses` filters on each capacity's state on the day, like a status filter chained
    after it: a capacity posted once and granted since is not among the posted."""
    days = sorted(set(Transition.objects.values_list("effective_date", flat=True)))
    for day in [*days[:: max(1, len(days) // 40)], SEED_DAY]:
        for statuses in ([Status.POSTED], [Status.GRANTED, Status.AWAITING_DECISION]):
            pushed = Transition.objects.state_on(day, statuses=statuses)
            chained = Transition.objects.state_on(day).filter(status__in=statuses)
            assert sorted(pushed.values_list("pk", flat=True)) == sorted(
                chained.values_list("pk", flat=True)
            ), (day, statuses)
    granted_now = Transition.objects.state_on(SEED_DAY, statuses=[Status.GRANTED])
    posted_before = Transition.objects.filter(
        status=Status.POSTED, capacity__in=granted_now.values("capacity")
    )
    assert posted_before.exists()
    posted_now = Transition.objects.state_on(SEED_DAY, statuses=[Status.POSTED])
    assert not posted_now.filter(capacity__in=posted_before.values("capacity")).exists()
