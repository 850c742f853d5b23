"""Helpers for the alerts tests: a doctor subscribing through the page, and postings made
through the services with their after-commit hooks run."""

from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager

import pytest
from django.core import mail
from django.test import Client

from capacities import services
from capacities.models import Status
from tests import factories

D = dt.date
POSTING_DAY = dt.date(2024, 3, 1)
LINK = re.compile(r"https?://[^\s\"<>]+")


def links(message) -> list[str]:
    return LINK.findall(message.body)


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def run_queue() -> int:
    """Work off the mail queue as `manage.py db_worker` does, in this process and inside the
    test's transaction: each ready task is claimed and run by the worker's own `run_task`
    (only its polling loop, which would close the test's connection, is left out). Tasks
    queued for later (retries) stay queued. Returns how many tasks ran."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    ran = 0
    while (task_result := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
        task_result.claim(worker.worker_id)
        worker.run_task(task_result)
        ran += 1
    return ran


@pytest.fixture
def run_hooks(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks of what happens inside the block, as a real commit would,
    then the mail queue they filled, as the worker would."""

    @contextmanager
    def run():
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            yield callbacks
        run_queue()

    return run


@pytest.fixture
def subscribe(run_hooks):
    """Fill in the subscribe page as a doctor would; returns the response."""

    def do(email: str, areas: list[str] = (), *, language: str = "da", client=None, **extra):
        from coverage_areas.models import PlanningArea

        client = client or Client()
        prefix = "" if language == "da" else f"/{language}"
        ids = [PlanningArea.objects.get(slug=slug).pk for slug in areas]
        with run_hooks():
            return client.post(f"{prefix}/abonnement/", {"email": email, "areas": ids, **extra})

    return do


@pytest.fixture
def confirm_latest(run_hooks):
    """Use the confirmation link of the last mail to the address (GET, then the button)."""

    def do(email: str):
        mails = [m for m in mail.outbox if email.lower() in m.to]
        url = [link for m in mails for link in links(m) if "/bekraeft/" in link][-1]
        client = Client()
        assert client.get(path_of(url)).status_code == 200
        with run_hooks():
            return client.post(path_of(url))

    return do


@pytest.fixture
def subscriber(subscribe, confirm_latest):
    """A confirmed subscription, with the mails of the sign-up cleared from the outbox."""

    def do(email: str, areas: list[str] = (), *, language: str = "da", **extra):
        from alerts.models import Subscription

        subscribe(email, areas, language=language, **extra)
        assert confirm_latest(email).status_code == 200
        mail.outbox.clear()
        return Subscription.objects.get(email=email.lower())

    return do


@pytest.fixture
def post(run_hooks):
    """Post a capacity awaiting posting in the area, through the services, hooks run."""

    def do(area: str = "Herlev", *, capacity=None, on: dt.date = POSTING_DAY, **kwargs):
        capacity = capacity or factories.capacity(Status.AWAITING_POSTING, in_area=area)
        with run_hooks():
            services.post_capacity(capacity, by=factories.staff_user(), on=on, **kwargs)
        return capacity

    return do


@pytest.fixture
def areas(db):
    """Herlev and Ballerup, and Brøndby with its sub-area Brøndby Strand."""
    broendby = factories.area("Brøndby")
    return {
        "herlev": factories.area("Herlev"),
        "ballerup": factories.area("Ballerup"),
        "broendby": broendby,
        "broendby-strand": factories.area("Brøndby Strand", parent=broendby),
    }
