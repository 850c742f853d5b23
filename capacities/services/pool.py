"""The region's pool: its creation, its criteria, and allocating a pool capacity to an area
under the pool rule (capacities.eligibility)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from capacities.eligibility import check_allocation, verdict_for
from capacities.models import (
    Action,
    Capacity,
    CapacityState,
    CommitteeMeeting,
    Origin,
    Pool,
    PoolCriteriaRevision,
    Status,
    Transition,
)
from capacities.services.engine import (
    TransitionError,
    guard,
    log,
    require,
    transition,
)
from common.text import clean_text_fields
from coverage_areas.models import PlanningArea

# The region's pool of 2019 holds 10 capacities, and the whole region about a thousand: a pool
# of more than this is a typing mistake (3,000 once took a minute to create).
MAX_POOL_SIZE = 100


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
    elif size > MAX_POOL_SIZE:
        errors["size"] = [_("A pool holds at most %(max)d capacities.") % {"max": MAX_POOL_SIZE}]
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
    with their history rows (user and reason, as `engine.record` writes them one by one), then
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
        verdict = check_allocation(verdict_for(area, on, pool=capacity.pool), override_reason)
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
        details={"eligibility": verdict} if verdict is not None else None,
    )
