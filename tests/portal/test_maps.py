"""The maps show each year's lists as the status rule answers them, with a legend that does not
rely on colour, links named by area, a locator on the area page, and closure-share bins."""

import datetime as dt
import re

import pytest

from coverage_areas.status import area_status, load_rounds
from coverage_areas.tree import AreaTree
from portal.maps import status_class

THREATENED = "/laegedaekningstruede-omraader/"
AREA_IN_MAP = re.compile(r'class="area status-([a-z0-9-]+)" data-area="([a-z0-9-]+)"')


def figure(html: str, map_id: str) -> str:
    start = html.index('<figure class="area-map')
    start = html.index(f'id="{map_id}"', start)
    return html[start : html.index("</figure>", start)]


def classes(html: str, map_id: str = "status-map") -> dict[str, str]:
    return {slug: css for css, slug in AREA_IN_MAP.findall(figure(html, map_id))}


# Written by hand from the demo's lists (fixtures/region.json): the map's shading on 31
# December of each year; 2024's regional list is only announced, so "undecided" unless the
# national list of 2021-2024 names the area.
EXPECTED = {
    2021: {
        "bornholm": "both",
        "ishoej": "national",
        "broendby-strand": "national",
        "ballerup": "regional",
        "indre-by": "regional",
        "broendby": "not",
        "noerrebro": "not",
        "gentofte": "not",
    },
    2022: {
        "bornholm": "both",
        "ishoej": "both",
        "broendby-strand": "both",  # Brøndby's regional designation covers its sub-area
        "broendby": "regional",
        "noerrebro": "regional",
        "ballerup": "not",
        "gentofte": "not",
    },
    2023: {
        "broendby-strand": "both",
        "valby": "regional",
        "hoeje-taastrup": "regional",
        "hvidovre": "regional",
        "noerrebro": "not",
        "vesterbro": "not",
        "gentofte": "not",
    },
    2024: {
        "ishoej": "national",
        "bornholm": "national",
        "broendby-strand": "national",
        "broendby": "undecided",
        "amager": "undecided",
        "gentofte": "undecided",
    },
}


@pytest.fixture
def spring_2025(demo, pin_today):
    return pin_today(dt.date(2025, 3, 1))


@pytest.mark.parametrize("year", sorted(EXPECTED))
def test_map_shades_each_area_as_the_lists_of_the_year_say(client, spring_2025, year):
    response = client.get(f"{THREATENED}?year={year}")
    assert response.status_code == 200
    shown = classes(response.content.decode())
    assert {slug: shown[slug] for slug in EXPECTED[year]} == EXPECTED[year]
    # And every area as the status rule answers it on the year's last day.
    tree, rounds = AreaTree.load(), load_rounds()
    on = dt.date(year, 12, 31)
    assert shown == {a.slug: status_class(area_status(rounds, a, on)) for a in tree.all()}
    assert len(shown) == 38


def test_map_of_this_year_shows_today(client, in_2023):
    shown = classes(client.get(THREATENED).content.decode())
    assert shown["valby"] == "regional"
    assert shown["noerrebro"] == "not"
    html = client.get("/").content.decode()
    assert classes(html) == shown
    assert "1. juni 2023" in figure(html, "status-map")


def test_counts_in_the_legend_match_the_map(client, spring_2025):
    html = client.get(f"{THREATENED}?year=2024").content.decode()
    shown = list(classes(html).values())
    legend = figure(html, "status-map").split('class="map-legend"')[1]
    for css in ("both", "regional", "national", "undecided", "not"):
        count = re.search(rf'<li class="status-{css}">.*?\((\d+) områder?\)', legend).group(1)
        assert int(count) == shown.count(css), css
    assert shown.count("national") == 3
    assert shown.count("undecided") == 35


def test_legend_pairs_each_colour_with_a_pattern_and_a_label(client, in_2023):
    html = client.get(THREATENED).content.decode()
    part = figure(html, "status-map")
    for css in ("both", "regional", "national", "undecided"):
        assert f'<pattern id="status-map-{css}"' in part
        assert f'fill="url(#status-map-{css})"' in part.split('class="map-legend"')[1]
    assert "Regionalt lægedækningstruet" in part
    assert "Ikke lægedækningstruet" in part
    # No inline style or script: the Content-Security-Policy forbids both.
    assert "style=" not in part and "<script" not in part


def test_each_area_is_a_link_named_by_the_area_and_its_status(client, in_2023):
    part = figure(client.get(THREATENED).content.decode(), "status-map")
    assert (
        '<a href="/omraader/valby/" class="area status-regional" data-area="valby">'
        "<title>Valby: Regionalt lægedækningstruet</title>"
    ) in part


def test_a_status_known_for_one_kind_only_says_so(client, spring_2025):
    part = figure(client.get(f"{THREATENED}?year=2024").content.decode(), "status-map")
    assert "<title>Ishøj: Nationalt lægedækningstruet (den regionale liste er ikke besluttet)" in (
        part
    )


def test_unknown_year_is_refused_with_a_message(client, in_2023):
    for bad in ("abc", "2019", "2099"):
        response = client.get(f"{THREATENED}?year={bad}")
        assert response.status_code == 400
        assert "Vælg et af årene på listen." in response.content.decode()


def test_capital_map_enlarges_copenhagen_only(client, in_2023):
    shown = classes(client.get(THREATENED).content.decode(), "capital-map")
    assert {"indre-by", "oesterbro", "frederiksberg", "amager"} <= set(shown)
    assert "bornholm" not in shown and "gribskov" not in shown


def test_area_page_has_a_locator_map_and_its_postcodes(client, in_2023):
    html = client.get("/omraader/gladsaxe/").content.decode()
    part = figure(html, "locator-map")
    assert 'role="img"' in part
    assert 'class="area status-here" data-area="gladsaxe"' in part
    assert "<a " not in part  # a picture, not a second set of links
    assert "2800 Kongens Lyngby (delvis)" in html
    assert "2860 Søborg" in html


def test_closure_map_bins_the_latest_share(client, autumn_2024):
    shown = classes(client.get(THREATENED).content.decode(), "closure-map")
    assert shown["taarnby"] == "share-75"  # above 75% from July to September 2024
    assert shown["ishoej"] in {"share-50", "share-75"}
    assert set(shown.values()) <= {"share-0", "share-25", "share-50", "share-75", "share-none"}


def test_year_choice_is_a_labelled_list_of_the_recorded_years(client, in_2023):
    html = client.get(f"{THREATENED}?year=2022").content.decode()
    assert html.count('id="map-year"') == 1
    assert '<label for="map-year">År</label>' in html
    options = re.findall(r'<option value="(\d+)"( selected)?>', html)
    assert options == [("2023", ""), ("2022", " selected"), ("2021", "")]
