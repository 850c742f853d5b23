"""Cached public pages that still show a change at once.

Every tracked model writes a django-simple-history row on each change (a transition saves a
Capacity history row; staff edits in the admin save history rows too). After the transaction
commits, the public data version rises once, and cached pages are keyed by that version, so
the next request renders afresh.

Where the version lives depends on the cache:

- With a shared cache (Redis, `CACHE_URL=redis://…`) it lives in the cache: reading it costs
  no database round trip, and a bump is an atomic increment there, after commit. The database
  row is bumped too and is the fallback: should the key be evicted, or expire (every
  minute, so that a bump Redis missed while it was away heals), it is loaded from the row.
- With a per-process cache (the default) every process must still see a change at its next
  request, so the version is read from the database row, one primary-key lookup per request.

Two layers use the same key (data version, day, language, URL):

- `cached_page` wraps each public view and caches what the view returned; every request that
  runs the whole middleware stack (staff, a visitor with a session) is served from it.
- `EarlyPageCacheMiddleware` sits at the top of the stack. It stores the finished answer (with
  every header the other middlewares added) and serves it to the next anonymous GET/HEAD
  before the session, locale, CSRF, auth, messages and axes middlewares run.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Callable
from functools import lru_cache, wraps

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    connections,
    router,
    transaction,
)
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language, get_language_from_path

from portal import clock
from portal.models import PublicDataVersion

log = logging.getLogger("portal.cache")

PAGE_TIMEOUT = 60 * 60
# Finished answers each process keeps in memory (public pages are at most a few dozen KB).
LOCAL_PAGES = 256
VERSION_ROW = 1
VERSION_KEY = "portal:version"
# The version key is taken again from the database row at least this often, so that a bump
# Redis missed (it was away at that moment) shows within a minute once it is back.
VERSION_TTL = 60
# How far back among the waiting on-commit callbacks to look for a bump to merge with.
_LOOK_BACK = 20
DUMMY_BACKEND = "django.core.cache.backends.dummy.DummyCache"
SHARED_BACKENDS = ("django.core.cache.backends.redis.RedisCache",)

# "Increment, but never below the database row": normally the two move in step; after the key
# was evicted or Redis restarted empty, the row's count is where it starts again.
_INCREMENT_AT_LEAST = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
local floor = tonumber(ARGV[1])
if current < floor - 1 then current = floor - 1 end
redis.call('SET', KEYS[1], current + 1, 'EX', ARGV[2])
return current + 1
"""


def shared_cache() -> bool:
    return settings.CACHES["default"]["BACKEND"] in SHARED_BACKENDS


def _read_database_version(connection) -> int:
    with connection.cursor() as cursor:
        # Plain SQL: this runs on every cached request with a per-process cache.
        cursor.execute(
            f"SELECT value FROM {PublicDataVersion._meta.db_table} WHERE id = %s", [VERSION_ROW]
        )
        row = cursor.fetchone()
    return row[0] if row else 0


def _database_version() -> int:
    connection = connections[router.db_for_read(PublicDataVersion)]
    reused = connection.connection is not None
    if not (reused and connection.health_check_enabled and not connection.health_check_done):
        return _read_database_version(connection)
    # A reused connection is health-checked once per request (CONN_HEALTH_CHECKS), one more
    # round trip. This query is the check: if the connection died meanwhile (a database
    # restart), it is replaced and the query repeated, as the check would have done.
    connection.health_check_done = True
    try:
        return _read_database_version(connection)
    except (OperationalError, InterfaceError) as error:
        if "timeout" in type(error.__cause__).__name__.lower():
            raise  # a database that does not answer in time is not asked twice
        connection.close()
        return _read_database_version(connection)


@lru_cache(maxsize=4)
def _redis_client(location: str):
    """One client per process for the version key: Django's RedisCache builds a new client
    object (and its table of ~170 reply parsers) for every call, which costs more than the
    round trip itself on this hot path. Same server, key and integer format as the cache."""
    import redis

    return redis.Redis.from_url(location)


