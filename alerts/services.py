"""Writes to subscriptions: request (double opt-in), confirm, unsubscribe."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from alerts import limits
from alerts.models import CONFIRMATION_VALID_FOR, Language, Subscription, token_hash
from coverage_areas.models import PlanningArea


def normalise_email(email: str) -> str:
    # One subscription per mailbox: providers treat addresses case-insensitively in practice.
    return email.strip().lower()


class TooManyRequests(Exception):
    """The client asked for more confirmation mails than `limits` allows; try later."""


def request_subscription(
    *,
    email: str,
    areas: Iterable[PlanningArea],
    language: str,
    client: str,
    status_changes: bool = False,
    reminders: bool = False,
) -> bool:
    """Record what the doctor asks for and queue a confirmation mail; nothing changes for the
    subscription until its link is used. Returns whether a mail was queued: not when one went
    to the address within the cooldown, nor when the mailbox (+tags and case folded) had its
    share for the day, so the form cannot flood a mailbox. The caller answers the same either
    way, so the form never tells whether an address is subscribed. Raises TooManyRequests when
    the client (`client`, its IP address) had its share for the hour."""
    email = normalise_email(email)
    language = language if language in Language.values else Language.DANISH
    areas = list(areas)
    if limits.client_over_limit(client):
        raise TooManyRequests
    with transaction.atomic():
        if limits.mailbox_over_limit(email):
            return False
        subscription = _locked_or_new(email)
        if not subscription.may_send_confirmation():
            return False
        subscription.pending_language = language
        subscription.pending_status_changes = bool(status_changes)
        subscription.pending_reminders = bool(reminders)
        # The link is made by the worker that sends it; an older link stops working now.
        subscription.confirm_token_hash = ""
        subscription.confirmation_sent_at = timezone.now()
        subscription.save()
        subscription.pending_areas.set(areas)
        limits.record(client, email)
        subscription_id = subscription.pk
        transaction.on_commit(lambda: _queue_confirmation(subscription_id))
    return True


def _queue_confirmation(subscription_id: int) -> None:
    from alerts.tasks import send_confirmation_mail

    send_confirmation_mail.enqueue(subscription_id)


def purge_expired(now=None) -> tuple[int, int, int]:
    """Forget what expired: subscriptions never confirmed whose link has expired (the
    address goes), pending requests of confirmed subscriptions whose link has expired (the
    subscription stays as it was), and the log of requests older than the limits look back.
    Returns how many of each."""
    from alerts.models import ConfirmationRequest

    now = now or timezone.now()
    expired = now - CONFIRMATION_VALID_FOR
    with transaction.atomic():
        _total, deleted = (
            Subscription.objects.filter(confirmed_at__isnull=True)
            .filter(
                models.Q(confirmation_sent_at__lt=expired)
                | models.Q(confirmation_sent_at__isnull=True, created_at__lt=expired)
            )
            .delete()
        )
        unconfirmed = deleted.get(Subscription._meta.label, 0)
        stale = list(
            Subscription.objects.filter(
                confirmed_at__isnull=False, confirmation_sent_at__lt=expired
            ).exclude(pending_language="")
        )
        for subscription in stale:
            subscription.pending_areas.clear()
            subscription.pending_language = ""
            subscription.confirm_token_hash = ""
            subscription.save(update_fields=["pending_language", "confirm_token_hash"])
        log_rows, _by_model = ConfirmationRequest.objects.filter(
            requested_at__lt=now - limits.MAILBOX_WINDOW
        ).delete()
    return unconfirmed, len(stale), log_rows


def _locked_or_new(email: str) -> Subscription:
    found = Subscription.objects.select_for_update().filter(email=email).first()
    if found is not None:
        return found
    try:
        # A savepoint, so that losing a race with a simultaneous request for the same address
        # leaves the outer transaction usable.
        with transaction.atomic():
            return Subscription.objects.create(email=email)
    except IntegrityError:
        return Subscription.objects.select_for_update().get(email=email)


def pending_request(token: str) -> Subscription | None:
    """The subscription whose confirmation link this is, if the link is still valid."""
    if not token:
        return None
    subscription = Subscription.objects.filter(confirm_token_hash=token_hash(token)).first()
    if subscription is None or not subscription.confirmation_is_valid():
        return None
    return subscription


def confirm(token: str) -> Subscription | None:
    """Make the requested areas and language the subscription's. None for an unknown, used or
    expired link."""
    with transaction.atomic():
        found = pending_request(token)
        if found is None:
            return None
        subscription = Subscription.objects.select_for_update().get(pk=found.pk)
        if subscription.confirm_token_hash != token_hash(token):
            return None  # replaced by a newer request meanwhile
        subscription.areas.set(subscription.pending_areas.all())
        subscription.pending_areas.clear()
        subscription.language = subscription.pending_language
        subscription.status_changes = subscription.pending_status_changes
        subscription.reminders = subscription.pending_reminders
        subscription.pending_language = ""
        subscription.confirm_token_hash = ""
        if subscription.confirmed_at is None:
            subscription.confirmed_at = timezone.now()
        subscription.save()
    return subscription


def subscription_for_token(token: str) -> Subscription | None:
    if not token:
        return None
    return Subscription.objects.filter(token=token).first()


def unsubscribe(token: str) -> bool:
    """Delete the subscription (and the record of its alerts): nothing about the address is
    kept once the doctor leaves. False if the link is unknown (already unsubscribed)."""
    deleted, _by_model = Subscription.objects.filter(token=token).delete() if token else (0, {})
    return deleted > 0
