"""The page cache and the data version on a real Redis, as several servers share them.

Needs a Redis server: REDIS_URL (CI starts one on loopback; locally e.g.
`REDIS_URL=redis://127.0.0.1:6379/0`). Keys are made under a prefix of their own and removed
afterwards; nothing else in that database is touched. In CI a missing Redis is a failure.
"""

import datetime as dt
import os
import uuid

import pytest
import redis
from django.test import Client, override_settings

from capacities import services
from capacities.models import Capacity, Status
from coverage_areas.models import Benefit
from portal.cache import VERSION_KEY, _database_version, current_version
from scripts.pg_cluster import free_port
from tests.factories import staff_user
from tests.portal.test_cache import HTTPS, served_early

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("REDIS_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI must run the shared-cache tests: set REDIS_URL to a Redis server")
        pytest.skip("REDIS_URL is not set (e.g. redis://127.0.0.1:6379/0)")
    return url


def redis_cache(location: str, prefix: str = "") -> override_settings:
    # override_settings, not the `settings` fixture: it is undone when this test's fixture
    # ends, before the suite's own clean-up clears "the" cache (which must never be Redis).
    backend = "django.core.cache.backends.redis.RedisCache"
    return override_settings(
        CACHES={"default": {"BACKEND": backend, "LOCATION": location, "KEY_PREFIX": prefix}}
    )


@pytest.fixture
def shared_cache(redis_url):
    prefix = f"kp-test-{uuid.uuid4().hex[:12]}"
    server = redis.Redis.from_url(redis_url)
    try:
        with redis_cache(redis_url, prefix):
            yield server, f"{prefix}:1:{VERSION_KEY}"
    finally:
        keys = list(server.scan_iter(match=f"{prefix}:*"))
        if keys:
            server.delete(*keys)


@pytest.fixture
def unreachable_cache():
    with redis_cache(f"redis://127.0.0.1:{free_port()}/0"):  # nothing listens there
        yield


def test_with_redis_a_cached_page_costs_no_database_query(
    client, autumn_2024, shared_cache, django_assert_num_queries
):
    client.get("/opslag/", **HTTPS)
    with django_assert_num_queries(0):
        response = client.get("/opslag/", **HTTPS)
    assert response.status_code == 200 and served_early(response)


def test_a_commit_raises_the_version_in_redis_and_every_server_shows_it(
    autumn_2024, shared_cache, django_capture_on_commit_callbacks
):
    server, version_key = shared_cache
    # Two clients: two servers, each with its own memory of recent pages.
    first, second = Client(), Client()
    for visitor in (first, second):
        visitor.get("/api/postings.json", **HTTPS)
        assert served_early(visitor.get("/api/postings.json", **HTTPS))
    herlev = Capacity.objects.get(status=Status.AWAITING_POSTING, area__name="Herlev")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_capacity(herlev, by=staff_user(), on=dt.date(2024, 10, 25))
    assert int(server.get(version_key)) == _database_version()
    for visitor in (first, second):
        rows = visitor.get("/api/postings.json", **HTTPS).json()["results"]
        assert "Herlev" in [row["area"] for row in rows]


def test_an_evicted_version_is_taken_again_from_the_database_row(
    client, autumn_2024, shared_cache, django_capture_on_commit_callbacks
):
    server, version_key = shared_cache
    with django_capture_on_commit_callbacks(execute=True):
        Benefit.objects.create(kind="all", text_da="Ny fordel", text_en="New benefit")
    row = _database_version()
    assert row > 0 and int(server.get(version_key)) == row
    server.delete(version_key)
    assert current_version() == row
    assert int(server.get(version_key)) == row


def test_a_version_in_redis_behind_the_database_is_raised_past_it(
    autumn_2024, shared_cache, django_capture_on_commit_callbacks
):
    server, version_key = shared_cache
    server.set(version_key, 0)  # e.g. Redis restarted empty, then a key made by hand
    with django_capture_on_commit_callbacks(execute=True):
        Benefit.objects.create(kind="all", text_da="Ny fordel", text_en="New benefit")
    assert int(server.get(version_key)) == _database_version() > 0


def test_with_redis_away_pages_still_answer_and_changes_still_commit(
    client, autumn_2024, unreachable_cache, django_capture_on_commit_callbacks
):
    before = _database_version()
    for _ in range(2):
        assert client.get("/opslag/", **HTTPS).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        Benefit.objects.create(kind="all", text_da="Ny fordel", text_en="New benefit")
    assert _database_version() == before + 1
    assert "Ny fordel" in client.get("/laegedaekningstruede-omraader/", **HTTPS).content.decode()


def test_a_bump_redis_missed_shows_once_the_version_key_expires(
    autumn_2024, shared_cache, django_capture_on_commit_callbacks
):
    server, version_key = shared_cache
    current_version()
    assert 0 < server.ttl(version_key) <= 60
    with django_capture_on_commit_callbacks(execute=True):
        Benefit.objects.create(kind="all", text_da="Ny fordel", text_en="New benefit")
    missed = int(server.get(version_key)) - 1
    server.set(version_key, missed, ex=60)  # as if Redis had been away during the bump
    assert current_version() == missed
    server.expire(version_key, 0)  # a minute later
    assert current_version() == _database_version() == missed + 1


def gets(server) -> int:
    return server.info("commandstats").get("cmdstat_get", {}).get("calls", 0)


def test_each_process_reads_the_version_once_until_redis_says_it_changed(
    autumn_2024, shared_cache, django_capture_on_commit_callbacks
):
    server, version_key = shared_cache
    first = current_version()  # loaded from the database row into Redis: a change, too
    assert current_version() == first
    before = gets(server)
    assert [current_version() for _ in range(20)] == [first] * 20
    assert gets(server) == before  # no round trip per request
    server.incr(version_key)  # another server's bump
    assert current_version() == first + 1
    with django_capture_on_commit_callbacks(execute=True):
        Benefit.objects.create(kind="all", text_da="Ny fordel", text_en="New benefit")
    assert current_version() == int(server.get(version_key)) == first + 2


def test_a_lost_watch_connection_falls_back_and_comes_back(
    autumn_2024, shared_cache, django_capture_on_commit_callbacks
):
    server, version_key = shared_cache
    current_version()
    watching = [c for c in server.client_list() if "B" in c["flags"]]  # broadcast tracking
    assert watching
    for connection in watching:
        server.client_kill_filter(_id=connection["id"])
    with django_capture_on_commit_callbacks(execute=True):
        Benefit.objects.create(kind="all", text_da="Ny fordel", text_en="New benefit")
    assert current_version() == _database_version() == int(server.get(version_key))
    assert current_version() == _database_version()
    assert [c for c in server.client_list() if "B" in c["flags"]]  # watching again
