"""The transitions staff can record in the admin: label, form and service of each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from capacities import forms, services
from capacities.models import Action


@dataclass(frozen=True)
class TransitionSpec:
    action: str
    label: Promise  # the button ("Post")
    form: type[forms.TransitionForm]
    service: Callable
    # The bulk action's name, when the same step with the same data makes sense for several
    # capacities at once (one effective date for all, say).
    bulk: Promise | None = None


SPECS: dict[str, TransitionSpec] = {
    spec.action: spec
    for spec in [
        TransitionSpec(
            Action.RETURN,
            _("Return"),
            forms.ReturnForm,
            services.return_capacity,
            bulk=_("Return the selected capacities"),
        ),
        TransitionSpec(
            Action.SCHEDULE_DECISION,
            _("Schedule decision"),
            forms.ScheduleDecisionForm,
            services.schedule_decision,
            bulk=_("Schedule the decision of the selected capacities"),
        ),
        TransitionSpec(
            Action.DECIDE_TO_POST,
            _("Decide to post"),
            forms.DecideToPostForm,
            services.decide_to_post,
            bulk=_("Decide to post the selected capacities"),
        ),
        TransitionSpec(
            Action.POST,
            _("Post"),
            forms.PostForm,
            services.post_capacity,
            bulk=_("Post the selected capacities"),
        ),
        TransitionSpec(
            Action.WITHDRAW_POSTING,
            _("Withdraw posting"),
            forms.WithdrawPostingForm,
            services.withdraw_posting,
            bulk=_("Withdraw the postings of the selected capacities"),
        ),
        TransitionSpec(Action.GRANT, _("Grant"), forms.GrantForm, services.grant_capacity),
        TransitionSpec(
            Action.LAPSE_GRANT, _("Grant lapsed"), forms.LapseGrantForm, services.lapse_grant
        ),
        TransitionSpec(
            Action.ESTABLISH,
            _("Establish"),
            forms.EstablishForm,
            services.establish_capacity,
            bulk=_("Establish the selected capacities"),
        ),
        TransitionSpec(
            Action.REDISTRIBUTE,
            _("Redistribute"),
            forms.RedistributeForm,
            services.redistribute_capacity,
        ),
        TransitionSpec(
            Action.ALLOCATE,
            _("Allocate to an area"),
            forms.AllocateForm,
            services.allocate_pool_capacity,
        ),
    ]
}


def single_form(spec: TransitionSpec) -> type[forms.TransitionForm]:
    """The spec's form plus the hidden version the user saw (optimistic locking)."""
    return type(f"{spec.form.__name__}WithVersion", (forms.VersionMixin, spec.form), {})
