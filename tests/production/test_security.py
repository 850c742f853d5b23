"""Security headers, cookies, CSRF and the admin login throttling, as a browser meets them."""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from capacity_portal.logging import JsonFormatter

ADMIN_LOGIN = "/admin/login/"
PASSWORD = "pw-for-tests-only"  # the people of tests/conftest.py


def failed_login(client: Client, username: str = "editor", **extra: str):
    return client.post(
        ADMIN_LOGIN, {"username": username, "password": "wrong", "next": "/admin/"}, **extra
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/en/", "/healthz", ADMIN_LOGIN])
def test_every_page_sends_the_security_headers(anonymous_client, path):
    response = anonymous_client.get(path, secure=True)
    assert response.status_code == 200
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


PUBLIC_PAGES = ["/", "/en/", "/opslag/", "/laegedaekningstruede-omraader/", "/omraader/"]


@pytest.mark.django_db
def test_public_pages_have_no_inline_script_or_style(anonymous_client, demo):
    # The policy blocks them: such a page would lose its behaviour or looks in the browser.
    for path in PUBLIC_PAGES:
        response = anonymous_client.get(path)
        assert response.status_code == 200, path
        page = response.content.decode()
        for script in re.findall(r"<script\b[^>]*>", page):
            assert "src=" in script, f"inline script on {path}: {script}"
        assert not re.search(r"<style\b| style=| on(click|load|submit|change)=", page), path


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_except_the_health_check(settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    response = client.get("/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"
    assert client.get("/", headers={"X-Forwarded-Proto": "https"}).status_code == 200
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_cookies_are_secure_and_hidden_from_scripts(editor):
    client = Client()
    client.get(ADMIN_LOGIN, secure=True)
    csrf = client.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"]
    response = client.post(
        ADMIN_LOGIN,
        {"username": "editor", "password": PASSWORD, "next": "/admin/"},
        secure=True,
    )
    assert response.status_code == 302
    session = client.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"
    # Gone when the browser closes, and at most a working day on the server.
    assert session["max-age"] == "" and session["expires"] == ""
    assert client.session.get_expiry_age() == 8 * 60 * 60


@pytest.mark.django_db
def test_every_form_carries_a_csrf_token(anonymous_client):
    for path in [*PUBLIC_PAGES, ADMIN_LOGIN]:
        page = anonymous_client.get(path).content.decode()
        for form in re.findall(r"<form\b.*?</form>", page, flags=re.S | re.I):
            if re.search(r"method=[\"']?post", form, flags=re.I):
                assert "csrfmiddlewaretoken" in form, f"form without CSRF token on {path}"


@pytest.mark.django_db
def test_a_login_post_without_csrf_token_is_refused(editor):
    client = Client(enforce_csrf_checks=True)
    response = client.post(ADMIN_LOGIN, {"username": "editor", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_five_failed_logins_lock_the_address_out_even_with_the_right_password(editor):
    client = Client()
    for _ in range(4):
        response = failed_login(client)
        assert response.status_code == 200
        assert response.context["form"].non_field_errors()  # "enter a correct username..."
    assert failed_login(client).status_code == 429

    response = client.post(
        ADMIN_LOGIN, {"username": "editor", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still sent to the login page


@pytest.mark.django_db
def test_a_lockout_stays_with_the_address_that_earned_it(editor):
    for _ in range(5):
        failed_login(Client(REMOTE_ADDR="203.0.113.7"))
    colleague = Client(REMOTE_ADDR="198.51.100.20")
    response = colleague.post(
        ADMIN_LOGIN, {"username": "editor", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


@pytest.mark.django_db
def test_behind_a_proxy_the_client_address_counts_not_the_proxy(settings, editor):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for _ in range(5):
        failed_login(
            Client(REMOTE_ADDR=proxy),
            headers={"X-Forwarded-For": "1.1.1.1, 203.0.113.7"},  # first entry forged
        )
    other_visitor = Client(REMOTE_ADDR=proxy)
    response = other_visitor.post(
        ADMIN_LOGIN,
        {"username": "editor", "password": PASSWORD, "next": "/admin/"},
        headers={"X-Forwarded-For": "198.51.100.20"},
    )
    assert response.status_code == 302
    locked = Client(REMOTE_ADDR=proxy).post(
        ADMIN_LOGIN,
        {"username": "editor", "password": PASSWORD, "next": "/admin/"},
        headers={"X-Forwarded-For": "2.2.2.2, 203.0.113.7"},
    )
    assert locked.status_code == 429


@pytest.mark.django_db
def test_each_failed_login_leaves_one_structured_line(caplog, editor):
    with caplog.at_level(logging.WARNING, logger="capacity_portal.auth"):
        failed_login(Client(REMOTE_ADDR="203.0.113.7"), username="Editor")
    [record] = [r for r in caplog.records if r.name == "capacity_portal.auth"]
    line = json.loads(JsonFormatter().format(record))
    assert line["event"] == "login_failed"
    assert line["username"] == "Editor"
    assert line["ip"] == "203.0.113.7"
    assert line["path"] == ADMIN_LOGIN
    assert line["level"] == "WARNING"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", line["time"])
    assert "wrong" not in json.dumps(line)  # never the password


def test_passwords_must_be_long_and_uncommon():
    for weak in ("kapacitet", "password1234", "123456789012"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("Lægedækning-i-Herlev-2024")
