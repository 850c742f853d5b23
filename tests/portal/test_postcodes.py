"""A doctor who knows only a postcode or a town reaches the planning area in one step: the area
search answers it, and /api/postcodes/<code>.json gives the same as open data."""

import re

import pytest

pytestmark = pytest.mark.usefixtures("in_2023")

SEARCH = "/omraader/"


def answer(html: str) -> str:
    start = html.index('id="postcode-answer"')
    return html[start : html.index("</section>", start)]


def area_links(html: str) -> list[str]:
    return re.findall(r'href="/omraader/([a-z0-9-]+)/"', html)


def table_areas(html: str) -> list[str]:
    start = html.index('<table id="areas"')
    return area_links(html[start : html.index("</table>", start)])


@pytest.mark.parametrize(
    ("text", "slug", "label"),
    [
        ("2650", "hvidovre", "2650 Hvidovre"),
        ("Hvidovre", "hvidovre", "2650 Hvidovre"),
        ("Kastrup", "taarnby", "2770 Kastrup"),
        ("kastrup", "taarnby", "2770 Kastrup"),
        ("2300 København S", "amager", "2300 København S"),
        ("1620", "vesterbro", "1620 København V"),
        ("2660", "broendby-strand", "2660 Brøndby Strand"),
    ],
)
def test_postcode_or_town_answers_with_its_area(client, text, slug, label):
    response = client.get(SEARCH, {"q": text})
    assert response.status_code == 200
    html = response.content.decode()
    part = answer(html)
    assert f"{label} ligger i" in part
    assert area_links(part) == [slug]
    assert table_areas(html)[0] == slug


def test_postcode_spanning_areas_lists_most_of_it_first_with_a_note(client):
    html = client.get(SEARCH, {"q": "2800"}).content.decode()
    part = answer(html)
    assert "2800 Kongens Lyngby går over flere planlægningsområder, den største del først:" in part
    assert area_links(part) == ["lyngby-taarbaek", "gladsaxe"]
    assert "(omkring 90% af postnummerets areal)" in part
    assert table_areas(html) == ["lyngby-taarbaek", "gladsaxe"]


def test_town_name_for_several_postcodes_answers_each(client):
    html = client.get(SEARCH, {"q": "København"}).content.decode()
    assert area_links(answer(html)) == [
        "indre-by",
        "vesterbro",
        "oesterbro",
        "noerrebro",
        "amager",
        "bispebjerg",
        "vesterbro",
    ]
    assert "1000-1499 København K ligger i" in html


def test_name_search_still_finds_areas_by_name(client):
    html = client.get(SEARCH, {"q": "brøn"}).content.decode()
    assert {"broendby", "broendby-strand", "broenshoej-husum"} <= set(table_areas(html))


def test_town_outside_the_region_is_named_as_such(client):
    html = client.get(SEARCH, {"q": "Roskilde"}).content.decode()
    assert "4000 Roskilde ligger uden for regionen." in html
    assert 'id="postcode-answer"' not in html
    html = client.get(SEARCH, {"q": "4000"}).content.decode()
    assert "4000 Roskilde ligger uden for regionen." in html


def test_unknown_postcode_finds_nothing_and_says_so(client):
    html = client.get(SEARCH, {"q": "0000"}).content.decode()
    assert "Intet planlægningsområde passer til din søgning." in html


def api(client, code: str):
    return client.get(f"/api/postcodes/{code}.json")


def test_api_gives_the_areas_of_a_postcode_largest_share_first(client):
    response = api(client, "2800")
    assert response.status_code == 200
    data = response.json()
    assert data["postcode"] == "2800"
    assert data["name"] == "Kongens Lyngby"
    assert [(a["slug"], a["name"]) for a in data["areas"]] == [
        ("lyngby-taarbaek", "Lyngby-Taarbæk"),
        ("gladsaxe", "Gladsaxe"),
    ]
    assert data["areas"][0]["share"] > data["areas"][1]["share"] > 0
    assert sum(a["share"] for a in data["areas"]) == pytest.approx(1, abs=0.01)


def test_api_answers_a_code_within_central_copenhagen_s_ranges(client):
    data = api(client, "1050").json()
    assert data == {
        "postcode": "1050",
        "name": "København K",
        "areas": [{"slug": "indre-by", "name": "Indre By", "share": 1.0}],
    }


# The fourth is 2650 in full-width digits, which Python's isdigit() would take.
@pytest.mark.parametrize("code", ["265", "26500", "abcd", "\uff12\uff16\uff15\uff10", "26 5"])
def test_api_refuses_a_malformed_postcode(client, code):
    response = api(client, code)
    assert response.status_code == 400
    assert response.json() == {"error": "Et postnummer har fire cifre, for eksempel 2650."}


def test_api_says_whether_a_postcode_is_unknown_or_outside_the_region(client):
    unknown = api(client, "0000")
    assert unknown.status_code == 404
    assert unknown.json() == {"error": "Postnummeret 0000 findes ikke."}
    outside = api(client, "4000")
    assert outside.status_code == 404
    assert outside.json() == {"error": "Postnummer 4000 (Roskilde) ligger uden for regionen."}


def test_api_is_cached_like_the_other_open_data(client):
    first = api(client, "2650")
    assert first["Cache-Control"] == "public, no-cache"
    again = client.get("/api/postcodes/2650.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_api_refuses_other_methods(client):
    assert client.post("/api/postcodes/2650.json").status_code == 405
