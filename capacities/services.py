"""Every change of a capacity's status goes through these functions.

Each runs in one transaction: lock the row, check the transition table, validate, save the
capacity with its history (who and why), and append a `Transition` holding the state it left
behind. A refused change raises `TransitionError` and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from capacities.models import (
    Action,
    Capacity,
    CapacityState,
    CommitteeMeeting,
    Origin,
    Pool,
    PoolCriteriaRevision,
    ReturnReason,
    Status,
    Transition,
)
from coverage_areas.models import PlanningArea
from coverage_areas.text import clean_text, clean_text_fields

log = logging.getLogger("capacities.transitions")


class TransitionError(ValidationError):
    """A transition that is impossible from the capacity's state, or given bad data."""


class ConflictError(TransitionError):
    """The capacity changed since the caller read it (optimistic locking)."""


# The life cycle as data: each action, the statuses it starts from, the statuses it may end in.
TRANSITIONS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    Action.RETURN: (frozenset({Status.ACTIVE}), frozenset({Status.AWAITING_DECISION})),
    Action.SCHEDULE_DECISION: (
        frozenset({Status.AWAITING_DECISION}),
        frozenset({Status.AWAITING_DECISION}),
    ),
    Action.DECIDE_TO_POST: (
        frozenset({Status.AWAITING_DECISION}),
        frozenset({Status.AWAITING_POSTING}),
    ),
    Action.POST: (
        frozenset({Status.AWAITING_DECISION, Status.AWAITING_POSTING}),
        frozenset({Status.POSTED}),
    ),
    Action.WITHDRAW_POSTING: (frozenset({Status.POSTED}), frozenset({Status.AWAITING_DECISION})),
    Action.GRANT: (frozenset({Status.POSTED}), frozenset({Status.GRANTED})),
    Action.LAPSE_GRANT: (
        frozenset({Status.GRANTED}),
        frozenset({Status.POSTED, Status.AWAITING_DECISION}),
    ),
    Action.ESTABLISH: (frozenset({Status.GRANTED}), frozenset({Status.ACTIVE})),
    Action.REDISTRIBUTE: (
        frozenset({Status.AWAITING_DECISION}),
        frozenset({Status.AWAITING_DECISION}),
    ),
    Action.ALLOCATE: (frozenset({Status.POOL_RESERVE}), frozenset({Status.AWAITING_POSTING})),
}


def allowed_actions(capacity: Capacity) -> list[str]:
    """The transitions possible from the capacity's current status, in life-cycle order."""
    return [
        action for action, (sources, _targets) in TRANSITIONS.items() if capacity.status in sources
    ]


