"""Open data, no login, shapes as CONTRACT.md ("Open data") promises them. Bad input answers
400 with {"error": ...}, an unknown area 404; nothing here may answer 500."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from capacities.pipeline import figures
from common.spreadsheets import csv_dict
from common.text import clean_text
from coverage_areas.postcodes import Outside, is_postcode, lookup
from coverage_areas.status import (
    area_status,
    load_rounds,
    national_round_for_year,
    regional_years,
    round_area_names,
)
from coverage_areas.tree import AreaTree
from portal import clock, spreadsheets
from portal.aliases import area_or_redirect
from portal.cache import cached_page
from portal.filters import PostingFilter
from portal.queries import open_postings
from portal.search import shares_of
from portal.statistics import parse_period

POSTING_FIELDS = ["area", "area_slug", "origin", "posted_on", "application_deadline", "remark"]
# Years outside this range are typing mistakes, not rounds anyone will record.
YEARS = range(1900, 2200)
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse(
        {"error": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def _json(data: dict) -> JsonResponse:
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _filtered_postings(request: HttpRequest) -> list[dict] | str:
    """The open postings as rows, filtered like the postings page; a message on bad input."""
    query = request.GET.copy()
    query.pop("page", None)
    filterset = PostingFilter(
        query or None,
        queryset=open_postings(),
        tree=AreaTree.load(),
        rounds=load_rounds(),
        today=clock.today(),
    )
    if filterset.is_bound and not filterset.is_valid():
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in filterset.errors.items()
        )
    return [
        {
            "area": c.area.name,
            "area_slug": c.area.slug,
            "origin": c.origin,
            "posted_on": _iso(c.posted_on),
            "application_deadline": _iso(c.application_deadline),
            "remark": clean_text(c.posting_remark),
        }
        for c in filterset.qs
    ]


@cached_page
def postings_json(request: HttpRequest) -> HttpResponse:
    rows = _filtered_postings(request)
    if isinstance(rows, str):
        return _error(rows)
    return _json({"results": rows})


@cached_page
def postings_csv(request: HttpRequest) -> HttpResponse:
    rows = _filtered_postings(request)
    if isinstance(rows, str):
        return _error(rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=POSTING_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(csv_dict(row) for row in rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="postings.csv"'
    return response


def _year(text: str | None) -> int | None:
    # Four digits at most: a year of 5,000 digits is refused before Python is asked to read it.
    if text is None or not text.strip().isascii() or not text.strip().isdigit():
        return None
    if len(text.strip()) > 4:
        return None
    year = int(text.strip())
    return year if year in YEARS else None


def _designations(request: HttpRequest) -> dict | str:
    """A year's lists in the shape of designations.json, or a message on bad input."""
    if "year" not in request.GET:
        return _("Give the year, for example ?year=2023.")
    year = _year(request.GET["year"])
    if year is None:
        return _("The year must be a year such as 2023.")
    rounds = load_rounds()
    regional = next((y for y in regional_years(rounds) if y.year == year), None)
    national = national_round_for_year(rounds, year)
    if regional is None and national is None:
        return _("No coverage-threatened areas are recorded for %(year)s.") % {"year": year}
    changes = regional.changes if regional else None
    return {
        "year": year,
        "regional": {
            "status": regional.round.status if regional else "none",
            "decision_date": _iso(regional.round.decision_date) if regional else None,
            # An announced list is not a list yet: it names no areas until decided.
            "areas": regional.areas if regional and regional.decided else [],
        },
        "national": {
            "period": national.period if national else None,
            "areas": round_area_names(national) if national else [],
        },
        "changes_from_previous_year": {
            "joined": changes.joined if changes else [],
            "left": changes.left if changes else [],
        },
    }


@cached_page
def designations_json(request: HttpRequest) -> HttpResponse:
    data = _designations(request)
    if isinstance(data, str):
        return _error(data)
    return _json(data)


