"""The status certificate as a page and as a one-page PDF (same facts, same fingerprint)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from coverage_areas.status import benefits_by_kind, load_rounds
from coverage_areas.tree import AreaTree
from portal import cache, clock
from portal.aliases import area_or_redirect
from portal.certificate import build_certificate
from portal.forms import StatusDateForm


def _certificate_or_response(request: HttpRequest, slug: str, url_name: str):
    """(certificate, None) for a good request; (None, response) for a redirect or a form with
    its errors; Http404 for an unknown area."""
    tree = AreaTree.load()
    area = area_or_redirect(request, tree, slug, url_name)
    if area is None:
        raise Http404(_("No planning area has that address."))
    if isinstance(area, HttpResponsePermanentRedirect):
        return None, area
    form = StatusDateForm(request.GET if "date" in request.GET else None)
    if not form.is_bound or not form.is_valid():
        context = {"area": area, "form": form, "today": clock.today(), "certificate": None}
        status = 400 if form.is_bound else 200
        return None, render(request, "portal/certificate.html", context, status=status)
    certificate = build_certificate(
        load_rounds(),
        area,
        form.cleaned_data["date"],
        benefits_by_kind(),
        language=get_language() or "da",
        data_version=cache.current_version(),
    )
    return certificate, None


def _fresh(response: HttpResponse) -> HttpResponse:
    # Made on request, with the moment it was made: never served from a cache.
    patch_cache_control(response, no_store=True)
    return response


def certificate(request: HttpRequest, slug: str) -> HttpResponse:
    found, response = _certificate_or_response(request, slug, "portal:certificate")
    if response is not None:
        return _fresh(response)
    context = {"area": found.area, "certificate": found, "form": StatusDateForm(request.GET)}
    return _fresh(render(request, "portal/certificate.html", context))


def certificate_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    found, response = _certificate_or_response(request, slug, "portal:certificate_pdf")
    if response is not None:
        return _fresh(response)
    # Imported here: WeasyPrint loads pango when imported, which only the PDF needs.
    from weasyprint import HTML

    html = render_to_string(
        "portal/certificate_document.html",
        {"area": found.area, "certificate": found, "language": get_language() or "da"},
        request=request,
    )
    pdf = HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"attest-{found.area.slug}-{found.on.isoformat()}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return _fresh(response)
