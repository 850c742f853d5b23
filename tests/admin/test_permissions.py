"""The permission matrix: every admin page and every transition, for each kind of person.

Anonymous and logged-in outsiders are sent to the login page; committee secretaries see
everything and change nothing (403); editors and superusers do the work; nobody deletes.
"""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from capacities.models import Capacity, Committee, PoolCriteriaRevision, Transition
from coverage_areas.models import Benefit, Designation, PlanningArea
from tests import factories
from tests.admin.helpers import SOURCE, form_data, seen, transition_url

ROLES = ["anonymous", "outsider", "secretary", "editor", "superuser"]


@pytest.fixture
def client_for(client, outsider, secretary, editor, superuser):
    people = {"outsider": outsider, "secretary": secretary, "editor": editor, "root": superuser}

    def make(role: str):
        if role != "anonymous":
            client.force_login(people["root" if role == "superuser" else role])
        return client

    return make


@pytest.fixture
def world(db):
    capacity = factories.capacity("granted")
    factories.pool(size=1)
    round_ = factories.designation_round("regional", 2023, ["Ishøj"])
    benefit = Benefit.objects.create(kind="regional", text_da="Delepraksis", text_en="Shared")
    meeting = factories.meeting()
    return {
        "capacity": capacity,
        "transition": Transition.objects.filter(capacity=capacity).last(),
        "committee": Committee.objects.get(),
        "committeemeeting": meeting,
        "pool": capacity.__class__.objects.filter(origin="pool").get().pool,
        "poolcriteriarevision": PoolCriteriaRevision.objects.get(),
        "planningarea": PlanningArea.objects.get(name="Ishøj"),
        "designationround": round_,
        "designation": Designation.objects.get(),
        "benefit": benefit,
    }


APPS = {
    "capacity": "capacities",
    "transition": "capacities",
    "committee": "capacities",
    "committeemeeting": "capacities",
    "pool": "capacities",
    "poolcriteriarevision": "capacities",
    "planningarea": "coverage_areas",
    "designationround": "coverage_areas",
    "designation": "coverage_areas",
    "benefit": "coverage_areas",
}


def _url(model: str, view: str, *args) -> str:
    return reverse(f"admin:{APPS[model]}_{model}_{view}", args=args)


def _pages(world) -> dict[str, list[str]]:
    """Admin pages by the kind of access they need."""
    capacity = world["capacity"]
    view = [
        reverse("admin:index"),
        reverse("admin:capacities_capacity_dashboard"),
        reverse("admin:capacities_capacity_pipeline"),
    ]
    add, delete = [], []
    for model, obj in world.items():
        view += [_url(model, "changelist"), _url(model, "change", obj.pk)]
        delete.append(_url(model, "delete", obj.pk))
        if model == "transition":
            delete.append(_url(model, "add"))  # the log is only appended to by the services
            continue
        view.append(_url(model, "history", obj.pk))
        add.append(_url(model, "add"))
    record = capacity.history.first()
    view.append(_url("capacity", "simple_history", capacity.pk, record.history_id))
    return {"view": view, "add": add, "never": delete}


EXPECTED_GET = {
    # role: {kind of page: status}
    "secretary": {"view": 200, "add": 403, "never": 403},
    "editor": {"view": 200, "add": 200, "never": 403},
    "superuser": {"view": 200, "add": 200, "never": 403},
}


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_page(world, client_for, role):
    client = client_for(role)
    wrong = []
    for kind, urls in _pages(world).items():
        for url in urls:
            response = client.get(url)
            if role in ("anonymous", "outsider"):
                ok = response.status_code == 302 and "/login/" in response["Location"]
            else:
                ok = response.status_code == EXPECTED_GET[role][kind]
            if not ok:
                wrong.append((url, response.status_code))
    assert wrong == []


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(SOURCE))
def test_every_transition(db, client_for, role, action):
    capacity = factories.capacity(SOURCE[action])
    client = client_for(role)
    url = transition_url(capacity, action)
    data = {**form_data(action), "version": capacity.version}

    shown, posted = client.get(url), client.post(url, data)

    capacity.refresh_from_db()
    if role in ("anonymous", "outsider"):
        for response in (shown, posted):
            assert response.status_code == 302
            assert "/login/" in response["Location"]
        assert capacity.status == SOURCE[action]
    elif role == "secretary":
        assert (shown.status_code, posted.status_code) == (403, 403)
        assert capacity.status == SOURCE[action]
    else:
        assert (shown.status_code, posted.status_code) == (200, 302)
        assert capacity.transitions.last().action == action


@pytest.mark.parametrize("role", ROLES)
def test_changes_posted_to_generic_forms_and_actions(world, client_for, role):
    client = client_for(role)
    area = world["planningarea"]
    capacity = world["capacity"]
    responses = [
        client.post(
            _url("planningarea", "change", area.pk),
            {
                "name": "Ishøj Kommune",
                "municipality": "Ishøj",
                "parent": "",
                "seen_history": seen(area),
            },
        ),
        client.post(
            reverse("admin:capacities_capacity_changelist"),
            {
                "action": "bulk_establish",
                ACTION_CHECKBOX_NAME: [capacity.pk],
                "apply": "1",
                "on": "01.06.2024",
            },
        ),
        client.post(
            _url("capacity", "add"),
            {"area": area.pk, "on": "01.01.2020"},
        ),
        client.post(_url("benefit", "delete", world["benefit"].pk), {"post": "yes"}),
        client.post(
            _url("capacity", "simple_history", capacity.pk, capacity.history.last().history_id),
            {},
        ),
    ]
    codes = [r.status_code for r in responses]
    area.refresh_from_db()
    capacity.refresh_from_db()
    if role in ("anonymous", "outsider"):
        assert codes == [302] * 5
        assert all("/login/" in r["Location"] for r in responses)
    elif role == "secretary":
        assert codes == [403] * 5
    else:
        assert codes == [302, 302, 302, 403, 403]
    changed = role in ("editor", "superuser")
    assert (area.name == "Ishøj Kommune") is changed
    assert (capacity.status == Capacity.Status.ACTIVE) is changed
    assert Capacity.objects.count() == (2 + changed)  # the granted one, the pool's, a new one
    assert Benefit.objects.count() == 1
