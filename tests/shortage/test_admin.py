"""The staff pages: who may see the figures and the eligibility page, who may import, and the
import page's per-line errors."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shortage.models import IntakeClosure
from tests import factories
from tests.shortage.conftest import D, csv_bytes, xlsx_bytes

IMPORT = reverse("admin:shortage_intakeclosure_import")
ELIGIBILITY = reverse("admin:capacities_pool_eligibility")
CHANGELIST = reverse("admin:shortage_intakeclosure_changelist")

GOOD = csv_bytes("area,month,closed,total", "Herlev,2024-09,13,16", "Tårnby,2024-09,30,34")


def upload(data: bytes, name: str = "lukninger.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.fixture
def pool(db):
    return factories.pool(size=1)


@pytest.mark.parametrize("url", [IMPORT, ELIGIBILITY, CHANGELIST])
def test_anonymous_visitors_are_sent_to_the_login(anonymous_client, url):
    response = anonymous_client.get(url)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.parametrize("url", [IMPORT, ELIGIBILITY])
def test_a_logged_in_non_staff_user_is_sent_to_the_login(client, outsider, url):
    client.force_login(outsider)
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_a_secretary_sees_the_figures_and_the_eligibility_but_cannot_import(
    secretary_client, areas, pool
):
    IntakeClosure.objects.create(area=areas["herlev"], month=D(2024, 9, 1), closed=13, total=16)

    assert secretary_client.get(CHANGELIST).status_code == 200
    assert IMPORT not in secretary_client.get(CHANGELIST).content.decode()
    page = secretary_client.get(ELIGIBILITY, {"on": "24.10.2024"})
    assert page.status_code == 200
    assert "Herlev" in page.content.decode()
    assert secretary_client.get(IMPORT).status_code == 403
    assert secretary_client.post(IMPORT, {"file": upload(GOOD)}).status_code == 403
    assert not IntakeClosure.objects.filter(area=areas["taarnby"]).exists()


def test_an_editor_imports_a_file_and_the_history_names_them(editor_client, editor, areas):
    assert IMPORT in editor_client.get(CHANGELIST).content.decode()
    response = editor_client.post(
        IMPORT, {"file": upload(GOOD), "reason": "Kommunens tal for september"}
    )
    assert response.status_code == 302
    assert response["Location"] == CHANGELIST
    assert IntakeClosure.objects.count() == 2
    record = IntakeClosure.history.filter(area=areas["herlev"]).get()
    assert record.history_user == editor
    assert record.history_change_reason == "Kommunens tal for september"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (
            csv_bytes("area,month,closed,total", "Herlev,2024-09,13,16", "Herlv,2024-9,17,16"),
            "f.csv",
        ),
        (
            xlsx_bytes(
                ("area", "month", "closed", "total"),
                ("Herlev", "2024-09", 13, 16),
                ("Herlv", "2024-9", 17, 16),
            ),
            "f.xlsx",
        ),
    ],
    ids=["csv", "xlsx"],
)
def test_the_import_page_lists_every_bad_line_and_imports_nothing(editor_client, areas, data, name):
    response = editor_client.post(IMPORT, {"file": upload(data, name)})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="import-problems"' in page
    # Line 3 has three faults: all are named, in Danish (the staff's language).
    assert len(response.context["problems"]) == 1
    assert "<li>linje 3: ukendt planlægningsområde »Herlv«; ugyldig måned »2024-9«" in page
    assert "closed (17) er større end total (16)" in page
    assert not IntakeClosure.objects.exists()


def test_the_import_page_without_a_file_says_so(editor_client, areas):
    response = editor_client.post(IMPORT, {})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_the_eligibility_page_shows_the_working_and_the_verdict(secretary_client, areas, pool):
    for month, closed in ((9, 13), (8, 14), (7, 13)):
        IntakeClosure.objects.create(
            area=areas["herlev"], month=D(2024, month, 1), closed=closed, total=16
        )
    page = secretary_client.get(ELIGIBILITY, {"on": "24.10.2024"}).content.decode()
    for month in ("2024-09", "2024-08", "2024-07"):
        assert month in page
    assert "81,2 %" in page  # 13/16, Danish decimal comma
    report = secretary_client.get(ELIGIBILITY, {"on": "24.10.2024"}).context["report"]
    assert [v.area.name for v in report.eligible] == ["Herlev"]


@pytest.mark.parametrize("on", ["31.02.2024", "nonsense", "2024-99-01"])
def test_a_bad_date_on_the_eligibility_page_is_a_form_error(secretary_client, pool, on):
    response = secretary_client.get(ELIGIBILITY, {"on": on})
    assert response.status_code == 400
    assert response.context["form"].errors["on"]


def test_the_eligibility_page_before_any_pool_says_so(secretary_client, db):
    response = secretary_client.get(ELIGIBILITY, {"on": "01.01.2019"})
    assert response.status_code == 200
    assert response.context["error"]


def test_an_editor_corrects_one_month_in_the_admin_form(editor_client, areas):
    closure = IntakeClosure.objects.create(
        area=areas["herlev"], month=D(2024, 9, 1), closed=13, total=16
    )
    url = reverse("admin:shortage_intakeclosure_change", args=[closure.pk])
    form = editor_client.get(url)
    assert 'value="2024-09"' in form.content.decode()
    seen = closure.history.order_by("-history_id").first().history_id
    data = {"area": areas["herlev"].pk, "month": "2024-09", "total": 16, "seen_history": seen}
    refused = editor_client.post(url, {**data, "closed": 17})
    assert refused.status_code == 200
    assert (
        editor_client.post(url, {**data, "closed": 12, "change_note": "Rettet"}).status_code == 302
    )
    closure.refresh_from_db()
    assert closure.closed == 12
    assert closure.history.first().history_change_reason == "Rettet"


def test_the_list_filters_by_month(secretary_client, areas):
    for month in (8, 9):
        IntakeClosure.objects.create(
            area=areas["herlev"], month=D(2024, month, 1), closed=13, total=16
        )
    page = secretary_client.get(CHANGELIST, {"month": "2024-09"})
    assert page.status_code == 200
    assert [c.month for c in page.context["cl"].result_list] == [D(2024, 9, 1)]
    assert "?month=2024-08" in page.content.decode()
    # A month that is not one shows everything rather than an error.
    assert secretary_client.get(CHANGELIST, {"month": "2024-99"}).status_code == 200
