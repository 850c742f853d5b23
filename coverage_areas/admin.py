"""Planning areas, designation rounds with their designations, and benefits, with history and
without deletes (a round or an area that was once used stays in the record)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from common.admin_history import ChangeNoteForm, HistoryAdmin
from common.text import danish_slugify, text_contains
from coverage_areas import services
from coverage_areas.models import (
    Benefit,
    Designation,
    DesignationRound,
    PlanningArea,
    RegionProfile,
)
from coverage_areas.tree import matching_area_ids


class PlanningAreaForm(ChangeNoteForm):
    """The slug follows the portal's one rule (danish_slugify) and is fixed once made, because
    public addresses and the open-data API use it."""

    class Meta:
        model = PlanningArea
        fields = ["name", "parent", "municipality"]

    def clean(self):
        data = super().clean()
        name = data.get("name")
        if name and not self.instance.pk:
            slug = danish_slugify(name)
            if not slug:
                self.add_error("name", _("The name must contain letters or digits."))
            elif PlanningArea.objects.filter(slug=slug).exists():
                self.add_error(
                    "name",
                    _("Another area already has the address %(slug)s.") % {"slug": slug},
                )
            else:
                self.instance.slug = slug
        parent = data.get("parent")
        if parent and self.instance.pk and self.instance in parent.lineage():
            self.add_error("parent", _("An area cannot be part of itself or of its sub-areas."))
        return data


@admin.register(PlanningArea)
class PlanningAreaAdmin(HistoryAdmin):
    form = PlanningAreaForm
    list_display = ["name", "municipality", "parent", "slug"]
    list_select_related = ["parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "municipality"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["slug"]

    def get_fields(self, request, obj=None):
        return (
            ["name", "parent", "municipality", "slug"]
            if obj
            else ["name", "parent", "municipality"]
        )

    def get_search_results(self, request, queryset, search_term):
        # Matched in Python so that "øster" finds Østerbro on SQLite too.
        if not search_term.strip():
            return queryset, False
        return queryset.filter(pk__in=matching_area_ids(search_term)), False


class DesignationInline(admin.TabularInline):
    model = Designation
    extra = 1
    can_delete = False
    autocomplete_fields = ["area"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class DesignationRoundForm(ChangeNoteForm):
    class Meta:
        model = DesignationRound
        fields = ["kind", "first_year", "last_year", "status", "decision_date", "note"]

    def clean(self):
        data = super().clean()
        kind, first, last = data.get("kind"), data.get("first_year"), data.get("last_year")
        if first and last and first > last:
            self.add_error("last_year", _("The last year is before the first year."))
        elif kind == "regional" and first and last and first != last:
            self.add_error("last_year", _("A regional designation covers one year."))
        if data.get("status") == DesignationRound.Status.DECIDED and not data.get("decision_date"):
            self.add_error("decision_date", _("A decided round needs its decision date."))
        return data


@admin.register(DesignationRound)
class DesignationRoundAdmin(HistoryAdmin):
    form = DesignationRoundForm
    list_display = ["__str__", "kind", "period", "status", "decided", "area_count"]
    list_filter = ["kind", "status"]
    inlines = [DesignationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(area_total=Count("designations"))

    def save_model(self, request, obj, form, change) -> None:
        # What the round was before this save, to announce a decision once the list is saved.
        request._round_before = services.round_snapshot(obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        services.announce_round_change(form.instance, request._round_before)

    @admin.display(description=_("decision date"), ordering="decision_date")
    def decided(self, obj: DesignationRound) -> str:
        return date_format(obj.decision_date, "SHORT_DATE_FORMAT") if obj.decision_date else ""

    @admin.display(description=_("areas"), ordering="area_total")
    def area_count(self, obj: DesignationRound) -> int:
        return obj.area_total


@admin.register(Designation)
class DesignationAdmin(HistoryAdmin):
    list_display = ["area", "round"]
    list_filter = ["round__kind", "round"]
    list_select_related = ["area", "round"]
    autocomplete_fields = ["area"]
    search_fields = ["area__name"]

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(area__in=matching_area_ids(search_term)), False


class BenefitForm(ChangeNoteForm):
    class Meta:
        model = Benefit
        fields = ["kind", "text_da", "text_en", "order"]
        widgets = {
            "text_da": forms.Textarea(attrs={"rows": 3}),
            "text_en": forms.Textarea(attrs={"rows": 3}),
        }


@admin.register(Benefit)
class BenefitAdmin(HistoryAdmin):
    form = BenefitForm
    list_display = ["text_da", "kind", "order"]
    list_filter = ["kind"]
    search_fields = ["text_da", "text_en"]

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        term = search_term.strip()
        return queryset.filter(text_contains("text_da", term) | Q(text_en__icontains=term)), False


class RegionProfileForm(ChangeNoteForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    application_url = forms.URLField(
        label=_("application link"), required=False, assume_scheme="https"
    )

    class Meta:
        model = RegionProfile
        fields = [
            "name",
            "unit",
            "address",
            "email",
            "phone",
            "website",
            "application_contact",
            "application_email",
            "application_phone",
            "application_url",
            "application_procedure_da",
            "application_procedure_en",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "application_procedure_da": forms.Textarea(attrs={"rows": 4}),
            "application_procedure_en": forms.Textarea(attrs={"rows": 4}),
        }


@admin.register(RegionProfile)
class RegionProfileAdmin(HistoryAdmin):
    """One row: the list leads straight to it; nobody adds a second one."""

    form = RegionProfileForm
    fieldsets = [
        (None, {"fields": ["name", "unit", "address", "email", "phone", "website"]}),
        (
            _("How to apply, unless a posting says otherwise"),
            {
                "fields": [
                    "application_contact",
                    "application_email",
                    "application_phone",
                    "application_url",
                    "application_procedure_da",
                    "application_procedure_en",
                ]
            },
        ),
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        profile = RegionProfile.objects.filter(pk=RegionProfile.SINGLETON).first()
        if profile is not None and self.has_view_or_change_permission(request, profile):
            return HttpResponseRedirect(
                reverse("admin:coverage_areas_regionprofile_change", args=[profile.pk])
            )
        return super().changelist_view(request, extra_context)
