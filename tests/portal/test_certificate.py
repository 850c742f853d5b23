"""The status certificate: the seed's facts under the three answers, stable for its date,
changed by a correction for that date; as a page and as a one-page PDF."""

from __future__ import annotations

import datetime as dt
import io
import re

from pypdf import PdfReader

from coverage_areas.models import Designation, DesignationRound, PlanningArea
from tests import factories


def fingerprint(response) -> str:
    return re.search(r'id="fingerprint">([0-9a-f]{64})<', response.content.decode())[1]


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_brondby_strand_in_march_2023_is_regional_through_brondby_and_national(client, autumn_2024):
    response = client.get("/en/omraader/broendby-strand/attest/?date=2023-03-01")
    assert response.status_code == 200
    text = text_of(response)
    assert "Regional list: coverage-threatened" in text
    assert "Through Brøndby, designated for 2023 (decided on 13 December 2022)" in text
    assert "National list: coverage-threatened" in text
    assert "Brøndby Strand is designated for 2021-2024 (decided on 1 December 2020)" in text
    assert "The right to set up a shared practice" in text  # a regional benefit
    assert "Region Hovedstaden" in text and "Data version" in text
    assert (
        response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    )


def test_hoeje_taastrup_in_june_2024_is_regionally_undecided_in_danish_too(client, autumn_2024):
    text = text_of(client.get("/omraader/hoeje-taastrup/attest/?date=2024-06-01"))
    assert "Regional liste: ikke besluttet" in text
    assert "registreret som varslet til beslutning den 8. januar 2024" in text
    assert "National liste: ikke lægedækningstruet" in text


def test_the_fingerprint_ignores_changes_for_other_dates_and_follows_corrections_for_its_own(
    client, autumn_2024
):
    url = "/omraader/noerrebro/attest/?date=2023-06-01"
    before = client.get(url)
    english = client.get(f"/en{url}")
    assert "Regional liste: ikke lægedækningstruet" in text_of(before)

    # A change for another year: the 2025 list is decided with Nørrebro on it.
    later = DesignationRound.objects.create(
        kind="regional",
        first_year=2025,
        last_year=2025,
        status="decided",
        decision_date=dt.date(2025, 1, 10),
    )
    later.designations.create(area=PlanningArea.objects.get(name="Nørrebro"))
    unchanged = client.get(url)

    # A correction for the certificate's own date: Nørrebro added to the 2023 list.
    correction = Designation(
        round=DesignationRound.objects.get(kind="regional", first_year=2023),
        area=PlanningArea.objects.get(name="Nørrebro"),
    )
    correction._history_user = factories.staff_user()
    correction._change_reason = "Rettelse: Nørrebro manglede på listen"
    correction.save()
    corrected = client.get(url)

    assert fingerprint(before) == fingerprint(english) == fingerprint(unchanged)
    assert fingerprint(corrected) != fingerprint(before)
    assert "Regional liste: lægedækningstruet" in text_of(corrected)


def test_the_pdf_is_one_page_with_the_same_facts_and_fingerprint(client, autumn_2024):
    page = client.get("/en/omraader/broendby-strand/attest/?date=2023-03-01")
    pdf = client.get("/en/omraader/broendby-strand/attest.pdf?date=2023-03-01")

    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) == 1
    text = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    assert "Brøndby Strand" in text and "Through Brøndby" in text
    assert fingerprint(page)[:32] in text.replace(" ", "")


def test_a_bad_date_is_a_form_error_and_an_unknown_area_404(client, autumn_2024):
    bad = client.get("/omraader/valby/attest/?date=2023-02-30")
    assert bad.status_code == 400 and 'role="alert"' in bad.content.decode()
    assert client.get("/omraader/valby/attest.pdf?date=nonsense").status_code == 400
    assert client.get("/omraader/atlantis/attest/?date=2023-06-01").status_code == 404
    assert client.get("/omraader/valby/attest/").status_code == 200  # the form to ask
