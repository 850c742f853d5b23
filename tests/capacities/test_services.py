"""The life cycle, table-driven: every allowed transition and every refused one."""

import datetime as dt

import pytest

from capacities import services
from capacities.models import Action, Capacity, Status, Transition
from capacities.services import ConflictError, TransitionError
from tests import factories

ON = dt.date(2024, 6, 1)


def _call(action: str, capacity: Capacity, by, **extra):
    """Call the service for an action with valid data for it."""
    calls = {
        Action.RETURN: lambda: services.return_capacity(
            capacity, by=by, on=ON, reason=Capacity.ReturnReason.RELOCATION, note="Flytter"
        ),
        Action.SCHEDULE_DECISION: lambda: services.schedule_decision(
            capacity, by=by, on=ON, meeting=factories.meeting(), reason="Sat på dagsordenen"
        ),
        Action.DECIDE_TO_POST: lambda: services.decide_to_post(
            capacity, by=by, on=ON, reason="Udvalget besluttede opslag"
        ),
        Action.POST: lambda: services.post_capacity(
            capacity, by=by, on=ON, application_deadline=dt.date(2024, 7, 1), remark="Se opslag"
        ),
        Action.WITHDRAW_POSTING: lambda: services.withdraw_posting(
            capacity, by=by, on=ON, reason="Ingen egnede ansøgere"
        ),
        Action.GRANT: lambda: services.grant_capacity(
            capacity, by=by, on=ON, grantee="Peter Lund", establishment_deadline=dt.date(2025, 2, 1)
        ),
        Action.LAPSE_GRANT: lambda: services.lapse_grant(
            capacity, by=by, on=ON, reason="Ansøger trak sig", **extra
        ),
        Action.ESTABLISH: lambda: services.establish_capacity(capacity, by=by, on=ON),
        Action.REDISTRIBUTE: lambda: services.redistribute_capacity(
            capacity, by=by, on=ON, to_area=factories.area("Ishøj"), reason="Større behov"
        ),
        Action.ALLOCATE: lambda: services.allocate_pool_capacity(
            capacity,
            by=by,
            on=ON,
            area=factories.area("Herlev"),
            reason="Over 75% lukket",
            override_reason="Tallene er endnu ikke importeret",
        ),
    }
    return calls[action]()


ALLOWED = [
    (Status.ACTIVE, Action.RETURN, {}, Status.AWAITING_DECISION),
    (Status.AWAITING_DECISION, Action.SCHEDULE_DECISION, {}, Status.AWAITING_DECISION),
    (Status.AWAITING_DECISION, Action.DECIDE_TO_POST, {}, Status.AWAITING_POSTING),
    (Status.AWAITING_DECISION, Action.POST, {}, Status.POSTED),
    (Status.AWAITING_POSTING, Action.POST, {}, Status.POSTED),
    (Status.POSTED, Action.WITHDRAW_POSTING, {}, Status.AWAITING_DECISION),
    (Status.POSTED, Action.GRANT, {}, Status.GRANTED),
    (Status.GRANTED, Action.LAPSE_GRANT, {}, Status.AWAITING_DECISION),
    (Status.GRANTED, Action.LAPSE_GRANT, {"to_status": Status.POSTED}, Status.POSTED),
    (Status.GRANTED, Action.ESTABLISH, {}, Status.ACTIVE),
    (Status.AWAITING_DECISION, Action.REDISTRIBUTE, {}, Status.AWAITING_DECISION),
    (Status.POOL_RESERVE, Action.ALLOCATE, {}, Status.AWAITING_POSTING),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "action", "extra", "end"), ALLOWED)
def test_allowed_transition_changes_status_and_records_who_when_why(
    start, action, extra, end, editor
):
    capacity = factories.capacity(start)
    version = capacity.version
    history_before = capacity.history.count()

    _call(action, capacity, editor, **extra)

    capacity.refresh_from_db()
    assert capacity.status == end
    assert capacity.version == version + 1
    step = capacity.transitions.latest("id")
    assert (step.action, step.from_status, step.status) == (action, start, end)
    assert step.effective_date == ON
    assert step.recorded_by == editor
    assert capacity.history.count() == history_before + 1
    latest = capacity.history.latest()
    assert latest.history_user == editor
    assert str(Action(action).label) in latest.history_change_reason


