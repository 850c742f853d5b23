"""Pipeline figures from the transition log, checked against hand-counted histories."""

import datetime as dt

import pytest

from capacities import services
from capacities.models import Capacity, Status, Transition
from capacities.pipeline import Duration, figures
from tests import factories
from tests.portal.sizes import bulk_capacities

D = dt.date
RETIREMENT = Capacity.ReturnReason.RETIREMENT
RELOCATION = Capacity.ReturnReason.RELOCATION
CLOSURE = Capacity.ReturnReason.MERGER_CLOSURE

pytestmark = pytest.mark.django_db


def _regular(area: str):
    return services.register_capacity(
        by=factories.staff_user(), on=D(2010, 1, 1), area=factories.area(area)
    )


@pytest.fixture
def stories():
    """Four capacities whose durations are counted by hand below.

    A (Herlev): returned 1.3.2022, decided 11.3 (10 days), posted 1.4 (21), granted 1.6 (61),
       established 1.12.2022 (183); return to establishment 275 days.
    B (Gladsaxe → Herlev): returned 1.5.2022, redistributed to Herlev 21.5 (20), posted 20.6
       (30), granted 20.7 (30), the grant lapsed 1.9 back to posted, granted again 1.10,
       established 1.3.2023: grant to establishment counts from the first grant, 224 days;
       return to establishment 304.
    C (Herlev): returned 1.11.2022, posted 1.12 without a separate decision (decision 30 days,
       decision to posting 0), still posted: open.
    D (Gladsaxe): returned 31.12.2021, recorded now (years later): counts in 2021, and is
       still awaiting a decision.
    """
    by = factories.staff_user()
    a = _regular("Herlev")
    services.return_capacity(a, by=by, on=D(2022, 3, 1), reason=RETIREMENT)
    services.decide_to_post(a, by=by, on=D(2022, 3, 11), reason="Behov")
    services.post_capacity(a, by=by, on=D(2022, 4, 1))
    services.grant_capacity(
        a, by=by, on=D(2022, 6, 1), grantee="Anne Holm", establishment_deadline=D(2023, 1, 1)
    )
    services.establish_capacity(a, by=by, on=D(2022, 12, 1))

    b = _regular("Gladsaxe")
    services.return_capacity(b, by=by, on=D(2022, 5, 1), reason=RELOCATION)
    services.redistribute_capacity(
        b, by=by, on=D(2022, 5, 21), to_area=factories.area("Herlev"), reason="Større behov"
    )
    services.post_capacity(b, by=by, on=D(2022, 6, 20))
    services.grant_capacity(
        b, by=by, on=D(2022, 7, 20), grantee="Peter Lund", establishment_deadline=D(2023, 6, 1)
    )
    services.lapse_grant(b, by=by, on=D(2022, 9, 1), reason="Trak sig", to_status=Status.POSTED)
    services.grant_capacity(
        b, by=by, on=D(2022, 10, 1), grantee="Mette Kjær", establishment_deadline=D(2023, 6, 1)
    )
    services.establish_capacity(b, by=by, on=D(2023, 3, 1))

    c = _regular("Herlev")
    services.return_capacity(c, by=by, on=D(2022, 11, 1), reason=CLOSURE)
    services.post_capacity(c, by=by, on=D(2022, 12, 1))

    d = _regular("Gladsaxe")
    services.return_capacity(d, by=by, on=D(2021, 12, 31), reason=RETIREMENT)
    return {"a": a, "b": b, "c": c, "d": d}


def test_steps_count_on_their_effective_dates_by_year(stories):
    pipeline = figures(D(2021, 1, 1), D(2023, 12, 31))
    late = Transition.objects.get(capacity=stories["d"], action="return")
    assert late.recorded_at.year > 2021  # recorded long after it took effect
    steps = {year: f.steps for year, f in pipeline.by_year.items()}
    assert steps[2021]["return"] == 1
    assert steps[2022] | {} == {
        "return": 3,
        "decide": 2,
        "decide_to_post": 1,
        "redistribute": 1,
        "allocate": 0,
        "post": 3,
        "withdraw": 0,
        "grant": 3,
        "lapse": 1,
        "establish": 1,
    }
    assert steps[2023]["establish"] == 1
    assert sum(steps[2023].values()) == 1
    assert pipeline.by_year[2022].returns_by_reason == {
        "retirement": 1,
        "relocation": 1,
        "merger_closure": 1,
    }
    assert pipeline.total.returns_by_reason == {
        "retirement": 2,
        "relocation": 1,
        "merger_closure": 1,
    }


def test_durations_have_hand_counted_medians_and_open_counts(stories):
    durations = figures(D(2021, 1, 1), D(2023, 12, 31)).total.durations
    # Decision: A 10, B 20 (the redistribution), C 30 (posted without a separate decision).
    assert durations["return_to_decision"] == Duration(median=20, p90=30, count=3, open=1)
    assert durations["decision_to_post"] == Duration(median=21, p90=30, count=3, open=0)
    # Posting to grant: A 61, B 30 (first posting to first grant); C still posted.
    assert durations["post_to_grant"] == Duration(median=45.5, p90=61, count=2, open=1)
    assert durations["grant_to_establish"] == Duration(median=203.5, p90=224, count=2, open=0)
    assert durations["return_to_post"] == Duration(median=31, p90=50, count=3, open=1)
    # D (awaiting a decision) and C (posted) are open.
    assert durations["return_to_establish"] == Duration(median=289.5, p90=304, count=2, open=2)


