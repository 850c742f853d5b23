"""The transition log in the admin: read-only, on each capacity's page and as its own list.
It is only ever appended to, by the services."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from capacities.admin.lists import recorded_at, short_date
from capacities.models import Transition
from common.admin_history import person
from common.text import text_contains
from coverage_areas.tree import matching_area_ids


class TransitionInline(admin.TabularInline):
    """The capacity's life so far, read-only: the log cannot be edited, only appended to by
    recording a transition."""

    model = Transition
    fk_name = "capacity"
    template = "admin/capacities/capacity/transition_log.html"
    extra = 0
    can_delete = False
    verbose_name = _("step")
    verbose_name_plural = _("transition log")
    effective = short_date("effective_date", _("effective date"))
    fields = readonly_fields = [
        "effective",
        "action",
        "from_status",
        "status",
        "area",
        "reason",
        "decision",
        "by",
        "recorded",
    ]
    ordering = ["effective_date", "id"]
    recorded = recorded_at

    @admin.display(description=_("recorded by"), ordering="recorded_by")
    def by(self, obj: Transition) -> str:
        return person(obj.recorded_by)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("area", "decision__committee", "recorded_by")
        )

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Transition)
class TransitionAdmin(admin.ModelAdmin):
    """The log of every step, for reading and filtering; it is only ever appended to."""

    list_display = [
        "capacity",
        "action",
        "effective",
        "from_status",
        "status",
        "area",
        "decision",
        "by",
        "recorded",
    ]
    list_filter = ["action", "status", ("effective_date", admin.DateFieldListFilter)]
    list_select_related = ["capacity__area", "area", "decision__committee", "recorded_by"]
    search_fields = ["reason"]
    search_help_text = _("Search by planning area or reason.")
    date_hierarchy = "effective_date"
    effective = short_date("effective_date", _("effective date"))
    ordering = ["-effective_date", "-id"]

    @admin.display(description=_("recorded by"), ordering="recorded_by")
    def by(self, obj: Transition) -> str:
        return person(obj.recorded_by)

    fieldsets = [
        (
            None,
            {
                "fields": [
                    "capacity",
                    "action",
                    "effective",
                    "from_status",
                    "from_area",
                    "reason",
                    "decision",
                    "by",
                    "recorded",
                    "details",
                ]
            },
        ),
        (
            _("The state after the step"),
            {
                "fields": [
                    "status",
                    "area",
                    "deciding_meeting",
                    "return_reason",
                    "posted",
                    "application_deadline_short",
                    "posting_remark",
                    "grantee",
                    "establishment_deadline_short",
                    "grant_remark",
                ]
            },
        ),
    ]
    readonly_fields = admin.utils.flatten_fieldsets(fieldsets)
    posted = short_date("posted_on", _("posted on"))
    application_deadline_short = short_date("application_deadline", _("application deadline"))
    establishment_deadline_short = short_date("establishment_deadline", _("establishment deadline"))
    recorded = recorded_at

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        ids = matching_area_ids(term)
        return queryset.filter(
            text_contains("reason", term) | Q(area__in=ids) | Q(from_area__in=ids)
        ), False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
