from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class PlanningArea(models.Model):
    """A planning area (planlægningsområde): a municipality, a Copenhagen district, or a
    sub-area of one of them (Brøndby Strand within Brøndby)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_areas",
    )
    municipality = models.CharField(_("municipality"), max_length=100)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("planning area")
        verbose_name_plural = _("planning areas")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="planning_area_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def lineage(self) -> list[PlanningArea]:
        """The area and the areas it is part of: a designation of any of them covers it."""
        areas: list[PlanningArea] = []
        area: PlanningArea | None = self
        while area is not None and area not in areas:
            areas.append(area)
            area = area.parent
        return areas


class DesignationKind(models.TextChoices):
    REGIONAL = "regional", _("regional")
    NATIONAL = "national", _("national")


class DesignationRound(models.Model):
    """One designation of coverage-threatened areas: regional for one year (under the practice
    plan), national for a collective-agreement period such as 2021-2024."""

    class Status(models.TextChoices):
        ANNOUNCED = "announced", _("announced")
        DECIDED = "decided", _("decided")

    kind = models.CharField(_("kind"), max_length=10, choices=DesignationKind.choices)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ANNOUNCED
    )
    decision_date = models.DateField(
        _("decision date"),
        null=True,
        blank=True,
        help_text=_("The date it was decided, or for an announced round the planned date."),
    )
    note = models.TextField(_("note"), blank=True)
    areas = models.ManyToManyField(
        PlanningArea, through="Designation", related_name="designation_rounds"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "-first_year"]
        verbose_name = _("designation round")
        verbose_name_plural = _("designation rounds")
        constraints = [
            models.UniqueConstraint(fields=["kind", "first_year"], name="one_round_per_kind_start"),
            models.CheckConstraint(
                condition=Q(first_year__lte=models.F("last_year")), name="round_years_in_order"
            ),
            models.CheckConstraint(
                condition=~Q(kind="regional") | Q(first_year=models.F("last_year")),
                name="regional_round_is_one_year",
            ),
            models.CheckConstraint(
                condition=~Q(status="decided") | Q(decision_date__isnull=False),
                name="decided_round_has_decision_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period}"

    @property
    def period(self) -> str:
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}-{self.last_year}"

    @property
    def valid_from(self) -> dt.date | None:
        if self.status != self.Status.DECIDED or self.decision_date is None:
            return None
        return max(dt.date(self.first_year, 1, 1), self.decision_date)

    @property
    def valid_to(self) -> dt.date:
        return dt.date(self.last_year, 12, 31)

    def in_force_on(self, on: dt.date) -> bool:
        """A round applies from its decision (never before 1 January of its first year) to
        31 December of its last year; an announced round applies nowhere yet."""
        return self.valid_from is not None and self.valid_from <= on <= self.valid_to


class Designation(models.Model):
    """An area designated coverage-threatened (lægedækningstruet) in a round."""

    round = models.ForeignKey(
        DesignationRound,
        verbose_name=_("round"),
        on_delete=models.PROTECT,
        related_name="designations",
    )
    area = models.ForeignKey(
        PlanningArea, verbose_name=_("area"), on_delete=models.PROTECT, related_name="designations"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "area__name"]
        verbose_name = _("designation")
        verbose_name_plural = _("designations")
        constraints = [
            models.UniqueConstraint(fields=["round", "area"], name="area_once_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.area} ({self.round})"


class Benefit(models.Model):
    """What a doctor gets in a coverage-threatened area of a kind."""

    class Scope(models.TextChoices):
        REGIONAL = "regional", _("regional coverage-threatened areas")
        NATIONAL = "national", _("national coverage-threatened areas")
        ALL = "all", _("all coverage-threatened areas")

    kind = models.CharField(_("applies in"), max_length=10, choices=Scope.choices)
    text_da = models.TextField(_("text (Danish)"))
    text_en = models.TextField(_("text (English)"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "order", "id"]
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")
        constraints = [
            models.UniqueConstraint(fields=["kind", "text_da"], name="benefit_text_once_per_kind"),
        ]

    def __str__(self) -> str:
        return self.text_da

    def text_for(self, language: str) -> str:
        return self.text_en if language.startswith("en") else self.text_da


class RegionProfile(models.Model):
    """The region the portal serves, as data staff edit (history kept): its name and contact
    details on the pages and the memo, and how doctors apply for a posting unless the posting
    says otherwise. Regions change shape (Region Østdanmark from 1 January 2027); the portal
    needs no code change for that. One row."""

    SINGLETON = 1

    name = models.CharField(_("name"), max_length=200, default="Region Hovedstaden")
    unit = models.CharField(
        _("unit"),
        max_length=200,
        blank=True,
        help_text=_("The department that administers GP capacities."),
    )
    address = models.TextField(_("address"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    application_contact = models.CharField(_("contact for applicants"), max_length=200, blank=True)
    application_email = models.EmailField(_("e-mail for applications"), blank=True)
    application_phone = models.CharField(_("telephone for applicants"), max_length=40, blank=True)
    application_url = models.URLField(_("application link"), max_length=500, blank=True)
    application_procedure_da = models.TextField(_("how to apply (Danish)"), blank=True)
    application_procedure_en = models.TextField(_("how to apply (English)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("the region")
        verbose_name_plural = _("the region")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="one_region_profile"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> RegionProfile:
        """The profile, or an unsaved one with the defaults where none is recorded yet."""
        return cls.objects.filter(pk=cls.SINGLETON).first() or cls(pk=cls.SINGLETON)

    def procedure_for(self, language: str) -> str:
        if language.startswith("en"):
            return self.application_procedure_en or self.application_procedure_da
        return self.application_procedure_da
