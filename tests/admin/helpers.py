"""What the admin tests share: the form data that records each transition in the admin."""

from __future__ import annotations

from django.urls import reverse

from capacities.models import Action, Capacity, Status
from tests import factories

# A date after every step the factories record, written the Danish way.
ON = "01.06.2024"

# The status a capacity needs for each transition, and valid form data for it.
SOURCE = {
    Action.RETURN: Status.ACTIVE,
    Action.SCHEDULE_DECISION: Status.AWAITING_DECISION,
    Action.DECIDE_TO_POST: Status.AWAITING_DECISION,
    Action.POST: Status.AWAITING_POSTING,
    Action.WITHDRAW_POSTING: Status.POSTED,
    Action.GRANT: Status.POSTED,
    Action.LAPSE_GRANT: Status.GRANTED,
    Action.ESTABLISH: Status.GRANTED,
    Action.REDISTRIBUTE: Status.AWAITING_DECISION,
    Action.ALLOCATE: Status.POOL_RESERVE,
}


def form_data(action: str) -> dict:
    """Valid data for the action's form (without the version)."""
    meeting = factories.meeting()
    data = {
        Action.RETURN: {"reason": "retirement", "note": "Går på pension"},
        Action.SCHEDULE_DECISION: {"meeting": meeting.pk},
        Action.DECIDE_TO_POST: {"reason": "Behov i området", "decision": meeting.pk},
        Action.POST: {"application_deadline": "01.07.2024", "remark": "Se opslaget"},
        Action.WITHDRAW_POSTING: {"reason_category": "no_applicant"},
        Action.GRANT: {"grantee": "Søren Ærø", "establishment_deadline": "01.02.2025"},
        Action.LAPSE_GRANT: {"reason_category": "grantee_withdrew", "to_status": "posted"},
        Action.ESTABLISH: {"reason": "Praksis åbnet"},
        Action.REDISTRIBUTE: {"to_area": factories.area("Ishøj").pk, "reason": "Større behov"},
        Action.ALLOCATE: {
            "area": factories.area("Herlev").pk,
            "reason": "Over 75% lukket",
            # No closure figures in these tests, so the rule leaves Herlev unsettled.
            "override_reason": "Tallene er sendt, men ikke importeret endnu",
        },
    }[action]
    return {"on": ON, **data}


def capacity_for(action: str) -> Capacity:
    return factories.capacity(SOURCE[action])


def transition_url(capacity: Capacity, action: str) -> str:
    return reverse("admin:capacities_capacity_transition", args=[capacity.pk, action])


def change_url(capacity: Capacity) -> str:
    return reverse("admin:capacities_capacity_change", args=[capacity.pk])


def seen(obj) -> int:
    """The record's latest history entry: what a generic change form carries as seen."""
    return obj.history.order_by("-history_id").first().history_id
