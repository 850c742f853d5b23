"""The region's pool: its creation, its criteria, and allocating a pool capacity to an area
under the pool rule (capacities.eligibility)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from capacities.eligibility import check_allocation, verdict_for
from capacities.models import (
    Action,
    Capacity,
    CommitteeMeeting,
    Origin,
    Pool,
    PoolCriteriaRevision,
    Status,
)
from capacities.services.engine import TransitionError, guard, record, require, transition
from coverage_areas.models import PlanningArea


def check_new_pool(*, created_on: dt.date | None, size: int | None) -> None:
    """What a new pool must be: created on a past or present day, holding at least one
    capacity. TransitionError with a message per field (the admin's form shows them there)."""
    errors: dict[str, list[str]] = {}
    if not isinstance(created_on, dt.date):
        errors["created_on"] = [_("The effective date is missing or not a date.")]
    elif created_on > timezone.localdate():
        errors["created_on"] = [_("The date lies in the future.")]
    if not isinstance(size, int) or size < 1:
        errors["size"] = [_("A pool holds at least one capacity.")]
    if errors:
        raise TransitionError(errors, code="invalid")


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
    check_new_pool(created_on=created_on, size=size)
    with transaction.atomic():
        pool = Pool(name=name, created_on=created_on, size=size, criteria=criteria)
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
        for _number in range(size):
            capacity = Capacity(status=Status.POOL_RESERVE, origin=Origin.POOL, pool=pool)
            capacity.full_clean()
            record(
                capacity,
                action=Action.CREATE_IN_POOL,
                by=by,
                on=created_on,
                reason=name,
                decision=decision,
            )
    return pool


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
    try:
        revision.full_clean()
    except ValidationError as error:
        raise TransitionError(" ".join(error.messages), code="invalid") from error
    revision._history_user = by
    revision.save()
    return revision


def allocate_pool_capacity(
    capacity: Capacity,
    *,
    by: AbstractBaseUser,
    on: dt.date,
    area: PlanningArea,
    reason: str,
    remark: str = "",
    override_reason: str = "",
    decision: CommitteeMeeting | None = None,
    expected_version: int | None = None,
) -> Capacity:
    """Give a pool capacity to an area in acute shortage (udmøntning); it awaits posting.
    The area's verdict under the pool rule on the date is stored with the step; an area the
    rule does not find eligible is refused unless `override_reason` says why."""
    require(area, _("Choose the planning area the pool capacity goes to."))
    require(reason, _("Say why the pool capacity goes to this area."))
    # Only a capacity in reserve can be allocated: say that before weighing the area.
    guard(capacity, Action.ALLOCATE, Status.AWAITING_POSTING)
    try:
        record = check_allocation(verdict_for(area, on, pool=capacity.pool), override_reason)
    except ValidationError as error:
        raise TransitionError(" ".join(error.messages), code="not_eligible") from error

    def change(c: Capacity) -> None:
        c.area = area
        c.posting_remark = remark

    return transition(
        capacity,
        Action.ALLOCATE,
        by=by,
        on=on,
        reason=reason,
        to_status=Status.AWAITING_POSTING,
        decision=decision,
        expected_version=expected_version,
        change=change,
        details={"eligibility": record} if record is not None else None,
    )
