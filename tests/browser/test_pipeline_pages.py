"""The pipeline figures in the browser: the public statistics page shows its charts and
tables in both languages, and a committee secretary reads the staff page, filters it and
downloads its figures; axe-core finds no WCAG 2.1 A/AA violation on either page."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from openpyxl import load_workbook

from .conftest import axe_violations, describe

pytestmark = pytest.mark.browser

PASSWORD = "browser-test-password-3"


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/statistik/", "Statistik: fra tilbageleveret kapacitet til ny læge"),
        ("/en/statistik/", "Statistics: from returned capacity to new doctor"),
    ],
)
def test_the_public_statistics_page_reads_well(page, demo_site, path, heading):
    page.goto(demo_site + path)
    assert page.locator("h1").inner_text() == heading
    assert page.locator("svg[role=img]").count() == 2
    assert page.locator("#years-table tbody tr").count() >= 5  # 2020 to this year
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_a_secretary_reads_filters_and_downloads_the_staff_page(page, demo_site):
    user = get_user_model().objects.create_user("gitte", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Udvalgssekretær"))
    page.goto(demo_site + "/admin/")
    page.locator("[name=username]").fill("gitte")
    page.locator("[name=password]").fill(PASSWORD)
    page.locator("[type=submit]").click()
    page.goto(demo_site + "/admin/capacities/capacity/dashboard/")
    page.get_by_role("link", name="Tal for forløbet").click()
    form = page.locator("#pipeline-form")
    form.locator("[name=start]").fill("2020-01-01")
    form.locator("[name=end]").fill("2024-12-31")
    form.locator("[type=submit]").click()
    years = page.locator("#pipeline-years")
    assert years.locator("tbody tr").count() == 5
    assert page.locator("svg[role=img]").count() == 2
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    rows = list(sheet.values)
    assert rows[0][:2] == ("Udsnit", "År")
    assert ("år", 2024) in [row[:2] for row in rows]
