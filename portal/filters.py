"""The filters of the open postings list (and of /api/postings.json)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from capacities.models import Capacity, Origin
from coverage_areas.status import covered_area_kinds
from coverage_areas.tree import AreaTree

THREATENED_CHOICES = [
    ("yes", _("Yes, regionally or nationally")),
    ("regional", _("Yes, regionally")),
    ("national", _("Yes, nationally")),
    ("no", _("No")),
]
ORIGIN_CHOICES = [
    (Origin.REGULAR, _("Regular capacity")),
    (Origin.POOL, _("Pool capacity")),
]
DEADLINE_CHOICES = [
    ("rolling", _("No deadline (rolling assessment)")),
    ("dated", _("With a deadline")),
]
SORT_CHOICES = [
    ("area", _("Planning area (A to Å)")),
    ("newest", _("Newest posting first")),
    ("deadline", _("Application deadline, soonest first")),
]


class DateInput(forms.DateInput):
    """A plain text field for a date, shown the way the page's language writes dates
    (01.06.2023 in Danish, 01/06/2023 in English). It accepts that and 2023-06-01 (links and
    scripts); the language's DATE_INPUT_FORMATS (capacity_portal/formats) hold both. Not the
    browser's date picker: its look and its format differ from browser to browser, and typing
    a known date is quicker."""

    input_type = "text"

    def __init__(self) -> None:
        super().__init__(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 12})


class PostingFilter(django_filters.FilterSet):
    """Built with the area tree and the rounds of the request, so that the choices and the
    "threatened now" test cost no query of their own."""

    area = django_filters.ChoiceFilter(
        label=_("Planning area"), method="filter_area", empty_label=_("All areas")
    )
    origin = django_filters.ChoiceFilter(
        label=_("Origin"), choices=ORIGIN_CHOICES, empty_label=_("Regular and pool")
    )
    deadline = django_filters.ChoiceFilter(
        label=_("Application deadline"),
        choices=DEADLINE_CHOICES,
        method="filter_deadline",
        empty_label=_("With or without a deadline"),
    )
    deadline_before = django_filters.DateFilter(
        label=_("Deadline on or before"),
        field_name="application_deadline",
        lookup_expr="lte",
        widget=DateInput(),
        help_text=_("As dd.mm.yyyy, for example 01.06.2025 (or 2025-06-01)."),
    )
    threatened = django_filters.ChoiceFilter(
        label=_("Area coverage-threatened today"),
        choices=THREATENED_CHOICES,
        method="filter_threatened",
        empty_label=_("Either"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method="sort_by", empty_label=None
    )

    class Meta:
        model = Capacity
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, tree: AreaTree, rounds, today: dt.date):
        super().__init__(data=data, queryset=queryset)
        self.tree = tree
        self.rounds = rounds
        self.today = today
        self.filters["area"].extra["choices"] = [(a.slug, a.name) for a in tree.all()]

    def filter_area(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        area = self.tree.by_slug.get(value)
        if area is None:
            return queryset.none()
        # Brøndby's postings include those in its sub-area Brøndby Strand.
        return queryset.filter(area__in=self.tree.with_descendants(area))

    def filter_deadline(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(application_deadline__isnull=(value == "rolling"))

    def filter_threatened(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        covered = covered_area_kinds(self.tree, self.rounds, self.today)
        if value == "no":
            return queryset.exclude(area__in=list(covered))
        wanted = {"yes": {"regional", "national"}}.get(value, {value})
        return queryset.filter(area__in=[pk for pk, kinds in covered.items() if kinds & wanted])

    def sort_by(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return sort_postings(queryset, self.tree, value)

    @property
    def qs(self) -> QuerySet:
        queryset = super().qs
        if not self.form.is_valid() or not self.form.cleaned_data.get("sort"):
            queryset = sort_postings(queryset, self.tree, "area")
        return queryset


def sort_postings(queryset: QuerySet, tree: AreaTree, value: str) -> QuerySet:
    # Areas in Danish alphabetical order (æ, ø, å last), which no database collation
    # guarantees: rank them from the tree.
    rank = Case(
        *[When(area_id=area.pk, then=Value(i)) for i, area in enumerate(tree.all())],
        default=Value(len(tree.by_id)),
        output_field=IntegerField(),
    )
    queryset = queryset.alias(area_rank=rank)
    if value == "newest":
        return queryset.order_by("-posted_on", "area_rank", "id")
    if value == "deadline":
        return queryset.order_by(
            F("application_deadline").asc(nulls_last=True), "area_rank", "posted_on", "id"
        )
    return queryset.order_by("area_rank", "posted_on", "id")
