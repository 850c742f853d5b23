"""/statistik/: how returned capacities come back into use, for anyone, with nothing personal.

The figures come from `capacities.pipeline.figures`; this page only chooses the years and
hides small cells: a count per planning area below SMALL_CELL is shown as "<5", and a median
per area only when it rests on at least SMALL_CELL completed episodes, so that no single
doctor's story can be read off the page."""

from __future__ import annotations

import datetime as dt
import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from capacities.charts import durations_chart, returns_by_reason_chart
from capacities.models import ReturnReason
from capacities.pipeline import Figures, figures, first_step_date
from portal import clock
from portal.cache import cached_page

SMALL_CELL = 5
YEARS_SHOWN = 10
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2199, 12, 31)


def suppressed(count: int) -> str:
    """A count fit to publish per area: "<5" for 1 to 4, otherwise the number."""
    return f"<{SMALL_CELL}" if 0 < count < SMALL_CELL else str(count)


def parse_period(start_text: str | None, end_text: str | None, today: dt.date):
    """(start, end) from `from` and `to` (YYYY-MM-DD; default: this year up to today), or a
    message saying what is wrong."""
    days = []
    for text, default in ((start_text, today.replace(month=1, day=1)), (end_text, today)):
        if text is None:
            days.append(default)
            continue
        try:
            # Only YYYY-MM-DD: fromisoformat alone would also take 20230601 or 2023-W22-4.
            if not ISO_DATE.fullmatch(text.strip()):
                raise ValueError(text)
            day = dt.date.fromisoformat(text.strip())
        except ValueError:
            return _("The dates must be written YYYY-MM-DD, for example 2024-01-01.")
        if not FIRST_DAY <= day <= LAST_DAY:
            return _("The dates must lie between 1900 and 2199.")
        days.append(day)
    start, end = days
    if end < start:
        return _("The period ends (to) before it begins (from).")
    return start, end


def _area_row(ref, figures_: Figures) -> dict:
    returned = figures_.steps["return"]
    established = figures_.steps["establish"]
    wait = figures_.durations["return_to_establish"]
    return {
        "area": ref,
        "returned": suppressed(returned),
        "established": suppressed(established),
        "median": wait.median if wait.count >= SMALL_CELL else None,
        "median_suppressed": 0 < wait.count < SMALL_CELL,
    }


@cached_page
def statistics_page(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    first = first_step_date()
    first_year = max(first.year if first else today.year, today.year - YEARS_SHOWN + 1)
    start = dt.date(min(first_year, today.year), 1, 1)
    pipeline = figures(start, today)
    years = [
        {
            "year": year,
            "figures": pipeline.by_year[year],
            "wait": pipeline.by_year[year].durations["return_to_establish"],
        }
        for year in reversed(pipeline.years)
    ]
    reasons = [
        {
            "label": reason.label,
            "counts": [
                pipeline.by_year[y].returns_by_reason.get(reason.value, 0) for y in pipeline.years
            ],
        }
        for reason in ReturnReason
    ]
    context = {
        "today": today,
        "pipeline": pipeline,
        "years": years,
        "reasons": reasons,
        "areas": [
            _area_row(ref, f)
            for ref, f in pipeline.by_area
            if f.steps["return"] or f.steps["establish"]
        ],
        "small_cell": SMALL_CELL,
        "small_cell_most": SMALL_CELL - 1,
        "returns_chart": returns_by_reason_chart(pipeline),
        "durations_chart": durations_chart(pipeline),
        "twins": [
            {
                "url": f"{reverse('open_data:pipeline_json')}?from={y['year']}-01-01"
                f"&to={min(dt.date(y['year'], 12, 31), today).isoformat()}",
                "label": _("Pipeline figures %(year)s as JSON") % {"year": y["year"]},
                "type": "application/json",
            }
            for y in years
        ],
    }
    return render(request, "portal/statistics.html", context)
