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
  request. The version is the database row's, and each process keeps the value it last read
  until word comes that it changed (`_HostSignal`): every bump, after commit, raises a counter
  in a small file the processes of this machine share (in memory, /dev/shm), and a request
  reads that counter (one system call) instead of the row. A change committed where that file
  is not shared (another machine, which should share Redis instead) shows within a second,
  when each process reads the row again anyway.

Two layers use the same version, data and day:

- `cached_page` (here) wraps each public view and caches what the view returned; every request
  that runs the whole middleware stack (staff, a visitor with a session) is served from it.
- `portal/early.py` keeps the finished answer (with every header the middlewares added) and
  answers the next anonymous GET/HEAD of the same URL before Django handles the request.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import struct
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


def _database_version(early: bool = False) -> int:
    connection = connections[router.db_for_read(PublicDataVersion)]
    if early and connection.connection is not None and not connection.in_atomic_block:
        # Before Django handled the request (portal/early.py): what Django does at the start
        # of every request, drop a connection that outlived CONN_MAX_AGE or broke.
        connection.close_if_unusable_or_obsolete()
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


class _HostSignal:
    """With a per-process cache: the data version without a database round trip per request,
    and still a change shows at the next request in whichever process of this machine answers.

    A file of eight bytes, a counter, in VERSION_SIGNAL_DIR (in memory where there is one),
    named after the database. Every bump raises it once the row was raised (after commit),
    under an exclusive lock so that no raise is lost. A request reads the counter (one pread)
    and reads the row again only when the counter moved since this process last read the row,
    or that was VERSION_RECHECK_SECONDS ago or more. The counter is read before the row: a
    bump that raises it after that read moves it past the value kept, so the next request reads
    the row again. Whoever bumps without sharing the file (another machine, a container without the
    folder) is seen at the next recheck. Where the file cannot be used, every request reads
    the row, as before."""

    _COUNTER = struct.Struct("=Q")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.readers: dict[str, tuple[int, int, float]] = {}  # path: (fd, pid, opened at)
        self.kept: dict[str, tuple[int, bytes, float]] = {}  # path: (version, counter, at)
        self.complained: set[tuple[str, bool]] = set()

    def version(self, path: str | None, read_row: Callable[[], int]) -> int:
        counter = self._counter(path) if path else None
        if counter is None:
            return read_row()
        now = time.monotonic()
        kept = self.kept.get(path)
        recheck = settings.VERSION_RECHECK_SECONDS
        if kept is not None and kept[1] == counter and now - kept[2] < recheck:
            return kept[0]
        value = read_row()
        self.kept[path] = (value, counter, now)
        return value

    def raise_counter(self, path: str | None) -> None:
        """After a bump: every process of this machine reads the row at its next request."""
        if not path:
            return
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as error:
            self._complain(path, error, raising=True)
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            data = os.pread(fd, self._COUNTER.size, 0)
            count = self._COUNTER.unpack(data)[0] if len(data) == self._COUNTER.size else 0
            os.pwrite(fd, self._COUNTER.pack((count + 1) % 2**64), 0)
        except OSError as error:
            self._complain(path, error, raising=True)
        finally:
            os.close(fd)  # and with it the lock
        self.kept.pop(path, None)  # this process reads the row at once, whatever the file did

    def forget(self) -> None:
        """Read the row at the next request (tests: each starts with the row rolled back)."""
        self.kept.clear()

    def _counter(self, path: str) -> bytes | None:
        reader = self.readers.get(path)
        if (
            reader is None
            or reader[1] != os.getpid()
            or time.monotonic() - reader[2] >= settings.VERSION_RECHECK_SECONDS
        ):
            reader = self._open(path, reader)
            if reader is None:
                return None
        try:
            return os.pread(reader[0], self._COUNTER.size, 0)
        except OSError as error:
            self._complain(path, error)
            return None

    def _open(self, path: str, old: tuple[int, int, float] | None) -> tuple[int, int, float] | None:
        """(Again, at each recheck: a file removed and made anew by a bump is a new file.)"""
        with self.lock:
            if old is not None and old[1] == os.getpid():
                with contextlib.suppress(OSError):
                    os.close(old[0])
            self.readers.pop(path, None)
            try:
                fd = os.open(path, os.O_RDONLY | os.O_CREAT, 0o666)
            except OSError as error:
                self._complain(path, error)
                return None
            reader = self.readers[path] = (fd, os.getpid(), time.monotonic())
            return reader

    def _complain(self, path: str, error: OSError, raising: bool = False) -> None:
        """Once per file and role, in the log: what this costs."""
        if (path, raising) in self.complained:
            return
        self.complained.add((path, raising))
        if raising:
            log.warning(
                "the data version's signal file %s cannot be raised (%s); other processes see "
                "changes made here within VERSION_RECHECK_SECONDS",
                path,
                error,
            )
        else:
            log.warning(
                "the data version's signal file %s cannot be read (%s); the version is read "
                "from the database on every request",
                path,
                error,
            )


_signal = _HostSignal()


def forget_version() -> None:
    """Read the version afresh at the next request (tests: each starts with the row rolled
    back, which raises nothing)."""
    _signal.forget()


@lru_cache(maxsize=16)
def _signal_file(folder: str, identity: str) -> str:
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:24]
    return os.path.join(folder, f"kapacitetsportalen-{digest}.version")


def _signal_path() -> str | None:
    """The signal file of the database the version row is in; None when switched off."""
    folder = settings.VERSION_SIGNAL_DIR
    if not folder:
        return None
    database = connections[router.db_for_read(PublicDataVersion)].settings_dict
    identity = "|".join(str(database.get(k) or "") for k in ("ENGINE", "HOST", "PORT", "NAME"))
    return _signal_file(folder, identity)


def current_version(early: bool = False) -> int:
    """The public data version. `early`: asked before Django handled the request
    (portal/early.py)."""
    if not shared_cache():
        return _signal.version(_signal_path(), lambda: _database_version(early))
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
        _signal.raise_counter(_signal_path())
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
