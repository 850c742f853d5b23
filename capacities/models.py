from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When, Window
from django.db.models.functions import FirstValue, RowNumber
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coverage_areas.models import PlanningArea


class Committee(models.Model):
    """A political body whose meetings decide on capacities (the committee for local and
    coherent health care, the regional council)."""

    name = models.CharField(_("name"), max_length=200, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("committee")
        verbose_name_plural = _("committees")

    def __str__(self) -> str:
        return self.name


class CommitteeMeetingQuerySet(models.QuerySet):
    def upcoming(self, on: dt.date) -> CommitteeMeetingQuerySet:
        return self.filter(date__gte=on).order_by("date")

    def upcoming_first(self, on: dt.date) -> CommitteeMeetingQuerySet:
        """Meetings on or after the date, soonest first, then those held, latest first: the
        order in which staff look for the meeting that will decide."""
        held = Case(When(date__lt=on, then=Value(1)), default=Value(0))
        return self.annotate(held=held).order_by(
            "held",
            Case(When(date__gte=on, then=F("date"))),
            Case(When(date__lt=on, then=F("date"))).desc(),
        )


class CommitteeMeeting(models.Model):
    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="meetings"
    )
    date = models.DateField(_("date"))
    agenda_title = models.CharField(_("agenda title"), max_length=300, blank=True)

    history = HistoricalRecords()
    objects = CommitteeMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")
        constraints = [
            models.UniqueConstraint(fields=["committee", "date"], name="one_meeting_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.date:%d.%m.%Y}"


class Pool(models.Model):
    """The region-level reserve of capacities (puljekapaciteter) for unforeseen shortages."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    created_on = models.DateField(_("created on"))
    size = models.PositiveSmallIntegerField(_("number of capacities created"))
    criteria = models.TextField(_("allocation criteria"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_on"]
        verbose_name = _("pool")
        verbose_name_plural = _("pools")

    def __str__(self) -> str:
        return self.name

    def criteria_on(self, on: dt.date) -> PoolCriteriaRevision | None:
        """The criteria revision in force on the date (the latest from on or before it)."""
        return self.revisions.filter(effective_from__lte=on).order_by("-effective_from").first()


class PoolCriteriaRevision(models.Model):
    """The pool's eligibility rule as decided on a date: more than `threshold_percent` of an
    area's capacity closed to new patients for `months` months, and none on the way."""

    pool = models.ForeignKey(
        Pool, verbose_name=_("pool"), on_delete=models.PROTECT, related_name="revisions"
    )
    effective_from = models.DateField(_("effective from"))
    text = models.TextField(_("criteria"))
    threshold_percent = models.PositiveSmallIntegerField(_("closed share above (%)"), default=75)
    months = models.PositiveSmallIntegerField(_("for months"), default=3)
    decision = models.ForeignKey(
        CommitteeMeeting,
        verbose_name=_("decided at"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["pool", "effective_from"]
        verbose_name = _("pool criteria revision")
        verbose_name_plural = _("pool criteria revisions")
        constraints = [
            models.UniqueConstraint(fields=["pool", "effective_from"], name="one_revision_per_day"),
            models.CheckConstraint(
                condition=Q(threshold_percent__lte=100), name="threshold_is_a_percentage"
            ),
            models.CheckConstraint(condition=Q(months__gte=1), name="at_least_one_month"),
        ]

    def __str__(self) -> str:
        return f"{self.pool} {self.effective_from:%d.%m.%Y}"


class PostingChannel(models.Model):
    """A place where the region announces its postings (Min almen praksis, the recruitment
    newsletter, Ugeskrift for Læger, PLO-H, ...): a list the region maintains."""

    name_da = models.CharField(_("name (Danish)"), max_length=200, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    url = models.URLField(_("address"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(
        _("in use"), default=True, help_text=_("Channels no longer in use cannot be chosen.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name_da"]
        verbose_name = _("posting channel")
        verbose_name_plural = _("posting channels")

    def __str__(self) -> str:
        return self.name_da

    def name_for(self, language: str) -> str:
        return self.name_en if language.startswith("en") else self.name_da


class Status(models.TextChoices):
    ACTIVE = "active", _("active")
    AWAITING_DECISION = "awaiting_decision", _("awaiting decision")
    AWAITING_POSTING = "awaiting_posting", _("awaiting posting")
    POSTED = "posted", _("posted")
    GRANTED = "granted", _("granted")
    POOL_RESERVE = "pool_reserve", _("in the pool reserve")


class Origin(models.TextChoices):
    REGULAR = "regular", _("regular")
    POOL = "pool", _("pool")


class ReturnReason(models.TextChoices):
    RETIREMENT = "retirement", _("retirement")
    RELOCATION = "relocation", _("relocation")
    MERGER_CLOSURE = "merger_closure", _("merger or closure")
    OTHER = "other", _("other")


class CapacityState(models.Model):
    """Everything that describes a capacity at one moment. `Capacity` holds the current state;
    each `Transition` holds a copy of the state it left behind, so the state on any past date
    is one row per capacity."""

    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    area = models.ForeignKey(
        PlanningArea,
        verbose_name=_("planning area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="%(class)s_set",
    )
    deciding_meeting = models.ForeignKey(
        CommitteeMeeting,
        verbose_name=_("meeting that will decide"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="%(class)s_set",
    )
    return_date = models.DateField(_("returned on"), null=True, blank=True)
    return_reason = models.CharField(
        _("reason for return"), max_length=20, choices=ReturnReason.choices, blank=True
    )
    return_note = models.TextField(_("note on the return"), blank=True)
    posted_on = models.DateField(_("posted on"), null=True, blank=True)
    application_deadline = models.DateField(
        _("application deadline"),
        null=True,
        blank=True,
        help_text=_("Empty: no deadline, applicants are assessed on a rolling basis."),
    )
    posting_remark = models.TextField(_("public remark on the posting"), blank=True)
    posting_channels = models.TextField(
        _("where else the posting is announced"),
        blank=True,
        help_text=_("Free text, beside the channels chosen from the region's list."),
    )
    channel_ids = models.JSONField(
        _("channels chosen from the region's list"), default=list, blank=True
    )
    # How to apply for this posting. All empty: the region's default (RegionProfile) applies.
    application_contact = models.CharField(_("contact person or unit"), max_length=200, blank=True)
    application_email = models.EmailField(_("contact e-mail"), blank=True)
    application_phone = models.CharField(_("contact telephone"), max_length=40, blank=True)
    application_url = models.URLField(_("application link"), max_length=500, blank=True)
    application_procedure = models.TextField(_("how to apply"), blank=True)
    granted_on = models.DateField(_("granted on"), null=True, blank=True)
    grantee = models.CharField(_("granted to"), max_length=200, blank=True)
    establishment_deadline = models.DateField(_("establishment deadline"), null=True, blank=True)
    grant_remark = models.TextField(_("remark on the grant"), blank=True)
    established_on = models.DateField(_("established on"), null=True, blank=True)

    class Meta:
        abstract = True

    @classmethod
    def state_field_names(cls) -> list[str]:
        return [f.attname for f in CapacityState._meta.get_fields()]


# Statuses in which a capacity is on its way to an area ("kapaciteter på vej").
IN_PROCESS = frozenset(
    {Status.AWAITING_DECISION, Status.AWAITING_POSTING, Status.POSTED, Status.GRANTED}
)


class CapacityQuerySet(models.QuerySet):
    def open_postings(self) -> CapacityQuerySet:
        return self.filter(status=Status.POSTED).select_related("area")

    def in_process(self) -> CapacityQuerySet:
        return self.filter(status__in=IN_PROCESS)


class Capacity(CapacityState):
    """A GP capacity (lægekapacitet): the right to run one practice seat in a planning area.

    Its status changes only through the functions in `capacities.services`."""

    Status = Status
    Origin = Origin
    ReturnReason = ReturnReason

    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, default=Origin.REGULAR
    )
    pool = models.ForeignKey(
        Pool,
        verbose_name=_("pool"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="capacities",
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised by every change, to detect conflicts.")
    )

    history = HistoricalRecords()
    objects = CapacityQuerySet.as_manager()

    class Meta:
        ordering = ["area__name", "id"]
        verbose_name = _("capacity")
        verbose_name_plural = _("capacities")
        indexes = [models.Index(fields=["status", "area"], name="capacity_status_area")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="granted")
                | (~Q(grantee="") & Q(establishment_deadline__isnull=False)),
                name="granted_has_grantee_and_deadline",
            ),
            models.CheckConstraint(
                condition=Q(status="pool_reserve", area__isnull=True, origin="pool")
                | (~Q(status="pool_reserve") & Q(area__isnull=False)),
                name="only_pool_reserve_has_no_area",
            ),
            models.CheckConstraint(
                condition=Q(origin="pool", pool__isnull=False)
                | Q(origin="regular", pool__isnull=True),
                name="pool_origin_names_its_pool",
            ),
            models.CheckConstraint(
                condition=~Q(status="posted") | Q(posted_on__isnull=False),
                name="posted_has_posting_date",
            ),
            models.CheckConstraint(
                condition=Q(application_deadline__isnull=True)
                | Q(posted_on__isnull=True)
                | Q(application_deadline__gte=F("posted_on")),
                name="application_deadline_after_posting",
            ),
            models.CheckConstraint(
                condition=Q(establishment_deadline__isnull=True)
                | Q(granted_on__isnull=True)
                | Q(establishment_deadline__gte=F("granted_on")),
                name="establishment_deadline_after_grant",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="version_positive"),
        ]

    def __str__(self) -> str:
        place = self.area.name if self.area_id else _("pool reserve")
        return f"{place} #{self.pk}"


class Action(models.TextChoices):
    REGISTER = "register", _("registered")
    CREATE_IN_POOL = "create_in_pool", _("created in the pool")
    RETURN = "return", _("returned")
    SCHEDULE_DECISION = "schedule_decision", _("decision scheduled")
    DECIDE_TO_POST = "decide_to_post", _("decided to post")
    POST = "post", _("posted")
    WITHDRAW_POSTING = "withdraw_posting", _("posting withdrawn")
    GRANT = "grant", _("granted")
    LAPSE_GRANT = "lapse_grant", _("grant lapsed")
    ESTABLISH = "establish", _("established")
    REDISTRIBUTE = "redistribute", _("redistributed")
    ALLOCATE = "allocate", _("allocated from the pool")


class TransitionQuerySet(models.QuerySet):
    def state_on(self, on: dt.date, *, statuses: Iterable[str] | None = None) -> TransitionQuerySet:
        """The state of every capacity on a date: for each capacity, the last transition in
        effect then. One indexed query; a later correction for an earlier date counts.
        `statuses` keeps the capacities in one of them then, inside the query that ranks
        the transitions (a status filter chained by the caller gives the same rows, but only
        after every capacity's state has been fetched). Filters applied before (on the
        capacity) choose which capacities are ranked."""
        # Every row of a partition has the same capacity, so ordering by it as well changes
        # nothing but lets PostgreSQL walk the timeline index backwards instead of sorting each
        # capacity's transitions (a third of the query for a country-size record).
        window = {
            "partition_by": [F("capacity_id")],
            "order_by": [F("capacity_id").desc(), F("effective_date").desc(), F("id").desc()],
        }
        latest = self.filter(effective_date__lte=on).annotate(rank=Window(RowNumber(), **window))
        latest = latest.filter(rank=1)
        if statuses is not None:
            # The status of the latest transition, as a window over the same partition, so
            # that it is compared after ranking (a plain status filter would rank only the
            # transitions with that status). The timeline index holds the status, so this is
            # still read from the index alone.
            latest = latest.annotate(state_status=Window(FirstValue("status"), **window)).filter(
                state_status__in=list(statuses)
            )
        # Filter on the rank inside a subquery so that filters chained by callers (status,
        # area) narrow the result, not the partitions.
        return self.model.objects.filter(pk__in=latest.values("pk")).select_related(
            "capacity", "area", "deciding_meeting__committee"
        )


class Transition(CapacityState):
    """One step in a capacity's life, append-only: what happened, from what to what, when it
    took effect, when and by whom it was recorded, why, and the decision it cites. The
    CapacityState fields hold the state the step left behind."""

    capacity = models.ForeignKey(
        Capacity,
        verbose_name=_("capacity"),
        on_delete=models.PROTECT,
        related_name="transitions",
    )
    action = models.CharField(_("what happened"), max_length=20, choices=Action.choices)
    from_status = models.CharField(
        _("from status"), max_length=20, choices=Status.choices, blank=True
    )
    from_area = models.ForeignKey(
        PlanningArea,
        verbose_name=_("from area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    effective_date = models.DateField(_("effective date"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("why"), blank=True)
    decision = models.ForeignKey(
        CommitteeMeeting,
        verbose_name=_("decision cited"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    details = models.JSONField(_("details"), default=dict, blank=True)

    objects = TransitionQuerySet.as_manager()

    class Meta:
        ordering = ["capacity", "effective_date", "id"]
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        indexes = [
            # The status last: the states on a date in some statuses are read from the index
            # alone (TransitionQuerySet.state_on).
            models.Index(
                fields=["capacity", "effective_date", "id", "status"], name="transition_timeline"
            ),
            models.Index(fields=["effective_date"], name="transition_effective_date"),
        ]

    def __str__(self) -> str:
        return f"{self.capacity_id}: {self.get_action_display()} {self.effective_date:%d.%m.%Y}"
