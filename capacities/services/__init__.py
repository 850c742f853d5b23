"""Writes to the register: every change of a capacity, the pool and its criteria.

Callers (the admin, commands, the demo loader) use these names; the modules behind them are
`engine` (the one locked path and the transition table), `lifecycle` (one function per step)
and `pool` (the pool and the pool rule)."""

from capacities.services.engine import (
    TRANSITIONS,
    ConflictError,
    TransitionError,
    allowed_actions,
)
from capacities.services.lifecycle import (
    decide_to_post,
    establish_capacity,
    grant_capacity,
    lapse_grant,
    post_capacity,
    redistribute_capacity,
    register_capacity,
    return_capacity,
    schedule_decision,
    withdraw_posting,
)
from capacities.services.pool import (
    MAX_POOL_SIZE,
    allocate_pool_capacity,
    check_new_pool,
    create_pool,
    revise_pool_criteria,
)

__all__ = [
    "MAX_POOL_SIZE",
    "TRANSITIONS",
    "ConflictError",
    "TransitionError",
    "allocate_pool_capacity",
    "allowed_actions",
    "check_new_pool",
    "create_pool",
    "decide_to_post",
    "establish_capacity",
    "grant_capacity",
    "lapse_grant",
    "post_capacity",
    "redistribute_capacity",
    "register_capacity",
    "return_capacity",
    "revise_pool_criteria",
    "schedule_decision",
    "withdraw_posting",
]
