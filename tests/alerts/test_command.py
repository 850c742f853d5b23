"""send_posting_alerts sends what a failed mail server held back, and nothing twice."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from tests.alerts.test_subscriptions import FailingBackend

pytestmark = pytest.mark.django_db


def _run() -> str:
    out = StringIO()
    call_command("send_posting_alerts", stdout=out)
    return out.getvalue()


def test_the_command_sends_the_held_back_alerts_once(subscriber, post, settings, areas):
    subscriber("doctor@example.dk", ["herlev"])
    settings.EMAIL_BACKEND = f"{FailingBackend.__module__}.FailingBackend"
    post("Herlev")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert mail.outbox == []

    assert _run() == "1 alert(s) sent for 1 open posting(s).\n"
    assert len(mail.outbox) == 1
    assert _run() == "0 alert(s) sent for 1 open posting(s).\n"
    assert len(mail.outbox) == 1


def test_the_command_does_not_mail_old_postings_to_new_subscribers(subscriber, post, areas):
    post("Herlev")
    subscriber("late@example.dk")
    assert _run() == "0 alert(s) sent for 1 open posting(s).\n"
    assert mail.outbox == []
