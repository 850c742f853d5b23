"""Public pages are cached, and a committed change shows on the very next request."""

import datetime as dt

import pytest

from capacities import services
from capacities.models import Capacity, Status
from coverage_areas.models import Benefit, DesignationRound, PlanningArea
from portal.cache import current_version
from tests.factories import staff_user

pytestmark = pytest.mark.django_db


def posted_count(client, url="/en/opslag/") -> str:
    return client.get(url).content.decode()


def test_a_posting_made_through_the_services_shows_on_the_next_request(
    client, autumn_2024, django_capture_on_commit_callbacks
):
    assert "2 postings match, of 2 open." in posted_count(client)
    herlev = Capacity.objects.get(status=Status.AWAITING_POSTING, area__name="Herlev")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_capacity(
            herlev, by=staff_user(), on=dt.date(2024, 10, 25), remark="Slås op snarligst"
        )
    page = posted_count(client)
    assert "3 postings match, of 3 open." in page and "Posting in Herlev" in page
    assert [r["area"] for r in client.get("/api/postings.json").json()["results"]] == [
        "Herlev",
        "Høje-Taastrup",
        "Rødovre",
    ]


def test_an_uncommitted_change_does_not_evict_the_cached_page(client, autumn_2024):
    assert "2 postings match" in posted_count(client)
    herlev = Capacity.objects.get(status=Status.AWAITING_POSTING, area__name="Herlev")
    # Inside the test's transaction nothing commits, so the version stays where it was and
    # the cached page is served: this shows the cache is really in use.
    services.post_capacity(herlev, by=staff_user(), on=dt.date(2024, 10, 25))
    assert "2 postings match" in posted_count(client)


def test_a_staff_edit_of_a_designation_round_shows_at_once(
    client, autumn_2024, django_capture_on_commit_callbacks
):
    assert "Not decided yet: to be decided on 8 January 2024." in posted_count(
        client, "/en/laegedaekningstruede-omraader/"
    )
    round_ = DesignationRound.objects.get(kind="regional", first_year=2024)
    with django_capture_on_commit_callbacks(execute=True):
        round_.status = DesignationRound.Status.DECIDED
        round_.save()
        round_.designations.create(area=PlanningArea.objects.get(name="Gribskov"))
    page = posted_count(client, "/en/laegedaekningstruede-omraader/")
    assert "Not decided yet" not in page
    assert "Gribskov went from not being coverage-threatened in 2023 to being so in 2024" in (
        " ".join(page.split())
    )


def test_a_benefit_reworded_by_staff_shows_at_once(
    client, in_2023, django_capture_on_commit_callbacks
):
    client.get("/laegedaekningstruede-omraader/")
    benefit = Benefit.objects.get(kind="national")
    with django_capture_on_commit_callbacks(execute=True):
        benefit.text_da = "Ret til differentieret basishonorar, nu med ny ordlyd."
        benefit.save()
    assert "nu med ny ordlyd" in client.get("/laegedaekningstruede-omraader/").content.decode()


def test_the_version_rises_only_when_the_change_commits(
    autumn_2024, django_capture_on_commit_callbacks
):
    before = current_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Benefit.objects.create(kind="all", text_da="Ny fordel", text_en="New benefit")
    assert current_version() == before and callbacks
    for callback in callbacks:
        callback()
    assert current_version() > before