def _download(content: bytes, content_type: str, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


@cached_page
def postings_xlsx(request: HttpRequest) -> HttpResponse:
    rows = _filtered_postings(request)
    if isinstance(rows, str):
        return _error(rows)
    content = spreadsheets.xlsx(
        "Åbne opslag",
        spreadsheets.POSTING_HEADINGS,
        spreadsheets.posting_rows(rows),
        [22, 22, 12, 30, 60],
    )
    return _download(content, spreadsheets.XLSX_TYPE, "opslag.xlsx")


@cached_page
def postings_excel_csv(request: HttpRequest) -> HttpResponse:
    rows = _filtered_postings(request)
    if isinstance(rows, str):
        return _error(rows)
    content = spreadsheets.excel_csv(spreadsheets.POSTING_HEADINGS, spreadsheets.posting_rows(rows))
    return _download(content, spreadsheets.EXCEL_CSV_TYPE, "opslag-excel.csv")


@cached_page
def designations_xlsx(request: HttpRequest) -> HttpResponse:
    data = _designations(request)
    if isinstance(data, str):
        return _error(data)
    content = spreadsheets.xlsx(
        f"Lægedækningstruede {data['year']}",
        spreadsheets.DESIGNATION_HEADINGS,
        spreadsheets.designation_rows(data),
        [22, 12, 12, 12, 24],
    )
    return _download(content, spreadsheets.XLSX_TYPE, f"laegedaekningstruede-{data['year']}.xlsx")


@cached_page
def designations_excel_csv(request: HttpRequest) -> HttpResponse:
    data = _designations(request)
    if isinstance(data, str):
        return _error(data)
    content = spreadsheets.excel_csv(
        spreadsheets.DESIGNATION_HEADINGS, spreadsheets.designation_rows(data)
    )
    return _download(
        content, spreadsheets.EXCEL_CSV_TYPE, f"laegedaekningstruede-{data['year']}-excel.csv"
    )


@cached_page
def area_status_json(request: HttpRequest, slug: str) -> HttpResponse:
    tree = AreaTree.load()
    area = area_or_redirect(request, tree, slug, "open_data:area_status")
    if area is None:
        return _error(_("No planning area has the address “%(slug)s”.") % {"slug": slug}, 404)
    if isinstance(area, HttpResponsePermanentRedirect):
        return area
    text = request.GET.get("date")
    if text is None:
        return _error(_("Give the date, for example ?date=2023-06-01."))
    try:
        # Only YYYY-MM-DD: fromisoformat alone would also take 20230601 or 2023-W22-4.
        if not ISO_DATE.fullmatch(text.strip()):
            raise ValueError(text)
        on = dt.date.fromisoformat(text.strip())
    except ValueError:
        return _error(_("The date must be written YYYY-MM-DD, for example 2023-06-01."))
    status = area_status(load_rounds(), area, on)
    regional, national = status["regional"], status["national"]
    return _json(
        {
            "area": area.name,
            "date": on.isoformat(),
            "regional": regional.designated,
            "national": national.designated,
            "regional_status": regional.answer,
            "national_status": national.answer,
            "designations": [
                {
                    "kind": a.kind,
                    "area": a.area.name,
                    "period": a.period,
                    "decision_date": _iso(a.round.decision_date),
                }
                for a in (*regional.applying, *national.applying)
            ],
        }
    )


@require_safe
@cached_page
def postcode_json(request: HttpRequest, code: str) -> HttpResponse:
    if not is_postcode(code):
        return _error(_("A postcode is four digits, for example 2650."))
    found = lookup(code)
    if found is None:
        return _error(_("There is no postcode %(code)s.") % {"code": code}, 404)
    areas = [] if isinstance(found, Outside) else shares_of(AreaTree.load(), found)
    if not areas:
        return _error(
            _("Postcode %(code)s (%(name)s) lies outside the region.")
            % {"code": code, "name": found.name},
            404,
        )
    return _json(
        {
            "postcode": code,
            "name": found.name,
            "areas": [{"slug": a.area.slug, "name": a.area.name, "share": a.share} for a in areas],
        }
    )


@cached_page
def pipeline_json(request: HttpRequest) -> HttpResponse:
    """The pipeline figures for a period (default: this year up to today), steps counted on
    their effective dates; region-wide only, nothing personal."""
    period = parse_period(request.GET.get("from"), request.GET.get("to"), clock.today())
    if isinstance(period, str):
        return _error(period)
    start, end = period
    return _json(figures(start, end).as_json())
