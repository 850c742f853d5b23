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