def _snapshot(capacity: Capacity) -> tuple:
    """What a refused step must leave as it was: status, version, area, log and history."""
    stored = Capacity.objects.get(pk=capacity.pk)
    return (
        stored.status,
        stored.version,
        stored.area_id,
        stored.transitions.count(),
        stored.history.count(),
    )


# Written out by hand from DOMAIN.md's life cycle, not derived from services.TRANSITIONS: a
# wrong table in the code must not make a matching wrong test.
A, AD, AP, P, G, PR = (
    Status.ACTIVE,
    Status.AWAITING_DECISION,
    Status.AWAITING_POSTING,
    Status.POSTED,
    Status.GRANTED,
    Status.POOL_RESERVE,
)
REFUSED = [
    *[(start, Action.RETURN) for start in (AD, AP, P, G, PR)],
    *[(start, Action.SCHEDULE_DECISION) for start in (A, AP, P, G, PR)],
    *[(start, Action.DECIDE_TO_POST) for start in (A, AP, P, G, PR)],
    *[(start, Action.POST) for start in (A, P, G, PR)],
    *[(start, Action.WITHDRAW_POSTING) for start in (A, AD, AP, G, PR)],
    *[(start, Action.GRANT) for start in (A, AD, AP, G, PR)],
    *[(start, Action.LAPSE_GRANT) for start in (A, AD, AP, P, PR)],
    *[(start, Action.ESTABLISH) for start in (A, AD, AP, P, PR)],
    *[(start, Action.REDISTRIBUTE) for start in (A, AP, P, G, PR)],
    *[(start, Action.ALLOCATE) for start in (A, AD, AP, P, G)],
]


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "action"), REFUSED)
def test_impossible_transition_is_refused_and_changes_nothing(start, action, editor):
    capacity = factories.capacity(start)
    before = _snapshot(capacity)

    with pytest.raises(TransitionError) as refused:
        _call(action, capacity, editor)

    assert refused.value.code == "not_allowed"
    assert _snapshot(capacity) == before


@pytest.mark.django_db
def test_grant_refuses_deadline_before_grant_date(editor):
    capacity = factories.capacity(Status.POSTED)
    before = _snapshot(capacity)
    with pytest.raises(TransitionError) as refused:
        services.grant_capacity(
            capacity,
            by=editor,
            on=ON,
            grantee="Peter Lund",
            establishment_deadline=dt.date(2024, 5, 1),
        )
    assert refused.value.code == "deadline_before_grant"
    assert _snapshot(capacity) == before


@pytest.mark.django_db
@pytest.mark.parametrize("grantee", ["", "   "])
def test_grant_refuses_missing_grantee(editor, grantee):
    capacity = factories.capacity(Status.POSTED)
    before = _snapshot(capacity)
    with pytest.raises(TransitionError) as refused:
        services.grant_capacity(
            capacity, by=editor, on=ON, grantee=grantee, establishment_deadline=dt.date(2025, 1, 1)
        )
    assert refused.value.code == "required"
    assert _snapshot(capacity) == before


@pytest.mark.django_db
def test_post_refuses_application_deadline_before_posting(editor):
    capacity = factories.capacity(Status.AWAITING_POSTING)
    before = _snapshot(capacity)
    with pytest.raises(TransitionError) as refused:
        services.post_capacity(capacity, by=editor, on=ON, application_deadline=dt.date(2024, 5, 1))
    assert refused.value.code == "deadline_before_posting"
    assert _snapshot(capacity) == before


@pytest.mark.django_db
def test_post_without_deadline_means_rolling_assessment(editor):
    capacity = factories.capacity(Status.AWAITING_POSTING)
    services.post_capacity(capacity, by=editor, on=ON)
    assert capacity.status == Status.POSTED
    assert capacity.application_deadline is None
    assert capacity.posted_on == ON


@pytest.mark.django_db
def test_return_refuses_unknown_reason_category(editor):
    capacity = factories.capacity(Status.ACTIVE)
    before = _snapshot(capacity)
    with pytest.raises(TransitionError) as refused:
        services.return_capacity(capacity, by=editor, on=ON, reason="bored")
    assert refused.value.code == "bad_reason"
    assert _snapshot(capacity) == before


