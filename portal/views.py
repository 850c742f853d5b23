"""The public pages for doctors. Thin: each gathers what its template shows from
portal.queries, and is cached by public data version (portal.cache)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from capacities.eligibility import threshold_on
from capacities.models import Status
from capacities.postings import Posting, channel_names, how_to_apply, postings_of
from coverage_areas.models import RegionProfile
from coverage_areas.postcodes import postcodes_of
from coverage_areas.status import (
    benefits_by_kind,
    load_rounds,
    national_rounds,
    overview,
    round_area_names,
    statuses_by_area,
    summary,
)
from coverage_areas.tree import AreaTree
from portal import clock
from portal.aliases import area_or_redirect
from portal.answers import answers_on, any_designated
from portal.cache import cached_page
from portal.filters import PostingFilter
from portal.forms import AreaSearchForm, MapYearForm, StatusDateForm
from portal.maps import (
    closure_map,
    locator_map,
    map_years,
    status_date,
    status_map,
    status_title,
    year_maps,
)
from portal.queries import (
    PRESSURE_ORDERS,
    data_last_changed,
    in_process_in,
    latest_closure_shares,
    open_postings,
    posting_counts_by_area,
)
from portal.search import area_search
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
    rounds = load_rounds()
    view = overview(rounds, today)
    context = {
        "today": today,
        "overview": view,
        "map": status_map(tree, rounds, today, title=status_title(today, today)),
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
    statuses = statuses_by_area(tree, rounds, today)
    rows = [(capacity, summary(statuses[capacity.area_id])) for capacity in page or []]
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


def _posting_page(request: HttpRequest, posting: Posting) -> HttpResponse:
    """A posting, open or closed: what was posted (the opening step's state), how it ended,
    how to apply, and the status and benefits if the doctor applied today."""
    today = clock.today()
    language = get_language() or "da"
    state = posting.opened
    tree = AreaTree.load()
    area = tree.by_id[state.area_id]
    answers = answers_on(load_rounds(), area, today, benefits_by_kind(), language)
    context = {
        "posting": posting,
        "state": state,
        "origin": state.capacity.origin,
        "area": area,
        "parent": tree.parent(area),
        "today": today,
        "answers": answers,
        "designated": any_designated(answers),
        "apply": how_to_apply(state, RegionProfile.current(), language),
        "channels": channel_names(state.channel_ids, language),
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
def posting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A capacity's posting: its open one, else its latest (closed) one."""
    postings = postings_of(pk)
    if not postings:
        raise Http404(_("No posting has that address."))
    return _posting_page(request, postings[-1])


@cached_page
def posting_version(request: HttpRequest, pk: int, posting: int) -> HttpResponse:
    """One posting of a capacity, open or closed: a capacity posted again is a new posting."""
    found = next((p for p in postings_of(pk) if p.pk == posting), None)
    if found is None:
        raise Http404(_("No posting has that address."))
    return _posting_page(request, found)


@cached_page
def threatened_areas(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    rounds = load_rounds()
    tree = AreaTree.load()
    view = overview(rounds, today)
    year = view.shown_year
    years = map_years(rounds, today)
    year_form = MapYearForm(
        request.GET if "year" in request.GET else None, years=years, auto_id="map-%s"
    )
    status = 200
    map_year = years[0]
    if year_form.is_bound:
        if year_form.is_valid():
            map_year = year_form.cleaned_data["year"]
        else:
            # An unknown year: say so beside the choice and show this year's map.
            status = 400
    # An unknown sort order is ignored (names), as a link with a stale parameter should work.
    order = request.GET.get("sort", "name")
    order = order if order in PRESSURE_ORDERS else "name"
    criteria = threshold_on(today)
    pressure = latest_closure_shares(order)
    context = {
        "today": today,
        "overview": view,
        "year_form": year_form,
        **year_maps(tree, rounds, status_date(map_year, today), today),
        "closure_map": closure_map(
            tree, pressure, title=_("Share closed to new patients, latest month per area")
        ),
        "pressure": pressure,
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
    return render(request, "portal/threatened_areas.html", context, status=status)


@cached_page
def area_list(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    tree = AreaTree.load()
    form = AreaSearchForm(request.GET or None)
    status = 200
    areas = tree.all()
    found = None
    if form.is_bound:
        if form.is_valid():
            found = area_search(tree, form.cleaned_data["q"])
            areas = found.areas
        else:
            status, areas = 400, []
    rounds = load_rounds()
    statuses = statuses_by_area(tree, rounds, today)
    counts = dict(posting_counts_by_area(tree))
    year = overview(rounds, today).shown_year
    rows = [
        {
            "area": area,
            "parent": tree.parent(area),
            "threat": summary(statuses[area.pk]),
            "postings": counts.get(area, 0),
        }
        for area in areas
    ]
    context = {
        "form": form,
        "found": found,
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
    language = get_language() or "da"
    rounds = load_rounds()
    benefits = benefits_by_kind()
    form = StatusDateForm(request.GET if "date" in request.GET else None)
    status = 200
    asked = None
    if form.is_bound:
        if form.is_valid():
            on = form.cleaned_data["date"]
            asked = {"date": on, "answers": answers_on(rounds, area, on, benefits, language)}
        else:
            status = 400
    capacities = list(in_process_in(tree.with_descendants(area)))
    asked_date = asked["date"] if asked else today
    context = {
        "area": area,
        "parent": tree.parent(area),
        "sub_areas": tree.children.get(area.pk, []),
        "today": today,
        "now": answers_on(rounds, area, today, benefits, language),
        "posted": [c for c in capacities if c.status == Status.POSTED],
        "granted": [c for c in capacities if c.status == Status.GRANTED],
        "awaiting": [
            c for c in capacities if c.status in (Status.AWAITING_DECISION, Status.AWAITING_POSTING)
        ],
        "timeline": _timeline(tree, rounds, area),
        "locator": locator_map(
            tree, area, title=_("Where %(area)s lies in the region") % {"area": area.name}
        ),
        "postcodes": postcodes_of(area.slug),
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
