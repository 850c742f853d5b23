"""Cached public pages answered before Django handles the request.

A public view wrapped in `cached_page` (portal/cache.py) marks its request; once every
middleware has added its headers, `EarlyPageCacheMiddleware` (at the top of the stack) keeps
the finished answer: status, headers (CSP, HSTS, nosniff, ETag, Vary, Content-Language) and
body, keyed by data version, day, language and URL. `EarlyPages` wraps the WSGI application
(capacity_portal/wsgi.py) and gives the next anonymous GET/HEAD of that URL the same answer
without building a request, running a middleware or a signal: what it costs is the data
version (portal/cache.py) and a dictionary lookup.

Only anonymous requests are answered early: GET/HEAD without a session or messages cookie
(staff, and a visitor with a message waiting, pass through), over HTTPS when HTTPS is required
(else the security middleware's redirect must run), for a Host in ALLOWED_HOSTS (else the 400
must). Where no `EarlyPages` sits in front (the test client), the middleware answers from the
same store itself.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port, validate_host
from django.middleware.gzip import re_accepts_gzip
from django.utils.translation import get_language_from_path

from portal import clock
from portal.cache import (
    VERSION_ERROR,
    VERSION_OF_REQUEST,
    cache_get,
    cache_set,
    current_version,
    request_version,
    shared_cache,
)

log = logging.getLogger("portal.early")

# Finished answers each process keeps in memory (public pages are at most a few dozen KB).
LOCAL_PAGES = 256
# What the lookup leaves in the WSGI environ for the middleware below it.
RAW_PATH = "portal.raw_path"  # the path as it arrived (Django rewrites PATH_INFO)
LOOKED = "portal.looked_early"
# Headers of the finished answer that describe its body; a 304 leaves them out.
_BODY_HEADERS = {"content-length", "content-type", "content-encoding"}
DUMMY_BACKEND = "django.core.cache.backends.dummy.DummyCache"


@dataclass(frozen=True)
class Answer:
    status_code: int
    status: str  # the WSGI status line
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def etag(self) -> str:
        return next((value for name, value in self.headers if name.lower() == "etag"), "")

    def for_request(self, environ: dict) -> tuple[str, list[tuple[str, str]], bytes]:
        """Status line, headers and body for this request: a 304 to a browser that has it
        (with the same headers but those of the body), no body to a HEAD."""
        revalidating = environ.get("HTTP_IF_NONE_MATCH")
        if revalidating and self.etag and self.etag in revalidating:
            headers = [(n, v) for n, v in self.headers if n.lower() not in _BODY_HEADERS]
            return "304 Not Modified", headers, b""
        if environ.get("REQUEST_METHOD") == "HEAD":
            return self.status, self.headers, b""
        return self.status, self.headers, self.body


class _Store:
    """The answers this process served last, by key (which holds the data version, so none
    is ever stale): a hit costs no cache round trip and no unpickling. With a shared cache
    they are also kept there for the other processes."""

    def __init__(self) -> None:
        # Paths a cached view has answered in this process: only these are looked up, so the
        # admin, static files, /healthz and forms cost nothing extra.
        self.paths: set[str] = set()
        self.answers: dict[str, Answer] = {}

    def clear(self) -> None:
        self.paths.clear()
        self.answers.clear()

    def get(self, digest: str) -> Answer | None:
        answer = self.answers.get(digest)
        if answer is None and shared_cache():
            answer = cache_get(f"portal:final:{digest}")
            if isinstance(answer, Answer):
                self._remember(digest, answer)
            else:
                answer = None
        return answer

    def keep(self, path: str, digest: str, answer: Answer) -> None:
        self.paths.add(path)
        self._remember(digest, answer)
        if shared_cache():
            cache_set(f"portal:final:{digest}", answer)

    def _remember(self, digest: str, answer: Answer) -> None:
        if len(self.answers) >= LOCAL_PAGES:
            # Another thread (gthread workers) may make room at the same moment.
            with contextlib.suppress(KeyError, RuntimeError, StopIteration):
                del self.answers[next(iter(self.answers))]  # the oldest
        self.answers[digest] = answer


STORE = _Store()


def _scheme(environ: dict) -> str:
    """As HttpRequest.scheme: the proxy's header when it vouches for HTTPS."""
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure_value = settings.SECURE_PROXY_SSL_HEADER
        value = environ.get(header)
        if value is not None:
            return "https" if value.split(",", 1)[0].strip() == secure_value else "http"
    return environ.get("wsgi.url_scheme", "http")


