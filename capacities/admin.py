"""The staff's workplace: capacities change only through transition pages and actions that
call `capacities.services`; everything keeps its history; nothing is deleted."""

from __future__ import annotations

import datetime as dt

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from capacities import services
from capacities.admin_support import dashboard
from capacities.admin_support.actions import SPECS, TransitionSpec
from capacities.admin_support.history import HistoryAdmin
from capacities.admin_support.lists import (
    OverdueFilter,
    export_csv,
    recorded_at,
    short_date,
    with_overdue,
)
from capacities.admin_support.search import matching_area_ids, text_contains
from capacities.admin_support.views import (
    bulk_transition,
    register_view,
    transition_buttons,
    transition_view,
)
from capacities.models import (
    Capacity,
    Committee,
    CommitteeMeeting,
    Pool,
    PoolCriteriaRevision,
    Status,
    Transition,
)

admin.site.site_header = _("Kapacitetsportalen: administration")
admin.site.site_title = _("Kapacitetsportalen")
admin.site.index_title = _("The register")
# The stock index plus a link to the staff dashboard (an app's admin/index.html cannot win:
# django.contrib.admin comes first in INSTALLED_APPS).
admin.site.index_template = "admin/capacities_index.html"


def _bulk_action(spec: TransitionSpec):
    def action(model_admin, request, queryset):
        return bulk_transition(model_admin, request, queryset, spec)

    action.__name__ = f"bulk_{spec.action}"
    return admin.action(description=spec.bulk, permissions=["change"])(action)


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
        "recorded_by",
        "recorded",
    ]
    ordering = ["effective_date", "id"]
    recorded = recorded_at

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


@admin.register(Capacity)
class CapacityAdmin(HistoryAdmin):
    change_form_template = "admin/capacities/capacity/change_form.html"
    list_display = [
        "__str__",
        "area",
        "status",
        "origin",
        "deciding_meeting",
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
                    "posting_channels",
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
            path(
                "<path:object_id>/transition/<str:action>/",
                wrap(self.transition_view),
                name="capacities_capacity_transition",
            ),
            *super().get_urls(),
        ]

    def transition_view(self, request: HttpRequest, object_id: str, action: str):
        return transition_view(self, request, object_id, action)

    def add_view(self, request, form_url="", extra_context=None):
        return register_view(self, request)

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
        "recorded_by",
        "recorded",
    ]
    list_filter = ["action", "status", ("effective_date", admin.DateFieldListFilter)]
    list_select_related = ["capacity__area", "area", "decision__committee", "recorded_by"]
    search_fields = ["reason"]
    search_help_text = _("Search by planning area or reason.")
    date_hierarchy = "effective_date"
    effective = short_date("effective_date", _("effective date"))
    ordering = ["-effective_date", "-id"]
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
                    "recorded_by",
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


@admin.register(Committee)
class CommitteeAdmin(HistoryAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(CommitteeMeeting)
class CommitteeMeetingAdmin(HistoryAdmin):
    list_display = ["date_short", "committee", "agenda_title"]
    list_filter = ["committee", ("date", admin.DateFieldListFilter)]
    list_select_related = ["committee"]
    search_fields = ["committee__name", "agenda_title"]
    search_help_text = _("Search by committee, agenda or date (18.11.2024).")
    date_short = short_date("date", _("date"))

    def get_search_results(self, request, queryset, search_term):
        for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
            try:
                day = dt.datetime.strptime(search_term.strip(), pattern).date()
            except ValueError:
                continue
            return queryset.filter(date=day), False
        return super().get_search_results(request, queryset, search_term)


class PoolCriteriaRevisionInline(admin.TabularInline):
    model = PoolCriteriaRevision
    extra = 0
    can_delete = False
    autocomplete_fields = ["decision"]
    fields = ["effective_from", "text", "threshold_percent", "months", "decision"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Pool)
class PoolAdmin(HistoryAdmin):
    """Creating a pool creates its capacities in reserve (services.create_pool); pool
    capacities exist in no other way."""

    list_display = ["name", "created_short", "size", "allocated", "remaining"]
    inlines = [PoolCriteriaRevisionInline]
    created_short = short_date("created_on", _("created on"))

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                remaining_count=Count(
                    "capacities", filter=Q(capacities__status=Status.POOL_RESERVE)
                ),
                allocated_count=Count(
                    "capacities", filter=~Q(capacities__status=Status.POOL_RESERVE)
                ),
            )
        )

    @admin.display(description=_("allocated"), ordering="allocated_count")
    def allocated(self, obj: Pool) -> int:
        return obj.allocated_count

    @admin.display(description=_("remaining in reserve"), ordering="remaining_count")
    def remaining(self, obj: Pool) -> int:
        return obj.remaining_count

    def get_readonly_fields(self, request, obj=None):
        # The date and size made the capacities; they cannot change afterwards.
        return ["created_short", "size"] if obj else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "created_on", "size", "criteria"]
        return ["name", "created_short", "size", "criteria"]

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:

            class PoolCreationForm(form):
                def clean(self):
                    data = super().clean()
                    created_on = data.get("created_on")
                    if created_on and created_on > timezone.localdate():
                        self.add_error("created_on", _("The date lies in the future."))
                    if data.get("size") is not None and data["size"] < 1:
                        self.add_error("size", _("A pool holds at least one capacity."))
                    elif data.get("size") is not None and data["size"] > services.MAX_POOL_SIZE:
                        self.add_error(
                            "size",
                            _("A pool holds at most %(max)d capacities.")
                            % {"max": services.MAX_POOL_SIZE},
                        )
                    return data

            return PoolCreationForm
        return form

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return super().save_model(request, obj, form, change)
        pool = services.create_pool(
            by=request.user,
            name=obj.name,
            created_on=obj.created_on,
            size=obj.size,
            criteria=obj.criteria,
        )
        # The admin goes on with `obj` (log entry, redirect): make it the pool just created.
        obj.pk = pool.pk
        obj._state.adding = False
        obj._state.db = pool._state.db
        return None


@admin.register(PoolCriteriaRevision)
class PoolCriteriaRevisionAdmin(HistoryAdmin):
    list_display = ["pool", "effective_short", "threshold_percent", "months", "decision"]
    list_select_related = ["pool", "decision__committee"]
    autocomplete_fields = ["decision"]
    effective_short = short_date("effective_from", _("effective from"))