@pytest.mark.django_db
def test_transition_refuses_date_before_the_last_change(editor):
    capacity = factories.capacity(Status.POSTED)  # posted on 2024-03-01
    before = _snapshot(capacity)
    with pytest.raises(TransitionError) as refused:
        services.withdraw_posting(capacity, by=editor, on=dt.date(2024, 2, 1), reason="Fejl")
    assert refused.value.code == "date_out_of_order"
    assert _snapshot(capacity) == before


@pytest.mark.django_db
def test_transition_refuses_a_future_date(editor):
    capacity = factories.capacity(Status.GRANTED)
    before = _snapshot(capacity)
    with pytest.raises(TransitionError) as refused:
        services.establish_capacity(capacity, by=editor, on=dt.date(2999, 1, 1))
    assert refused.value.code == "future_date"
    assert _snapshot(capacity) == before


@pytest.mark.django_db
def test_redistribute_moves_the_capacity_and_remembers_where_from(editor):
    capacity = factories.capacity(Status.AWAITING_DECISION, in_area="Herlev")
    services.redistribute_capacity(
        capacity, by=editor, on=ON, to_area=factories.area("Ishøj"), reason="Større behov"
    )
    assert capacity.area.name == "Ishøj"
    step = capacity.transitions.latest("id")
    assert (step.from_area.name, step.area.name) == ("Herlev", "Ishøj")


@pytest.mark.django_db
def test_redistribute_refuses_the_same_area(editor):
    capacity = factories.capacity(Status.AWAITING_DECISION, in_area="Herlev")
    before = _snapshot(capacity)
    with pytest.raises(TransitionError) as refused:
        services.redistribute_capacity(
            capacity, by=editor, on=ON, to_area=factories.area("Herlev"), reason="?"
        )
    assert refused.value.code == "same_area"
    assert _snapshot(capacity) == before


@pytest.mark.django_db
def test_leaving_awaiting_decision_clears_the_deciding_meeting(editor):
    capacity = factories.capacity(Status.ACTIVE)
    services.return_capacity(
        capacity, by=editor, on=ON, reason="retirement", deciding_meeting=factories.meeting()
    )
    assert capacity.deciding_meeting is not None
    services.decide_to_post(capacity, by=editor, on=ON, reason="Besluttet")
    assert capacity.deciding_meeting is None


@pytest.mark.django_db
def test_stale_version_is_refused_as_a_conflict(editor, secretary):
    capacity = factories.capacity(Status.POSTED)
    seen_version = capacity.version
    other_copy = Capacity.objects.get(pk=capacity.pk)
    services.withdraw_posting(other_copy, by=editor, on=ON, reason="Ændret beslutning")

    with pytest.raises(ConflictError) as refused:
        services.grant_capacity(
            capacity,
            by=editor,
            on=ON,
            grantee="Peter Lund",
            establishment_deadline=dt.date(2025, 1, 1),
            expected_version=seen_version,
        )
    assert refused.value.code == "conflict"
    capacity.refresh_from_db()
    assert capacity.status == Status.AWAITING_DECISION
    assert not capacity.transitions.filter(action=Action.GRANT).exists()


@pytest.mark.django_db
def test_allowed_actions_follow_the_table():
    capacity = factories.capacity(Status.POSTED)
    assert services.allowed_actions(capacity) == [
        Action.WITHDRAW_POSTING,
        Action.GRANT,
    ]


@pytest.mark.django_db
def test_pool_creation_makes_reserve_capacities_without_area(editor):
    pool = factories.pool(size=4)
    assert pool.capacities.count() == 4
    assert set(pool.capacities.values_list("status", "area")) == {(Status.POOL_RESERVE, None)}
    assert Transition.objects.filter(capacity__pool=pool, action=Action.CREATE_IN_POOL).count() == 4


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_transition_logs_one_structured_line_after_commit(editor, caplog):
    capacity = factories.capacity(Status.GRANTED)
    caplog.clear()
    with caplog.at_level("INFO", logger="capacities.transitions"):
        services.establish_capacity(capacity, by=editor, on=ON)
    lines = [r for r in caplog.records if r.name == "capacities.transitions"]
    assert len(lines) == 1
    assert lines[0].fields == {
        "event": "transition",
        "capacity": capacity.pk,
        "action": "establish",
        "from": "granted",
        "to": "active",
        "area": "Herlev",
        "effective_date": "2024-06-01",
        "by": "editor",
    }
