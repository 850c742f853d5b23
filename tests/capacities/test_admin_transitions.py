"""Recording the life cycle in the admin: one page per allowed transition, the service's
refusal on the form, conflicts between two staff, and registering a capacity."""

import datetime as dt

import pytest
from django.urls import reverse

from capacities import services
from capacities.models import Action, Capacity, Status, Transition
from tests import factories
from tests.admin.helpers import SOURCE, change_url, form_data, seen, transition_url

EXPECTED = {
    Action.RETURN: (Status.AWAITING_DECISION, {"return_reason": "retirement"}),
    Action.SCHEDULE_DECISION: (Status.AWAITING_DECISION, {}),
    Action.DECIDE_TO_POST: (Status.AWAITING_POSTING, {}),
    Action.POST: (Status.POSTED, {"application_deadline": dt.date(2024, 7, 1)}),
    Action.WITHDRAW_POSTING: (Status.AWAITING_DECISION, {"posted_on": None}),
    Action.GRANT: (
        Status.GRANTED,
        {"grantee": "Søren Ærø", "establishment_deadline": dt.date(2025, 2, 1)},
    ),
    Action.LAPSE_GRANT: (Status.POSTED, {"grantee": "", "posted_on": dt.date(2024, 6, 1)}),
    Action.ESTABLISH: (Status.ACTIVE, {"established_on": dt.date(2024, 6, 1)}),
    Action.REDISTRIBUTE: (Status.AWAITING_DECISION, {}),
    Action.ALLOCATE: (Status.AWAITING_POSTING, {}),
}


@pytest.mark.parametrize("action", list(SOURCE))
def test_editor_records_each_transition_through_its_form(editor_client, editor, action):
    capacity = factories.capacity(SOURCE[action])
    page = editor_client.get(change_url(capacity))
    assert transition_url(capacity, action) in page.content.decode()

    form = editor_client.get(transition_url(capacity, action))
    assert form.status_code == 200
    assert f'name="version" value="{capacity.version}"' in form.content.decode()

    response = editor_client.post(
        transition_url(capacity, action), {**form_data(action), "version": capacity.version}
    )

    assert response.status_code == 302
    assert response["Location"] == change_url(capacity)
    capacity.refresh_from_db()
    status, fields = EXPECTED[action]
    assert capacity.status == status
    for name, value in fields.items():
        assert getattr(capacity, name) == value
    step = capacity.transitions.last()
    assert (step.action, step.recorded_by, step.effective_date) == (
        action,
        editor,
        dt.date(2024, 6, 1),
    )
    assert capacity.history.first().history_user == editor


def test_change_page_offers_only_the_allowed_transitions(editor_client):
    posted = factories.capacity(Status.POSTED)
    page = editor_client.get(change_url(posted)).content.decode()
    offered = {action for action in SOURCE if transition_url(posted, action) in page}
    assert offered == {Action.WITHDRAW_POSTING, Action.GRANT}


def test_change_page_shows_the_transition_log_and_status_read_only(editor_client):
    capacity = factories.capacity(Status.POSTED)
    page = editor_client.get(change_url(capacity)).content.decode()
    assert "transition_set" not in page
    # Three steps so far: registered, returned, posted; dates as 01.03.2024.
    assert page.count('<td class="field-effective">') == 3
    assert "01.03.2024" in page
    assert 'name="status"' not in page
    assert 'name="area"' not in page
    assert 'name="_save"' not in page


def test_posting_the_change_form_changes_nothing(editor_client):
    capacity = factories.capacity(Status.POSTED)
    version = capacity.version
    response = editor_client.post(change_url(capacity), {"status": "active", "grantee": "X"})
    assert response.status_code == 302
    capacity.refresh_from_db()
    assert capacity.status == Status.POSTED
    assert capacity.version == version


def test_refused_transition_shows_the_services_message_and_changes_nothing(editor_client):
    capacity = factories.capacity(Status.POSTED)
    # Before the posting date (01.03.2024): the service refuses the order of events.
    response = editor_client.post(
        transition_url(capacity, Action.GRANT),
        {
            "on": "01.02.2024",
            "grantee": "Anne",
            "establishment_deadline": "01.02.2025",
            "version": capacity.version,
        },
    )
    assert response.status_code == 200
    assert "01.03.2024" in response.content.decode()
    assert 'class="errornote"' in response.content.decode()
    capacity.refresh_from_db()
    assert capacity.status == Status.POSTED
    assert capacity.transitions.count() == 3


def test_form_errors_are_shown_in_danish(editor_client):
    capacity = factories.capacity(Status.POSTED)
    response = editor_client.post(
        transition_url(capacity, Action.GRANT), {"on": "", "version": capacity.version}
    )
    assert response.status_code == 200
    assert "Dette felt er påkrævet." in response.content.decode()
    capacity.refresh_from_db()
    assert capacity.status == Status.POSTED


def test_other_reason_needs_a_note(editor_client):
    capacity = factories.capacity(Status.POSTED)
    response = editor_client.post(
        transition_url(capacity, Action.WITHDRAW_POSTING),
        {"on": "01.06.2024", "reason_category": "other", "version": capacity.version},
    )
    assert response.status_code == 200
    capacity.refresh_from_db()
    assert capacity.status == Status.POSTED


