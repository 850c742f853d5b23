"""Settings for Kapacitetsportalen, read from the environment (see README, "Configuration").

Production is the default: without `DEBUG=1` the portal refuses to start unless it is told its
secret and its host names, expects HTTPS from a proxy in front, and sends the strict security
headers. Development (`make run`) turns `DEBUG` on and relaxes only what needs relaxing.
"""

import datetime as dt
import os
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from capacity_portal.env import (
    cache_from_url,
    email_from_url,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    url_path,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

# No default secret outside DEBUG: a production start without SECRET_KEY must fail loudly.
SECRET_KEY = env_str("SECRET_KEY", "django-insecure-development-only" if DEBUG else None)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else None)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "django_filters",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "common",
    "coverage_areas",
    "shortage",
    "capacities",
    "memos",
    "portal",
    "alerts",
]

MIDDLEWARE = [
    "capacity_portal.middleware.TrustedProxyMiddleware",
    # Keeps the finished answers of cached public pages, with the headers the middlewares
    # below added, for anonymous visitors (portal/early.py; wsgi.py answers them first).
    "portal.early.EarlyPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "capacity_portal.middleware.CompressTextMiddleware",
    "csp.middleware.CSPMiddleware",
    "capacity_portal.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during login into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "capacity_portal.urls"
WSGI_APPLICATION = "capacity_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.demo_data",
                "portal.context_processors.region",
            ],
        },
    },
]

# CONN_HEALTH_CHECKS: a connection that died with the database (restart, failover) is
# replaced at the next request instead of failing it, so the portal recovers by itself.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# A database that hangs (a paused host) must cost a page a few seconds, not a worker: bounded
# connect, statements stopped by the server, and every wait for an answer bounded in the
# client (capacity_portal/postgresql). Serving sets them (wsgi.py); commands and migrations
# run unbounded unless these are set.
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 5)
DATABASE_STATEMENT_TIMEOUT = env_int("DATABASE_STATEMENT_TIMEOUT", 0)
DATABASE_ANSWER_TIMEOUT = DATABASE_STATEMENT_TIMEOUT + 1 if DATABASE_STATEMENT_TIMEOUT else 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "capacity_portal.postgresql"
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options.setdefault("connect_timeout", max(2, DATABASE_CONNECT_TIMEOUT))
    if DATABASE_STATEMENT_TIMEOUT:
        options.setdefault("options", f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT}s")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Admin login throttling: after AXES_FAILURE_LIMIT failed logins from one address, that
# address is locked out for AXES_COOLOFF_MINUTES. Attempts are kept in the database, so
# every gunicorn instance sees the same count.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429

# Danish first, English under /en/.
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# British English formats for the English pages (capacity_portal/formats/en); Danish uses
# Django's own.
FORMAT_MODULE_PATH = ["capacity_portal.formats"]
TIME_ZONE = "Europe/Copenhagen"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# In production the files come from `collectstatic` (at image build time) with hashed names;
# in development and tests straight from the source folders, so nothing needs collecting.
STATIC_COLLECTED = env_bool("STATIC_COLLECTED", not DEBUG)
WHITENOISE_USE_FINDERS = not STATIC_COLLECTED
WHITENOISE_AUTOREFRESH = not STATIC_COLLECTED
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_COLLECTED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"

ADMIN_URL = url_path("ADMIN_URL", "admin/")

CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL"))}
# Seconds a proxy or browser may keep a public page without asking again; 0 (the default):
# every request is revalidated by its ETag, so a change shows at once everywhere.
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 0)
# With the per-process cache, the folder in which this machine's processes tell each other that
# the public data changed (portal/cache.py): in memory (/dev/shm) where there is one. Empty:
# every request reads the data version from the database instead. Each process reads it from
# the database anyway every VERSION_RECHECK_SECONDS: a change committed where the folder is not
# shared shows within that time.
VERSION_SIGNAL_DIR = env_str(
    "VERSION_SIGNAL_DIR",
    "/dev/shm" if os.access("/dev/shm", os.W_OK) else tempfile.gettempdir(),
)
VERSION_RECHECK_SECONDS = env_int("VERSION_RECHECK_SECONDS", 1)

# Email: EMAIL_URL in one variable, or the usual EMAIL_HOST/EMAIL_PORT/... one by one.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "kapacitetsportalen@localhost")
# Scheme and host for links in mails sent outside a request (alerts to doctors), e.g.
# https://kapacitet.example.dk; without it, https:// and the first of ALLOWED_HOSTS.
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "")
# The public pages say that the data is the demo's (illustrative after 24 October 2024);
# `make run` turns it on.
DEMO_DATA = env_bool("DEMO_DATA", False)
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
if os.environ.get("EMAIL_URL"):
    globals().update(email_from_url(os.environ["EMAIL_URL"]))
else:
    EMAIL_BACKEND = (
        "django.core.mail.backends.console.EmailBackend"
        if DEBUG and "EMAIL_HOST" not in os.environ
        else "django.core.mail.backends.smtp.EmailBackend"
    )
    EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
    EMAIL_PORT = env_int("EMAIL_PORT", 25)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)

# Mail leaves through a task queue in the database (django-tasks, the backport of Django 6's
# tasks), worked off by `python manage.py db_worker`: an editor's request never waits for the
# mail server. A failed send is tried again after each of these delays (seconds).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
try:
    MAIL_RETRY_SECONDS = [
        int(delay)
        for delay in env_list("MAIL_RETRY_SECONDS", ["60", "300", "1800", "7200", "21600"])
    ]
except ValueError:
    raise ImproperlyConfigured(
        "MAIL_RETRY_SECONDS must be whole numbers of seconds, comma-separated."
    ) from None

# Limits on the alert form, so that it cannot be used to flood mailboxes: confirmation mails
# per client address, and per mailbox (an address with its +tag and case folded), per hour.
ALERT_REQUESTS_PER_CLIENT_PER_HOUR = env_int("ALERT_REQUESTS_PER_CLIENT_PER_HOUR", 10)
ALERT_REQUESTS_PER_MAILBOX_PER_DAY = env_int("ALERT_REQUESTS_PER_MAILBOX_PER_DAY", 3)

# Behind a TLS-terminating proxy in production: trust its X-Forwarded-Proto and send plain
# HTTP to HTTPS. /healthz stays reachable over plain HTTP for the load balancer's probes.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# How many proxies in front append to X-Forwarded-For; 0 trusts none of it (see middleware).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", False)

SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Only staff have sessions: a working day at most, and gone when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Content-Security-Policy (django-csp 4): our own scripts, styles and images only; no inline
# script or style, no framing, forms post only to us.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# One line per event on stdout: JSON for the region's log collection, plain text for people.
LOG_FORMAT = env_choice("LOG_FORMAT", "text" if DEBUG else "json", ("json", "text"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "capacity_portal.logging.JsonFormatter"},
        "text": {"()": "capacity_portal.logging.TextFormatter"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["stdout"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # axes logs every attempt at INFO in its own words; our audit line says it once.
        "axes": {"level": "WARNING"},
        # WeasyPrint narrates every layout step at INFO for each PDF.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
