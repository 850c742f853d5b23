"""Doctors' email subscriptions to new postings, and the record of alerts sent.

A subscription has no account and no password. Two secrets stand in for them:

- `token`, random and stored in plain text, goes into the unsubscribe link of every mail (it
  must be in every alert, so it cannot be kept only as a hash). All it can do is unsubscribe.
- a confirmation token, random, sent once in the confirmation mail and stored only as its
  SHA-256 hash (`confirm_token_hash`): a copy of the database cannot confirm anything. It is
  replaced by every new request and expires after `CONFIRMATION_VALID_FOR`.

What a doctor asks for (areas, language) waits in the `pending_*` fields until the link in
the confirmation mail is used (double opt-in); only then does it become the subscription's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from capacities.models import Capacity, Transition
from coverage_areas.models import PlanningArea

CONFIRMATION_VALID_FOR = dt.timedelta(days=7)
# One confirmation mail per address per this long, so the form cannot be used to flood
# someone's inbox.
CONFIRMATION_COOLDOWN = dt.timedelta(minutes=10)


class Language(models.TextChoices):
    DANISH = "da", _("Danish")
    ENGLISH = "en", _("English")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self) -> SubscriptionQuerySet:
        return self.filter(confirmed_at__isnull=False)

    def for_area(self, area: PlanningArea) -> SubscriptionQuerySet:
        """Confirmed subscriptions that want postings in the area: those for all areas, for
        the area itself, or for an area it is part of (a subscription to Brøndby covers
        Brøndby Strand; never upwards, as with designations)."""
        wanted = self.confirmed().filter(
            Q(areas__isnull=True) | Q(areas__in=[a.pk for a in area.lineage()])
        )
        # The join with the areas can repeat a subscription; select its ids once.
        return self.filter(pk__in=wanted.values("pk"))


class Subscription(models.Model):
    email = models.EmailField(_("email address"), max_length=254, unique=True)
    areas = models.ManyToManyField(
        PlanningArea,
        verbose_name=_("planning areas"),
        blank=True,
        related_name="alert_subscriptions",
        help_text=_("None: every area."),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.DANISH
    )
    token = models.CharField(_("unsubscribe token"), max_length=64, unique=True, default=new_token)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # A request waiting for confirmation: its areas (none: every area) and language. An empty
    # pending_language means there is no request waiting.
    pending_areas = models.ManyToManyField(
        PlanningArea, blank=True, related_name="+", verbose_name=_("requested areas")
    )
    pending_language = models.CharField(
        _("requested language"), max_length=2, choices=Language.choices, blank=True
    )
    # Besides postings, a subscriber may ask to hear when a decided list adds or removes one of
    # their areas (or an area it is part of), and for a reminder in the autumn that regional
    # benefits must be applied for within the year the area is threatened.
    status_changes = models.BooleanField(_("tell about list decisions"), default=False)
    reminders = models.BooleanField(_("autumn reminder"), default=False)
    pending_status_changes = models.BooleanField(default=False, editable=False)
    pending_reminders = models.BooleanField(default=False, editable=False)
    confirm_token_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    confirmation_sent_at = models.DateTimeField(_("confirmation mail sent at"), null=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("alert subscription")
        verbose_name_plural = _("alert subscriptions")

    def __str__(self) -> str:
        return self.email

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def may_send_confirmation(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            self.confirmation_sent_at is None
            or now - self.confirmation_sent_at >= CONFIRMATION_COOLDOWN
        )

    def confirmation_is_valid(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            bool(self.pending_language)
            and self.confirmation_sent_at is not None
            and now - self.confirmation_sent_at <= CONFIRMATION_VALID_FOR
        )


class AlertDelivery(models.Model):
    """One alert mail sent to one subscription for one posting. The posting is the transition
    that published the capacity (a post, or a lapsed grant posted again): a capacity posted
    anew after a withdrawal is a new posting and is announced again. The unique constraint is
    what makes the announcement at-most-once, however often the hook runs."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    posting = models.ForeignKey(Transition, on_delete=models.PROTECT, related_name="+")
    capacity = models.ForeignKey(Capacity, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("alert sent")
        verbose_name_plural = _("alerts sent")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "posting"], name="one_alert_per_subscription_and_posting"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id} · {self.capacity_id} · {self.posting_id}"


class StatusNotice(models.Model):
    """One mail about an area's status sent to one subscription: a decided list (`key`
    "list:<round>:<list digest>", so a list changed again is news again) or the autumn
    reminder ("reminder:<year>"). The unique constraint makes each at-most-once."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="status_notices"
    )
    key = models.CharField(max_length=80)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("status notice sent")
        verbose_name_plural = _("status notices sent")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "key"], name="one_status_notice_per_subscription_and_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id} · {self.key}"


class ConfirmationRequest(models.Model):
    """One confirmation mail asked for through the form, for the limits per client and per
    mailbox (alerts.limits). Both are keyed hashes: the log holds no address in clear.
    Purged after a day by `purge_alert_requests`."""

    client = models.CharField(max_length=64, db_index=True)
    mailbox = models.CharField(max_length=64, db_index=True)
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("confirmation request")
        verbose_name_plural = _("confirmation requests")

    def __str__(self) -> str:
        return f"{self.requested_at:%Y-%m-%d %H:%M}"
