"""Text with control characters, old or new, never breaks a page, a feed or the memo.

A posting remark pasted from Word holds a vertical tab (Shift+Enter); before the text rule it
made the Atom feed answer 500 to every visitor and the memo as DOCX or XLSX fail for every
date the remark was in force. Two properties over every Unicode category:

- what staff type is stored by the rule (services, admin forms): no control character but
  tab and newline is kept;
- data already stored with any character (rows written before the rule) renders in every
  writer: Atom, sitemap, iCalendar, JSON, CSV, the public pages, and the memo as PDF, DOCX,
  XLSX, CSV, JSON and HTML.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from capacities import services
from capacities.models import Capacity, Status, Transition
from coverage_areas.models import Benefit, PlanningArea
from memos.build import build_memo
from memos.models import MemoWording
from memos.render import FORMATS, render
from tests import factories
from tests.common.test_text import ALL_CATEGORIES, _unprintable

pytestmark = pytest.mark.django_db

# What a database can hold: no lone surrogate anywhere (not UTF-8), and no NUL in PostgreSQL.
STORABLE = [category for category in ALL_CATEGORIES if category != "Cs"]


def stored_text():
    blacklist = "\x00" if connection.vendor == "postgresql" else ""
    return st.text(
        alphabet=st.characters(categories=STORABLE, exclude_characters=blacklist + "{}"),
        min_size=1,
        max_size=40,
    ).map(lambda text: "x" + text)  # never empty: an empty remark is not written at all


NO_DB_RESET = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def register():
    posted = factories.capacity(Status.POSTED, in_area="Herlev")
    granted = factories.capacity(Status.GRANTED, in_area="Gribskov")
    return posted, granted


def _store_as_before_the_rule(posted: Capacity, granted: Capacity, text: str) -> None:
    # Rows as they were stored before the rule existed: written past the services on purpose.
    Capacity.objects.filter(pk=posted.pk).update(posting_remark=text)
    Capacity.objects.filter(pk=granted.pk).update(grant_remark=text)
    Transition.objects.filter(capacity=posted, status=Status.POSTED).update(posting_remark=text)
    Transition.objects.filter(capacity=granted, status=Status.GRANTED).update(grant_remark=text)
    PlanningArea.objects.filter(pk=granted.area_id).update(name="Gribskov " + text)
    MemoWording.objects.filter(key__in=["intro", "b_channels"]).update(text=text)
    cache.clear()


def _well_formed_xml(body: bytes) -> None:
    ET.fromstring(body)


@given(text=stored_text())
@NO_DB_RESET
def test_every_public_writer_renders_stored_control_characters(register, text):
    posted, granted = register
    _store_as_before_the_rule(posted, granted, text)
    client = Client()

    feed = client.get(reverse("portal:postings_feed"))
    assert feed.status_code == 200
    _well_formed_xml(feed.content)

    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    _well_formed_xml(sitemap.content)

    calendar = client.get("/feeds/deadlines.ics")
    assert calendar.status_code == 200
    assert not _unprintable(calendar.content.decode().replace("\r", ""))

    api = client.get("/api/postings.json")
    assert api.status_code == 200
    assert json.loads(api.content)["results"][0]["remark"]

    assert client.get("/api/postings.csv").status_code == 200
    for url in (
        reverse("portal:posting_detail", args=[posted.pk]),
        reverse("portal:area_detail", args=[granted.area.slug]),
        reverse("portal:posting_list"),
        reverse("portal:home"),
    ):
        assert client.get(url).status_code == 200, url


@given(text=stored_text())
@NO_DB_RESET
def test_memo_renders_stored_control_characters_in_every_format(register, text):
    posted, granted = register
    _store_as_before_the_rule(posted, granted, text)
    memo = build_memo(dt.date.today())

    for format_name in FORMATS:
        if format_name == "pdf":
            continue  # slow; once below
        output = render(memo, format_name)
        if format_name == "docx":
            document = Document(io.BytesIO(output))
            cells = [
                cell.text for table in document.tables for row in table.rows for cell in row.cells
            ]
            assert any(cell.startswith("Gribskov") for cell in cells)
        elif format_name == "xlsx":
            sheet = load_workbook(io.BytesIO(output))["c. Tildelt"]
            assert sheet["A2"].value.startswith("Gribskov")
        elif format_name == "json":
            assert json.loads(output)["granted"]["rows"][0]["area"].startswith("Gribskov")
        else:
            output.decode("utf-8")


def test_memo_pdf_renders_a_remark_pasted_from_word(register):
    posted, granted = register
    _store_as_before_the_rule(posted, granted, "Ring\x0bpå\x07 tlf.\x1b")
    assert render(build_memo(dt.date.today()), "pdf").startswith(b"%PDF")


def test_feed_shows_a_remark_pasted_from_word_as_text(register):
    posted, granted = register
    _store_as_before_the_rule(posted, granted, "Ring til\x0bklinikken")

    feed = Client().get(reverse("portal:postings_feed"))

    assert feed.status_code == 200
    assert "Ring til\nklinikken" in feed.content.decode()


# What staff type


@given(remark=st.text(alphabet=st.characters(categories=ALL_CATEGORIES), max_size=60))
@NO_DB_RESET
def test_services_store_staff_text_by_the_rule(remark):
    capacity = factories.capacity(Status.AWAITING_POSTING, in_area="Ishøj")
    services.post_capacity(
        capacity, by=factories.staff_user(), on=dt.date(2024, 3, 1), remark=remark
    )
    capacity.refresh_from_db()
    assert not _unprintable(capacity.posting_remark)
    assert not _unprintable(capacity.transitions.latest("id").posting_remark)


def test_posting_a_remark_from_word_keeps_its_line_break():
    capacity = factories.capacity(Status.AWAITING_POSTING)
    services.post_capacity(
        capacity, by=factories.staff_user(), on=dt.date(2024, 3, 1), remark="Linje 1\x0bLinje 2"
    )
    capacity.refresh_from_db()
    assert capacity.posting_remark == "Linje 1\nLinje 2"


def test_admin_forms_store_benefits_and_areas_by_the_rule(editor_client):
    response = editor_client.post(
        reverse("admin:coverage_areas_benefit_add"),
        {
            "kind": "all",
            "text_da": "Delepraksis\x0bmed\x00 tilskud",
            "text_en": "Shared\x1b",
            "order": 0,
        },
    )
    assert response.status_code == 302
    benefit = Benefit.objects.get()
    assert (benefit.text_da, benefit.text_en) == ("Delepraksis\nmed tilskud", "Shared")

    response = editor_client.post(
        reverse("admin:coverage_areas_planningarea_add"),
        {"name": "Ny\x0b by\x07", "municipality": "Ny"},
    )
    assert response.status_code == 302
    assert PlanningArea.objects.get(slug="ny-by").name == "Ny\n by"


def test_memo_wording_in_the_admin_is_stored_by_the_rule(editor_client):
    row = MemoWording.objects.get(key="b_channels")
    response = editor_client.post(
        reverse("admin:memos_memowording_change", args=[row.pk]),
        {"text": "Opslag\x0bpå hjemmesiden\x1b."},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.text == "Opslag\npå hjemmesiden."
