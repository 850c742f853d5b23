"""Subscribers who ask for it hear when a decided list adds or removes one of their areas (or
an area it is part of), and get an autumn reminder to apply for regional benefits within the
year; through the same queue and double opt-in, once each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.admin.sites import site
from django.core import mail
from django.core.management import call_command
from django.test import Client

from coverage_areas.models import Designation, DesignationRound
from tests import factories
from tests.alerts.conftest import run_queue

pytestmark = pytest.mark.django_db


def decide_in_admin(client: Client, run_hooks, round_: DesignationRound, *, areas, on):
    """An editor decides the round in the admin, with its list, as staff do."""
    seen = round_.history.order_by("-history_id").values_list("history_id", flat=True).first()
    data = {
        "seen_history": seen,
        "change_note": "Besluttet i regionsrådet",
        "kind": round_.kind,
        "first_year": round_.first_year,
        "last_year": round_.last_year,
        "status": "decided",
        "decision_date": on.strftime("%d.%m.%Y"),
        "note": "",
        "designations-TOTAL_FORMS": str(len(areas)),
        "designations-INITIAL_FORMS": "0",
        "designations-MIN_NUM_FORMS": "0",
        "designations-MAX_NUM_FORMS": "1000",
    }
    for index, area in enumerate(areas):
        data[f"designations-{index}-area"] = str(area.pk)
    with run_hooks():
        response = client.post(f"/admin/coverage_areas/designationround/{round_.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.fixture
def year_2024(areas):
    factories.designation_round("regional", 2023, ["Herlev", "Brøndby"])
    return factories.designation_round(
        "regional",
        2024,
        [],
        status=DesignationRound.Status.ANNOUNCED,
        decision_date=dt.date(2024, 1, 8),
    )


def test_a_decided_list_tells_those_who_asked_what_changed_for_their_areas(
    editor_client, run_hooks, subscriber, areas, year_2024
):
    strand = subscriber("strand@praksis.dk", ["broendby-strand"], status_changes="on")
    subscriber("herlev@praksis.dk", ["herlev"], status_changes="on")
    subscriber("ballerup@praksis.dk", ["ballerup"], status_changes="on")
    subscriber("quiet@praksis.dk", ["broendby-strand"])  # did not ask
    assert strand.status_changes is True

    decide_in_admin(
        editor_client,
        run_hooks,
        year_2024,
        areas=[areas["herlev"], areas["ballerup"]],
        on=dt.date(2024, 1, 8),
    )

    told = {m.to[0]: m for m in mail.outbox}
    # Brøndby left the list, which covered Brøndby Strand; Ballerup joined; Herlev stayed.
    assert set(told) == {"strand@praksis.dk", "ballerup@praksis.dk"}
    assert "Removed: Brøndby" in told["strand@praksis.dk"].body.replace("Fjernet:", "Removed:")
    assert "2024" in told["ballerup@praksis.dk"].subject

    # The queue runs again (a retry): nobody is told twice.
    mail.outbox.clear()
    from alerts.status_mail import send_list_notices

    send_list_notices(year_2024.pk, [areas["herlev"].pk, areas["ballerup"].pk], [])
    assert mail.outbox == []


def test_the_autumn_reminder_goes_once_a_year_to_those_who_asked(subscriber, areas):
    factories.designation_round("regional", 2024, ["Herlev"], decision_date=dt.date(2024, 1, 8))
    subscriber("herlev@praksis.dk", ["herlev"], language="en", reminders="on")
    subscriber("ballerup@praksis.dk", ["ballerup"], reminders="on")  # not threatened
    subscriber("quiet@praksis.dk", ["herlev"])  # did not ask

    call_command("send_benefit_reminders", "--on", "2024-10-01")
    run_queue()
    call_command("send_benefit_reminders", "--on", "2024-11-01")
    run_queue()

    assert [m.to for m in mail.outbox] == [["herlev@praksis.dk"]]
    message = mail.outbox[0]
    assert message.subject == "Apply for regional benefits in 2024"
    assert "Herlev" in message.body and "31 December 2024" in message.body
    assert message.extra_headers["List-Unsubscribe"]


def test_a_round_decided_in_the_admin_is_announced_once_committed(
    editor_client, django_capture_on_commit_callbacks, areas, year_2024
):
    from coverage_areas.signals import list_decided

    heard = []

    def listener(sender, **kwargs):
        heard.append(kwargs)

    list_decided.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            decide_in_admin(
                editor_client,
                lambda: django_capture_on_commit_callbacks(execute=False),
                year_2024,
                areas=[areas["herlev"]],
                on=dt.date(2024, 1, 8),
            )
        assert heard == []  # nothing before the commit
        for callback in callbacks:
            callback()
    finally:
        list_decided.disconnect(listener)
    assert [h["round_id"] for h in heard] == [year_2024.pk]
    assert Designation.objects.filter(round=year_2024).count() == 1
    assert site.is_registered(DesignationRound)
