"""Cached public pages that still show a change at once.

Every tracked model writes a django-simple-history row on each change (a transition saves a
Capacity history row; staff edits in the admin save history rows too). After the transaction
commits, the public data version rises once, and cached pages are keyed by that version, so
the next request renders afresh.

Where the version lives depends on the cache:

- With a shared cache (Redis, `CACHE_URL=redis://…`) it lives in the cache, and a bump is an
  atomic increment there, after commit. Each process keeps the value Redis last gave it until
  Redis pushes word that the key changed (`_VersionWatch`): no round trip per request. The
  database row is bumped too and is the fallback: should the key be evicted, or expire (every
  minute, so that a bump Redis missed while it was away heals), it is loaded from the row.
- With a per-process cache (the default) every process must still see a change at its next
  request, so the version is read from the database row, one primary-key lookup per request.

Two layers use the same version, data and day:

- `cached_page` (here) wraps each public view and caches what the view returned; every request
  that runs the whole middleware stack (staff, a visitor with a session) is served from it.
- `portal/early.py` keeps the finished answer (with every header the middlewares added) and
  answers the next anonymous GET/HEAD of the same URL before Django handles the request.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable
from functools import lru_cache, wraps

from django.conf import settings
from django.core.cache import cache
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
from django.utils.translation import get_language

from portal import clock
from portal.models import PublicDataVersion

log = logging.getLogger("portal.cache")

PAGE_TIMEOUT = 60 * 60
VERSION_ROW = 1
VERSION_KEY = "portal:version"
# The version key is taken again from the database row at least this often, so that a bump
# Redis missed (it was away at that moment) shows within a minute once it is back.
VERSION_TTL = 60
# How far back among the waiting on-commit callbacks to look for a bump to merge with.
_LOOK_BACK = 20
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


_VERSION_SQL = f"SELECT value FROM {PublicDataVersion._meta.db_table} WHERE id = {VERSION_ROW}"


def _read_database_version(connection) -> int:
    """The row's value, asked on the driver's own connection when nobody logs queries: this
    runs on every cached request with a per-process cache, and Django's cursor wrapper costs
    more than the query. Errors are Django's as ever (503 page, health check)."""
    if connection.connection is None or connection.queries_logged:
        with connection.cursor() as cursor:
            cursor.execute(_VERSION_SQL)
            row = cursor.fetchone()
    else:
        with connection.wrap_database_errors:
            row = connection.connection.execute(_VERSION_SQL).fetchone()
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
    """One client per process for bumping the version key: Django's RedisCache builds a new
    client object (and its table of ~170 reply parsers) for every call. Same server, key and
    integer format as the cache."""
    import redis

    return redis.Redis.from_url(location)


class _Waiting(Exception):
    """The version watch lost Redis a moment ago and waits before connecting again."""


class _VersionWatch:
    """The data version as Redis last gave it to this process, used until Redis says the key
    changed: no round trip per request.

    One connection per process turns on Redis's support for client-side caching (RESP3,
    `CLIENT TRACKING ON BCAST PREFIX <key>`): Redis pushes a message on that connection
    whenever the key is written, expires, is evicted or the database is flushed. It writes the
    push in the same pass of its event loop as the answer to the write that caused it, so by
    the time the process that bumped the version has its answer, the push is on its way to
    every other process (on one host, already in their sockets). A request only looks whether
    a push is waiting (a poll of the socket) and reads the key again after one; the key is read
    on the same connection, so any change after that read arrives after it.

    If the connection fails, the process falls back to reading the key (or the database row)
    per request and connects again after RETRY_AFTER seconds."""

    RETRY_AFTER = 1.0

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.connection = None
        self.owner: tuple | None = None
        self.value: int | None = None
        self.failed: tuple | None = None  # the owner that failed last, and when
        self.retry_at = 0.0

    def read(self, location: str, key: str) -> int | None:
        """The version in Redis, or None when the key is not there. Raises when Redis
        cannot be reached."""
        with self.lock:
            owner = (os.getpid(), location, key)
            try:
                if self.owner != owner:
                    self._connect(owner)
                elif self.connection.can_read(timeout=0):
                    while self.connection.can_read(timeout=0):
                        self.connection.read_response(push_request=True)
                    self.value = None
                if self.value is None:
                    value = self._ask("GET", key)
                    self.value = int(value) if value is not None else None
                return self.value
            except Exception:
                self._drop()
                raise

    def _connect(self, owner: tuple) -> None:
        import redis

        self._drop()
        if self.failed == owner and time.monotonic() < self.retry_at:
            raise _Waiting
        location, key = owner[1], owner[2]
        client = redis.Redis.from_url(
            location, protocol=3, socket_timeout=2, socket_connect_timeout=2
        )
        self.failed, self.retry_at = owner, time.monotonic() + self.RETRY_AFTER
        self.connection = client.connection_pool.make_connection()
        self.connection.connect()
        self._ask("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", key)
        self.owner, self.failed = owner, None

    def _ask(self, *command: object):
        self.connection.send_command(*command)
        return self.connection.read_response()

    def _drop(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(Exception):
                self.connection.disconnect()
        self.connection = None
        self.owner = None
        self.value = None


_watch = _VersionWatch()


def current_version() -> int:
    if not shared_cache():
        return _database_version()
    try:
        value = _watch.read(settings.CACHES["default"]["LOCATION"], cache.make_key(VERSION_KEY))
    except _Waiting:
        return _database_version()
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
        client = _redis_client(settings.CACHES["default"]["LOCATION"])
        client.eval(_INCREMENT_AT_LEAST, 1, cache.make_key(VERSION_KEY), floor, VERSION_TTL)
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


def cache_get(key: str):
    try:
        return cache.get(key)
    except Exception:  # a cache that is away costs speed, never the page
        log.warning("shared cache unreachable; rendering the page afresh")
        return None


def cache_set(key: str, value: object) -> None:
    try:
        cache.set(key, value, PAGE_TIMEOUT)
    except Exception:
        log.warning("shared cache unreachable; the page is not kept")


VERSION_OF_REQUEST = "portal.version"
# A database error met reading the version early; the request does not wait for it twice.
VERSION_ERROR = "portal.version_error"


def request_version(request: HttpRequest) -> int:
    """The data version, read once per request: the early lookup and the view agree on it."""
    version = request.META.get(VERSION_OF_REQUEST)
    if version is None:
        if VERSION_ERROR in request.META:
            raise request.META[VERSION_ERROR]
        version = request.META[VERSION_OF_REQUEST] = current_version()
    return version


def _page_key(request: HttpRequest, language: str) -> str:
    version = request_version(request)
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
    until the data or the day changes. The request is marked so that the finished answer is
    kept for the next anonymous visitor (portal/early.py)."""

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
        response = cache_get(key)
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
            cache_set(key, response)
        request.portal_cached_page = True
        return response

    return wrapper
