"""Staff pages for the figures: list, history and import (the pool eligibility page that
reads them is the pool's, in capacities.admin.pool)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.admin_history import HistoryAdmin
from common.text import month_label
from shortage.forms import ImportForm, IntakeClosureForm
from shortage.imports import BadMonth, parse_month, read_file
from shortage.models import IntakeClosure
from shortage.services import import_closures

IMPORT_PERMISSIONS = ("shortage.add_intakeclosure", "shortage.change_intakeclosure")


class MonthFilter(admin.SimpleListFilter):
    """The months that have figures, newest first (a date filter's "past 7 days" means
    nothing for monthly figures)."""

    title = gettext_lazy("month")
    parameter_name = "month"

    def lookups(self, request, model_admin):
        months = IntakeClosure.objects.order_by("-month").values_list("month", flat=True)
        return [(month_label(m), month_label(m)) for m in months.distinct()]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        try:
            return queryset.filter(month=parse_month(value))
        except BadMonth:
            return queryset.none()  # ?month=99999-01 names no month with figures


@admin.register(IntakeClosure)
class IntakeClosureAdmin(HistoryAdmin):
    form = IntakeClosureForm
    list_display = ["area", "month_label", "closed", "total", "percent"]
    list_select_related = ["area"]
    list_filter = [MonthFilter, ("area", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["area__name", "area__slug"]
    fields = ["area", "month", "closed", "total"]
    change_list_template = "shortage/admin/intakeclosure_change_list.html"

    @admin.display(description=gettext_lazy("month"), ordering="month")
    def month_label(self, obj: IntakeClosure) -> str:
        return month_label(obj.month)

    @admin.display(description=gettext_lazy("closed share"))
    def percent(self, obj: IntakeClosure) -> str:
        return "—" if obj.percent is None else f"{obj.percent:.1f} %"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="shortage_intakeclosure_import"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra = {
            "can_import": request.user.has_perms(IMPORT_PERMISSIONS),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra)

    def _context(self, request: HttpRequest, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "has_view_permission": self.has_view_permission(request),
            **extra,
        }

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a file: every bad line is listed and nothing is stored, or all is stored."""
        if not request.user.has_perms(IMPORT_PERMISSIONS):
            raise PermissionDenied
        problems = []
        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                checked = read_file(upload.read())
                problems = checked.problems
                if checked.ok:
                    summary = import_closures(
                        checked.rows,
                        by=request.user,
                        reason=form.cleaned_data["reason"]
                        or _("Import of %(file)s") % {"file": upload.name},
                    )
                    self.message_user(
                        request,
                        _(
                            "%(file)s: %(rows)d rows imported; %(created)d new, "
                            "%(replaced)d replaced, %(unchanged)d unchanged."
                        )
                        % {
                            "file": upload.name,
                            "rows": summary.rows,
                            "created": summary.created,
                            "replaced": summary.replaced,
                            "unchanged": summary.unchanged,
                        },
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(reverse("admin:shortage_intakeclosure_changelist"))
        else:
            form = ImportForm()
        context = self._context(
            request,
            title=_("Import intake closures"),
            form=form,
            problems=problems,
            media=self.media + form.media,
        )
        status = 400 if problems else 200
        return TemplateResponse(request, "shortage/admin/import.html", context, status=status)
