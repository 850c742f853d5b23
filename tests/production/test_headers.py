"""Headers from the outside world: unknown hosts, odd X-Forwarded-For values behind the
proxy, and mail links that must not follow whatever Host a request came with."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from tests import factories
from tests.alerts.conftest import run_queue

ADMIN_LOGIN = "/admin/login/"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/opslag/", "/api/postings.json", ADMIN_LOGIN, "/nope/"])
def test_a_host_not_in_allowed_hosts_gets_400_not_500(path):
    response = Client().get(path, HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    assert "evil.example.com" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("forwarded", "stored"),
    [
        ("1.2.3.4:5678", "1.2.3.4"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("2001:db8::2", "2001:db8::2"),
        ("not-an-ip", "10.0.0.2"),
        ("1.1.1.1, <script>", "10.0.0.2"),
        ("999.1.1.1", "10.0.0.2"),
    ],
)
def test_odd_forwarded_addresses_never_break_a_login(settings, editor, forwarded, stored):
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXY_COUNT = 1
    response = Client(REMOTE_ADDR="10.0.0.2").post(
        ADMIN_LOGIN,
        {"username": "editor", "password": "wrong-password", "next": "/admin/"},
        headers={"X-Forwarded-For": forwarded},
    )
    assert response.status_code == 200  # the form again, with its error
    assert AccessAttempt.objects.get().ip_address == stored


@pytest.mark.django_db
def test_confirmation_links_follow_portal_base_url_not_the_request_host(
    settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_BASE_URL = "https://kapacitet.example.dk"
    herlev = factories.area("Herlev")
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            "/abonnement/",
            {"email": "laege@example.dk", "areas": [herlev.pk]},
            HTTP_HOST="localhost:8443",
        )
    assert response.status_code in (200, 302)
    run_queue()  # the confirmation mail leaves through the mail queue, as the worker sends it
    (message,) = mail.outbox
    assert "https://kapacitet.example.dk/abonnement/" in message.body
    assert "localhost" not in message.body


def test_the_task_queues_own_admin_is_not_offered(superuser_client):
    # django-tasks-db registers an admin of task results that answers 500 to junk on
    # PostgreSQL (a NUL byte in its search); failures are logged, staff do not need it.
    response = superuser_client.get("/admin/django_tasks_database/dbtaskresult/?q=a%00b")
    assert response.status_code == 404