def _version_client():
    return _redis_client(settings.CACHES["default"]["LOCATION"]), cache.make_key(VERSION_KEY)


def current_version() -> int:
    if not shared_cache():
        return _database_version()
    try:
        client, key = _version_client()
        value = client.get(key)
        value = int(value) if value is not None else None
    except Exception:  # an unreachable Redis falls back to the database row
        log.warning("shared cache unreachable; reading the data version from the database")
        return _database_version()
    if value is None:
        value = _database_version()
        cache.add(VERSION_KEY, value, timeout=VERSION_TTL)
    return value


def _increment_row() -> int | None:
    """Raise the row by one and return its new value, in one statement (so that two bumps
    at once each get their own number); None when the row does not exist yet."""
    alias = router.db_for_write(PublicDataVersion)
    with connections[alias].cursor() as cursor:
        cursor.execute(
            f"UPDATE {PublicDataVersion._meta.db_table} SET value = value + 1 "
            "WHERE id = %s RETURNING value",
            [VERSION_ROW],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _bump_database() -> int:
    value = _increment_row()
    if value is not None:
        return value
    try:
        with transaction.atomic():
            PublicDataVersion.objects.create(pk=VERSION_ROW, value=1)
            return 1
    except IntegrityError:
        # Another process created the row at the same moment; count our change too.
        return _increment_row() or 0


def bump_version() -> None:
    floor = _bump_database()
    if not shared_cache():
        return
    try:
        client, key = _version_client()
        client.eval(_INCREMENT_AT_LEAST, 1, key, floor, VERSION_TTL)
    except Exception:  # the row was bumped; drop the key so readers use it
        log.exception("could not raise the data version in the shared cache")
        try:
            cache.delete(VERSION_KEY)
        except Exception:
            log.warning("shared cache unreachable; its version key expires within a minute")


def on_history_record(sender, using: str | None = None, **kwargs) -> None:
    """Receiver of simple_history's post_create_historical_record: bump once the transaction
    commits (a rolled-back change must not evict anything, and a reader must not cache the old
    data under the new version), and only once however many rows it wrote (an import of
    20,000 rows is one change to the public data).

    A bump already waiting at the same savepoint level runs exactly when this one would, so it
    is moved to the end rather than doubled (moved, not kept: code that watches the callbacks
    registered from some point on, as tests do, still sees one)."""
    connection = transaction.get_connection(using)
    if connection.in_atomic_block:
        pending = connection.run_on_commit
        level = set(connection.savepoint_ids)
        for index in range(len(pending) - 1, max(-1, len(pending) - 1 - _LOOK_BACK), -1):
            savepoints, func, _robust = pending[index]
            if func is bump_version and savepoints == level:
                del pending[index]
                break
    transaction.on_commit(bump_version, using=using)


def _cache_get(key: str):
    try:
        return cache.get(key)
    except Exception:  # a cache that is away costs speed, never the page
        log.warning("shared cache unreachable; rendering the page afresh")
        return None


def _cache_set(key: str, value: object) -> None:
    try:
        cache.set(key, value, PAGE_TIMEOUT)
    except Exception:
        log.warning("shared cache unreachable; the page is not kept")


def _page_key(request: HttpRequest, language: str) -> str:
    # One version per request: the early middleware's lookup and the view's agree on it.
    version = getattr(request, "_portal_version", None)
    if version is None:
        version = request._portal_version = current_version()
    identity = "|".join(
        [
            str(version),
            clock.today().isoformat(),
            language,
            request.build_absolute_uri(),
        ]
    )
    return hashlib.sha256(identity.encode()).hexdigest()


def _etag(digest: str) -> str:
    return f'"{digest[:32]}"'


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Cache a public GET view's successful answers by data version, day, language and URL.

    The ETag is the same key, so a browser revalidating (Cache-Control: no-cache) gets a 304
    until the data or the day changes. The request is marked so that the early middleware
    keeps the finished answer for the next anonymous visitor."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        digest = _page_key(request, get_language() or "")
        etag = _etag(digest)
        if etag in request.headers.get("If-None-Match", ""):
            response: HttpResponse = HttpResponseNotModified()
            response["ETag"] = etag
            return response
        key = f"portal:page:{digest}"
        response = _cache_get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return response
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            response["ETag"] = etag
            if settings.PUBLIC_CACHE_SECONDS:
                # A shared proxy in front may keep the page this long (README, "Running more
                # than one server"); a change then shows there up to that late.
                patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
            else:
                patch_cache_control(response, public=True, no_cache=True)
            _cache_set(key, response)
        request._portal_page_digest = digest
        return response

    return wrapper


# Headers of the finished answer that describe its body; a 304 leaves them out.
_BODY_HEADERS = {"content-length", "content-type", "content-encoding"}


class EarlyPageCacheMiddleware:
    """Serve a cached public page before the rest of the stack runs.

    Only for GET/HEAD without a session or messages cookie (staff, and a visitor with a
    message waiting, pass through), over HTTPS when HTTPS is required (else the security
    middleware's redirect must run), and for a Host in ALLOWED_HOSTS (else the 400 must). The
    answer is stored after every middleware below has added its headers, so a cached answer
    carries the same CSP, HSTS, nosniff, Vary and Content-Language as a rendered one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Paths a cached view has answered in this process: only these are looked up, so the
        # admin, static files, /healthz and forms cost nothing extra.
        self.cached_paths: set[str] = set()
        # The finished answers this process served last, by key (which holds the data
        # version, so none of them is ever stale): a hit costs no cache round trip and no
        # unpickling. With a shared cache they are also kept there for the other processes.
        self.recent: dict[str, tuple] = {}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path not in self.cached_paths or not self._eligible(request):
            return self._through(request)
        try:
            language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
            digest = _page_key(request, language)
        except (DisallowedHost, OperationalError, InterfaceError):
            # A bad Host gets its 400, and a database that is away its 503, from the stack.
            return self.get_response(request)
        stored = self.recent.get(digest)
        if stored is None and shared_cache():
            stored = _cache_get(f"portal:final:{digest}")
            if stored is not None:
                self._remember(digest, stored)
        if stored is not None:
            return self._replay(request, digest, stored)
        return self._through(request)

    def _remember(self, digest: str, stored: tuple) -> None:
        if len(self.recent) >= LOCAL_PAGES:
            # Another thread (gthread workers) may make room at the same moment.
            with contextlib.suppress(KeyError, RuntimeError, StopIteration):
                del self.recent[next(iter(self.recent))]  # the oldest
        self.recent[digest] = stored

    def _through(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        digest = getattr(request, "_portal_page_digest", None)
        if digest is not None and self._eligible(request):
            self.cached_paths.add(request.path)
            self._keep(digest, response)
        return response

    @staticmethod
    def _eligible(request: HttpRequest) -> bool:
        if request.method not in ("GET", "HEAD"):
            return False
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
            return False
        return request.is_secure() or not settings.SECURE_SSL_REDIRECT

    @staticmethod
    def _replay(request: HttpRequest, digest: str, stored: tuple) -> HttpResponse:
        status, headers, body = stored
        if _etag(digest) in request.headers.get("If-None-Match", ""):
            response: HttpResponse = HttpResponseNotModified()
            for name, value in headers:
                if name.lower() not in _BODY_HEADERS:
                    response.headers[name] = value
            return response
        response = HttpResponse(body, status=status)
        for name, value in headers:
            response.headers[name] = value
        return response

    def _keep(self, digest: str, response: HttpResponse) -> None:
        if (
            settings.CACHES["default"]["BACKEND"] == DUMMY_BACKEND  # caching switched off
            or response.status_code != 200
            or response.streaming
            or response.cookies
            or "cookie" in response.headers.get("Vary", "").lower()
        ):
            return
        stored = (response.status_code, tuple(response.items()), response.content)
        self._remember(digest, stored)
        if shared_cache():
            _cache_set(f"portal:final:{digest}", stored)
