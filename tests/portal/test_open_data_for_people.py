"""Open data for people: an Excel workbook and a CSV that Danish Excel opens right, beside the
unchanged CSV for scripts."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from portal import spreadsheets

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheet(response) -> list[list]:
    book = load_workbook(io.BytesIO(response.content))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def test_postings_as_an_excel_workbook_in_danish_with_real_dates(client, autumn_2024):
    response = client.get("/api/postings.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert 'filename="opslag.xlsx"' in response["Content-Disposition"]
    rows = _sheet(response)
    assert rows[0] == spreadsheets.POSTING_HEADINGS
    assert rows[1][:4] == [
        "Høje-Taastrup",
        "Almindelig kapacitet",
        dt.datetime(2024, 5, 1),
        "Uden frist (løbende vurdering)",
    ]
    assert [row[0] for row in rows[1:]] == ["Høje-Taastrup", "Rødovre"]


def test_the_workbook_follows_the_lists_filters(client, autumn_2024):
    rows = _sheet(client.get("/api/postings.xlsx?area=roedovre"))
    assert [row[0] for row in rows[1:]] == ["Rødovre"]


def test_postings_csv_for_danish_excel_has_a_bom_semicolons_and_danish_dates(client, autumn_2024):
    response = client.get("/api/postings-excel.csv")
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == "Planlægningsområde;Kapacitet;Slået op;Ansøgningsfrist;Bemærkning"
    assert (
        lines[1] == "Høje-Taastrup;Almindelig kapacitet;01.05.2024;Uden frist (løbende vurdering);"
    )


def test_the_csv_for_scripts_is_unchanged(client, autumn_2024):
    response = client.get("/api/postings.csv")
    assert not response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0] == ["area", "area_slug", "origin", "posted_on", "application_deadline", "remark"]
    assert rows[1] == ["Høje-Taastrup", "hoeje-taastrup", "regular", "2024-05-01", "", ""]


def test_a_years_designations_as_workbook_and_excel_csv(client, in_2023):
    rows = _sheet(client.get("/api/designations.xlsx?year=2023"))
    assert rows[0] == spreadsheets.DESIGNATION_HEADINGS
    regional = {row[0]: row for row in rows[1:] if row[1] == "Regional"}
    assert regional["Valby"][3] == dt.datetime(2022, 12, 13)
    assert regional["Valby"][4] == "Ny på listen"
    assert regional["Brøndby"][4] is None  # on the list the year before too
    assert ["Bornholm", "National", "2021-2024", None, None] in rows

    text = client.get("/api/designations-excel.csv?year=2023").content.decode("utf-8-sig")
    assert "Valby;Regional;2023;13.12.2022;Ny på listen" in text.split("\r\n")


@pytest.mark.parametrize(
    "url",
    [
        "/api/designations.xlsx?year=abc",
        "/api/designations-excel.csv",
        "/api/postings.xlsx?deadline_before=x",
    ],
)
def test_bad_input_answers_400_with_a_message(client, demo, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "error" in response.json()


def test_a_posting_with_a_deadline_has_it_as_a_date():
    rows = spreadsheets.posting_rows(
        [
            {
                "area": "Ishøj",
                "area_slug": "ishoej",
                "origin": "pool",
                "posted_on": "2026-10-01",
                "application_deadline": "2026-12-30",
                "remark": "Se opslaget",
            }
        ]
    )
    assert rows == [
        ["Ishøj", "Puljekapacitet", dt.date(2026, 10, 1), dt.date(2026, 12, 30), "Se opslaget"]
    ]
    csv_text = spreadsheets.excel_csv(spreadsheets.POSTING_HEADINGS, rows).decode("utf-8-sig")
    assert "Ishøj;Puljekapacitet;01.10.2026;30.12.2026;Se opslaget" in csv_text
