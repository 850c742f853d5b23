"""Open data as CONTRACT.md promises it: the API shapes, the CSV, the feed and the sitemap."""

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET

import pytest

from capacities.models import Capacity, Status

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_postings_json_lists_the_open_postings(client, autumn_2024):
    response = client.get("/api/postings.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "results": [
            {
                "area": "Høje-Taastrup",
                "area_slug": "hoeje-taastrup",
                "origin": "regular",
                "posted_on": "2024-05-01",
                "application_deadline": None,
                "remark": "",
            },
            {
                "area": "Rødovre",
                "area_slug": "roedovre",
                "origin": "regular",
                "posted_on": "2024-08-01",
                "application_deadline": None,
                "remark": "",
            },
        ]
    }


def test_postings_json_takes_the_filters_of_the_postings_page(client, autumn_2024):
    results = client.get("/api/postings.json?area=roedovre").json()["results"]
    assert [row["area"] for row in results] == ["Rødovre"]
    assert client.get("/api/postings.json?origin=pool").json() == {"results": []}


def test_postings_csv_has_the_same_columns_and_rows(client, autumn_2024):
    response = client.get("/api/postings.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert list(rows[0]) == [
        "area",
        "area_slug",
        "origin",
        "posted_on",
        "application_deadline",
        "remark",
    ]
    assert [(r["area"], r["posted_on"], r["application_deadline"]) for r in rows] == [
        ("Høje-Taastrup", "2024-05-01", ""),
        ("Rødovre", "2024-08-01", ""),
    ]


def test_designations_json_gives_a_year_with_its_computed_changes(client, autumn_2024):
    response = client.get("/api/designations.json?year=2023")
    assert response.status_code == 200
    assert response.json() == {
        "year": 2023,
        "regional": {
            "status": "decided",
            "decision_date": "2022-12-13",
            "areas": [
                "Amager",
                "Bispebjerg",
                "Bornholm",
                "Brøndby",
                "Brønshøj-Husum",
                "Hvidovre",
                "Høje-Taastrup",
                "Ishøj",
                "Valby",
                "Vallensbæk",
            ],
        },
        "national": {"period": "2021-2024", "areas": ["Bornholm", "Brøndby Strand", "Ishøj"]},
        "changes_from_previous_year": {
            "joined": ["Hvidovre", "Høje-Taastrup", "Valby"],
            "left": ["Nørrebro", "Rødovre", "Vesterbro"],
        },
    }


def test_designations_json_shows_an_announced_year_with_its_decision_date(client, autumn_2024):
    data = client.get("/api/designations.json?year=2024").json()
    assert data["regional"] == {"status": "announced", "decision_date": "2024-01-08", "areas": []}
    assert data["national"]["period"] == "2021-2024"
    assert data["changes_from_previous_year"] == {"joined": [], "left": []}


def test_designations_json_says_none_for_a_year_with_only_a_national_list(client, demo):
    from coverage_areas.models import DesignationRound, PlanningArea

    national = DesignationRound.objects.create(
        kind="national",
        first_year=2025,
        last_year=2028,
        status="decided",
        decision_date=dt.date(2024, 12, 1),
    )
    national.designations.create(area=PlanningArea.objects.get(name="Ishøj"))
    assert client.get("/api/designations.json?year=2025").json() == {
        "year": 2025,
        "regional": {"status": "none", "decision_date": None, "areas": []},
        "national": {"period": "2025-2028", "areas": ["Ishøj"]},
        "changes_from_previous_year": {"joined": [], "left": []},
    }


def test_designations_json_compares_the_first_year_with_nothing(client, autumn_2024):
    data = client.get("/api/designations.json?year=2021").json()
    assert len(data["regional"]["areas"]) == 11
    assert data["changes_from_previous_year"] == {"joined": [], "left": []}


def test_area_status_json_follows_parents_never_upwards(client, autumn_2024):
    strand = client.get("/api/areas/broendby-strand/status.json?date=2023-06-01")
    assert strand.status_code == 200
    assert strand.json() == {
        "area": "Brøndby Strand",
        "date": "2023-06-01",
        "regional": True,
        "national": True,
        "regional_status": "designated",
        "national_status": "designated",
        "designations": [
            {
                "kind": "regional",
                "area": "Brøndby",
                "period": "2023",
                "decision_date": "2022-12-13",
            },
            {
                "kind": "national",
                "area": "Brøndby Strand",
                "period": "2021-2024",
                "decision_date": "2020-12-01",
            },
        ],
    }
    brondby = client.get("/api/areas/broendby/status.json?date=2023-06-01").json()
    assert brondby["regional"] is True and brondby["national"] is False
    assert brondby["national_status"] == "not_designated"


