"""The mails: the confirmation link, and one alert per subscriber per new posting.

Neither is sent inside a request: the request (or the posting's commit) puts a task on the
queue (alerts.tasks) and the worker sends it, trying again later when the mail server fails.
Mail goes through Django's email backend (the console in development, SMTP configured by the
environment in production). Links in mails are absolute: from the setting `PORTAL_BASE_URL`
(e.g. `https://kapacitet.example.dk`) when set; mails the worker sends have no request, so
without it the first of `ALLOWED_HOSTS` is used.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from alerts.models import AlertDelivery, Subscription, new_token, token_hash
from capacities.models import Action, Capacity, Status, Transition
from coverage_areas.models import RegionProfile

log = logging.getLogger("alerts")

# The steps that publish a capacity: each starts a new posting to announce.
POSTING_ACTIONS = (Action.POST, Action.LAPSE_GRANT)


def site_url(request: HttpRequest | None = None) -> str:
    """Scheme and host for links in mails, without a trailing slash. PORTAL_BASE_URL first:
    a request may have come through another name or port than the one doctors use."""
    configured = settings.PORTAL_BASE_URL
    if configured:
        return configured.rstrip("/")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    hosts = [host for host in settings.ALLOWED_HOSTS if host and "*" not in host]
    host = hosts[0].lstrip(".") if hosts else "localhost:8000"
    return f"{'http' if settings.DEBUG else 'https'}://{host}"


def _render(template: str, context: dict) -> tuple[str, str, str]:
    subject = render_to_string(f"alerts/mail/{template}_subject.txt", context)
    text = render_to_string(f"alerts/mail/{template}.txt", context)
    html = render_to_string(f"alerts/mail/{template}.html", context)
    return " ".join(subject.split()), text, html


def _message(
    subscription: Subscription,
    template: str,
    context: dict,
    *,
    language: str,
    base: str,
    connection=None,
) -> EmailMultiAlternatives:
    with translation.override(language):
        unsubscribe = base + reverse("alerts:unsubscribe", args=[subscription.token])
        one_click = base + reverse("alerts:one_click_unsubscribe", args=[subscription.token])
        context = {
            **context,
            "subscription": subscription,
            "region": RegionProfile.current(),
            "language": language,
            "base": base,
            "unsubscribe_url": unsubscribe,
        }
        subject, text, html = _render(template, context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[subscription.email],
        connection=connection,
        # RFC 2369 and RFC 8058: mail programs show an unsubscribe button that POSTs to the
        # one-click address, without opening a page.
        headers={
            "List-Unsubscribe": f"<{one_click}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def send_confirmation(subscription_id: int) -> bool:
    """The double opt-in mail for the subscription's pending request, in the language of the
    page the doctor used. The link's token is made here, in the worker, and stored only as
    its hash: it never sits in clear in the queue. A retry makes a new one (the failed mail
    never arrived). True when sent or when there is nothing left to send; False on failure."""
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(pk=subscription_id).first()
        if subscription is None or not subscription.confirmation_is_valid():
            return True  # unsubscribed, confirmed or expired meanwhile: nothing to send
        token = new_token()
        subscription.confirm_token_hash = token_hash(token)
        subscription.save(update_fields=["confirm_token_hash"])
    language = subscription.pending_language or subscription.language
    base = site_url()
    with translation.override(language):
        confirm_url = base + reverse("alerts:confirm", args=[token])
        areas = list(subscription.pending_areas.order_by("name"))
    message = _message(
        subscription,
        "confirm",
        {"confirm_url": confirm_url, "areas": areas},
        language=language,
        base=base,
    )
    try:
        message.send()
    except Exception:
        log.exception(
            "confirmation mail failed",
            extra={"fields": {"event": "alert_confirm", "subscription": subscription_id}},
        )
        return False
    return True


def current_posting(capacity: Capacity) -> Transition | None:
    """The transition that published the capacity's current posting."""
    if capacity.status != Status.POSTED:
        return None
    return (
        capacity.transitions.filter(status=Status.POSTED, action__in=POSTING_ACTIONS)
        .order_by("-effective_date", "-id")
        .first()
    )


