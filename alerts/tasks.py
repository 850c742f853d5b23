"""The mail the portal sends, as tasks on the queue (django-tasks with its database backend;
on Django 6 the same code runs on `django.tasks`). `python manage.py db_worker` works them
off: `make run` starts it beside the development server, compose runs it as the `worker`
service.

A send that fails (the mail server down, refusing, or timing out) is tried again after each
delay of `settings.MAIL_RETRY_SECONDS` (1 min, 5 min, 30 min, 2 h, 6 h by default); after the
last one it is logged as given up, and `send_posting_alerts` can still catch up by hand.
Retries never mail anybody twice: alerts keep a unique record per subscriber and posting.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone

try:  # Django 6 has the tasks framework built in; 5.2 runs the backport.
    from django.tasks import task
except ImportError:  # pragma: no cover - depends on the Django version
    from django_tasks import task

from alerts.mail import send_alerts, send_confirmation
from alerts.status_mail import send_list_notices, send_reminders

log = logging.getLogger("alerts")


def _retry(queued, attempt: int, *args) -> bool:
    """Queue the task again after the delay for this attempt; False when attempts ran out."""
    delays = settings.MAIL_RETRY_SECONDS
    if attempt > len(delays):
        log.error(
            "mail given up",
            extra={"fields": {"event": "mail_given_up", "task": queued.name, "args": list(args)}},
        )
        return False
    run_after = timezone.now() + dt.timedelta(seconds=delays[attempt - 1])
    queued.using(run_after=run_after).enqueue(*args, attempt=attempt + 1)
    return True


@task()
def announce_posting(capacity_id: int, attempt: int = 1) -> dict:
    """Mail a new posting to its subscribers; the refused ones again later."""
    outcome = send_alerts(capacity_id)
    retried = bool(outcome.failed) and _retry(announce_posting, attempt, capacity_id)
    return {"sent": outcome.sent, "failed": outcome.failed, "retried": retried}


@task()
def send_confirmation_mail(subscription_id: int, attempt: int = 1) -> dict:
    """Mail the confirmation link of a subscription's pending request; again later if the
    mail server refused it."""
    if send_confirmation(subscription_id):
        return {"sent": True}
    return {"sent": False, "retried": _retry(send_confirmation_mail, attempt, subscription_id)}


@task()
def announce_list(round_id: int, joined: list[int], left: list[int], attempt: int = 1) -> dict:
    """Tell subscribers who asked that a decided list adds or removes one of their areas."""
    outcome = send_list_notices(round_id, joined, left)
    retried = bool(outcome.failed) and _retry(announce_list, attempt, round_id, joined, left)
    return {"sent": outcome.sent, "failed": outcome.failed, "retried": retried}


@task()
def remind_of_benefits(on: str, attempt: int = 1) -> dict:
    """The autumn reminder for the year of `on` (ISO date)."""
    outcome = send_reminders(dt.date.fromisoformat(on))
    retried = bool(outcome.failed) and _retry(remind_of_benefits, attempt, on)
    return {"sent": outcome.sent, "failed": outcome.failed, "retried": retried}
