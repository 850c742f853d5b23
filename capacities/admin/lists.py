"""Columns, filters and exports of the admin's lists."""

from __future__ import annotations

import csv
import datetime as dt

from django.contrib import admin
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from capacities.models import Status, Transition
from common.spreadsheets import csv_row


def short_date(field_name: str, description):
    """A list or read-only column that shows a date as 01.11.2024 (the region's tables)."""

    @admin.display(description=description, ordering=field_name)
    def column(model_admin, obj) -> str:
        value = getattr(obj, field_name)
        return date_format(value, "SHORT_DATE_FORMAT") if value else ""

    column.__name__ = f"{field_name}_short"
    return column


@admin.display(description=_("recorded at"), ordering="recorded_at")
def recorded_at(model_admin, obj: Transition) -> str:
    return date_format(timezone.localtime(obj.recorded_at), "SHORT_DATETIME_FORMAT")


def with_overdue(queryset: QuerySet, today: dt.date) -> QuerySet:
    """Annotate `overdue`: granted past the establishment deadline, or posted past the
    application deadline. An annotation (not a Python loop) so the list can filter on it."""
    return queryset.annotate(
        overdue=Case(
            When(
                Q(status=Status.GRANTED, establishment_deadline__lt=today)
                | Q(status=Status.POSTED, application_deadline__lt=today),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(overdue=self.value() == "yes")
        return queryset


CSV_COLUMNS = [
    ("id", _("id")),
    ("area", _("planning area")),
    ("status", _("status")),
    ("origin", _("origin")),
    ("deciding_meeting", _("meeting that will decide")),
    ("posted_on", _("posted on")),
    ("application_deadline", _("application deadline")),
    ("grantee", _("granted to")),
    ("granted_on", _("granted on")),
    ("establishment_deadline", _("establishment deadline")),
    ("overdue", _("overdue")),
]


@admin.action(description=_("Export the selected capacities as CSV"), permissions=["view"])
def export_csv(model_admin, request, queryset):
    """The list as a spreadsheet for the committee's secretaries: labels in the user's
    language, dates ISO, with a byte-order mark so that Excel reads æ, ø and å."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"kapaciteter-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(csv_row(label for _name, label in CSV_COLUMNS))
    for capacity in queryset.select_related("area", "deciding_meeting__committee"):
        writer.writerow(
            csv_row(
                [
                    capacity.pk,
                    capacity.area or "",
                    capacity.get_status_display(),
                    capacity.get_origin_display(),
                    capacity.deciding_meeting or "",
                    capacity.posted_on or "",
                    capacity.application_deadline or "",
                    capacity.grantee,
                    capacity.granted_on or "",
                    capacity.establishment_deadline or "",
                    _("yes") if capacity.overdue else _("no"),
                ]
            )
        )
    return response
