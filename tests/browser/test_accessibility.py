"""Every public page, in Danish and English, passes axe-core's WCAG 2.1 A and AA rules with no
violation, and fits a 320 px wide screen without horizontal scrolling."""

import pytest
from django.urls import reverse
from django.utils import translation

from capacities.models import Capacity

from .conftest import axe_violations, describe

pytestmark = pytest.mark.browser

PAGES = [
    ("home", lambda: reverse("portal:home")),
    ("postings", lambda: reverse("portal:posting_list")),
    (
        "postings, filtered",
        lambda: reverse("portal:posting_list") + "?deadline=rolling&sort=newest",
    ),
    (
        "postings, bad filter",
        lambda: reverse("portal:posting_list") + "?deadline_before=31-31-2024",
    ),
    ("posting", lambda: reverse("portal:posting_detail", args=[_posting().pk])),
    ("threatened areas", lambda: reverse("portal:threatened_areas")),
    ("threatened areas, map of 2023", lambda: reverse("portal:threatened_areas") + "?year=2023"),
    ("threatened areas, bad year", lambda: reverse("portal:threatened_areas") + "?year=1800"),
    ("areas", lambda: reverse("portal:area_list") + "?q=brøn"),
    ("areas, by postcode", lambda: reverse("portal:area_list") + "?q=2800"),
    ("areas, outside the region", lambda: reverse("portal:area_list") + "?q=Roskilde"),
    ("area in Copenhagen", lambda: reverse("portal:area_detail", args=["indre-by"])),
    ("area on Bornholm", lambda: reverse("portal:area_detail", args=["bornholm"])),
    ("area", lambda: reverse("portal:area_detail", args=["broendby-strand"])),
    (
        "area, status on a date",
        lambda: reverse("portal:area_detail", args=["broendby-strand"]) + "?date=2023-06-01",
    ),
    (
        "status certificate",
        lambda: reverse("portal:certificate", args=["broendby-strand"]) + "?date=2023-03-01",
    ),
    ("alerts subscription", lambda: reverse("alerts:subscribe")),
    ("statistics", lambda: reverse("portal:statistics")),
    ("not found", lambda: reverse("portal:area_list") + "ingen-saadan/"),
]


def _posting() -> Capacity:
    return Capacity.objects.open_postings().order_by("area__name").first()


def _path(language: str, make) -> str:
    with translation.override(language):
        return make()


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_public_page_passes_axe_and_fits_a_phone(page, demo_site, language):
    # One test per language, so that the demo data is loaded twice rather than per page; the
    # message names every page that fails and why.
    problems: dict[str, str] = {}
    for name, make in PAGES:
        path = _path(language, make)
        assert path.startswith("/en/") == (language == "en"), path
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(demo_site + path)
        if page.locator("html").get_attribute("lang") != language:
            problems[name] = f"{path} is not in {language}"
            continue
        violations = axe_violations(page)
        if violations:
            problems[name] = f"{path}: {describe(violations)}"
            continue
        page.set_viewport_size({"width": 320, "height": 640})
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            problems[name] = f"{path} scrolls sideways by {overflow} px at 320 px width"
    assert problems == {}, "\n".join(f"{name}: {text}" for name, text in problems.items())
