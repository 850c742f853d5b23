from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.text import month_label, percent, share_of
from coverage_areas.models import PlanningArea


class IntakeClosureQuerySet(models.QuerySet):
    def in_months(self, months: list[dt.date]) -> IntakeClosureQuerySet:
        return self.filter(month__in=months)

    def for_area(self, area: PlanningArea, *, last: int = 24) -> list[IntakeClosure]:
        """The area's newest `last` months, oldest first (one query)."""
        return list(reversed(self.filter(area=area).order_by("-month")[:last]))

    def latest_per_area(self) -> IntakeClosureQuerySet:
        """Each area's most recent month with figures (one query, one row per area)."""
        newest = self.model.objects.filter(area=OuterRef("area")).order_by("-month")
        return self.filter(month=Subquery(newest.values("month")[:1])).select_related("area")


class IntakeClosure(models.Model):
    """How many of a planning area's capacities were closed to new patients (lukket for
    patienttilgang) in a month, and how many there were: the data the pool rule is judged on."""

    area = models.ForeignKey(
        PlanningArea,
        verbose_name=_("planning area"),
        on_delete=models.PROTECT,
        related_name="intake_closures",
    )
    month = models.DateField(_("month"), help_text=_("Stored as the first day of the month."))
    closed = models.PositiveIntegerField(_("closed to new patients"))
    total = models.PositiveIntegerField(_("capacities in the area"))

    # Tracked so that every import leaves who/when/why, and so that the public pages' data
    # version rises after an import (portal.cache listens to history records).
    history = HistoricalRecords()
    objects = IntakeClosureQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "area__name"]
        verbose_name = _("intake closure")
        verbose_name_plural = _("intake closures")
        constraints = [
            models.UniqueConstraint(fields=["area", "month"], name="one_closure_per_area_month"),
            models.CheckConstraint(
                condition=Q(closed__lte=models.F("total")), name="closed_at_most_total"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="month_is_first_day"),
        ]
        indexes = [models.Index(fields=["month"], name="intake_closure_month")]

    def __str__(self) -> str:
        return f"{self.area} {month_label(self.month)}"

    @property
    def share(self) -> float | None:
        """closed / total; None when the area had no capacities (no share to speak of)."""
        return share_of(self.closed, self.total)

    @property
    def percent(self) -> float | None:
        return percent(self.share)

    def above(self, threshold_percent: int) -> bool:
        """More than `threshold_percent` closed, in whole numbers (no float rounding at the
        border: 12 of 16 is exactly 75%, which is not *more* than 75%). A month with no
        capacities is never above."""
        return self.total > 0 and self.closed * 100 > threshold_percent * self.total
