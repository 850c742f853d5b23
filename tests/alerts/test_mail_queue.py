"""Mail leaves through the task queue, never inside the request, and reaches a real SMTP
server on loopback: every subscriber exactly once, also when the server refuses for a while
or is down, and recovers."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alerts.models import AlertDelivery, Subscription
from capacities import services
from capacities.models import Status
from tests import factories
from tests.alerts.conftest import POSTING_DAY, links, path_of, run_queue
from tests.alerts.smtp import SmtpServer

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SUBSCRIBERS = 25


@pytest.fixture
def smtp(settings):
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.PORTAL_BASE_URL = "https://kapacitet.example.dk"
    yield server
    server.stop()


@pytest.fixture
def subscribers(db):
    factories.area("Herlev")
    confirmed = timezone.now() - dt.timedelta(days=30)
    return [
        Subscription.objects.create(email=f"doctor{n:03}@example.dk", confirmed_at=confirmed)
        for n in range(SUBSCRIBERS)
    ]


def _post(django_capture_on_commit_callbacks):
    capacity = factories.capacity(Status.AWAITING_POSTING, in_area="Herlev")
    # The editor's request: the transition and its after-commit hook, nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        services.post_capacity(capacity, by=factories.staff_user(), on=POSTING_DAY)
    return capacity


def _everyone() -> list[str]:
    return sorted(s.email for s in Subscription.objects.all())


def test_posting_only_queues_and_the_worker_mails_every_subscriber_once(
    smtp, subscribers, django_capture_on_commit_callbacks
):
    capacity = _post(django_capture_on_commit_callbacks)

    assert smtp.inbox.messages == []  # nothing was sent inside the request
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    run_queue()

    assert smtp.inbox.recipients() == _everyone()
    assert AlertDelivery.objects.filter(capacity=capacity).count() == SUBSCRIBERS
    assert all("Herlev" in message["Subject"] for message in smtp.inbox.messages)

    run_queue()  # nothing left to do
    assert len(smtp.inbox.messages) == SUBSCRIBERS


def test_a_server_that_refuses_midway_gets_the_rest_later_and_nobody_twice(
    smtp, subscribers, settings, django_capture_on_commit_callbacks
):
    settings.MAIL_RETRY_SECONDS = [1, 1]
    smtp.inbox.accept = 10
    _post(django_capture_on_commit_callbacks)

    run_queue()

    assert len(smtp.inbox.messages) == 10
    assert smtp.inbox.refused == SUBSCRIBERS - 10
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after > timezone.now() - dt.timedelta(seconds=1)

    smtp.inbox.accept = None  # the server recovers
    time.sleep(1.2)
    run_queue()

    assert Counter(smtp.inbox.recipients()) == Counter(_everyone())
    assert set(Counter(smtp.inbox.recipients()).values()) == {1}


def test_a_server_that_is_down_gets_everything_once_it_is_back(
    smtp, subscribers, settings, django_capture_on_commit_callbacks, caplog
):
    settings.MAIL_RETRY_SECONDS = [1, 1]
    smtp.stop()
    capacity = _post(django_capture_on_commit_callbacks)

    run_queue()

    capacity.refresh_from_db()
    assert capacity.status == Status.POSTED
    assert not AlertDelivery.objects.exists()
    assert "mail server unavailable" in caplog.text

    smtp.start()
    time.sleep(1.2)
    run_queue()

    assert smtp.inbox.recipients() == _everyone()


def test_after_the_last_retry_the_alert_is_logged_as_given_up(
    smtp, subscribers, settings, django_capture_on_commit_callbacks, caplog
):
    settings.MAIL_RETRY_SECONDS = []
    smtp.inbox.accept = 0
    _post(django_capture_on_commit_callbacks)

    run_queue()

    assert smtp.inbox.messages == []
    assert "mail given up" in caplog.text
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_the_confirmation_mail_is_queued_and_links_to_the_portal_not_the_request_host(
    smtp, django_capture_on_commit_callbacks
):
    factories.area("Herlev")
    client = Client(HTTP_HOST="localhost:8000")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/abonnement/", {"email": "ny@example.dk"})
    assert response.status_code == 302
    assert smtp.inbox.messages == []

    run_queue()

    (message,) = smtp.inbox.messages
    body = message.get_payload()[0].get_payload(decode=True).decode()
    (url,) = [link for link in _links(body) if "/bekraeft/" in link]
    assert url.startswith("https://kapacitet.example.dk/abonnement/bekraeft/")
    assert Client().post(path_of(url)).status_code == 200
    assert Subscription.objects.get().confirmed_at is not None


def _links(text: str) -> list[str]:
    class Message:
        body = text

    return links(Message)


def test_a_refused_confirmation_mail_is_sent_again_later_with_a_working_link(
    smtp, settings, django_capture_on_commit_callbacks
):
    settings.MAIL_RETRY_SECONDS = [1]
    smtp.inbox.accept = 0
    factories.area("Herlev")
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/abonnement/", {"email": "ny@example.dk"})
    run_queue()
    assert smtp.inbox.refused == 1

    smtp.inbox.accept = None
    time.sleep(1.2)
    run_queue()

    (message,) = smtp.inbox.messages
    body = message.get_payload()[0].get_payload(decode=True).decode()
    (url,) = [link for link in _links(body) if "/bekraeft/" in link]
    assert Client().post(path_of(url)).status_code == 200


def test_the_worker_command_sends_queued_mail_as_a_separate_process(smtp, tmp_path):
    """`manage.py db_worker`, as make run, compose and production start it, in a process of
    its own with its own database, against the SMTP server."""
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        "EMAIL_URL": f"smtp+plain://127.0.0.1:{smtp.port}",
        "PORTAL_BASE_URL": "https://kapacitet.example.dk",
    }

    def manage(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )

    manage("migrate", "--noinput", "-v", "0")
    manage(
        "shell",
        "-c",
        "from alerts import services; "
        "services.request_subscription(email='proces@example.dk', areas=[], language='da', "
        "client='127.0.0.1')",
    )
    assert smtp.inbox.messages == []

    manage("db_worker", "--batch", "--no-startup-delay", "--no-reload")

    (message,) = smtp.inbox.messages
    assert message["To"] == "proces@example.dk"
