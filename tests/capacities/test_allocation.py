"""Allocating a pool capacity in the admin cites the pool rule: the verdict for the chosen area
and date is shown and stored with the transition, and an area the figures rule out needs an
explicit reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from capacities import services
from capacities.models import Action, Status
from shortage.models import IntakeClosure
from tests import factories

D = dt.date


@pytest.fixture
def reserve(db):
    return factories.pool(size=1).capacities.get()


def url(capacity) -> str:
    return reverse("admin:capacities_capacity_transition", args=[capacity.pk, Action.ALLOCATE])


def figures(area, closed_by_month: dict[int, int], total: int = 16) -> None:
    for month, closed in closed_by_month.items():
        IntakeClosure.objects.create(area=area, month=D(2024, month, 1), closed=closed, total=total)


def allocate(client, capacity, area, **extra):
    data = {"on": "24.10.2024", "area": area.pk, "reason": "Akut mangel", "version": 1}
    return client.post(url(capacity), {**data, **extra})


def test_allocating_to_an_eligible_area_stores_the_verdict(editor_client, reserve, areas):
    figures(areas["herlev"], {9: 13, 8: 14, 7: 13})

    response = allocate(editor_client, reserve, areas["herlev"])

    assert response.status_code == 302
    reserve.refresh_from_db()
    assert (reserve.status, reserve.area) == (Status.AWAITING_POSTING, areas["herlev"])
    stored = reserve.transitions.last().details["eligibility"]
    assert stored["eligible"] is True
    assert stored["on"] == "2024-10-24"
    assert stored["criteria"]["threshold_percent"] == 75
    assert [m["month"] for m in stored["months"]] == ["2024-09", "2024-08", "2024-07"]
    assert "override_reason" not in stored


def test_an_ineligible_area_needs_a_reason_despite_the_verdict(editor_client, reserve, areas):
    figures(areas["taarnby"], {9: 13, 8: 10, 7: 13})

    refused = allocate(editor_client, reserve, areas["taarnby"])

    assert refused.status_code == 200
    assert refused.context["form"].errors["override_reason"]
    page = refused.content.decode()
    assert 'id="verdict"' in page and "2024-08" in page
    reserve.refresh_from_db()
    assert reserve.status == Status.POOL_RESERVE

    done = allocate(
        editor_client, reserve, areas["taarnby"], override_reason="Udvalget besluttede det"
    )
    assert done.status_code == 302
    stored = reserve.transitions.last().details["eligibility"]
    assert (stored["eligible"], stored["verdict"]) == (False, "not_eligible")
    assert stored["above_threshold_months"] == 2
    assert stored["override_reason"] == "Udvalget besluttede det"


def test_a_capacity_on_the_way_rules_the_area_out(editor_client, reserve, areas):
    figures(areas["herlev"], {9: 13, 8: 14, 7: 13})
    factories.capacity(Status.POSTED, in_area="Herlev")
    response = allocate(editor_client, reserve, areas["herlev"])
    assert response.status_code == 200
    assert response.context["verdict"].on_the_way == 1
    assert response.context["form"].errors["override_reason"]


def test_show_the_verdict_saves_nothing(editor_client, reserve, areas):
    figures(areas["herlev"], {9: 13, 8: 14, 7: 13})
    response = allocate(editor_client, reserve, areas["herlev"], _check="1")
    assert response.status_code == 200
    assert response.context["verdict"].eligible
    assert 'id="verdict"' in response.content.decode()
    reserve.refresh_from_db()
    assert reserve.status == Status.POOL_RESERVE


def test_missing_figures_need_a_reason_and_are_stored_with_it(editor_client, reserve, areas):
    figures(areas["herlev"], {9: 13})
    refused = allocate(editor_client, reserve, areas["herlev"])
    assert refused.status_code == 200
    reserve.refresh_from_db()
    assert reserve.status == Status.POOL_RESERVE

    response = allocate(
        editor_client, reserve, areas["herlev"], override_reason="Tal for juli-august på vej"
    )
    assert response.status_code == 302
    stored = reserve.transitions.last().details["eligibility"]
    assert stored["verdict"] == "missing_data"
    assert stored["missing_months"] == ["2024-08", "2024-07"]
    assert stored["override_reason"] == "Tal for juli-august på vej"


def test_a_secretary_cannot_allocate(secretary_client, reserve, areas):
    assert allocate(secretary_client, reserve, areas["herlev"]).status_code == 403
    reserve.refresh_from_db()
    assert reserve.status == Status.POOL_RESERVE


def test_the_service_itself_refuses_an_area_the_rule_rules_out(editor, reserve, areas):

    figures(areas["herlev"], {9: 2, 8: 14, 7: 13})  # September below 75%
    history = reserve.history.count()

    with pytest.raises(services.TransitionError) as refused:
        services.allocate_pool_capacity(
            reserve, by=editor, on=D(2024, 10, 24), area=areas["herlev"], reason="Akut mangel"
        )

    assert refused.value.code == "not_eligible"
    reserve.refresh_from_db()
    assert (reserve.status, reserve.area, reserve.history.count()) == (
        Status.POOL_RESERVE,
        None,
        history,
    )
    assert not reserve.transitions.filter(action=Action.ALLOCATE).exists()


def test_the_service_stores_the_verdict_and_the_reason_given_despite_it(editor, reserve, areas):

    services.allocate_pool_capacity(
        reserve,
        by=editor,
        on=D(2024, 10, 24),
        area=areas["taarnby"],
        reason="Akut mangel",
        override_reason="Tallene for sommeren kommer senere",
    )

    stored = reserve.transitions.get(action=Action.ALLOCATE).details["eligibility"]
    assert (stored["verdict"], stored["override_reason"]) == (
        "missing_data",
        "Tallene for sommeren kommer senere",
    )
