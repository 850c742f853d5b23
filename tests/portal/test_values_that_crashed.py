"""Values in addresses and forms that once answered 500: each now answers 400 or 404 (or a
message), on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from capacities.models import Capacity, Status
from tests import factories

pytestmark = pytest.mark.django_db


def test_designations_year_of_5000_digits_is_a_400():
    response = Client().get("/api/designations.json", {"year": "9" * 5000})
    assert response.status_code == 400
    assert "error" in response.json()


@pytest.mark.parametrize("token", ["abc%00def", "%00", "a" * 65, "æøå", "abc def"])
@pytest.mark.parametrize("page", ["afmeld", "bekraeft"])
def test_a_link_token_that_is_not_ours_is_a_404(client, token, page):
    response = client.get(f"/abonnement/{page}/{token}/")
    assert response.status_code == 404
    response = client.post(f"/abonnement/{page}/{token}/")
    assert response.status_code == 404


def test_one_click_unsubscribe_with_a_nul_byte_is_a_404(client):
    assert client.post("/abonnement/afmeld/abc%00/et-klik/").status_code == 404


@pytest.mark.parametrize("selected", ["abc", "1.5", "", "9" * 50, "9" * 19])
def test_bulk_action_on_a_selection_that_is_not_ids_gives_a_message(editor_client, selected):
    capacity = factories.capacity(Status.AWAITING_DECISION)
    url = reverse("admin:capacities_capacity_changelist")

    response = editor_client.post(
        url, {"action": "bulk_decide_to_post", "_selected_action": [str(capacity.pk), selected]}
    )

    assert response.status_code in (200, 302)
    assert Capacity.objects.get(pk=capacity.pk).status == Status.AWAITING_DECISION
    if response.status_code == 302:
        assert list(get_messages(response.wsgi_request))


@pytest.mark.parametrize("value", [":", "9" * 40, "-1", "1.5"])
def test_an_autocomplete_field_posted_with_junk_is_reported_by_the_form(editor_client, value):
    # Found by the junk suite: the autocomplete widget looked the raw value up again.
    pool = factories.pool(size=1)
    response = editor_client.post(
        reverse("admin:capacities_poolcriteriarevision_add"),
        {
            "pool": pool.pk,
            "effective_from": "01.01.2024",
            "text": "Ny regel",
            "threshold_percent": 75,
            "months": 3,
            "decision": value,
        },
    )
    assert response.status_code == 200
    assert 'class="errornote"' in response.content.decode()
