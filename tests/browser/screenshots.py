"""`make screenshots`: the main pages, in Danish, as the real browser shows them, for README.

Not part of the test suite (the file name keeps pytest from collecting it by default); it uses
the same live server, demo data and Chromium as the browser tests.
"""

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from capacities.models import Capacity

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _login_as_superuser(context, base_url: str) -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser("screenshots", password=None)
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )


def test_capture_main_pages(browser, live_demo_site, settings):
    # As `make run` shows it: the demo up to today, with its note on what is illustrative.
    settings.DEMO_DATA = True
    demo_site = live_demo_site
    DOCS.mkdir(parents=True, exist_ok=True)
    # A posting in an area on this year's list, so that its benefits show.
    posting = (
        Capacity.objects.open_postings()
        .filter(application_deadline__isnull=False, area__name="Ishøj")
        .first()
        or Capacity.objects.open_postings().order_by("area__name").first()
    )
    public = {
        "home": "/",
        "postings": reverse("portal:posting_list"),
        "posting": reverse("portal:posting_detail", args=[posting.pk]),
        "threatened-areas": reverse("portal:threatened_areas"),
        "area": reverse("portal:area_detail", args=[posting.area.slug]),
    }
    staff = {
        "admin-dashboard": reverse("admin:capacities_capacity_dashboard"),
        "memo": reverse("admin:memos_issuedmemo_export") + "?as_of=2024-10-24&format=html",
    }
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    page = context.new_page()
    for name, path in public.items():
        page.goto(demo_site + path)
        page.screenshot(path=str(DOCS / f"{name}.png"))
    # The map of a year with decided lists (the demo's lists end in 2024), with its legend.
    page.goto(demo_site + reverse("portal:threatened_areas") + "?year=2023")
    page.locator("#status-map").screenshot(path=str(DOCS / "map.png"))
    _login_as_superuser(context, demo_site)
    for name, path in staff.items():
        if name == "memo":
            page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
        page.goto(demo_site + path)
        page.screenshot(path=str(DOCS / f"{name}.png"))
    context.close()
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="da-DK")
    page = phone.new_page()
    page.goto(demo_site + reverse("portal:posting_list"))
    page.locator("#postings").scroll_into_view_if_needed()
    page.screenshot(path=str(DOCS / "postings-phone.png"))
    phone.close()
    assert sorted(p.stem for p in DOCS.glob("*.png")) == sorted(
        [*public, *staff, "map", "postings-phone"]
    )
