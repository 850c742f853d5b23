"""A pool is bounded to what the region can have and its capacities are made in bulk, each
with its history row (who and why) and its first transition."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from capacities import services
from capacities.models import Action, Capacity, Pool, Status, Transition

pytestmark = pytest.mark.django_db


def test_largest_pool_is_made_in_bulk_not_a_query_round_per_capacity(
    editor, django_assert_max_num_queries
):
    # One by one it took about 8 queries per capacity; in bulk a few batches of inserts.
    with django_assert_max_num_queries(60):
        pool = services.create_pool(
            by=editor,
            name="Pulje 2019",
            created_on=dt.date(2019, 11, 27),
            size=services.MAX_POOL_SIZE,
            criteria="Mere end 75% lukket i tre måneder",
        )

    capacities = Capacity.objects.filter(pool=pool)
    assert capacities.count() == services.MAX_POOL_SIZE
    assert set(capacities.values_list("status", "area")) == {(Status.POOL_RESERVE, None)}
    history = Capacity.history.filter(pool_id=pool.pk)
    assert history.count() == services.MAX_POOL_SIZE
    assert {(h.history_user, h.history_type) for h in history} == {(editor, "+")}
    assert all(h.history_change_reason.endswith(": Pulje 2019") for h in history)
    steps = Transition.objects.filter(capacity__pool=pool, action=Action.CREATE_IN_POOL)
    assert steps.count() == services.MAX_POOL_SIZE
    assert {(s.recorded_by, s.effective_date, s.status) for s in steps} == {
        (editor, dt.date(2019, 11, 27), Status.POOL_RESERVE)
    }
    # The state on a later date (what the memo counts) holds every one of them.
    later = Transition.objects.state_on(dt.date(2024, 1, 1)).filter(capacity__pool=pool)
    assert later.count() == services.MAX_POOL_SIZE


def test_a_pool_beyond_the_bound_is_refused_and_nothing_is_made(editor):
    with pytest.raises(services.TransitionError, match="højst 100"):
        services.create_pool(
            by=editor,
            name="Pulje",
            created_on=dt.date(2019, 11, 27),
            size=3000,
            criteria="x",
        )
    assert not Pool.objects.exists()
    assert not Capacity.objects.exists()


def test_the_admin_refuses_a_pool_of_3000_with_a_message(editor_client):
    response = editor_client.post(
        reverse("admin:capacities_pool_add"),
        {"name": "Stor", "created_on": "27.11.2019", "size": 3000, "criteria": "x"},
    )
    assert response.status_code == 200
    assert "100" in response.content.decode()
    assert not Capacity.objects.exists()
