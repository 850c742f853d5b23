"""Request handling that belongs to running the portal, not to any page."""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.template import loader
from django.utils.cache import add_never_cache_headers

log = logging.getLogger("capacity_portal.availability")


class TrustedProxyMiddleware:
    """Take the client's address from X-Forwarded-For, as far as our own proxies vouch for it.

    Behind a proxy, REMOTE_ADDR is the proxy's address: login throttling would then lock out
    everybody at once. Each of the TRUSTED_PROXY_COUNT proxies in front of the portal appends
    the address it received from, so the client is that many entries from the right. Entries
    further left come from the client itself and are not trusted. With no proxy count set,
    the header is ignored.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = settings.TRUSTED_PROXY_COUNT
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if count > 0 and forwarded:
            hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
            if hops:
                client = ip_address_of(hops[-min(count, len(hops))])
                # Not an address (junk, or a proxy we do not know): keep the proxy's own, as
                # the address is stored (login throttling) and must be one.
                if client is not None:
                    request.META["REMOTE_ADDR"] = client
        return self.get_response(request)


def ip_address_of(hop: str) -> str | None:
    """The address in an X-Forwarded-For entry: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`,
    `[2001:db8::1]:443`; None for anything else."""
    if hop.startswith("["):
        hop = hop[1:].partition("]")[0]
    elif hop.count(":") == 1:
        hop = hop.partition(":")[0]
    try:
        return str(ipaddress.ip_address(hop))
    except ValueError:
        return None


class DatabaseUnavailableMiddleware:
    """Answer a friendly 503 page, not a stack trace, while the database cannot be reached.

    The page is rendered without touching the database (no session, no user, no query), and
    nothing is cached, so the next request after the database returns is served normally:
    Django replaces the broken connection by itself (CONN_HEALTH_CHECKS).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        log.error(
            "database unavailable",
            extra={
                "fields": {
                    "event": "database_unavailable",
                    "path": request.path,
                    "error": (str(exception).strip().splitlines() or [""])[0][:300],
                }
            },
        )
        return unavailable_response()


def unavailable_response() -> HttpResponse:
    # The stylesheet by its plain name: whitenoise serves it without the manifest, and a missing
    # file costs the page its looks, never the page itself.
    context = {"stylesheet": f"{settings.STATIC_URL}portal/site.css"}
    response = HttpResponse(loader.render_to_string("503.html", context), status=503)
    response["Retry-After"] = "30"
    add_never_cache_headers(response)
    return response


# What is worth compressing: pages, feeds, open data as text. PDFs, spreadsheets and images
# are compressed already (static files are whitenoise's, above this middleware).
_TEXT_TYPES = ("text/", "application/json", "application/xml", "application/atom+xml",
               "application/rss+xml", "image/svg+xml", "application/javascript")  # fmt: skip


class CompressTextMiddleware(GZipMiddleware):
    """Pages and open data gzip-compressed for clients that ask (every browser): the threatened
    areas' page with its three maps is 72 KB at region size and 340 KB at country size, 15 and
    35 KB compressed. Django's own middleware, which also adds `Vary: Accept-Encoding`, keeps
    BREACH at bay with random bytes in the header and weakens the ETag; here only for text."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if not response.get("Content-Type", "").startswith(_TEXT_TYPES):
            return response
        return super().process_response(request, response)