def test_a_duration_counts_in_the_year_and_area_it_ends(stories):
    pipeline = figures(D(2021, 1, 1), D(2023, 12, 31))
    assert pipeline.by_year[2022].durations["return_to_establish"] == Duration(
        median=275, p90=275, count=1, open=3
    )
    assert pipeline.by_year[2023].durations["return_to_establish"] == Duration(
        median=304, p90=304, count=1, open=2
    )
    by_area = {ref.name: f for ref, f in pipeline.by_area}
    assert list(by_area) == ["Gladsaxe", "Herlev"]
    # B's return and redistribution count in Gladsaxe, which it left; its establishment in
    # Herlev, where the new doctor practises.
    assert by_area["Gladsaxe"].steps["return"] == 2
    assert by_area["Gladsaxe"].steps["redistribute"] == 1
    assert by_area["Herlev"].steps["return"] == 2
    assert by_area["Herlev"].durations["return_to_establish"].count == 2
    assert by_area["Gladsaxe"].durations["return_to_establish"] == Duration(
        median=None, p90=None, count=0, open=1
    )


def test_a_period_that_begins_mid_episode_reads_the_episode_from_its_start(stories):
    # Only 2023: B's establishment ends a 304-day episode that began in 2022; C and D are open.
    pipeline = figures(D(2023, 1, 1), D(2023, 12, 31))
    assert pipeline.total.steps["establish"] == 1
    assert pipeline.total.steps["return"] == 0
    assert pipeline.total.durations["return_to_establish"] == Duration(
        median=304, p90=304, count=1, open=2
    )
    assert pipeline.total.durations["grant_to_establish"] == Duration(
        median=224, p90=224, count=1, open=0
    )


def test_the_area_filter_narrows_steps_and_durations(stories):
    herlev = factories.area("Herlev")
    pipeline = figures(D(2021, 1, 1), D(2023, 12, 31), areas=[herlev.pk])
    assert pipeline.total.steps["return"] == 2
    assert pipeline.total.steps["redistribute"] == 0
    assert pipeline.total.durations["return_to_establish"].count == 2
    assert [ref.name for ref, _f in pipeline.by_area] == ["Herlev"]


def test_the_open_data_shape_has_exactly_the_published_keys(stories):
    data = figures(D(2022, 1, 1), D(2022, 12, 31)).as_json()
    assert data == {
        "from": "2022-01-01",
        "to": "2022-12-31",
        "steps": {"return": 3, "decide": 2, "post": 3, "grant": 3, "lapse": 1, "establish": 1},
        "returns_by_reason": {"retirement": 1, "relocation": 1, "merger_closure": 1},
        "durations_days": {
            "return_to_post": {"median": 31, "p90": 50, "count": 3, "open": 1},
            "post_to_grant": {"median": 45.5, "p90": 61, "count": 2, "open": 1},
            "grant_to_establish": {"median": 183, "p90": 183, "count": 1, "open": 1},
            "return_to_establish": {"median": 275, "p90": 275, "count": 1, "open": 3},
        },
    }


def test_demo_figures_match_a_hand_count_of_its_stories(demo):
    """fixtures/capacities.json: six pool capacities allocated 1.3, posted 15.3, granted 1.6
    and established 1.11 of 2020, 2021 and 2022; fourteen regular capacities returned
    31.12.2023, decided 22.1.2024, posted 1.2 and granted 15.4.2024; Høje-Taastrup returned
    31.3 (relocation), decided 15.4, posted 1.5.2024; Rødovre returned 30.6, decided 15.7,
    posted 1.8.2024; Frederikssund returned 30.9.2024; Herlev's pool capacity allocated
    1.10.2024."""
    pipeline = figures(D(2020, 1, 1), D(2024, 12, 31))
    for year in (2020, 2021, 2022):
        steps = pipeline.by_year[year].steps
        assert (steps["allocate"], steps["post"], steps["grant"], steps["establish"]) == (
            2,
            2,
            2,
            2,
        )
    assert pipeline.by_year[2023].steps["return"] == 14
    y2024 = pipeline.by_year[2024].steps
    assert (y2024["return"], y2024["decide"], y2024["post"], y2024["grant"]) == (3, 17, 16, 14)
    assert pipeline.total.returns_by_reason == {"retirement": 16, "relocation": 1}
    total = pipeline.total.durations
    assert total["return_to_decision"] == Duration(median=22, p90=22, count=16, open=1)
    assert total["decision_to_post"] == Duration(median=10, p90=14, count=22, open=1)
    assert total["post_to_grant"] == Duration(median=74, p90=78, count=20, open=2)
    assert total["grant_to_establish"] == Duration(median=153, p90=153, count=6, open=14)
    assert total["return_to_post"] == Duration(median=32, p90=32, count=16, open=1)
    assert total["return_to_establish"] == Duration(median=None, p90=None, count=0, open=17)
    pool = pipeline.by_origin["pool"]
    assert (pool.steps["return"], pool.steps["decide"], pool.steps["establish"]) == (0, 7, 6)


def test_query_count_does_not_grow_with_the_log(stories, django_assert_num_queries):
    with django_assert_num_queries(1):
        small = figures(D(2021, 1, 1), D(2024, 12, 31))
    bulk_capacities(300)
    with django_assert_num_queries(1):
        large = figures(D(2021, 1, 1), D(2024, 12, 31))
    assert large.total.steps["post"] == small.total.steps["post"] + 200
    assert large.total.steps["grant"] == small.total.steps["grant"] + 100


def test_a_period_ending_before_it_begins_is_refused():
    with pytest.raises(ValueError):
        figures(D(2024, 2, 1), D(2024, 1, 1))
