"""Staff see subscriptions, to answer a doctor's question; nobody but a superuser changes or
deletes one, and there is no export."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from alerts.models import Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscription(areas):
    subscription = Subscription.objects.create(email="doctor@example.dk")
    subscription.areas.set([areas["herlev"]])
    return subscription


def test_both_staff_groups_may_view_subscriptions_only(db):
    for name in ("Kapacitetsredaktør", "Udvalgssekretær"):
        codenames = set(
            Group.objects.get(name=name)
            .permissions.filter(content_type__app_label="alerts")
            .values_list("codename", flat=True)
        )
        assert codenames == {"view_subscription"}, name


@pytest.mark.parametrize("who", ["editor_client", "secretary_client"])
def test_staff_see_the_list_and_a_subscription_but_change_nothing(
    who, request, subscription, django_assert_max_num_queries
):
    client = request.getfixturevalue(who)
    changelist = reverse("admin:alerts_subscription_changelist")
    change = reverse("admin:alerts_subscription_change", args=[subscription.pk])

    response = client.get(changelist)
    assert response.status_code == 200
    page = response.content.decode()
    assert "doctor@example.dk" in page and "Herlev" in page
    assert 'name="action"' not in page  # no bulk actions, so no export

    detail = client.get(change)
    assert detail.status_code == 200
    assert 'type="submit"' not in detail.content.decode().split('id="content-main"')[1]

    assert client.get(reverse("admin:alerts_subscription_add")).status_code == 403
    client.post(change, {"email": "someone.else@example.dk", "language": "en"})
    deleted = client.post(
        reverse("admin:alerts_subscription_delete", args=[subscription.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 403
    subscription.refresh_from_db()
    assert subscription.email == "doctor@example.dk"


def test_the_list_query_count_does_not_grow(editor_client, areas, django_assert_max_num_queries):
    url = reverse("admin:alerts_subscription_changelist")
    for number in range(3):
        Subscription.objects.create(email=f"a{number}@example.dk").areas.set(areas.values())
    editor_client.get(url)
    with django_assert_max_num_queries(12) as few:
        editor_client.get(url)
    for number in range(10):
        Subscription.objects.create(email=f"b{number}@example.dk").areas.set(areas.values())
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert editor_client.get(url).status_code == 200


def test_outsiders_and_anonymous_visitors_see_nothing(outsider, client, subscription):
    url = reverse("admin:alerts_subscription_changelist")
    assert client.get(url).status_code == 302
    client.force_login(outsider)
    assert client.get(url).status_code == 302


def test_a_superuser_may_delete_a_subscription_on_request(superuser_client, subscription):
    url = reverse("admin:alerts_subscription_delete", args=[subscription.pk])
    assert superuser_client.post(url, {"post": "yes"}).status_code == 302
    assert not Subscription.objects.exists()
