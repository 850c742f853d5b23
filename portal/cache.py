"""Cached public pages that still show a change at once.

Every tracked model writes a django-simple-history row on each change (a transition saves a
Capacity history row; staff edits in the admin save history rows too). After the transaction
commits, the public data version rises, and cached pages are keyed by that version, so the
next request renders afresh. The version lives in the database so that all server processes
agree on it even with a per-process cache; reading it is one single-row query."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

from portal import clock
from portal.models import PublicDataVersion

PAGE_TIMEOUT = 60 * 60
VERSION_ROW = 1


def current_version() -> int:
    return (
        PublicDataVersion.objects.filter(pk=VERSION_ROW).values_list("value", flat=True).first()
        or 0
    )


def bump_version() -> None:
    if PublicDataVersion.objects.filter(pk=VERSION_ROW).update(value=F("value") + 1):
        return
    try:
        with transaction.atomic():
            PublicDataVersion.objects.create(pk=VERSION_ROW, value=1)
    except IntegrityError:
        # Another process created the row at the same moment; count our change too.
        PublicDataVersion.objects.filter(pk=VERSION_ROW).update(value=F("value") + 1)


def on_history_record(sender, using: str | None = None, **kwargs) -> None:
    """Receiver of simple_history's post_create_historical_record: bump once committed (a
    rolled-back change must not evict anything, and a reader must not cache the old data
    under the new version)."""
    transaction.on_commit(bump_version, using=using)


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Cache a public GET view's successful answers by data version, day, language and URL.

    The ETag is the same key, so a browser revalidating (Cache-Control: no-cache) gets a 304
    until the data or the day changes."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        identity = "|".join(
            [
                str(current_version()),
                clock.today().isoformat(),
                get_language() or "",
                request.build_absolute_uri(),
            ]
        )
        digest = hashlib.sha256(identity.encode()).hexdigest()
        etag = f'"{digest[:32]}"'
        if etag in request.headers.get("If-None-Match", ""):
            response: HttpResponse = HttpResponseNotModified()
            response["ETag"] = etag
            return response
        key = f"portal:page:{digest}"
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return response
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            response["ETag"] = etag
            patch_cache_control(response, public=True, no_cache=True)
            cache.set(key, response, PAGE_TIMEOUT)
        return response

    return wrapper
