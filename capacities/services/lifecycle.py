"""The life cycle of a capacity (DOMAIN.md, "Capacity life cycle"): one function per step,
each through the one locked path (services.engine.transition)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from capacities.models import Action, Capacity, CommitteeMeeting, Origin, ReturnReason, Status
from capacities.postings import APPLICATION_FIELDS, clean_application, clean_channel_ids
from capacities.services.engine import (
    TransitionError,
    announce_posting,
    check_date,
    fmt,
    record,
    require,
    transition,
)
from coverage_areas.models import PlanningArea


def _clear_posting(capacity: Capacity) -> None:
    capacity.posted_on = None
    capacity.application_deadline = None
    capacity.posting_remark = ""
    capacity.posting_channels = ""
    capacity.channel_ids = []
    for name in APPLICATION_FIELDS:
        setattr(capacity, name, "")


def _clear_grant(capacity: Capacity) -> None:
    capacity.granted_on = None
    capacity.grantee = ""
    capacity.establishment_deadline = None
    capacity.grant_remark = ""


def register_capacity(
    *, by: AbstractBaseUser, on: dt.date, area: PlanningArea, reason: str = ""
) -> Capacity:
    """Record a capacity used by a practice in the area (established on `on`)."""
    check_date(None, on)
    require(area, _("Choose the planning area."))
    with transaction.atomic():
        capacity = Capacity(
            status=Status.ACTIVE, origin=Origin.REGULAR, area=area, established_on=on
        )
        capacity.full_clean()
        record(capacity, action=Action.REGISTER, by=by, on=on, reason=reason)
    return capacity


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
    return transition(
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

    return transition(
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
    require(reason, _("Say why (the decision) the capacity is to be posted."))
    return transition(
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
    channel_ids: Sequence[int] = (),
    application_contact: str = "",
    application_email: str = "",
    application_phone: str = "",
    application_url: str = "",
    application_procedure: str = "",
    reason: str = "",
    decision: CommitteeMeeting | None = None,
    expected_version: int | None = None,
) -> Capacity:
    """Publish the capacity (opslag). No deadline means applicants are assessed on a rolling
    basis ("opslået uden frist"). Channels come from the region's list (`channel_ids`) plus
    free text; the application fields say how to apply for this posting, and when all are
    empty the region's default applies."""
    if application_deadline is not None and application_deadline < on:
        raise TransitionError(
            _("The application deadline %(deadline)s is before the posting date %(date)s.")
            % {"deadline": fmt(application_deadline), "date": fmt(on)},
            code="deadline_before_posting",
        )
    try:
        application = clean_application(
            {
                "application_contact": application_contact,
                "application_email": application_email,
                "application_phone": application_phone,
                "application_url": application_url,
                "application_procedure": application_procedure,
            }
        )
        chosen = clean_channel_ids(channel_ids)
    except ValidationError as error:
        raise TransitionError(" ".join(error.messages), code="bad_application") from error

    def change(c: Capacity) -> None:
        c.posted_on, c.application_deadline = on, application_deadline
        c.posting_remark, c.posting_channels = remark, channels
        c.channel_ids = chosen
        for name, value in application.items():
            setattr(c, name, value)

    capacity = transition(
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
    announce_posting(capacity)
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
    require(reason, _("Say why the posting is withdrawn."))

    def change(c: Capacity) -> None:
        _clear_posting(c)
        c.deciding_meeting = deciding_meeting

    return transition(
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
    require(grantee, _("Name the doctor (or practice) the capacity is granted to."))
    require(establishment_deadline, _("Give the establishment deadline."))
    if establishment_deadline < on:
        raise TransitionError(
            _("The establishment deadline %(deadline)s is before the grant date %(date)s.")
            % {"deadline": fmt(establishment_deadline), "date": fmt(on)},
            code="deadline_before_grant",
        )

    def change(c: Capacity) -> None:
        c.granted_on, c.grantee = on, grantee
        c.establishment_deadline, c.grant_remark = establishment_deadline, remark

    return transition(
        capacity,
        Action.GRANT,
        by=by,
        on=on,
        reason=reason,
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
    require(reason, _("Say why the grant lapsed."))
    if application_deadline is not None and application_deadline < on:
        raise TransitionError(
            _("The application deadline %(deadline)s is before the posting date %(date)s.")
            % {"deadline": fmt(application_deadline), "date": fmt(on)},
            code="deadline_before_posting",
        )

    def change(c: Capacity) -> None:
        _clear_grant(c)
        if to_status == Status.POSTED:
            c.posted_on, c.application_deadline = on, application_deadline
        else:
            _clear_posting(c)
            c.deciding_meeting = deciding_meeting

    capacity = transition(
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
        announce_posting(capacity)
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

    return transition(
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
    require(to_area, _("Choose the planning area the capacity moves to."))
    require(reason, _("Say why the capacity is redistributed."))
    if to_area.pk == capacity.area_id:
        raise TransitionError(
            _("The capacity is already in %(area)s.") % {"area": to_area},
            code="same_area",
        )

    def change(c: Capacity) -> None:
        c.area = to_area
        c.deciding_meeting = deciding_meeting

    return transition(
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