def test_transition_not_allowed_from_the_status_sends_back_with_a_message(editor_client):
    capacity = factories.capacity(Status.ACTIVE)
    response = editor_client.get(transition_url(capacity, Action.GRANT), follow=True)
    assert response.redirect_chain[-1][0] == change_url(capacity)
    assert "messagelist" in response.content.decode()


def test_unknown_transition_or_capacity_is_404(editor_client):
    capacity = factories.capacity(Status.ACTIVE)
    assert editor_client.get(transition_url(capacity, "explode")).status_code == 404
    url = reverse("admin:capacities_capacity_transition", args=[99999, Action.RETURN])
    assert editor_client.get(url).status_code == 404


def test_second_editor_gets_a_conflict_and_loses_nothing(editor_client, superuser):
    """Two staff open the same capacity; the first records a grant, the second (who saw the
    old version) tries to withdraw the posting: refused with a conflict, the grant stands,
    and the second one's input is still on the page with a way to reload."""
    capacity = factories.capacity(Status.POSTED)
    seen = capacity.version
    editor_client.get(transition_url(capacity, Action.WITHDRAW_POSTING))

    services.grant_capacity(
        capacity,
        by=superuser,
        on=dt.date(2024, 6, 1),
        grantee="Først Til Mølle",
        establishment_deadline=dt.date(2025, 1, 1),
        expected_version=seen,
    )

    response = editor_client.post(
        transition_url(capacity, Action.WITHDRAW_POSTING),
        {
            "on": "02.06.2024",
            "reason_category": "other",
            "note": "Min vigtige begrundelse",
            "version": seen,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="errornote conflict"' in page
    assert "Min vigtige begrundelse" in page
    assert change_url(capacity) in page
    capacity.refresh_from_db()
    assert capacity.status == Status.GRANTED
    assert capacity.grantee == "Først Til Mølle"
    assert capacity.transitions.filter(action=Action.WITHDRAW_POSTING).count() == 0


def test_version_is_required(editor_client):
    capacity = factories.capacity(Status.GRANTED)
    response = editor_client.post(transition_url(capacity, Action.ESTABLISH), {"on": "01.06.2024"})
    assert response.status_code == 200
    capacity.refresh_from_db()
    assert capacity.status == Status.GRANTED


def test_add_registers_an_active_capacity(editor_client, editor):
    area = factories.area("Gribskov")
    url = reverse("admin:capacities_capacity_add")
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(url, {"area": area.pk, "on": "01.01.2020", "reason": "Ny"})
    capacity = Capacity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == change_url(capacity)
    assert (capacity.status, capacity.area, capacity.established_on) == (
        Status.ACTIVE,
        area,
        dt.date(2020, 1, 1),
    )
    assert Transition.objects.get().recorded_by == editor


def test_add_refuses_a_future_date(editor_client):
    area = factories.area("Gribskov")
    response = editor_client.post(
        reverse("admin:capacities_capacity_add"), {"area": area.pk, "on": "01.01.2999"}
    )
    assert response.status_code == 200
    assert 'class="errornote"' in response.content.decode()
    assert not Capacity.objects.exists()


def test_adding_a_pool_creates_its_capacities_in_reserve(editor_client):
    response = editor_client.post(
        reverse("admin:capacities_pool_add"),
        {
            "name": "Pulje 2019",
            "created_on": "27.11.2019",
            "size": 4,
            "criteria": "Mere end 75% lukket i tre måneder",
        },
    )
    assert response.status_code == 302
    assert Capacity.objects.filter(status=Status.POOL_RESERVE).count() == 4
    assert Transition.objects.filter(action=Action.CREATE_IN_POOL).count() == 4


def test_pool_with_no_capacities_is_refused_on_the_form(editor_client):
    response = editor_client.post(
        reverse("admin:capacities_pool_add"),
        {"name": "Tom", "created_on": "27.11.2019", "size": 0, "criteria": "x"},
    )
    assert response.status_code == 200
    assert not Capacity.objects.exists()


def test_every_transition_of_the_life_cycle_has_an_admin_page():
    from capacities.admin.actions import SPECS

    assert set(SPECS) == set(services.TRANSITIONS)


def test_pool_date_and_size_are_fixed_once_created(editor_client):
    pool = factories.pool(size=2)
    url = reverse("admin:capacities_pool_change", args=[pool.pk])
    page = editor_client.get(url).content.decode()
    assert "27.11.2019" in page
    assert 'name="size"' not in page
    response = editor_client.post(
        url,
        {
            "name": "Puljen",
            "criteria": "Nye kriterier",
            "seen_history": seen(pool),
            "size": 9,
            "created_on": "01.01.2020",
            "revisions-TOTAL_FORMS": 1,
            "revisions-INITIAL_FORMS": 1,
            "revisions-0-id": pool.revisions.get().pk,
            "revisions-0-pool": pool.pk,
            "revisions-0-effective_from": "27.11.2019",
            "revisions-0-text": "Mere end 75% lukket i tre måneder",
            "revisions-0-threshold_percent": 75,
            "revisions-0-months": 3,
        },
    )
    assert response.status_code == 302
    pool.refresh_from_db()
    assert (pool.name, pool.size, pool.created_on) == ("Puljen", 2, dt.date(2019, 11, 27))
    assert pool.capacities.count() == 2