def _host(environ: dict) -> str | None:
    """As HttpRequest.get_host(), None where Django would answer 400."""
    if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in environ:
        host = environ["HTTP_X_FORWARDED_HOST"]
    elif "HTTP_HOST" in environ:
        host = environ["HTTP_HOST"]
    else:
        host = environ.get("SERVER_NAME", "")
        port = str(environ.get("SERVER_PORT", ""))
        if port != ("443" if _scheme(environ) == "https" else "80"):
            host = f"{host}:{port}"
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    domain, _port = split_domain_port(host)
    return host if domain and validate_host(domain, allowed) else None


def _anonymous(environ: dict) -> bool:
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return False
    if "HTTP_COOKIE" in environ:
        cookies = parse_cookie(environ["HTTP_COOKIE"])
        if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
            return False
    return not settings.SECURE_SSL_REDIRECT or _scheme(environ) == "https"


def _digest(environ: dict, version: int, host: str) -> str:
    path = environ.get(RAW_PATH) or environ.get("PATH_INFO", "")
    identity = "|".join(
        [
            str(version),
            clock.today().isoformat(),
            get_language_from_path(path) or settings.LANGUAGE_CODE,
            _scheme(environ),
            host,
            environ.get("SCRIPT_NAME", ""),
            path,
            environ.get("QUERY_STRING", ""),
            # Kept compressed for browsers that ask for it, plain for the others.
            "gzip" if re_accepts_gzip.search(environ.get("HTTP_ACCEPT_ENCODING", "")) else "",
        ]
    )
    return hashlib.sha256(identity.encode("utf-8", "backslashreplace")).hexdigest()


def find(environ: dict) -> Answer | None:
    """The kept answer for this request, if it may have one. Reads the data version (which
    may raise a database error) and leaves it in the environ for the rest of the request."""
    environ[LOOKED] = True
    path = environ.setdefault(RAW_PATH, environ.get("PATH_INFO", ""))
    if path not in STORE.paths or not _anonymous(environ):
        return None
    host = _host(environ)
    if host is None:
        return None
    version = environ.get(VERSION_OF_REQUEST)
    if version is None:
        try:
            version = environ[VERSION_OF_REQUEST] = current_version(early=True)
        except (OperationalError, InterfaceError) as error:
            environ[VERSION_ERROR] = error  # the page gets its 503 without asking again
            raise
    return STORE.get(_digest(environ, version, host))


def keep(request: HttpRequest, response: HttpResponse) -> None:
    """Keep a cached view's finished answer for the next anonymous request of its URL."""
    environ = request.META
    if (
        not getattr(request, "portal_cached_page", False)
        or settings.CACHES["default"]["BACKEND"] == DUMMY_BACKEND  # caching switched off
        or response.status_code != 200
        or response.streaming
        or response.cookies
        or "cookie" in response.headers.get("Vary", "").lower()
        or not _anonymous(environ)
    ):
        return
    host = _host(environ)
    if host is None:
        return
    environ.setdefault(RAW_PATH, request.path_info)
    answer = Answer(
        response.status_code,
        f"{response.status_code} {response.reason_phrase}",
        list(response.items()),
        response.content,
    )
    STORE.keep(environ[RAW_PATH], _digest(environ, request_version(request), host), answer)


class EarlyPageCacheMiddleware:
    """At the top of the stack: keeps cached views' finished answers, and answers from them
    itself where no `EarlyPages` looked first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.META.get(LOOKED):
            try:
                answer = find(request.META)
            except (OperationalError, InterfaceError):
                answer = None  # a database that is away gets its 503 from the stack
            if answer is not None:
                return _replay(request.META, answer)
        response = self.get_response(request)
        keep(request, response)
        return response


def _replay(environ: dict, answer: Answer) -> HttpResponse:
    status, headers, body = answer.for_request(environ)
    response = HttpResponseNotModified() if status.startswith("304") else HttpResponse(body)
    for name, value in headers:
        response.headers[name] = value
    return response


class EarlyPages:
    """The WSGI application with kept answers given before Django handles the request."""

    def __init__(self, application: Callable) -> None:
        self.application = application

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        try:
            answer = find(environ)
        except (OperationalError, InterfaceError):
            answer = None  # the stack answers with its 503 page
        except Exception:  # a fault here costs speed, never the page
            log.exception("early answer failed; the page is rendered instead")
            answer = None
        if answer is None:
            return self.application(environ, start_response)
        status, headers, body = answer.for_request(environ)
        start_response(status, headers)
        return [body]
