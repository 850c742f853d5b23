"""Configuration from the environment: no unsafe default in production, clear errors."""

from __future__ import annotations

import secrets

import pytest
from django.core.exceptions import ImproperlyConfigured

from capacity_portal.env import cache_from_url, email_from_url
from tests.production.conftest import manage, production_env

SHOW = "from django.conf import settings as s; print({!r}.format(s))"


def show(template: str, **env: str) -> str:
    """Print settings as a freshly started portal with this environment sees them."""
    result = manage("shell", "-c", SHOW.format(template), env=production_env(**env))
    # Django's shell first says what it imported; the last line is ours.
    return result.stdout.strip().splitlines()[-1]


def test_deploy_check_passes_with_production_settings():
    env = production_env(SECRET_KEY=secrets.token_urlsafe(50))
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_start_without_a_required_variable_names_it(missing):
    env = production_env()
    del env[missing]
    result = manage("check", env=env, check=False)
    assert result.returncode != 0
    assert f"The environment variable {missing} is required." in result.stderr


def test_debug_is_off_and_https_is_expected_unless_asked():
    line = show(
        "{0.DEBUG} {0.SECURE_SSL_REDIRECT} {0.SESSION_COOKIE_SECURE} {0.CSRF_COOKIE_SECURE} "
        "{0.SECURE_HSTS_SECONDS} {0.SESSION_COOKIE_AGE} {0.SESSION_EXPIRE_AT_BROWSER_CLOSE}"
    )
    assert line == "False True True True 31536000 28800 True"


def test_development_relaxes_only_what_it_must():
    line = show(
        "{0.DEBUG} {0.SECURE_SSL_REDIRECT} {0.SESSION_COOKIE_SECURE} {0.SECURE_HSTS_SECONDS} "
        "{0.EMAIL_BACKEND}",
        DEBUG="1",
    )
    assert line == "True False False 0 django.core.mail.backends.console.EmailBackend"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be one of 1/0, true/false"),
        ("ADMIN_URL", "/admin", "ADMIN_URL must be a path such as 'admin/'"),
        ("CONN_MAX_AGE", "a minute", "CONN_MAX_AGE must be a whole number"),
        ("CACHE_URL", "memcached://cache:11211", "CACHE_URL must start with redis://"),
        ("EMAIL_URL", "imap://mail", "EMAIL_URL must look like smtp://"),
        ("LOG_FORMAT", "xml", "LOG_FORMAT must be one of json, text"),
    ],
)
def test_a_bad_value_stops_the_start_with_a_message_naming_the_variable(variable, value, message):
    result = manage("check", env=production_env(**{variable: value}), check=False)
    assert result.returncode != 0
    assert message in result.stderr


def test_admin_moves_to_the_configured_path():
    result = manage(
        "shell",
        "-c",
        "from django.urls import reverse; print(reverse('admin:index'))",
        env=production_env(ADMIN_URL="forvaltning/"),
    )
    assert result.stdout.strip().splitlines()[-1] == "/forvaltning/"


def test_redis_cache_is_shared_by_several_instances():
    line = show("{0.CACHES[default][BACKEND]} {0.CACHES[default][LOCATION]}",
                CACHE_URL="redis://cache:6379/1")  # fmt: skip
    assert line == "django.core.cache.backends.redis.RedisCache redis://cache:6379/1"


def test_cache_defaults_to_the_process_own_memory():
    assert cache_from_url(None)["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    with pytest.raises(ImproperlyConfigured):
        cache_from_url("file:///tmp/cache")


def test_email_url_gives_host_port_credentials_and_encryption():
    settings = email_from_url("smtp://portal%40regionh.dk:p%40ss@smtp.regionh.dk:587")
    assert settings == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.regionh.dk",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "portal@regionh.dk",
        "EMAIL_HOST_PASSWORD": "p@ss",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }
    implicit_tls = email_from_url("smtps://relay.regionh.dk")
    assert (implicit_tls["EMAIL_PORT"], implicit_tls["EMAIL_USE_SSL"]) == (465, True)
    plain = email_from_url("smtp+plain://localhost")
    assert (plain["EMAIL_PORT"], plain["EMAIL_USE_TLS"], plain["EMAIL_USE_SSL"]) == (
        25,
        False,
        False,
    )


def test_email_settings_one_by_one():
    line = show(
        "{0.EMAIL_HOST} {0.EMAIL_PORT} {0.EMAIL_HOST_USER} {0.EMAIL_USE_TLS} "
        "{0.DEFAULT_FROM_EMAIL}",
        EMAIL_HOST="smtp.regionh.dk",
        EMAIL_PORT="587",
        EMAIL_HOST_USER="portal",
        EMAIL_USE_TLS="1",
        DEFAULT_FROM_EMAIL="kapacitet@regionh.dk",
    )
    assert line == "smtp.regionh.dk 587 portal True kapacitet@regionh.dk"
