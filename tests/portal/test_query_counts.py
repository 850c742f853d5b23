"""Each public page and API answer costs the same number of queries with 10 capacities as
with 1,000 (page cache off, so that the page itself is measured)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from capacities.models import Capacity, Status
from tests.portal.sizes import bulk_capacities

pytestmark = pytest.mark.django_db

URLS = [
    "/",
    "/en/",
    "/opslag/",
    "/opslag/?threatened=yes&sort=deadline&page=2",
    "/opslag/?area=broendby&deadline=rolling",
    "/opslag/{posting}/",
    "/laegedaekningstruede-omraader/",
    "/laegedaekningstruede-omraader/?year=2022",
    "/omraader/",
    "/omraader/?q=brø",
    "/omraader/?q=2800",
    "/omraader/hvidovre/",
    "/omraader/broendby/?date=2023-06-01",
    "/api/postings.json",
    "/api/postings.csv?threatened=no",
    "/api/designations.json?year=2023",
    "/api/areas/broendby-strand/status.json?date=2023-06-01",
    "/api/postcodes/2800.json",
    "/feeds/postings/",
    "/sitemap.xml",
]
MOST_QUERIES = 12


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture
def no_page_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.VERSION_SIGNAL_DIR = ""  # the version read on every request: counts compare


def test_query_counts_do_not_grow_with_the_data(client, autumn_2024, no_page_cache):
    # The small set matches every filter below, so that no page is cheaper for being empty.
    bulk_capacities(10, in_areas=["Brøndby", "Brøndby Strand", "Ishøj"])
    posting = Capacity.objects.filter(status=Status.POSTED).first().pk
    urls = [url.format(posting=posting) for url in URLS]
    small = {url: count_queries(client, url) for url in urls}
    bulk_capacities(990)
    assert Capacity.objects.filter(status__in=[Status.POSTED, Status.GRANTED]).count() > 1000
    large = {url: count_queries(client, url) for url in urls}
    assert large == small
    assert max(small.values()) <= MOST_QUERIES, small


def test_a_cached_page_costs_no_query(client, autumn_2024, django_assert_num_queries, settings):
    settings.VERSION_RECHECK_SECONDS = 600  # however slow the machine, no recheck is due
    client.get("/opslag/")
    # The data version is kept until the machine's signal says it changed; the page itself
    # comes from the cache.
    with django_assert_num_queries(0):
        assert client.get("/opslag/").status_code == 200