def on_posting_opened(sender, *, capacity_id: int, **kwargs) -> None:
    notify_new_posting(capacity_id)


def notify_new_posting(capacity_id: int) -> None:
    """What happens when a posting opens: its alerts are put on the queue (alerts.tasks),
    and the worker mails them. Runs when the register announces a posting
    (capacities.signals.posting_opened, after commit), so the editor's request takes one
    insert however many doctors subscribe. Never raises: the transition has been committed,
    and `send_posting_alerts` catches up on anything missed."""
    from alerts.tasks import announce_posting

    try:
        announce_posting.enqueue(capacity_id)
    except Exception:
        log.exception(
            "posting alerts not queued",
            extra={"fields": {"event": "alert_failed", "capacity": capacity_id}},
        )


@dataclass(frozen=True)
class Outcome:
    sent: int = 0
    failed: int = 0


def open_connection(fields: dict):
    """One open connection to the mail server for a batch, or None (logged) when it is
    unavailable: the batch is then retried as a whole."""
    try:
        connection = get_connection()
        connection.open()
    except Exception:
        log.exception("mail server unavailable", extra={"fields": fields})
        return None
    return connection


def send_alerts(capacity_id: int) -> Outcome:
    """Mail every confirmed subscriber whose areas include the posted capacity's area, once.

    Safe to run again, and at the same time: a subscriber already mailed about this posting
    is skipped (the unique record), and a failed mail leaves no record, so running it again
    retries just those. `failed` counts the mails the server refused, for the retry."""
    capacity = (
        Capacity.objects.select_related("area").filter(pk=capacity_id, status=Status.POSTED).first()
    )
    # A posting withdrawn before the hook ran is not announced.
    posting = current_posting(capacity) if capacity else None
    if posting is None:
        return Outcome()
    subscribers = list(
        Subscription.objects.for_area(capacity.area)
        # Only news to those subscribed when it was posted: a later run (a retry with
        # `send_posting_alerts`) does not mail an old posting to a new subscriber.
        .filter(confirmed_at__lte=posting.recorded_at)
        .exclude(deliveries__posting=posting)
        .order_by("pk")
    )
    if not subscribers:
        return Outcome()
    base = site_url()
    sent = failed = 0
    connection = open_connection({"event": "alert_failed", "capacity": capacity_id})
    if connection is None:
        return Outcome(failed=len(subscribers))
    try:
        for subscription in subscribers:
            result = _deliver(subscription, capacity, posting, base=base, connection=connection)
            if result is True:
                sent += 1
            elif result is None:
                failed += 1
    finally:
        try:
            connection.close()
        except Exception:  # a server that dropped us cannot be told goodbye
            log.warning("closing the mail connection failed", exc_info=True)
    log.info(
        "posting alerts sent",
        extra={
            "fields": {
                "event": "alerts_sent",
                "capacity": capacity_id,
                "mails": sent,
                "failed": failed,
            }
        },
    )
    return Outcome(sent=sent, failed=failed)


def _deliver(
    subscription: Subscription,
    capacity: Capacity,
    posting: Transition,
    *,
    base: str,
    connection,
) -> bool | None:
    """True when mailed, False when someone else mailed it already, None when sending
    failed (no record is kept, so a retry mails it)."""
    try:
        with transaction.atomic():
            # The record first: a second run at the same time waits on the unique constraint
            # and then fails it, so only one of them mails. A failed send rolls it back.
            AlertDelivery.objects.create(
                subscription=subscription, posting=posting, capacity=capacity
            )
            with translation.override(subscription.language):
                posting_url = base + reverse("portal:posting_detail", args=[capacity.pk])
            _message(
                subscription,
                "alert",
                {"capacity": capacity, "posting_url": posting_url},
                language=subscription.language,
                base=base,
                connection=connection,
            ).send()
    except IntegrityError:
        return False  # already announced to this subscriber
    except Exception:
        log.exception(
            "posting alert failed",
            extra={
                "fields": {
                    "event": "alert_failed",
                    "capacity": capacity.pk,
                    "subscription": subscription.pk,
                }
            },
        )
        return None
    return True
