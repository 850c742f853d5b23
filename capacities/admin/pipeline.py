"""The staff page of pipeline figures (editors and secretaries): tables, SVG charts, a period,
area and origin filter, and CSV/XLSX downloads. Everything comes from
`capacities.pipeline.figures`; only counts and days leave the page, never a grantee."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from capacities.charts import durations_chart, returns_by_reason_chart
from capacities.models import Origin, ReturnReason
from capacities.pipeline import DURATION_NAMES, STEPS, Figures, Pipeline, figures, first_step_date
from coverage_areas.models import PlanningArea

YEARS_BY_DEFAULT = 10
# A period longer than this is a typing mistake (and a page no one can read).
LONGEST = dt.timedelta(days=366 * 60)


def step_labels() -> dict[str, str]:
    return {
        "return": _("Returned"),
        "decide": _("Decisions"),
        "decide_to_post": _("of which to post"),
        "redistribute": _("of which redistributed"),
        "allocate": _("of which pool allocations"),
        "post": _("Posted"),
        "withdraw": _("Postings withdrawn"),
        "grant": _("Granted"),
        "lapse": _("Grants lapsed"),
        "establish": _("Established"),
    }


def duration_labels() -> dict[str, str]:
    return {
        "return_to_decision": _("Return to decision"),
        "decision_to_post": _("Decision to posting"),
        "post_to_grant": _("Posting to grant"),
        "grant_to_establish": _("Grant to establishment"),
        "return_to_post": _("Return to posting"),
        "return_to_establish": _("Return to new practice"),
    }


class PipelineFilterForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}))
    area = forms.ModelChoiceField(
        label=gettext_lazy("Planning area"),
        queryset=PlanningArea.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("All areas"),
        help_text=gettext_lazy("An area includes its sub-areas."),
    )
    origin = forms.ChoiceField(
        label=gettext_lazy("Origin"),
        choices=[("", gettext_lazy("Regular and pool")), *Origin.choices],
        required=False,
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The period ends before it begins."))
            if end - start > LONGEST:
                raise forms.ValidationError(_("Choose a period of at most 60 years."))
        return data


def _default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    first = first_step_date()
    year = max(first.year if first else today.year, today.year - YEARS_BY_DEFAULT + 1)
    return dt.date(min(year, today.year), 1, 1), today


def table_rows(pipeline: Pipeline) -> tuple[list[str], list[list]]:
    """One row per slice (whole period, each year, each area, each origin, each year and
    area), with every count and duration: the downloads' single table."""
    steps, durations = step_labels(), duration_labels()
    header = [_("Slice"), _("Year"), _("Planning area"), _("Origin")]
    header += [steps[key] for key in STEPS]
    header += [str(reason.label).capitalize() for reason in ReturnReason]
    measures = [_("median days"), _("90th percentile"), _("completed"), _("open")]
    for name in DURATION_NAMES:
        header += [f"{durations[name]}: {measure}" for measure in measures]

    def row(scope: str, year, area: str, origin: str, f: Figures) -> list:
        values = [scope, year, area, origin]
        values += [f.steps[key] for key in STEPS]
        values += [f.returns_by_reason.get(reason.value, 0) for reason in ReturnReason]
        for name in DURATION_NAMES:
            d = f.durations[name]
            values += [d.median, d.p90, d.count, d.open]
        return values

    everything = _("all")
    names = {ref.id: ref.name for ref, _f in pipeline.by_area}
    rows = [
        row(_("period"), f"{pipeline.start}/{pipeline.end}", everything, everything, pipeline.total)
    ]
    rows += [
        row(_("year"), year, everything, everything, f) for year, f in pipeline.by_year.items()
    ]
    rows += [row(_("area"), "", ref.name, everything, f) for ref, f in pipeline.by_area]
    rows += [
        row(_("origin"), "", everything, str(Origin(value).label), f)
        for value, f in pipeline.by_origin.items()
    ]
    rows += [
        row(_("year and area"), year, names[area], everything, f)
        for (year, area), f in sorted(
            pipeline.by_year_and_area.items(), key=lambda item: (item[0][0], names[item[0][1]])
        )
    ]
    return header, rows


def render_csv(pipeline: Pipeline) -> bytes:
    header, rows = table_rows(pipeline)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in r] for r in rows])
    # With a byte-order mark, so that Excel opens æ, ø and å correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def render_xlsx(pipeline: Pipeline) -> bytes:
    header, rows = table_rows(pipeline)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Pipeline")[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in rows:
        sheet.append(values)
    sheet.freeze_panes = "E2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class PipelinePageMixin:
    """For the capacity's ModelAdmin: the pipeline figures page."""

    def pipeline_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET"])
        today = timezone.localdate()
        start, end = _default_period(today)
        form = PipelineFilterForm(
            request.GET if "start" in request.GET else None, initial={"start": start, "end": end}
        )
        status, area_ids, origin = 200, None, None
        if form.is_bound:
            if form.is_valid():
                start, end = form.cleaned_data["start"], form.cleaned_data["end"]
                origin = form.cleaned_data["origin"] or None
                if form.cleaned_data["area"]:
                    area = form.cleaned_data["area"]
                    area_ids = [area.pk, *area.sub_areas.values_list("pk", flat=True)]
            else:
                status = 400
        pipeline = figures(start, end, areas=area_ids, origin=origin) if status == 200 else None
        download = request.GET.get("format")
        if pipeline is not None and download in ("csv", "xlsx"):
            render = render_csv if download == "csv" else render_xlsx
            response = HttpResponse(
                render(pipeline),
                content_type="text/csv; charset=utf-8"
                if download == "csv"
                else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = (
                f'attachment; filename="forloeb-{start.isoformat()}-{end.isoformat()}.{download}"'
            )
            return response
        query = request.GET.copy()
        query.pop("format", None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Pipeline: from return to new practice"),
            "form": form,
            "pipeline": pipeline,
            "step_labels": step_labels(),
            "duration_labels": duration_labels(),
            "steps": STEPS,
            "duration_names": DURATION_NAMES,
            "reasons": list(ReturnReason),
            "query": query.urlencode() or f"start={start.isoformat()}&end={end.isoformat()}",
        }
        if pipeline is not None:
            context |= {
                "returns_chart": returns_by_reason_chart(pipeline),
                "durations_chart": durations_chart(pipeline),
                "year_rows": [
                    {
                        "year": year,
                        "steps": [f.steps[key] for key in STEPS],
                        "reasons": [f.returns_by_reason.get(r.value, 0) for r in ReturnReason],
                        "durations": [f.durations[name] for name in DURATION_NAMES],
                    }
                    for year, f in pipeline.by_year.items()
                ],
                "area_rows": [
                    {
                        "area": ref.name,
                        "steps": [f.steps[key] for key in STEPS],
                        "wait": f.durations["return_to_establish"],
                    }
                    for ref, f in pipeline.by_area
                ],
                "origin_rows": [
                    {
                        "origin": Origin(value).label,
                        "steps": [f.steps[key] for key in STEPS],
                        "durations": [f.durations[name] for name in DURATION_NAMES],
                    }
                    for value, f in pipeline.by_origin.items()
                ],
            }
        return TemplateResponse(request, "capacities/admin/pipeline.html", context, status=status)
