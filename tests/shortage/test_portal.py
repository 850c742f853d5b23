"""The public view of pressure: the area page's chart of the closure share over time (SVG,
with a table alternative), the threatened-areas page's list sortable by share, bad query
strings, query counts, and an import showing at once on the cached pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import clock
from shortage.models import IntakeClosure
from tests import factories
from tests.shortage.conftest import D, csv_bytes

AREA_PAGE = "/en/omraader/herlev/"
THREATENED = "/en/laegedaekningstruede-omraader/"


@pytest.fixture(autouse=True)
def today(monkeypatch):
    day = dt.date(2024, 10, 24)
    monkeypatch.setattr(clock, "today", lambda: day)
    return day


@pytest.fixture
def region(areas):
    factories.pool(size=1)
    figures = {
        "herlev": [(7, 13, 16), (8, 14, 16), (9, 12, 16)],
        "hoeje": [(9, 40, 50)],
        "taarnby": [(9, 10, 34)],
        "strand": [(9, 0, 0)],
    }
    for key, rows in figures.items():
        for month, closed, total in rows:
            IntakeClosure.objects.create(
                area=areas[key], month=D(2024, month, 1), closed=closed, total=total
            )
    return areas


def section(page: str, id_: str) -> str:
    start = page.index(f'id="{id_}"')
    return page[start : page.index("</section>", start)]


def test_the_area_page_draws_the_share_over_time_with_a_table(client, region):
    page = client.get(AREA_PAGE).content.decode()
    chart = section(page, "pressure")

    svg = chart[chart.index("<svg") : chart.index("</svg>")]
    assert 'role="img"' in svg
    assert 'aria-labelledby="share-chart-title share-chart-desc"' in svg
    assert '<title id="share-chart-title">Herlev: share closed to new patients' in svg
    assert "Latest: 75.0% in September 2024." in svg
    assert "Highest: 87.5% in August 2024." in svg
    # One bar per month; the months above the pool's 75% are marked, and the line drawn.
    assert svg.count("<rect ") == 3
    assert svg.count('class="bar above"') == 2
    assert 'class="threshold"' in svg
    # Coordinates are plain numbers whatever the language (no decimal commas).
    assert not re.search(r'(x|y|width|height)="[^"]*,', svg)

    table = chart[chart.index("<table") : chart.index("</table>")]
    assert "<caption" in table and 'scope="col"' in table
    assert re.findall(r'<th scope="row"><time datetime="([\d-]+)"', table) == [
        "2024-09",
        "2024-08",
        "2024-07",
    ]
    assert "81.2%" in table and "12</td>" in table


def test_the_chart_has_no_inline_style_or_script(client, region):
    page = client.get("/omraader/herlev/").content.decode()
    assert not re.search(r"<style\b| style=|<script(?![^>]*src=)", section(page, "pressure"))


def test_the_danish_area_page_says_it_in_danish(client, region):
    page = client.get("/omraader/herlev/").content.decode()
    assert "Lukket for patienttilgang" in section(page, "pressure")
    assert "87,5" in section(page, "pressure")


def test_an_area_without_figures_says_so(client, areas):
    page = client.get("/en/omraader/broendby/").content.decode()
    assert "No figures on closure to new patients" in section(page, "pressure")
    assert "<svg" not in section(page, "pressure")


def test_an_import_shows_on_the_cached_area_page_at_once(
    client, region, tmp_path, django_capture_on_commit_callbacks
):
    assert "Latest: 75.0% in September 2024." in client.get(AREA_PAGE).content.decode()
    path = tmp_path / "rettelse.csv"
    path.write_bytes(csv_bytes("area,month,closed,total", "Herlev,2024-09,15,16"))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_intake_closures", str(path))
    page = client.get(AREA_PAGE).content.decode()
    assert "Latest: 93.8% in September 2024." in page


def shares_in_order(page: str) -> list[str]:
    table = section(page, "pressure")
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', table)


def test_the_threatened_areas_page_lists_the_latest_share_by_name(client, region):
    page = client.get(THREATENED).content.decode()
    assert shares_in_order(page) == ["Brøndby Strand", "Herlev", "Høje-Taastrup", "Tårnby"]
    assert 'aria-sort="ascending"' in section(page, "pressure")
    assert "September 2024" in section(page, "pressure")


def test_the_threatened_areas_page_sorts_by_share_highest_first(client, region):
    page = client.get(THREATENED, {"sort": "share"}).content.decode()
    # 80%, 75%, 29.4%, and Brøndby Strand (no capacities, no share) last.
    assert shares_in_order(page) == ["Høje-Taastrup", "Herlev", "Tårnby", "Brøndby Strand"]
    assert 'aria-sort="descending"' in section(page, "pressure")


@pytest.mark.parametrize(
    "query",
    ["sort=", "sort=%00", "sort=share&sort=name", "sort=" + "x" * 5000, "sort[]=1", "sort=ÆØÅ"],
)
def test_a_bad_sort_is_ignored_and_never_an_error(client, region, query):
    response = client.get(f"{THREATENED}?{query}")
    assert response.status_code == 200
    assert shares_in_order(response.content.decode())[0] in ("Brøndby Strand", "Høje-Taastrup")


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_the_figures(client, region, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.VERSION_SIGNAL_DIR = ""  # the version read on every request: counts compare
    urls = [AREA_PAGE, THREATENED, f"{THREATENED}?sort=share", "/en/"]
    small = {url: count_queries(client, url) for url in urls}
    for index in range(12):
        area = factories.area(f"Område {index}")
        IntakeClosure.objects.bulk_create(
            IntakeClosure(area=a, month=D(2023, month, 1), closed=month, total=20)
            for a in (area, region["herlev"])
            for month in range(1, 13)
            if not (a == region["herlev"] and index)
        )
    large = {url: count_queries(client, url) for url in urls}
    assert large == small
