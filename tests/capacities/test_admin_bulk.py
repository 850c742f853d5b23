"""The same transition for several capacities at once: all or none."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from capacities.models import Action, Status
from tests import factories

LIST = reverse("admin:capacities_capacity_changelist")


def _post(client, action: str, capacities, **data):
    payload = {"action": action, ACTION_CHECKBOX_NAME: [c.pk for c in capacities], **data}
    for capacity in capacities:
        payload.setdefault(f"version_{capacity.pk}", capacity.version)
    return client.post(LIST, payload)


def test_establish_several_with_one_date(editor_client, editor):
    granted = [factories.capacity(Status.GRANTED, in_area=name) for name in ("Amager", "Tårnby")]

    page = _post(editor_client, "bulk_establish", granted)
    assert page.status_code == 200
    assert "Amager" in page.content.decode()
    assert "Tårnby" in page.content.decode()
    for capacity in granted:
        capacity.refresh_from_db()
        assert capacity.status == Status.GRANTED

    done = _post(editor_client, "bulk_establish", granted, apply="1", on="01.06.2024")

    assert done.status_code == 302
    for capacity in granted:
        capacity.refresh_from_db()
        assert capacity.status == Status.ACTIVE
        step = capacity.transitions.last()
        assert (step.action, step.recorded_by) == (Action.ESTABLISH, editor)


@pytest.mark.parametrize(
    ("action", "status", "data", "after"),
    [
        ("bulk_return", Status.ACTIVE, {"reason": "relocation"}, Status.AWAITING_DECISION),
        (
            "bulk_decide_to_post",
            Status.AWAITING_DECISION,
            {"reason": "Udvalget besluttede opslag"},
            Status.AWAITING_POSTING,
        ),
        ("bulk_post", Status.AWAITING_POSTING, {"remark": "Uden frist"}, Status.POSTED),
        (
            "bulk_withdraw_posting",
            Status.POSTED,
            {"reason_category": "decision_changed"},
            Status.AWAITING_DECISION,
        ),
        ("bulk_schedule_decision", Status.AWAITING_DECISION, {}, Status.AWAITING_DECISION),
    ],
)
def test_bulk_actions(editor_client, action, status, data, after):
    capacities = [factories.capacity(status, in_area=name) for name in ("Ishøj", "Dragør")]
    if action == "bulk_schedule_decision":
        data = {"meeting": factories.meeting().pk}
    response = _post(editor_client, action, capacities, apply="1", on="01.06.2024", **data)
    assert response.status_code == 302
    for capacity in capacities:
        before = capacity.transitions.count()
        capacity.refresh_from_db()
        assert capacity.status == after
        assert capacity.transitions.count() == before
    if action == "bulk_schedule_decision":
        assert {c.deciding_meeting for c in capacities} == {factories.meeting()}


def test_one_refusal_changes_none_and_names_the_refused_capacity(editor_client):
    granted = factories.capacity(Status.GRANTED, in_area="Amager")
    posted = factories.capacity(Status.POSTED, in_area="Rødovre")

    response = _post(editor_client, "bulk_establish", [granted, posted], apply="1", on="01.06.2024")

    assert response.status_code == 200
    page = response.content.decode()
    assert f"Rødovre #{posted.pk}" in page
    assert "Intet blev ændret" in page
    granted.refresh_from_db()
    posted.refresh_from_db()
    assert (granted.status, posted.status) == (Status.GRANTED, Status.POSTED)
    assert not granted.transitions.filter(action=Action.ESTABLISH).exists()


def test_bulk_refuses_a_capacity_changed_since_the_page_was_shown(editor_client, superuser):
    capacities = [factories.capacity(Status.GRANTED, in_area=n) for n in ("Amager", "Valby")]
    seen = {f"version_{c.pk}": c.version for c in capacities}
    from capacities import services

    services.lapse_grant(capacities[1], by=superuser, on=factories.D(2024, 5, 2), reason="Trak sig")
    response = _post(
        editor_client, "bulk_establish", capacities, apply="1", on="01.06.2024", **seen
    )
    assert response.status_code == 200
    capacities[0].refresh_from_db()
    assert capacities[0].status == Status.GRANTED


def test_bulk_form_errors_keep_the_selection(editor_client):
    granted = [factories.capacity(Status.GRANTED, in_area=n) for n in ("Amager", "Valby")]
    response = _post(editor_client, "bulk_establish", granted, apply="1", on="")
    assert response.status_code == 200
    page = response.content.decode()
    for capacity in granted:
        assert f'name="{ACTION_CHECKBOX_NAME}" value="{capacity.pk}"' in page
        capacity.refresh_from_db()
        assert capacity.status == Status.GRANTED


def test_secretary_cannot_run_a_bulk_action(secretary_client):
    granted = factories.capacity(Status.GRANTED)
    response = _post(secretary_client, "bulk_establish", [granted], apply="1", on="01.06.2024")
    assert response.status_code == 403
    granted.refresh_from_db()
    assert granted.status == Status.GRANTED