def test_a_browser_revalidating_gets_304_until_the_data_changes(
    client, autumn_2024, django_capture_on_commit_callbacks
):
    first = client.get("/omraader/")
    etag = first["ETag"]
    assert "no-cache" in first["Cache-Control"]
    assert client.get("/omraader/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        Benefit.objects.create(kind="all", text_da="Ny fordel", text_en="New benefit")
    assert client.get("/omraader/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_each_language_and_query_is_cached_apart(client, autumn_2024):
    assert "Åbne opslag" in client.get("/opslag/").content.decode()
    assert "Open postings" in client.get("/en/opslag/").content.decode()
    assert "Opslag i Rødovre" not in client.get("/opslag/?area=hoeje-taastrup").content.decode()
    assert "Opslag i Rødovre" in client.get("/opslag/").content.decode()


def test_the_day_is_part_of_the_cache_key(client, demo, pin_today):
    pin_today(dt.date(2023, 6, 1))
    assert "Regional liste 2023" in client.get("/").content.decode()
    pin_today(dt.date(2024, 1, 3))
    assert "er endnu ikke besluttet" in client.get("/").content.decode()


# --- Cached pages answered at the top of the stack --------------------------------------

HTTPS = {"HTTP_X_FORWARDED_PROTO": "https"}
PUBLIC = ["/", "/en/opslag/", "/laegedaekningstruede-omraader/", "/api/postings.json",
          "/feeds/postings/", "/sitemap.xml"]  # fmt: skip


def served_early(response) -> bool:
    # The session middleware never ran: the answer came from the early page cache.
    return not hasattr(response.wsgi_request, "session")


@pytest.mark.parametrize("url", PUBLIC)
def test_a_cached_page_is_answered_early_with_the_same_headers_and_body(client, autumn_2024, url):
    rendered = client.get(url, **HTTPS)
    assert rendered.status_code == 200 and not served_early(rendered)
    early = client.get(url, **HTTPS)
    assert early.status_code == 200 and served_early(early)
    assert dict(early.headers) == dict(rendered.headers)
    assert early.content == rendered.content
    for header in ("Content-Security-Policy", "Strict-Transport-Security", "ETag",
                   "Content-Language", "X-Content-Type-Options"):  # fmt: skip
        assert early[header], header
    assert early["X-Content-Type-Options"] == "nosniff"


def test_an_early_answer_needs_no_database(
    client, autumn_2024, django_assert_num_queries, settings
):
    # However slow the machine, the row is not due for its recheck during this test.
    settings.VERSION_RECHECK_SECONDS = 600
    client.get("/omraader/", **HTTPS)
    with django_assert_num_queries(0):
        assert served_early(client.get("/omraader/", **HTTPS))
    with django_assert_num_queries(0):
        assert served_early(client.head("/omraader/", **HTTPS))


def test_without_the_signal_folder_an_early_answer_reads_the_version_row(
    client, autumn_2024, django_assert_num_queries, settings
):
    settings.VERSION_SIGNAL_DIR = ""
    client.get("/omraader/", **HTTPS)
    with django_assert_num_queries(1):
        assert served_early(client.get("/omraader/", **HTTPS))


def test_a_revalidating_browser_gets_304_early_with_the_security_headers(client, autumn_2024):
    etag = client.get("/opslag/", **HTTPS)["ETag"]
    response = client.get("/opslag/", HTTP_IF_NONE_MATCH=etag, **HTTPS)
    assert response.status_code == 304 and served_early(response)
    assert response["ETag"] == etag and response.content == b""
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "Content-Type" not in response


def test_staff_and_posts_pass_through_the_whole_stack(
    client, editor_client, autumn_2024, django_capture_on_commit_callbacks
):
    client.get("/opslag/", **HTTPS)
    staff = editor_client.get("/opslag/", **HTTPS)
    assert staff.status_code == 200 and not served_early(staff)
    assert staff.wsgi_request.user.is_staff
    posted = client.post("/opslag/", **HTTPS)
    assert not served_early(posted)


def test_a_visitor_with_a_message_waiting_is_not_answered_from_the_early_cache(client, autumn_2024):
    client.get("/opslag/", **HTTPS)
    client.cookies["messages"] = "something"
    assert not served_early(client.get("/opslag/", **HTTPS))


def test_plain_http_is_still_redirected_to_https_after_the_page_was_cached(
    client, autumn_2024, settings
):
    settings.SECURE_SSL_REDIRECT = True
    client.get("/opslag/", **HTTPS)
    assert served_early(client.get("/opslag/", **HTTPS))
    response = client.get("/opslag/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_an_unknown_host_gets_400_not_a_cached_page_or_500(client, autumn_2024):
    client.get("/opslag/", **HTTPS)
    response = client.get("/opslag/", HTTP_HOST="evil.example.com", **HTTPS)
    assert response.status_code == 400


def test_a_change_shows_on_the_next_early_request(
    client, autumn_2024, django_capture_on_commit_callbacks
):
    client.get("/api/postings.json", **HTTPS)
    assert served_early(client.get("/api/postings.json", **HTTPS))
    herlev = Capacity.objects.get(status=Status.AWAITING_POSTING, area__name="Herlev")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_capacity(herlev, by=staff_user(), on=dt.date(2024, 10, 25))
    response = client.get("/api/postings.json", **HTTPS)
    assert "Herlev" in [row["area"] for row in response.json()["results"]]


# --- One bump per transaction ----------------------------------------------------------


def test_many_history_rows_in_one_transaction_bump_the_version_once(
    autumn_2024, django_capture_on_commit_callbacks
):
    from shortage.imports import Row
    from shortage.services import import_closures

    areas = list(PlanningArea.objects.all()[:10])
    rows = [
        Row(line=n, area=area, month=dt.date(2020 + year, 1, 1), closed=1, total=10)
        for n, (area, year) in enumerate(((a, y) for a in areas for y in range(5)), start=2)
    ]
    before = current_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        summary = import_closures(rows, by=staff_user(), reason="Kvartalstal")
    assert summary.created + summary.replaced == len(rows) == 50
    assert current_version() == before + 1
    assert [c.__name__ for c in callbacks].count("bump_version") == 1


def test_a_bump_inside_a_rolled_back_savepoint_does_not_cancel_the_outer_change(
    autumn_2024, django_capture_on_commit_callbacks
):
    from django.db import transaction

    before = current_version()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        Benefit.objects.create(kind="all", text_da="Ydre", text_en="Outer")
        try:
            with transaction.atomic():
                Benefit.objects.create(kind="all", text_da="Indre", text_en="Inner")
                raise RuntimeError("refused")
        except RuntimeError:
            pass
        Benefit.objects.create(kind="all", text_da="Ydre 2", text_en="Outer 2")
    assert current_version() == before + 1


def test_a_proxy_may_keep_public_pages_as_long_as_configured(client, autumn_2024, settings):
    settings.PUBLIC_CACHE_SECONDS = 5
    for _ in range(2):  # rendered, then from the early cache
        response = client.get("/opslag/", **HTTPS)
        assert response["Cache-Control"] == "public, max-age=5"
