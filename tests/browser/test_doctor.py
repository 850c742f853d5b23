"""A doctor, with no login, finds a posting, its benefits and an area's status on a date."""

import datetime as dt

import pytest
from django.utils import timezone

from coverage_areas.models import Designation, DesignationRound, PlanningArea

pytestmark = pytest.mark.browser


@pytest.fixture
def this_years_list(demo_site):
    """The demo's latest regional list is 2023; give the region one for today's year too."""
    today = timezone.localdate()
    round_ = DesignationRound.objects.create(
        kind="regional",
        first_year=today.year,
        last_year=today.year,
        status="decided",
        decision_date=dt.date(today.year, 1, 1),
    )
    Designation.objects.create(round=round_, area=PlanningArea.objects.get(name="Rødovre"))
    return demo_site


def test_doctor_finds_a_posting_its_benefits_and_an_areas_status(page, this_years_list):
    site = this_years_list
    page.goto(site + "/")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Åbne opslag").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Åbne opslag"

    page.get_by_label("Planlægningsområde").select_option(label="Rødovre")
    page.get_by_role("button", name="Vis opslag").click()
    table = page.locator("#postings")
    assert "Rødovre" in table.inner_text()
    assert "Høje-Taastrup" not in table.inner_text()
    assert "1 af 2 åbne opslag passer" in page.locator("#result-count").inner_text()

    table.get_by_role("link", name="Opslag i Rødovre").click()
    assert "Rødovre" in page.get_by_role("heading", level=1).inner_text()
    assert "uden frist" in page.locator("#deadline").inner_text().lower()
    benefits = page.locator("#benefits").inner_text()
    assert "delepraksis" in benefits  # a regional benefit, in Danish
    assert "teletolkning" in benefits  # the benefit of every threatened area

    page.locator("#language-en").click()
    assert page.url.startswith(site + "/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "shared practice" in page.locator("#benefits").inner_text()
    page.locator("#language-da").click()
    assert "/en/" not in page.url
    assert page.locator("html").get_attribute("lang") == "da"
    apply = page.locator("#how-to-apply")
    assert "Sådan søger du" in apply.inner_text()
    assert apply.get_by_role("link").first.get_attribute("href").startswith("mailto:")

    # From the posting to a certificate of the area's status on the day the doctor applies.
    page.get_by_role("link", name="Hent en attest for den dato, du søger").click()
    certificate = page.locator("#certificate")
    assert "Rødovre" in certificate.inner_text()
    assert "Regional liste: lægedækningstruet" in certificate.inner_text()
    assert len(page.locator("#fingerprint").inner_text()) == 64
    pdf = page.request.get(site + page.locator("#certificate-pdf").get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    assert "attest-roedovre-" in pdf.headers["content-disposition"]
    page.go_back()

    page.locator("#posting-facts").get_by_role("link", name="Rødovre").click()
    page.locator("#status-form").get_by_label("Dato").fill("2022-06-01")
    page.get_by_role("button", name="Vis status").click()
    answer = page.locator("#status-answer").inner_text()
    assert "2022" in answer and "regional" in answer.lower()

    page.goto(site + "/")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role(
        "link", name="Lægedækningstruede områder"
    ).click()
    changes = page.locator("#changes-2023").inner_text()
    for name in ("Nørrebro", "Rødovre", "Vesterbro", "Hvidovre", "Høje-Taastrup", "Valby"):
        assert name in changes
