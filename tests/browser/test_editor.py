"""An editor records a capacity's way from return to grant in the admin, sees each step in its
history, and sees the public postings page follow."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from capacities.models import Capacity, Status

pytestmark = pytest.mark.browser

PASSWORD = "browser-test-password-1"


@pytest.fixture
def editor_login(demo_site):
    user = get_user_model().objects.create_user("anna", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Kapacitetsredaktør"))
    return user


def _transition(page, action: str, fields: dict[str, str]) -> None:
    page.locator(f"a.transition-button[data-action='{action}']").click()
    form = page.locator("form:has([name=on])")
    for name, value in fields.items():
        field = form.locator(f"[name={name}]")
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    form.locator("[type=submit]").first.click()


def test_editor_returns_posts_and_grants_a_capacity(page, demo_site, editor_login):
    capacity = Capacity.objects.filter(status=Status.ACTIVE, area__name="Ishøj").first()
    page.goto(demo_site + "/admin/")
    page.locator("[name=username]").fill("anna")
    page.locator("[name=password]").fill(PASSWORD)
    page.locator("[type=submit]").click()
    change_url = f"{demo_site}/admin/capacities/capacity/{capacity.pk}/change/"
    page.goto(change_url)

    _transition(page, "return", {"reason": "retirement", "note": "Går på pension"})
    assert Capacity.objects.get(pk=capacity.pk).status == Status.AWAITING_DECISION
    page.goto(change_url)
    _transition(page, "post", {"application_deadline": "2027-01-31", "remark": "Se opslaget"})
    assert Capacity.objects.get(pk=capacity.pk).status == Status.POSTED

    public = page.context.new_page()
    public.goto(demo_site + "/opslag/")
    assert "Opslag i Ishøj" in public.locator("#postings").inner_text()

    page.goto(change_url)
    _transition(
        page,
        "grant",
        {"grantee": "Jonna Bech", "establishment_deadline": "2027-06-01"},
    )
    capacity.refresh_from_db()
    assert (capacity.status, capacity.grantee) == (Status.GRANTED, "Jonna Bech")

    public.reload()
    assert "Opslag i Ishøj" not in public.locator("#postings").inner_text()

    page.goto(change_url.replace("/change/", "/history/"))
    history = page.locator("#content").inner_text()
    for step in ("Tilbageleveret", "Opslået", "Tildelt"):
        assert step.lower() in history.lower()
    assert "anna" in history
