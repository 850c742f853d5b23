"""The mails: the confirmation link, and one alert per subscriber per new posting.

Mail goes through Django's email backend (the console in development, SMTP configured by the
environment in production). Links in mails are absolute: from the setting `PORTAL_BASE_URL`
(e.g. `https://kapacitet.example.dk`) when set, otherwise from the request when there is one.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from alerts.models import AlertDelivery, Subscription
from capacities.models import Action, Capacity, Status, Transition

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


def send_confirmation(
    subscription: Subscription, token: str, *, request: HttpRequest | None = None
) -> None:
    """The double opt-in mail, in the language of the page the doctor used."""
    language = subscription.pending_language or subscription.language
    base = site_url(request)
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
        # The doctor sees the same page either way and can ask again after the cooldown.
        log.exception("confirmation mail failed", extra={"fields": {"event": "alert_confirm"}})


def current_posting(capacity: Capacity) -> Transition | None:
    """The transition that published the capacity's current posting."""
    if capacity.status != Status.POSTED:
        return None
    return (
        capacity.transitions.filter(status=Status.POSTED, action__in=POSTING_ACTIONS)
        .order_by("-effective_date", "-id")
        .first()
    )


def notify_new_posting(capacity_id: int) -> int:
    """Mail every confirmed subscriber whose areas include the posted capacity's area, once.

    Called by capacities.services after a posting commits. Never raises: a mail failure must
    not look like a failed transition (which has already been committed). Safe to run again:
    a subscriber already mailed about this posting is skipped, and a failed mail leaves no
    record, so running it again retries just those. Returns the number of mails sent."""
    try:
        return _notify(capacity_id)
    except Exception:
        log.exception(
            "posting alerts failed",
            extra={"fields": {"event": "alert_failed", "capacity": capacity_id}},
        )
        return 0


def _notify(capacity_id: int) -> int:
    capacity = (
        Capacity.objects.select_related("area").filter(pk=capacity_id, status=Status.POSTED).first()
    )
    # A posting withdrawn before the hook ran is not announced.
    posting = current_posting(capacity) if capacity else None
    if posting is None:
        return 0
    subscribers = list(
        Subscription.objects.for_area(capacity.area)
        # Only news to those subscribed when it was posted: a later run (a retry with
        # `send_posting_alerts`) does not mail an old posting to a new subscriber.
        .filter(confirmed_at__lte=posting.recorded_at)
        .exclude(deliveries__posting=posting)
        .order_by("pk")
    )
    if not subscribers:
        return 0
    base = site_url()
    sent = 0
    with get_connection() as connection:
        for subscription in subscribers:
            if _deliver(subscription, capacity, posting, base=base, connection=connection):
                sent += 1
    log.info(
        "posting alerts sent",
        extra={"fields": {"event": "alerts_sent", "capacity": capacity_id, "mails": sent}},
    )
    return sent


def _deliver(
    subscription: Subscription,
    capacity: Capacity,
    posting: Transition,
    *,
    base: str,
    connection,
) -> bool:
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
        return False
    return True