def _fmt(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _guard(capacity: Capacity, action: str, to_status: str) -> None:
    sources, targets = TRANSITIONS[action]
    if capacity.status not in sources:
        raise TransitionError(
            _("%(capacity)s cannot be %(action)s: it is %(status)s.")
            % {
                "capacity": capacity,
                "action": Action(action).label,
                "status": Status(capacity.status).label,
            },
            code="not_allowed",
        )
    if to_status not in targets:
        raise TransitionError(
            _("%(action)s cannot lead to the status %(status)s.")
            % {"action": Action(action).label, "status": Status(to_status).label},
            code="bad_target",
        )


def _check_date(capacity: Capacity | None, on: dt.date) -> None:
    if not isinstance(on, dt.date):
        raise TransitionError(_("The effective date is missing or not a date."), code="bad_date")
    today = timezone.localdate()
    if on > today:
        raise TransitionError(
            _("The effective date %(date)s lies in the future; record it when it has happened.")
            % {"date": _fmt(on)},
            code="future_date",
        )
    if capacity is None:
        return
    last = capacity.transitions.aggregate(last=Max("effective_date"))["last"]
    if last is not None and on < last:
        raise TransitionError(
            _("The effective date %(date)s is before this capacity's last change (%(last)s).")
            % {"date": _fmt(on), "last": _fmt(last)},
            code="date_out_of_order",
        )


def _require(value: object, message: str) -> None:
    if value is None or (isinstance(value, str) and not clean_text(value).strip()):
        raise TransitionError(message, code="required")


def _record(
    capacity: Capacity,
    *,
    action: str,
    by: AbstractBaseUser,
    on: dt.date,
    reason: str,
    from_status: str = "",
    from_area: PlanningArea | None = None,
    decision: CommitteeMeeting | None = None,
    details: dict | None = None,
) -> Transition:
    reason = clean_text(reason)
    capacity._history_user = by
    capacity._change_reason = (
        f"{Action(action).label}: {reason}" if reason else Action(action).label
    )
    capacity.save()
    state = {name: getattr(capacity, name) for name in CapacityState.state_field_names()}
    step = Transition.objects.create(
        capacity=capacity,
        action=action,
        from_status=from_status,
        from_area=from_area,
        effective_date=on,
        recorded_by=by,
        reason=reason,
        decision=decision,
        details=details or {},
        **state,
    )
    # One structured line per transition for the region's log collection, once committed.
    fields = {
        "event": "transition",
        "capacity": capacity.pk,
        "action": action,
        "from": from_status,
        "to": capacity.status,
        "area": capacity.area.name if capacity.area_id else None,
        "effective_date": on.isoformat(),
        "by": by.get_username(),
    }
    transaction.on_commit(lambda: log.info("transition", extra={"fields": fields}))
    return step


def _transition(
    capacity: Capacity,
    action: str,
    *,
    by: AbstractBaseUser,
    on: dt.date,
    reason: str = "",
    to_status: str,
    decision: CommitteeMeeting | None = None,
    expected_version: int | None = None,
    change: Callable[[Capacity], None] = lambda capacity: None,
    details: dict | None = None,
) -> Capacity:
    with transaction.atomic():
        # Lock the row so that two staff acting at once are serialised; the second one sees
        # the first one's result and is refused if it no longer fits.
        locked = Capacity.objects.select_for_update().get(pk=capacity.pk)
        if expected_version is not None and locked.version != expected_version:
            raise ConflictError(
                _(
                    "%(capacity)s was changed by someone else while you worked on it. "
                    "Reload it to see the change, then try again."
                )
                % {"capacity": locked},
                code="conflict",
            )
        _guard(locked, action, to_status)
        _check_date(locked, on)
        from_status, from_area = locked.status, locked.area
        change(locked)
        # Staff text is stored by the one rule (a remark pasted from Word holds control codes).
        clean_text_fields(locked)
        if to_status != Status.AWAITING_DECISION:
            locked.deciding_meeting = None
        locked.status = to_status
        locked.version += 1
        try:
            locked.validate_constraints()
        except ValidationError as error:
            raise TransitionError(error.messages, code="invalid") from error
        _record(
            locked,
            action=action,
            by=by,
            on=on,
            reason=reason,
            from_status=from_status,
            from_area=from_area,
            decision=decision,
            details=details,
        )
    # The caller's object reflects the new state, as if it had been reloaded.
    capacity.refresh_from_db()
    return capacity


def _announce_posting(capacity: Capacity) -> None:
    """Mail the doctors subscribed to the area, once the posting is committed (a rolled-back
    posting announces nothing). Sending never fails the transition: alerts logs its errors."""
    capacity_id = capacity.pk

    def announce() -> None:
        # Imported here: alerts builds on the capacities app, not the other way round.
        from alerts.mail import notify_new_posting

        notify_new_posting(capacity_id)

    transaction.on_commit(announce, robust=True)


def _clear_posting(capacity: Capacity) -> None:
    capacity.posted_on = None
    capacity.application_deadline = None
    capacity.posting_remark = ""
    capacity.posting_channels = ""


def _clear_grant(capacity: Capacity) -> None:
    capacity.granted_on = None
    capacity.grantee = ""
    capacity.establishment_deadline = None
    capacity.grant_remark = ""


# Creation


def register_capacity(
    *, by: AbstractBaseUser, on: dt.date, area: PlanningArea, reason: str = ""
) -> Capacity:
    """Record a capacity used by a practice in the area (established on `on`)."""
    _check_date(None, on)
    _require(area, _("Choose the planning area."))
    with transaction.atomic():
        capacity = Capacity(
            status=Status.ACTIVE, origin=Origin.REGULAR, area=area, established_on=on
        )
        capacity.full_clean()
        _record(capacity, action=Action.REGISTER, by=by, on=on, reason=reason)
    return capacity


# The region's pool of 2019 holds 10 capacities, and the whole region about a thousand: a pool
# of more than this is a typing mistake (3,000 once took a minute to create).
MAX_POOL_SIZE = 100


def create_pool(
    *,
    by: AbstractBaseUser,
    name: str,
    created_on: dt.date,
    size: int,
    criteria: str,
    threshold_percent: int = 75,
    months: int = 3,
    decision: CommitteeMeeting | None = None,
) -> Pool:
    """Create the region's pool and its `size` capacities in reserve, with the first
    criteria revision in force from the day of creation."""
    _check_date(None, created_on)
    if not isinstance(size, int) or size < 1:
        raise TransitionError(_("A pool holds at least one capacity."), code="bad_size")
    if size > MAX_POOL_SIZE:
        raise TransitionError(
            _("A pool holds at most %(max)d capacities.") % {"max": MAX_POOL_SIZE},
            code="bad_size",
        )
    with transaction.atomic():
        pool = Pool(name=name, created_on=created_on, size=size, criteria=criteria)
        clean_text_fields(pool)
        pool.full_clean()
        pool._history_user = by
        pool.save()
        revise_pool_criteria(
            pool,
            by=by,
            effective_from=created_on,
            text=criteria,
            threshold_percent=threshold_percent,
            months=months,
            decision=decision,
        )
        _create_in_pool(pool, size, by=by, on=created_on, reason=pool.name, decision=decision)
    return pool


def _create_in_pool(
    pool: Pool,
    size: int,
    *,
    by: AbstractBaseUser,
    on: dt.date,
    reason: str,
    decision: CommitteeMeeting | None,
) -> None:
    """The pool's capacities in reserve, in three inserts whatever the size: the capacities
    with their history rows (user and reason, as `_record` writes them one by one), then
    their first transitions."""
    capacity = Capacity(status=Status.POOL_RESERVE, origin=Origin.POOL, pool=pool)
    capacity.full_clean()
    created = bulk_create_with_history(
        [Capacity(status=Status.POOL_RESERVE, origin=Origin.POOL, pool=pool) for _ in range(size)],
        Capacity,
        default_user=by,
        default_change_reason=f"{Action(Action.CREATE_IN_POOL).label}: {reason}",
    )
    fields = CapacityState.state_field_names()
    Transition.objects.bulk_create(
        Transition(
            capacity=item,
            action=Action.CREATE_IN_POOL,
            effective_date=on,
            recorded_by=by,
            reason=reason,
            decision=decision,
            details={},
            **{name: getattr(item, name) for name in fields},
        )
        for item in created
    )
    summary = {
        "event": "pool_created",
        "pool": pool.pk,
        "capacities": size,
        "by": by.get_username(),
    }
    transaction.on_commit(lambda: log.info("transition", extra={"fields": summary}))


def revise_pool_criteria(
    pool: Pool,
    *,
    by: AbstractBaseUser,
    effective_from: dt.date,
    text: str,
    threshold_percent: int = 75,
    months: int = 3,
    decision: CommitteeMeeting | None = None,
) -> PoolCriteriaRevision:
    revision = PoolCriteriaRevision(
        pool=pool,
        effective_from=effective_from,
        text=text,
        threshold_percent=threshold_percent,
        months=months,
        decision=decision,
    )
    clean_text_fields(revision)
    try:
        revision.full_clean()
    except ValidationError as error:
        raise TransitionError(error.messages, code="invalid") from error
    revision._history_user = by
    revision.save()
    return revision


# The life cycle (DOMAIN.md, "Capacity life cycle")


def return_capacity(
    capacity: Capacity,
    *,
    by: AbstractBaseUser,
    on: dt.date,
    reason: str,
    note: str = "",
    deciding_meeting: CommitteeMeeting | None = None,
    decision: CommitteeMeeting | None = None,
    expected_version: int | None = None,
) -> Capacity:
    """A doctor gives the capacity back (tilbagelevering); it awaits a decision on posting or
    redistribution. `reason` is a `ReturnReason`: the region records every return's cause."""
    if reason not in ReturnReason.values:
        raise TransitionError(
            _("Choose the reason for the return: %(choices)s.")
            % {"choices": ", ".join(str(label) for label in ReturnReason.labels)},
            code="bad_reason",
        )

    def change(c: Capacity) -> None:
        c.return_date, c.return_reason, c.return_note = on, reason, note
        c.deciding_meeting = deciding_meeting
        # The practice that used it has closed; its opening date stays in the history.
        c.established_on = None
        _clear_posting(c)
        _clear_grant(c)

    text = ReturnReason(reason).label + (f" ({note})" if note else "")
    return _transition(
        capacity,
        Action.RETURN,
        by=by,
        on=on,
        reason=str(text),
        to_status=Status.AWAITING_DECISION,
        decision=decision,
        expected_version=expected_version,
        change=change,
    )


def schedule_decision(
    capacity: Capacity,
    *,
    by: AbstractBaseUser,
    on: dt.date,
    meeting: CommitteeMeeting | None,
    reason: str = "",
    expected_version: int | None = None,
) -> Capacity:
    """Set (or clear) the committee meeting that will decide an awaiting capacity."""

    def change(c: Capacity) -> None:
        c.deciding_meeting = meeting

    return _transition(
        capacity,
        Action.SCHEDULE_DECISION,
        by=by,
        on=on,
        reason=reason,
        to_status=Status.AWAITING_DECISION,
        expected_version=expected_version,
        change=change,
    )


def decide_to_post(
    capacity: Capacity,
    *,
    by: AbstractBaseUser,
    on: dt.date,
    reason: str,
    decision: CommitteeMeeting | None = None,
    expected_version: int | None = None,
) -> Capacity:
    _require(reason, _("Say why (the decision) the capacity is to be posted."))
    return _transition(
        capacity,
        Action.DECIDE_TO_POST,
        by=by,
        on=on,
        reason=reason,
        to_status=Status.AWAITING_POSTING,
        decision=decision,
        expected_version=expected_version,
    )


def post_capacity(
    capacity: Capacity,
    *,
    by: AbstractBaseUser,
    on: dt.date,
    application_deadline: dt.date | None = None,
    remark: str = "",
    channels: str = "",
    reason: str = "",
    decision: CommitteeMeeting | None = None,
    expected_version: int | None = None,
) -> Capacity:
    """Publish the capacity (opslag). No deadline means applicants are assessed on a rolling
    basis ("opslået uden frist")."""
    if application_deadline is not None and application_deadline < on:
        raise TransitionError(
            _("The application deadline %(deadline)s is before the posting date %(date)s.")
            % {"deadline": _fmt(application_deadline), "date": _fmt(on)},
            code="deadline_before_posting",
        )

    def change(c: Capacity) -> None:
        c.posted_on, c.application_deadline = on, application_deadline
        c.posting_remark, c.posting_channels = remark, channels

    capacity = _transition(
        capacity,
        Action.POST,
        by=by,
        on=on,
        reason=reason,
        to_status=Status.POSTED,
        decision=decision,
        expected_version=expected_version,
        change=change,
    )
    _announce_posting(capacity)
    return capacity


def withdraw_posting(
    capacity: Capacity,
    *,
    by: AbstractBaseUser,
    on: dt.date,
    reason: str,
    deciding_meeting: CommitteeMeeting | None = None,
    decision: CommitteeMeeting | None = None,
    expected_version: int | None = None,
) -> Capacity:
    _require(reason, _("Say why the posting is withdrawn."))

    def change(c: Capacity) -> None:
        _clear_posting(c)
        c.deciding_meeting = deciding_meeting

    return _transition(
        capacity,
        Action.WITHDRAW_POSTING,
        by=by,
        on=on,
        reason=reason,
        to_status=Status.AWAITING_DECISION,
        decision=decision,
        expected_version=expected_version,
        change=change,
    )


def grant_capacity(
    capacity: Capacity,
    *,
    by: AbstractBaseUser,
    on: dt.date,
    grantee: str,
    establishment_deadline: dt.date,
    remark: str = "",
    reason: str = "",
    decision: CommitteeMeeting | None = None,
    expected_version: int | None = None,
) -> Capacity:
    """Grant the posted capacity to a named doctor, who must establish by the deadline."""
    grantee = (grantee or "").strip()
    _require(grantee, _("Name the doctor (or practice) the capacity is granted to."))
    _require(establishment_deadline, _("Give the establishment deadline."))
    if establishment_deadline < on:
        raise TransitionError(
            _("The establishment deadline %(deadline)s is before the grant date %(date)s.")
            % {"deadline": _fmt(establishment_deadline), "date": _fmt(on)},
            code="deadline_before_grant",
        )

    def change(c: Capacity) -> None:
        c.granted_on, c.grantee = on, grantee
        c.establishment_deadline, c.grant_remark = establishment_deadline, remark

    return _transition(
        capacity,
        Action.GRANT,
        by=by,
        on=on,
        reason=reason or grantee,
        to_status=Status.GRANTED,
        decision=decision,
        expected_version=expected_version,
        change=change,
    )


def lapse_grant(
    capacity: Capacity,
    *,
    by: AbstractBaseUser,
    on: dt.date,
    reason: str,
    to_status: str = Status.AWAITING_DECISION,
    application_deadline: dt.date | None = None,
    deciding_meeting: CommitteeMeeting | None = None,
    decision: CommitteeMeeting | None = None,
    expected_version: int | None = None,
) -> Capacity:
    """The grant falls away (the grantee withdrew, the deadline was missed). The capacity is
    posted again (`to_status=posted`, from `on`) or awaits a new decision."""
    _require(reason, _("Say why the grant lapsed."))
    if application_deadline is not None and application_deadline < on:
        raise TransitionError(
            _("The application deadline %(deadline)s is before the posting date %(date)s.")
            % {"deadline": _fmt(application_deadline), "date": _fmt(on)},
            code="deadline_before_posting",
        )

    def change(c: Capacity) -> None:
        _clear_grant(c)
        if to_status == Status.POSTED:
            c.posted_on, c.application_deadline = on, application_deadline
        else:
            _clear_posting(c)
            c.deciding_meeting = deciding_meeting

    capacity = _transition(
        capacity,
        Action.LAPSE_GRANT,
        by=by,
        on=on,
        reason=reason,
        to_status=to_status,
        decision=decision,
        expected_version=expected_version,
        change=change,
    )
    if to_status == Status.POSTED:
        _announce_posting(capacity)
    return capacity


def establish_capacity(
    capacity: Capacity,
    *,
    by: AbstractBaseUser,
    on: dt.date,
    reason: str = "",
    decision: CommitteeMeeting | None = None,
    expected_version: int | None = None,
) -> Capacity:
    """The granted practice has opened: the capacity is in use again."""

    def change(c: Capacity) -> None:
        c.established_on = on

    return _transition(
        capacity,
        Action.ESTABLISH,
        by=by,
        on=on,
        reason=reason,
        to_status=Status.ACTIVE,
        decision=decision,
        expected_version=expected_version,
        change=change,
    )


def redistribute_capacity(
    capacity: Capacity,
    *,
    by: AbstractBaseUser,
    on: dt.date,
    to_area: PlanningArea,
    reason: str,
    deciding_meeting: CommitteeMeeting | None = None,
    decision: CommitteeMeeting | None = None,
    expected_version: int | None = None,
) -> Capacity:
    """Move an awaiting capacity to another planning area (omfordeling)."""
    _require(to_area, _("Choose the planning area the capacity moves to."))
    _require(reason, _("Say why the capacity is redistributed."))
    if to_area.pk == capacity.area_id:
        raise TransitionError(
            _("The capacity is already in %(area)s.") % {"area": to_area},
            code="same_area",
        )

    def change(c: Capacity) -> None:
        c.area = to_area
        c.deciding_meeting = deciding_meeting

    return _transition(
        capacity,
        Action.REDISTRIBUTE,
        by=by,
        on=on,
        reason=reason,
        to_status=Status.AWAITING_DECISION,
        decision=decision,
        expected_version=expected_version,
        change=change,
    )


def allocate_pool_capacity(
    capacity: Capacity,
    *,
    by: AbstractBaseUser,
    on: dt.date,
    area: PlanningArea,
    reason: str,
    remark: str = "",
    decision: CommitteeMeeting | None = None,
    eligibility: dict | None = None,
    expected_version: int | None = None,
) -> Capacity:
    """Give a pool capacity to an area in acute shortage (udmøntning); it awaits posting."""
    _require(area, _("Choose the planning area the pool capacity goes to."))
    _require(reason, _("Say why the pool capacity goes to this area."))

    def change(c: Capacity) -> None:
        c.area = area
        c.posting_remark = remark

    return _transition(
        capacity,
        Action.ALLOCATE,
        by=by,
        on=on,
        reason=reason,
        to_status=Status.AWAITING_POSTING,
        decision=decision,
        expected_version=expected_version,
        change=change,
        details={"eligibility": eligibility} if eligibility is not None else None,
    )
