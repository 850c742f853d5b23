"""Cached public pages answered in front of Django (portal/early.py), through the WSGI
application as gunicorn calls it: same answer, no request handled by Django, and a change
shows on the very next request."""

import datetime as dt
import gzip
import io
import sys

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from capacities import services
from capacities.models import Capacity, Status
from portal.early import EarlyPages
from tests.factories import staff_user

pytestmark = pytest.mark.django_db


class Served:
    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes, handled: bool):
        self.status_code = int(status.split()[0])
        self.headers = dict(headers)
        self.body = body
        self.handled_by_django = handled


@pytest.fixture
def portal():
    """The portal's WSGI application (as capacity_portal/wsgi.py builds it), built after the
    test's settings; a function that sends it one request. As Django's own test client does,
    the request signals leave the test's database connection open."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    built = []  # on the first request, after the test's settings
    handled = []
    request_started.connect(
        lambda **kwargs: handled.append(True), dispatch_uid="early-test", weak=False
    )

    def send(path: str, method: str = "GET", **headers: str) -> Served:
        handled.clear()
        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "testserver",
            "HTTP_X_FORWARDED_PROTO": "https",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            **headers,
        }
        if not built:
            built.append(EarlyPages(WSGIHandler()))
        started = []
        body = built[0](environ, lambda status, headers: started.append((status, headers)))
        content = b"".join(body)
        if hasattr(body, "close"):
            body.close()
        return Served(*started[0], content, bool(handled))

    try:
        yield send
    finally:
        request_started.disconnect(dispatch_uid="early-test")
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


PUBLIC = ["/", "/en/opslag/", "/laegedaekningstruede-omraader/", "/api/postings.json",
          "/api/postings.json?area=herlev", "/feeds/postings/", "/sitemap.xml"]  # fmt: skip


@pytest.mark.parametrize("url", PUBLIC)
def test_the_second_visitor_gets_the_same_answer_without_django_handling_it(
    portal, autumn_2024, url
):
    rendered = portal(url)
    assert rendered.status_code == 200 and rendered.handled_by_django
    early = portal(url)
    assert early.status_code == 200 and not early.handled_by_django
    assert early.headers == rendered.headers
    assert early.body == rendered.body
    assert early.headers["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in early.headers["Content-Security-Policy"]
    assert early.headers["Strict-Transport-Security"]


def test_head_and_revalidation_are_answered_early(portal, autumn_2024):
    rendered = portal("/opslag/")
    head = portal("/opslag/", method="HEAD")
    assert head.status_code == 200 and not head.handled_by_django
    assert head.body == b"" and head.headers == rendered.headers
    again = portal("/opslag/", HTTP_IF_NONE_MATCH=rendered.headers["ETag"])
    assert again.status_code == 304 and not again.handled_by_django and again.body == b""
    assert "Content-Type" not in again.headers
    assert "script-src 'self'" in again.headers["Content-Security-Policy"]


def test_a_committed_change_shows_on_the_next_request(
    portal, autumn_2024, django_capture_on_commit_callbacks
):
    before = portal("/api/postings.json")
    assert not portal("/api/postings.json").handled_by_django
    herlev = Capacity.objects.get(status=Status.AWAITING_POSTING, area__name="Herlev")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_capacity(herlev, by=staff_user(), on=dt.date(2024, 10, 25))
    after = portal("/api/postings.json")
    assert after.handled_by_django and after.body != before.body
    assert b"Herlev" in after.body


def test_visitors_with_a_session_a_message_or_a_form_reach_django(portal, autumn_2024):
    portal("/opslag/")
    assert portal("/opslag/", HTTP_COOKIE="sessionid=abc").handled_by_django
    assert portal("/opslag/", HTTP_COOKIE="messages=abc").handled_by_django
    assert not portal("/opslag/", HTTP_COOKIE="consent=yes").handled_by_django
    posted = portal("/opslag/", method="POST")
    assert posted.handled_by_django and posted.status_code != 200


def test_an_unknown_host_gets_400_and_plain_http_its_redirect(portal, autumn_2024, settings):
    settings.SECURE_SSL_REDIRECT = True
    portal("/opslag/")
    assert not portal("/opslag/").handled_by_django
    assert portal("/opslag/", HTTP_HOST="evil.example.com").status_code == 400
    plain = portal("/opslag/", HTTP_X_FORWARDED_PROTO="http")
    assert plain.status_code == 301 and plain.headers["Location"].startswith("https://")


def test_each_language_query_and_day_is_answered_apart(portal, autumn_2024, pin_today):
    danish, english = portal("/opslag/"), portal("/en/opslag/")
    assert danish.headers["Content-Language"] == "da"
    assert english.headers["Content-Language"] == "en"
    assert portal("/opslag/?area=herlev").handled_by_django
    assert not portal("/opslag/").handled_by_django
    pin_today(dt.date(2024, 10, 25))
    assert portal("/opslag/").handled_by_django


BROWSER = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br, zstd"}


@pytest.mark.parametrize("url", ["/laegedaekningstruede-omraader/", "/api/postings.json"])
def test_a_browser_gets_the_page_compressed_and_others_plain(portal, autumn_2024, url):
    plain = portal(url)
    assert "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["Vary"]
    rendered = portal(url, **BROWSER)
    early = portal(url, **BROWSER)
    assert rendered.handled_by_django and not early.handled_by_django
    for compressed in (rendered, early):
        assert compressed.headers["Content-Encoding"] == "gzip"
        assert int(compressed.headers["Content-Length"]) == len(compressed.body)
        assert gzip.decompress(compressed.body) == plain.body
    assert len(early.body) < len(plain.body)
    assert not portal(url).handled_by_django and portal(url).body == plain.body


def test_documents_that_are_compressed_already_are_sent_as_they_are(client, autumn_2024):
    for url in ("/api/postings.xlsx", "/omraader/herlev/attest.pdf?date=2024-10-24"):
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200, url
        assert "Content-Encoding" not in response, url
        assert response.content[:4] in (b"%PDF", b"PK\x03\x04"), url
    page = client.get("/laegedaekningstruede-omraader/", HTTP_ACCEPT_ENCODING="gzip")
    assert page["Content-Encoding"] == "gzip"
    assert len(page.content) * 3 < len(gzip.decompress(page.content))
