"""Subscribing to alerts (no account: an email address and a confirmation link), leaving them,
and the deadlines calendar."""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from alerts import ical, services
from alerts.forms import SubscribeForm
from alerts.models import Language
from coverage_areas.models import PlanningArea

# Tokens are URL-safe base64 (secrets.token_urlsafe); anything else, a NUL byte included
# (PostgreSQL refuses it in a query), is not ours: refuse it before touching the database.
MAX_TOKEN_LENGTH = 64
_TOKEN = re.compile(rf"[A-Za-z0-9_-]{{1,{MAX_TOKEN_LENGTH}}}")


def _bad_token(token: str) -> bool:
    return _TOKEN.fullmatch(token) is None


def _language() -> str:
    language = (get_language() or "da")[:2]
    return language if language in Language.values else Language.DANISH


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    form = SubscribeForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.request_subscription(
                    email=form.cleaned_data["email"],
                    areas=form.cleaned_data["areas"],
                    language=_language(),
                    client=request.META.get("REMOTE_ADDR") or "",
                    status_changes=form.cleaned_data["status_changes"],
                    reminders=form.cleaned_data["reminders"],
                )
            except services.TooManyRequests:
                form.add_error(
                    None,
                    _(
                        "Too many requests from your connection in the last hour. "
                        "Please try again later."
                    ),
                )
                return render(request, "alerts/subscribe.html", {"form": form}, status=429)
            # The same answer whether the address was new, subscribed already, or asked
            # within the last minutes: the form must not tell who subscribes.
            return redirect("alerts:requested")
        return render(request, "alerts/subscribe.html", {"form": form}, status=400)
    return render(request, "alerts/subscribe.html", {"form": form})


def requested(request: HttpRequest) -> HttpResponse:
    return render(request, "alerts/requested.html")


def _bad_link(request: HttpRequest, kind: str) -> HttpResponse:
    return render(request, "alerts/bad_link.html", {"kind": kind}, status=404)


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    # Opening the link only shows a button: mail scanners that follow links must not
    # subscribe anybody. The POST confirms.
    if _bad_token(token):
        return _bad_link(request, "confirm")
    if request.method == "POST":
        subscription = services.confirm(token)
        if subscription is None:
            return _bad_link(request, "confirm")
        areas = list(subscription.areas.order_by("name"))
        return render(
            request, "alerts/confirmed.html", {"subscription": subscription, "areas": areas}
        )
    pending = services.pending_request(token)
    if pending is None:
        return _bad_link(request, "confirm")
    areas = list(pending.pending_areas.order_by("name"))
    return render(request, "alerts/confirm.html", {"subscription": pending, "areas": areas})


@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if _bad_token(token):
        return _bad_link(request, "unsubscribe")
    if request.method == "POST":
        if not services.unsubscribe(token):
            return _bad_link(request, "unsubscribe")
        return render(request, "alerts/unsubscribed.html")
    subscription = services.subscription_for_token(token)
    if subscription is None:
        return _bad_link(request, "unsubscribe")
    return render(request, "alerts/unsubscribe.html", {"subscription": subscription})


@csrf_exempt
@require_POST
def one_click_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """RFC 8058: the mail program POSTs `List-Unsubscribe=One-Click` here, with no cookies and
    no CSRF token; the secret token in the address is the authorisation."""
    if _bad_token(token) or not services.unsubscribe(token):
        return _bad_link(request, "unsubscribe")
    return render(request, "alerts/unsubscribed.html")


@require_http_methods(["GET", "HEAD"])
def deadlines_calendar(request: HttpRequest) -> HttpResponse:
    slug = request.GET.get("area")
    name = "Frister for lægekapaciteter i Region Hovedstaden"
    areas = None
    if slug:
        everything = list(PlanningArea.objects.only("pk", "name", "slug", "parent_id"))
        chosen = next((area for area in everything if area.slug == slug), None)
        if chosen is None:
            raise Http404("No such planning area.")
        areas = _with_sub_areas(chosen, everything)
        name = f"Frister for lægekapaciteter i {chosen.name}"

    def url_for(capacity) -> str:
        if capacity.status == capacity.Status.POSTED:
            path = reverse("portal:posting_detail", args=[capacity.pk])
        else:
            path = reverse("portal:area_detail", args=[capacity.area.slug])
        return request.build_absolute_uri(path)

    events = ical.deadlines(ical.deadlines_queryset(areas), url_for=url_for)
    body = ical.render(events, name=name, now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="frister.ics"'
    return response


def _with_sub_areas(area: PlanningArea, everything: list[PlanningArea]) -> list[PlanningArea]:
    """The area and every area within it, at any depth (Brøndby and Brøndby Strand)."""
    children: dict[int | None, list[PlanningArea]] = {}
    for candidate in everything:
        children.setdefault(candidate.parent_id, []).append(candidate)
    found, queue, seen = [], [area], set()
    while queue:
        current = queue.pop()
        if current.pk in seen:
            continue
        seen.add(current.pk)
        found.append(current)
        queue.extend(children.get(current.pk, []))
    return found
