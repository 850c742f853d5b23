import pytest

from tests.browser.conftest import axe_violations, describe

pytestmark = pytest.mark.browser


def test_home_page_renders_in_danish_in_the_real_browser(page, demo_site):
    page.goto(demo_site + "/")
    assert page.locator("html").get_attribute("lang") == "da"
    assert page.locator("h1").first.is_visible()
    assert page.locator("text=Høje-Taastrup").first.is_visible()


def test_home_page_has_no_axe_violations(page, demo_site):
    page.goto(demo_site + "/")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
