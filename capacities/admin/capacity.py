"""Capacities in the admin: the list, the read-only change page with its transition buttons
and log, and the dashboard. A capacity changes only through the transition pages and actions
(TransitionPagesMixin), which call `capacities.services`; nothing is deleted."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from capacities.admin import dashboard
from capacities.admin.actions import SPECS, TransitionSpec
from capacities.admin.lists import OverdueFilter, export_csv, short_date, with_overdue
from capacities.admin.log import TransitionInline
from capacities.admin.pipeline import PipelinePageMixin
from capacities.admin.transitions import TransitionPagesMixin, transition_buttons
from capacities.models import Capacity
from capacities.postings import channel_names
from common.admin_history import HistoryAdmin
from common.text import text_contains
from coverage_areas.tree import matching_area_ids


def _bulk_action(spec: TransitionSpec):
    def action(model_admin, request, queryset):
        return model_admin.bulk_transition(request, queryset, spec)

    action.__name__ = f"bulk_{spec.action}"
    return admin.action(description=spec.bulk, permissions=["change"])(action)


@admin.register(Capacity)
class CapacityAdmin(TransitionPagesMixin, PipelinePageMixin, HistoryAdmin):
    change_form_template = "admin/capacities/capacity/change_form.html"
    change_list_template = "admin/capacities/capacity/change_list.html"
    # The area is in the capacity's name ("Herlev #12"), sortable by area: no column of its
    # own, so that the deadlines and the overdue flag fit at 1280 px.
    list_display = [
        "capacity_name",
        "status",
        "origin",
        "deciding_meeting_short",
        "application_deadline_short",
        "establishment_deadline_short",
        "overdue_flag",
    ]
    list_filter = [
        "status",
        "origin",
        ("area", admin.RelatedOnlyFieldListFilter),
        OverdueFilter,
        ("application_deadline", admin.DateFieldListFilter),
        ("establishment_deadline", admin.DateFieldListFilter),
    ]
    list_select_related = ["area", "deciding_meeting__committee"]
    search_fields = ["grantee"]
    search_help_text = _("Search by planning area or grantee.")
    list_per_page = 100
    actions = [export_csv, *(_bulk_action(spec) for spec in SPECS.values() if spec.bulk)]
    inlines = [TransitionInline]

    application_deadline_short = short_date("application_deadline", _("application deadline"))

    @admin.display(description=_("capacity"), ordering="area__name")
    def capacity_name(self, obj: Capacity) -> str:
        return str(obj)

    @admin.display(description=_("Meeting that will decide"), ordering="deciding_meeting__date")
    def deciding_meeting_short(self, obj: Capacity):
        # The date only (the committee's long name in a tooltip): the column stays narrow
        # enough for the deadlines and the overdue flag to fit at 1280 px.
        meeting = obj.deciding_meeting
        if meeting is None:
            return ""
        return format_html(
            '<span title="{}">{}</span>', meeting, date_format(meeting.date, "SHORT_DATE_FORMAT")
        )

    establishment_deadline_short = short_date("establishment_deadline", _("establishment deadline"))
    fieldsets = [
        (None, {"fields": ["status", "origin", "area", "pool", "deciding_meeting", "version"]}),
        (_("The return"), {"fields": ["return_date_short", "return_reason", "return_note"]}),
        (
            _("The posting"),
            {
                "fields": [
                    "posted_on_short",
                    "application_deadline_short",
                    "posting_remark",
                    "channel_list",
                    "posting_channels",
                    "application_contact",
                    "application_email",
                    "application_phone",
                    "application_url",
                    "application_procedure",
                ]
            },
        ),
        (
            _("The grant"),
            {
                "fields": [
                    "granted_on_short",
                    "grantee",
                    "establishment_deadline_short",
                    "grant_remark",
                    "established_on_short",
                ]
            },
        ),
    ]
    # Every field is the result of a transition: status and its data change only through the
    # transition pages, which lock the row and write the log.
    readonly_fields = admin.utils.flatten_fieldsets(fieldsets)
    return_date_short = short_date("return_date", _("returned on"))
    posted_on_short = short_date("posted_on", _("posted on"))
    granted_on_short = short_date("granted_on", _("granted on"))
    established_on_short = short_date("established_on", _("established on"))

    @admin.display(description=_("announced in"))
    def channel_list(self, obj: Capacity) -> str:
        return ", ".join(name for name, _url in channel_names(obj.channel_ids, "da")) or "—"

    @admin.display(description=_("overdue"), boolean=True, ordering="overdue")
    def overdue_flag(self, obj: Capacity) -> bool:
        return obj.overdue

    def get_queryset(self, request):
        return with_overdue(super().get_queryset(request), timezone.localdate())

    def get_fieldsets(self, request, obj=None):
        return self.fieldsets

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        query = text_contains("grantee", term) | Q(area__in=matching_area_ids(term))
        if term.lstrip("#").isdigit():
            query |= Q(pk=int(term.lstrip("#")))
        return queryset.filter(query), False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "dashboard/",
                wrap(self.dashboard_view),
                name="capacities_capacity_dashboard",
            ),
            path("pipeline/", wrap(self.pipeline_view), name="capacities_capacity_pipeline"),
            path(
                "<path:object_id>/transition/<str:action>/",
                wrap(self.transition_view),
                name="capacities_capacity_transition",
            ),
            *super().get_urls(),
        ]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id and request.method == "POST":
            if not self.has_change_permission(request):
                raise PermissionDenied
            # Nothing on this page is edited directly; say where changes are made.
            self.message_user(
                request,
                _("A capacity changes only through the transition buttons."),
                messages.WARNING,
            )
            return HttpResponseRedirect(request.path)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, admin.utils.unquote(object_id))
        buttons = (
            transition_buttons(obj) if obj and self.has_change_permission(request, obj) else []
        )
        extra = {
            "transition_buttons": buttons,
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra)

    def changelist_view(self, request, extra_context=None):
        # Actions are the only thing posted to the list; a view-only user may only export.
        if (
            request.method == "POST"
            and not self.has_change_permission(request)
            and request.POST.get("action") != "export_csv"
        ):
            raise PermissionDenied
        return super().changelist_view(request, extra_context)

    def dashboard_view(self, request: HttpRequest):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("What needs doing"),
            "board": dashboard.build(timezone.localdate()),
        }
        return TemplateResponse(request, "admin/capacities/dashboard.html", context)
