"""The region's pool, its criteria revisions, and the pool-eligibility page (the pool rule
with its working, capacities.eligibility)."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from capacities import services
from capacities.admin.lists import short_date
from capacities.eligibility import NoCriteria, evaluate
from capacities.forms import EligibilityDateForm
from capacities.models import Pool, PoolCriteriaRevision, Status
from common.admin_history import HistoryAdmin

# The page reads the intake-closure figures: those who may see them may see the verdicts.
FIGURES_VIEW_PERMISSION = "shortage.view_intakeclosure"


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
                    try:
                        services.check_new_pool(
                            created_on=data.get("created_on"), size=data.get("size")
                        )
                    except services.TransitionError as error:
                        for field, messages in error.message_dict.items():
                            if field not in self.errors:
                                self.add_error(field, messages)
                    return data

            return PoolCreationForm
        return form

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("eligibility/", wrap(self.eligibility_view), name="capacities_pool_eligibility"),
            *super().get_urls(),
        ]

    def eligibility_view(self, request: HttpRequest) -> HttpResponse:
        """Per area, the months that count, their shares, what is on the way, the verdict."""
        if not request.user.has_perm(FIGURES_VIEW_PERMISSION):
            raise PermissionDenied
        form = EligibilityDateForm(request.GET if "on" in request.GET else None)
        on = timezone.localdate()
        report = error = None
        if form.is_bound and not form.is_valid():
            pass
        else:
            if form.is_bound:
                on = form.cleaned_data["on"]
            try:
                report = evaluate(on)
            except NoCriteria:
                error = gettext_now("No pool criteria were in force on that date.")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "has_view_permission": self.has_view_permission(request),
            "title": gettext_now("Pool eligibility"),
            "form": form,
            "on": on,
            "report": report,
            "error": error,
            "media": self.media + form.media,
        }
        return TemplateResponse(
            request,
            "capacities/admin/eligibility.html",
            context,
            status=400 if form.errors else 200,
        )

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