def test_area_status_json_answers_null_where_no_decided_list_covers_the_date(client, autumn_2024):
    june = client.get("/api/areas/hoeje-taastrup/status.json?date=2024-06-01").json()
    assert (june["regional"], june["regional_status"]) == (None, "undecided")
    assert (june["national"], june["national_status"]) == (False, "not_designated")
    far = client.get("/api/areas/hoeje-taastrup/status.json?date=2099-01-01").json()
    assert (far["regional"], far["national"]) == (None, None)
    assert far["regional_status"] == far["national_status"] == "undecided"


def test_area_status_json_knows_a_round_applies_only_from_its_decision(client, autumn_2024):
    from coverage_areas.models import DesignationRound, PlanningArea

    round_2025 = DesignationRound.objects.create(
        kind="regional",
        first_year=2025,
        last_year=2025,
        status="decided",
        decision_date=dt.date(2025, 1, 10),
    )
    round_2025.designations.create(area=PlanningArea.objects.get(name="Amager"))

    before = client.get("/api/areas/amager/status.json?date=2025-01-09").json()
    on_the_day = client.get("/api/areas/amager/status.json?date=2025-01-10").json()

    # Before its decision no decided list covers 9 January: not known, never "no".
    assert (before["regional"], before["regional_status"], before["designations"]) == (
        None,
        "undecided",
        [],
    )
    assert on_the_day["regional"] is True
    assert on_the_day["designations"] == [
        {"kind": "regional", "area": "Amager", "period": "2025", "decision_date": "2025-01-10"}
    ]


def test_area_status_json_redirects_another_spelling_of_the_address(client, autumn_2024):
    response = client.get("/api/areas/brondby-strand/status.json?date=2023-06-01", follow=True)
    assert response.redirect_chain == [
        ("/api/areas/broendby-strand/status.json?date=2023-06-01", 301)
    ]
    assert response.json()["regional"] is True


def test_feed_lists_the_newest_postings_first(client, autumn_2024):
    response = client.get("/feeds/postings/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert titles == ["Lægekapacitet slået op i Rødovre", "Lægekapacitet slået op i Høje-Taastrup"]
    link = entries[0].find(f"{ATOM}link").get("href")
    rodovre = Capacity.objects.get(status=Status.POSTED, area__name="Rødovre")
    assert link == f"http://testserver/opslag/{rodovre.pk}/"
    english = ET.fromstring(client.get("/en/feeds/postings/").content)
    assert english.find(f"{ATOM}entry/{ATOM}title").text == "GP capacity posted in Rødovre"


def test_sitemap_lists_every_public_page_in_both_languages(client, autumn_2024):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    urls = {loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")}
    posting = Capacity.objects.get(status=Status.POSTED, area__name="Rødovre")
    for path in [
        "/",
        "/opslag/",
        "/laegedaekningstruede-omraader/",
        "/omraader/",
        "/omraader/broendby-strand/",
        "/abonnement/",
        f"/opslag/{posting.pk}/",
    ]:
        assert f"http://testserver{path}" in urls
        assert f"http://testserver/en{path}" in urls
    granted = Capacity.objects.filter(status=Status.GRANTED).first()
    assert f"http://testserver/opslag/{granted.pk}/" not in urls


def test_each_page_links_its_machine_readable_twin(client, autumn_2024):
    area = client.get("/omraader/ishoej/?date=2023-06-01").content.decode()
    twin = "/api/areas/ishoej/status.json?date=2023-06-01"
    assert '<link rel="alternate" type="application/json"' in area and twin in area
    assert f'<a href="{twin}"' in area
    postings = client.get("/opslag/?area=roedovre").content.decode()
    assert 'href="/api/postings.json?area=roedovre"' in postings
    threatened = client.get("/laegedaekningstruede-omraader/").content.decode()
    assert 'href="/api/designations.json?year=2023"' in threatened


def test_the_api_answers_the_same_whatever_the_language_asked(client, autumn_2024):
    danish = client.get("/api/designations.json?year=2023", HTTP_ACCEPT_LANGUAGE="da").json()
    english = client.get("/api/designations.json?year=2023", HTTP_ACCEPT_LANGUAGE="en").json()
    assert danish == english


def test_open_data_needs_no_login(client, autumn_2024):
    for url in ["/api/postings.json", "/api/postings.csv", "/feeds/postings/", "/sitemap.xml"]:
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("today", [dt.date(2023, 6, 1), dt.date(2024, 1, 3), dt.date(2026, 11, 22)])
def test_every_machine_readable_twin_answers(client, demo, pin_today, today):
    import re

    pin_today(today)
    posting = Capacity.objects.filter(status=Status.POSTED).first()
    for page in [
        "/",
        "/en/opslag/?area=roedovre",
        f"/opslag/{posting.pk}/",
        "/laegedaekningstruede-omraader/",
        "/omraader/ishoej/?date=2023-06-01",
        "/omraader/",
    ]:
        html = client.get(page).content.decode()
        twins = re.findall(r'<link rel="alternate" type="[^"]+"[^>]*href="([^"]+)"', html)
        assert twins, page
        for url in twins:
            assert client.get(url.replace("&amp;", "&")).status_code == 200, (page, url)
