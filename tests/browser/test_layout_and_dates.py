"""What users of each kind saw go wrong at their screen width, and dates written their way:
a doctor's phone (390 px) shows every column of the postings and closure tables, English
pages write British dates, the date field takes 01.06.2022; staff at 1280 px see the whole
capacity list and change page."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from capacities.models import Capacity, Status

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
BRITISH_DATE = re.compile(rf"\b\d{{1,2}} ({MONTHS}) \d{{4}}\b")
US_DATE = re.compile(
    r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4}\b"
)


def _overflow(page) -> int:
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def _label_shown(page, selector: str) -> str:
    return page.evaluate(
        "(s) => getComputedStyle(document.querySelector(s), '::before').content", selector
    )


def _cells_off_screen(page, selector: str, width: int) -> list[str]:
    """The cells of the table that end beyond the right edge of the screen (hidden)."""
    return page.evaluate(
        """([selector, width]) => [
            ...document.querySelectorAll(selector + ' td, ' + selector + ' th')]
            .filter(cell => cell.getBoundingClientRect().right > width + 1)
            .map(cell => cell.getAttribute('data-label') || cell.textContent.trim())""",
        [selector, width],
    )


def test_a_doctor_on_a_phone_sees_every_column_and_dates_in_their_language(
    page, live_demo_site, settings
):
    settings.DEMO_DATA = True
    site = live_demo_site
    page.set_viewport_size(PHONE)

    page.goto(site + "/opslag/")
    assert _overflow(page) <= 0
    assert _cells_off_screen(page, "#postings", PHONE["width"]) == []
    deadlines = page.locator('#postings td[data-label="Ansøgningsfrist"]')
    assert deadlines.count() >= 3
    assert deadlines.first.is_visible()
    # Each cell is labelled with its column's name, as the table's header row is not shown.
    assert _label_shown(page, '#postings td[data-label="Ansøgningsfrist"]') == '"Ansøgningsfrist"'
    # The demo's own note says what is illustrative.
    assert "Demodata." in page.locator("#demo-note").inner_text()

    page.goto(site + "/laegedaekningstruede-omraader/")
    assert _overflow(page) <= 0
    assert _cells_off_screen(page, "#pressure-table", PHONE["width"]) == []
    assert _label_shown(page, '#pressure-table td[data-label="Andel lukket"]') == '"Andel lukket"'
    heading = page.get_by_role("heading", level=1)
    box = heading.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"]

    # English: British dates, no American ones.
    page.goto(site + "/en/opslag/")
    text = page.locator("main").inner_text()
    assert BRITISH_DATE.search(text), text[:400]
    assert not US_DATE.search(text)

    # The status form takes a date the Danish way and says so.
    page.goto(site + "/omraader/rodovre/".replace("rodovre", "roedovre"))
    form = page.locator("#status-form")
    assert "dd.mm.åååå" in form.inner_text()
    form.get_by_label("Dato").fill("01.06.2022")
    form.get_by_role("button").click()
    assert "01.06.2022" in page.locator("#status-form input[name=date]").input_value()
    assert "1. juni 2022" in page.locator("main").inner_text()


def _login(context, base_url: str) -> None:
    user = get_user_model().objects.create_superuser("wide", password=None)
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )


def test_staff_at_1280_px_see_the_whole_capacity_list_and_change_page(browser, live_demo_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    _login(context, live_demo_site)
    page = context.new_page()

    page.goto(live_demo_site + "/admin/capacities/capacity/")
    assert _overflow(page) <= 0, f"the list scrolls sideways by {_overflow(page)} px"
    for column in ("column-establishment_deadline_short", "column-overdue_flag"):
        header = page.locator(f"#result_list th.{column}")
        box = header.bounding_box()
        assert box and box["x"] + box["width"] <= 1280, column

    capacity = Capacity.objects.filter(status=Status.GRANTED).order_by("-id").first()
    page.goto(live_demo_site + f"/admin/capacities/capacity/{capacity.pk}/change/")
    assert _overflow(page) <= 0, f"the change page scrolls sideways by {_overflow(page)} px"
    context.close()
