"""Tiny helpers that read settings from the environment and fail loudly on a bad value."""

import os
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"The environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    folded = value.strip().lower()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}."
    )


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}.") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"The environment variable {name} is required.")
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, default).strip().lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}; got {value!r}.")
    return value


def url_path(name: str, default: str) -> str:
    """A path below the site's root such as `admin/` or `forvaltning/admin/`."""
    value = env_str(name, default)
    if not value.endswith("/") or value.startswith("/") or "//" in value or value == "/":
        raise ImproperlyConfigured(
            f"{name} must be a path such as 'admin/': no leading slash, one trailing slash; "
            f"got {value!r}."
        )
    return value


def cache_from_url(url: str | None) -> dict:
    """Django's CACHES entry for CACHE_URL: `redis://…`/`rediss://…`, `locmem://`, `dummy://`.

    Several gunicorn instances need a shared cache (Redis); one instance is fine with the
    process-local default.
    """
    if not url or url.startswith("locmem://"):
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "kapacitetsportalen",
        }
    scheme = urlsplit(url).scheme
    if scheme in {"redis", "rediss", "unix"}:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "kapacitet",
        }
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(
        f"CACHE_URL must start with redis://, rediss://, unix://, locmem:// or dummy://; "
        f"got {scheme!r}."
    )


def email_from_url(url: str) -> dict[str, object]:
    """EMAIL_* settings from EMAIL_URL.

    `smtp://user:password@host:587` (STARTTLS), `smtps://…:465` (implicit TLS),
    `smtp+plain://host:25` (no encryption, e.g. a relay on the same host), `console://`.
    User and password are percent-decoded, so a password may contain `@` as `%40`.
    """
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    tls = {"smtp": (True, False), "smtps": (False, True), "smtp+plain": (False, False)}
    if parts.scheme not in tls or not parts.hostname:
        raise ImproperlyConfigured(
            "EMAIL_URL must look like smtp://user:password@host:587, smtps://…:465, "
            f"smtp+plain://host:25 or console://; got scheme {parts.scheme!r}."
        )
    use_tls, use_ssl = tls[parts.scheme]
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured("EMAIL_URL has a port that is not a number.") from None
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port or (465 if use_ssl else 587 if use_tls else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
    }
