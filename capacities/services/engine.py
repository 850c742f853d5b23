"""The one locked path every change of a capacity goes through, and the life cycle as data.

`transition()` runs in one transaction: lock the row, check the transition table, validate,
save the capacity with its history (who and why), and append a `Transition` holding the state
it left behind. A refused change raises `TransitionError` and changes nothing. Once committed,
the change is announced (capacities.signals) for the apps built on the register."""

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

from capacities import signals
from capacities.models import (
    Action,
    Capacity,
    CapacityState,
    CommitteeMeeting,
    Status,
    Transition,
)
from common.text import clean_text, clean_text_fields
from coverage_areas.models import PlanningArea

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


def fmt(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def guard(capacity: Capacity, action: str, to_status: str) -> None:
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


def check_date(capacity: Capacity | None, on: dt.date) -> None:
    if not isinstance(on, dt.date):
        raise TransitionError(_("The effective date is missing or not a date."), code="bad_date")
    today = timezone.localdate()
    if on > today:
        raise TransitionError(
            _("The effective date %(date)s lies in the future; record it when it has happened.")
            % {"date": fmt(on)},
            code="future_date",
        )
    if capacity is None:
        return
    last = capacity.transitions.aggregate(last=Max("effective_date"))["last"]
    if last is not None and on < last:
        raise TransitionError(
            _("The effective date %(date)s is before this capacity's last change (%(last)s).")
            % {"date": fmt(on), "last": fmt(last)},
            code="date_out_of_order",
        )


def require(value: object, message: str) -> None:
    if value is None or (isinstance(value, str) and not clean_text(value).strip()):
        raise TransitionError(message, code="required")


def record(
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
    announcement = {
        "capacity_id": capacity.pk,
        "action": action,
        "from_status": from_status,
        "to_status": capacity.status,
    }
    transaction.on_commit(
        lambda: signals.transition_committed.send(sender=Transition, **announcement),
        robust=True,
    )
    return step


def transition(
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
        guard(locked, action, to_status)
        check_date(locked, on)
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
            raise TransitionError(" ".join(error.messages), code="invalid") from error
        record(
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


def announce_posting(capacity: Capacity) -> None:
    """Say that the capacity is publicly posted, once committed (a rolled-back posting
    announces nothing). A receiver's failure never fails the transition: it is logged."""
    capacity_id = capacity.pk
    transaction.on_commit(
        lambda: signals.posting_opened.send(sender=Capacity, capacity_id=capacity_id),
        robust=True,
    )
