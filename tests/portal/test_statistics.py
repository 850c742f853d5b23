"""/statistik/ and /api/pipeline.json: the pipeline figures for anyone, small cells hidden."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from capacities import services
from capacities.models import Capacity
from tests import factories
from tests.portal.sizes import bulk_capacities

pytestmark = pytest.mark.django_db

D = dt.date

# Hand count of fixtures/capacities.json from 1 January to 24 October 2024 (see
# tests/capacities/test_pipeline.py for the stories).
DEMO_2024 = {
    "from": "2024-01-01",
    "to": "2024-10-24",
    "steps": {"return": 3, "decide": 17, "post": 16, "grant": 14, "lapse": 0, "establish": 0},
    "returns_by_reason": {"retirement": 2, "relocation": 1},
    "durations_days": {
        # Fourteen 32 days (31.12.2023 to 1.2.2024), Høje-Taastrup 31, Rødovre 32.
        "return_to_post": {"median": 32, "p90": 32, "count": 16, "open": 1},
        # Fourteen 74 days (1.2 to 15.4.2024); Høje-Taastrup and Rødovre still posted.
        "post_to_grant": {"median": 74, "p90": 74, "count": 14, "open": 2},
        "grant_to_establish": {"median": None, "p90": None, "count": 0, "open": 14},
        "return_to_establish": {"median": None, "p90": None, "count": 0, "open": 17},
    },
}


def test_pipeline_json_follows_the_published_shape(client, autumn_2024):
    response = client.get("/api/pipeline.json?from=2024-01-01&to=2024-10-24")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == DEMO_2024


def test_pipeline_json_defaults_to_this_year_up_to_today(client, autumn_2024):
    assert client.get("/api/pipeline.json").json() == DEMO_2024


@pytest.mark.parametrize(
    "query",
    [
        "from=2024-13-01&to=2024-12-31",
        "from=20240101&to=2024-12-31",
        "from=2024-01-01&to=yesterday",
        "from=2024-06-01&to=2024-01-01",
        "from=0001-01-01&to=2024-01-01",
    ],
)
def test_pipeline_json_refuses_bad_dates_with_a_message(client, autumn_2024, query):
    response = client.get(f"/api/pipeline.json?{query}")
    assert response.status_code == 400
    assert response.json()["error"]


def test_the_page_shows_the_figures_in_danish(client, autumn_2024):
    response = client.get("/statistik/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Statistik: fra tilbageleveret kapacitet til ny læge</h1>" in page
    assert "Fra 1. januar 2020 til 24. oktober 2024: 17 kapaciteter tilbageleveret" in page
    assert "Pension" in page  # the reason, in the table and the chart's legend
    assert page.count('role="img"') == 2
    assert 'href="/api/pipeline.json?from=2024-01-01&amp;to=2024-10-24"' in page
    # Nothing personal: grantees are never named.
    assert "Anne Holm" not in page


def test_the_page_is_in_english_under_en(client, autumn_2024):
    page = client.get("/en/statistik/").content.decode()
    assert "<h1>Statistics: from returned capacity to new doctor</h1>" in page
    assert "Retirement" in page


def test_small_cells_per_area_are_shown_as_less_than_five(client, autumn_2024):
    page = client.get("/statistik/").content.decode()
    # Amager had two capacities returned on 31 December 2023.
    row = page.split('href="/omraader/amager/">Amager</a></th>')[1].split("</tr>")[0]
    assert '<td class="num">&lt;5</td>' in row
    assert ">2<" not in row


def test_an_area_with_five_established_shows_its_counts_and_median(client, pin_today):
    pin_today(D(2024, 12, 31))
    by = factories.staff_user()
    for number in range(5):
        capacity = services.register_capacity(
            by=by, on=D(2010, 1, 1), area=factories.area("Herlev")
        )
        services.return_capacity(
            capacity, by=by, on=D(2024, 1, 1), reason=Capacity.ReturnReason.RETIREMENT
        )
        services.post_capacity(capacity, by=by, on=D(2024, 2, 1))
        services.grant_capacity(
            capacity,
            by=by,
            on=D(2024, 3, 1),
            grantee=f"Læge {number}",
            establishment_deadline=D(2024, 12, 1),
        )
        # 100, 110, 120, 130 and 140 days after the return: median 120.
        services.establish_capacity(capacity, by=by, on=D(2024, 4, 10) + dt.timedelta(number * 10))
    page = client.get("/statistik/").content.decode()
    row = page.split('href="/omraader/herlev/">Herlev</a></th>')[1].split("</tr>")[0]
    assert row.count('<td class="num">5</td>') == 2
    assert '<td class="num">120</td>' in row


def test_the_sitemap_lists_the_page_in_both_languages(client, autumn_2024):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/statistik/</loc>" in sitemap
    assert "/en/statistik/" in sitemap


def test_page_and_api_cost_the_same_queries_whatever_the_data(client, autumn_2024, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.VERSION_SIGNAL_DIR = ""  # the version read on every request: counts compare
    urls = ["/statistik/", "/en/statistik/", "/api/pipeline.json?from=2020-01-01&to=2024-10-24"]

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = {url: count(url) for url in urls}
    bulk_capacities(600)
    assert {url: count(url) for url in urls} == small
    assert max(small.values()) <= 4, small
