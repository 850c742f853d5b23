"""The public pages for doctors. Thin: each gathers what its template shows from
portal.queries, and is cached by public data version (portal.cache)."""

from __future__ import annotations

from collections import defaultdict

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from capacities.eligibility import threshold_on
from capacities.models import Status
from coverage_areas.status import (
    benefits_by_kind,
    covered_area_kinds,
    designations_on,
    load_rounds,
    national_rounds,
    overview,
    round_area_names,
)
from coverage_areas.tree import AreaTree
from portal import clock
from portal.aliases import area_or_redirect
from portal.cache import cached_page
from portal.filters import PostingFilter
from portal.forms import AreaSearchForm, StatusDateForm
from portal.queries import (
    PRESSURE_ORDERS,
    data_last_changed,
    in_process_in,
    latest_closure_shares,
    open_postings,
    posting_counts_by_area,
)
from shortage.charts import share_chart
from shortage.models import IntakeClosure

PAGE_SIZE = 25


def _twin(url: str, label: str, media_type: str = "application/json") -> dict[str, str]:
    return {"url": url, "label": label, "type": media_type}


@cached_page
def home(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    tree = AreaTree.load()
    counts = posting_counts_by_area(tree)
    view = overview(load_rounds(), today)
    context = {
        "today": today,
        "overview": view,
        "posting_counts": counts,
        "postings_total": sum(count for _area, count in counts),
        "last_changed": data_last_changed(),
        "twins": [
            _twin(reverse("open_data:postings_json"), _("Open postings as JSON")),
            _twin(reverse("open_data:postings_csv"), _("Open postings as CSV"), "text/csv"),
            _twin(
                f"{reverse('open_data:designations_json')}?year={view.shown_year}",
                _("Coverage-threatened areas %(year)s as JSON") % {"year": view.shown_year},
            ),
        ],
    }
    return render(request, "portal/home.html", context)


@cached_page
def posting_list(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    tree = AreaTree.load()
    rounds = load_rounds()
    filterset = PostingFilter(
        request.GET or None, queryset=open_postings(), tree=tree, rounds=rounds, today=today
    )
    status = 200
    page = None
    if filterset.is_bound and not filterset.is_valid():
        # A bad filter value (an unknown area, a malformed date) is the visitor's to fix:
        # show the form with its errors, and no results that would pretend to match.
        status = 400
    else:
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    covered = covered_area_kinds(tree, rounds, today)
    rows = [(capacity, sorted(covered.get(capacity.area_id, ()))) for capacity in page or []]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": page,
        "rows": rows,
        "total": open_postings().count(),
        "today": today,
        "twins": [
            _twin(
                f"{reverse('open_data:postings_json')}?{query.urlencode()}".rstrip("?"),
                _("These postings as JSON"),
            ),
            _twin(
                f"{reverse('open_data:postings_csv')}?{query.urlencode()}".rstrip("?"),
                _("These postings as CSV"),
                "text/csv",
            ),
            _twin(
                f"{reverse('open_data:postings_xlsx')}?{query.urlencode()}".rstrip("?"),
                _("These postings as an Excel workbook (XLSX)"),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            _twin(
                f"{reverse('open_data:postings_excel_csv')}?{query.urlencode()}".rstrip("?"),
                _("These postings as CSV for Danish Excel (semicolons, Danish headings)"),
                "text/csv",
            ),
            _twin(
                reverse("portal:postings_feed"),
                _("New postings (Atom feed)"),
                "application/atom+xml",
            ),
        ],
    }
    return render(request, "portal/posting_list.html", context, status=status)


def _benefit_groups(applying, language: str) -> list[dict]:
    """Group the applying designations by kind, each with its benefits in the language."""
    benefits = benefits_by_kind()
    by_kind: dict[str, list] = defaultdict(list)
    for designation in applying:
        by_kind[designation.kind].append(designation)
    return [
        {
            "kind": kind,
            "designations": designations,
            "benefits": [b.text_for(language) for b in benefits.get(kind, [])],
        }
        for kind, designations in by_kind.items()
    ]


@cached_page
def posting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    today = clock.today()
    posting = get_object_or_404(open_postings(), pk=pk)
    tree = AreaTree.load()
    area = tree.by_id[posting.area_id]
    applying = designations_on(load_rounds(), area, today)
    context = {
        "posting": posting,
        "area": area,
        "parent": tree.parent(area),
        "today": today,
        "groups": _benefit_groups(applying, get_language() or "da"),
        "twins": [
            _twin(reverse("open_data:postings_json"), _("All open postings as JSON")),
            _twin(
                f"{reverse('open_data:area_status', args=[area.slug])}?date={today.isoformat()}",
                _("The area's status today as JSON"),
            ),
        ],
    }
    return render(request, "portal/posting_detail.html", context)


@cached_page
def threatened_areas(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    rounds = load_rounds()
    view = overview(rounds, today)
    year = view.shown_year
    # An unknown sort order is ignored (names), as a link with a stale parameter should work.
    order = request.GET.get("sort", "name")
    order = order if order in PRESSURE_ORDERS else "name"
    criteria = threshold_on(today)
    context = {
        "today": today,
        "overview": view,
        "pressure": latest_closure_shares(order),
        "pressure_order": order,
        "threshold_percent": criteria.threshold_percent if criteria else None,
        "national_rounds": [
            {"period": r.period, "names": round_area_names(r)} for r in national_rounds(rounds)
        ],
        "benefits": {
            kind: [b.text_for(get_language() or "da") for b in items]
            for kind, items in benefits_by_kind().items()
        },
        "twins": [
            twin
            for y in view.years
            for twin in (
                _twin(
                    f"{reverse('open_data:designations_json')}?year={y.year}",
                    _("Coverage-threatened areas %(year)s as JSON") % {"year": y.year},
                ),
                _twin(
                    f"{reverse('open_data:designations_xlsx')}?year={y.year}",
                    _("Coverage-threatened areas %(year)s as an Excel workbook (XLSX)")
                    % {"year": y.year},
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                _twin(
                    f"{reverse('open_data:designations_excel_csv')}?year={y.year}",
                    _("Coverage-threatened areas %(year)s as CSV for Danish Excel")
                    % {"year": y.year},
                    "text/csv",
                ),
            )
        ]
        or [
            _twin(
                f"{reverse('open_data:designations_json')}?year={year}",
                _("Coverage-threatened areas %(year)s as JSON") % {"year": year},
            )
        ],
    }
    return render(request, "portal/threatened_areas.html", context)


@cached_page
def area_list(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    tree = AreaTree.load()
    form = AreaSearchForm(request.GET or None)
    status = 200
    areas = tree.all()
    if form.is_bound:
        if form.is_valid():
            areas = tree.search(form.cleaned_data["q"])
        else:
            status, areas = 400, []
    rounds = load_rounds()
    covered = covered_area_kinds(tree, rounds, today)
    counts = dict(posting_counts_by_area(tree))
    year = overview(rounds, today).shown_year
    rows = [
        {
            "area": area,
            "parent": tree.parent(area),
            "kinds": sorted(covered.get(area.pk, ())),
            "postings": counts.get(area, 0),
        }
        for area in areas
    ]
    context = {
        "form": form,
        "rows": rows,
        "today": today,
        "total": len(tree.by_id),
        "twins": [
            _twin(
                f"{reverse('open_data:designations_json')}?year={year}",
                _("Coverage-threatened areas %(year)s as JSON") % {"year": year},
            ),
            _twin(reverse("open_data:postings_json"), _("Open postings as JSON")),
        ],
    }
    return render(request, "portal/area_list.html", context, status=status)


def _timeline(tree: AreaTree, rounds, area) -> list[dict]:
    """The area's designation history by year, newest first: for each year and kind, whether
    it was designated (itself or through the area it is part of), or the round's state."""
    lineage = {a.pk for a in area.lineage()}
    if not rounds:
        return []
    years = range(max(r.last_year for r in rounds), min(r.first_year for r in rounds) - 1, -1)
    rows = []
    for year in years:
        row: dict = {"year": year}
        for round_ in rounds:
            if not round_.first_year <= year <= round_.last_year:
                continue
            through = [
                tree.by_id[d.area_id] for d in round_.designations.all() if d.area_id in lineage
            ]
            row[round_.kind] = {
                "round": round_,
                "decided": round_.valid_from is not None,
                "through": through[0] if through else None,
            }
        rows.append(row)
    return rows


@cached_page
def area_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tree = AreaTree.load()
    area = area_or_redirect(request, tree, slug, "portal:area_detail")
    if area is None:
        raise Http404(_("No planning area has that address."))
    if isinstance(area, HttpResponsePermanentRedirect):
        return area
    today = clock.today()
    rounds = load_rounds()
    form = StatusDateForm(request.GET if "date" in request.GET else None)
    status = 200
    asked = None
    if form.is_bound:
        if form.is_valid():
            on = form.cleaned_data["date"]
            pending = [
                r
                for r in rounds
                if r.first_year <= on.year <= r.last_year and not r.in_force_on(on)
            ]
            asked = {
                "date": on,
                "applying": designations_on(rounds, area, on),
                "pending": pending,
            }
        else:
            status = 400
    capacities = list(in_process_in(tree.with_descendants(area)))
    asked_date = asked["date"] if asked else today
    context = {
        "area": area,
        "parent": tree.parent(area),
        "sub_areas": tree.children.get(area.pk, []),
        "today": today,
        "now": _benefit_groups(designations_on(rounds, area, today), get_language() or "da"),
        "posted": [c for c in capacities if c.status == Status.POSTED],
        "granted": [c for c in capacities if c.status == Status.GRANTED],
        "awaiting": [
            c for c in capacities if c.status in (Status.AWAITING_DECISION, Status.AWAITING_POSTING)
        ],
        "timeline": _timeline(tree, rounds, area),
        "chart": share_chart(
            IntakeClosure.objects.for_area(area),
            threshold_percent=getattr(threshold_on(today), "threshold_percent", None),
        ),
        "form": form,
        "asked": asked,
        "twins": [
            _twin(
                f"{reverse('open_data:area_status', args=[area.slug])}"
                f"?date={asked_date.isoformat()}",
                _("Status on %(date)s as JSON") % {"date": asked_date.isoformat()},
            )
        ],
    }
    return render(request, "portal/area_detail.html", context, status=status)
