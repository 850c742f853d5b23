"""Writes to subscriptions: request (double opt-in), confirm, unsubscribe."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from alerts.models import Language, Subscription, new_token, token_hash
from coverage_areas.models import PlanningArea


def normalise_email(email: str) -> str:
    # One subscription per mailbox: providers treat addresses case-insensitively in practice.
    return email.strip().lower()


def request_subscription(
    *,
    email: str,
    areas: Iterable[PlanningArea],
    language: str,
    send_confirmation,
) -> bool:
    """Record what the doctor asks for and mail a confirmation link; nothing changes for the
    subscription until the link is used. Returns whether a mail was sent: not when one was
    sent to the address within the cooldown, so the form cannot flood a mailbox. The caller
    answers the same either way, so the form never tells whether an address is subscribed.

    `send_confirmation(subscription, token)` is called once the request is committed."""
    email = normalise_email(email)
    language = language if language in Language.values else Language.DANISH
    areas = list(areas)
    with transaction.atomic():
        subscription = _locked_or_new(email)
        if not subscription.may_send_confirmation():
            return False
        token = new_token()
        subscription.pending_language = language
        subscription.confirm_token_hash = token_hash(token)
        subscription.confirmation_sent_at = timezone.now()
        subscription.save()
        subscription.pending_areas.set(areas)
        transaction.on_commit(lambda: send_confirmation(subscription, token))
    return True


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
