"""Forms for the transitions staff record in the admin.

One form per transition, holding exactly the fields its service takes. A form only checks what
a form can (required fields, types); the service decides whether the transition is possible
and its message is shown on the form when it is not. `service_kwargs()` turns the cleaned data
into the service's keyword arguments.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from capacities.eligibility import check_allocation, verdict_for
from capacities.models import Capacity, CommitteeMeeting, PostingChannel, ReturnReason, Status
from coverage_areas.models import PlanningArea


def _meetings() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Committee decision cited"),
        queryset=CommitteeMeeting.objects.select_related("committee"),
        required=False,
        help_text=_("The committee meeting whose decision this step follows, if any."),
    )


def _deciding_meeting() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Meeting that will decide"),
        queryset=CommitteeMeeting.objects.select_related("committee"),
        required=False,
        help_text=_("The committee meeting expected to decide on posting or redistribution."),
    )


def _date(label, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=AdminDateWidget, help_text=help_text
    )


def _text(label, *, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )


class TransitionForm(forms.Form):
    """The fields every transition has: the date it took effect and the decision it cites."""

    on = forms.DateField(
        label=_("Effective date"),
        initial=timezone.localdate,
        widget=AdminDateWidget,
        help_text=_("The day it happened (not the day you record it)."),
    )
    # Field names (in this order) after `on`; `decision` comes last on every form.
    service_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, capacity: Capacity | None = None, **kwargs: Any) -> None:
        self.capacity = capacity
        super().__init__(*args, **kwargs)
        self.fields["decision"] = _meetings()
        for name in ("deciding_meeting", "meeting"):
            if name in self.fields:
                self.fields[name].queryset = CommitteeMeeting.objects.select_related(
                    "committee"
                ).upcoming_first(timezone.localdate())

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        kwargs = {"on": data["on"], "decision": data.get("decision")}
        kwargs.update({name: data.get(name) for name in self.service_fields})
        return kwargs


class ReasonCategoryMixin(forms.Form):
    """A reason picked from the usual categories, with a note; the service gets one text."""

    categories: tuple[tuple[str, Any], ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason_category"] = forms.ChoiceField(
            label=_("Reason"), choices=[("", "---------"), *self.categories]
        )
        self.fields["note"] = _text(_("Note"), help_text=_("Required when the reason is other."))
        self.order_fields(["on", "reason_category", "note"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("reason_category") == "other" and not (data.get("note") or "").strip():
            self.add_error("note", _("Describe the reason when it is other."))
        return data

    def reason_text(self) -> str:
        data = self.cleaned_data
        label = str(dict(self.categories)[data["reason_category"]])
        note = (data.get("note") or "").strip()
        if data["reason_category"] == "other":
            return note
        return f"{label}: {note}" if note else label


class ReturnForm(TransitionForm):
    reason = forms.ChoiceField(label=_("Reason for return"), choices=ReturnReason.choices)
    note = _text(_("Note on the return"))
    deciding_meeting = _deciding_meeting()
    service_fields = ("reason", "note", "deciding_meeting")


class ScheduleDecisionForm(TransitionForm):
    meeting = forms.ModelChoiceField(
        label=_("Meeting that will decide"),
        queryset=CommitteeMeeting.objects.select_related("committee"),
        required=False,
        help_text=_("Leave empty to clear the meeting."),
    )
    reason = _text(_("Why"))
    service_fields = ("meeting", "reason")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["decision"]

    def service_kwargs(self) -> dict[str, Any]:
        kwargs = super().service_kwargs()
        # Scheduling cites no decision: it records which meeting will make one.
        kwargs.pop("decision")
        return kwargs


class DecideToPostForm(TransitionForm):
    reason = _text(_("Decision"), required=True, help_text=_("Why the capacity is to be posted."))
    service_fields = ("reason",)


class PostForm(TransitionForm):
    application_deadline = _date(
        _("Application deadline"),
        required=False,
        help_text=_("Empty: no deadline, applicants are assessed on a rolling basis."),
    )
    remark = _text(_("Public remark on the posting"))
    channel_ids = forms.ModelMultipleChoiceField(
        label=_("Announced in"),
        queryset=PostingChannel.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The region's channels; the list is kept under Posting channels."),
    )
    channels = _text(_("Also announced in (free text)"))
    application_contact = forms.CharField(
        label=_("Contact person or unit"), max_length=200, required=False
    )
    application_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    application_phone = forms.CharField(label=_("Contact telephone"), max_length=40, required=False)
    application_url = forms.URLField(
        label=_("Application link"), max_length=500, required=False, assume_scheme="https"
    )
    application_procedure = _text(
        _("How to apply"),
        help_text=_(
            "Leave the contact and application fields empty to use the region's default "
            "(under The region)."
        ),
    )
    reason = _text(_("Why"))
    service_fields = (
        "application_deadline",
        "remark",
        "channels",
        "application_contact",
        "application_email",
        "application_phone",
        "application_url",
        "application_procedure",
        "reason",
    )

    def service_kwargs(self) -> dict[str, Any]:
        kwargs = super().service_kwargs()
        kwargs["channel_ids"] = [c.pk for c in self.cleaned_data.get("channel_ids") or []]
        return kwargs


class WithdrawPostingForm(ReasonCategoryMixin, TransitionForm):
    categories = (
        ("no_applicant", _("No suitable applicant")),
        ("decision_changed", _("The decision changed")),
        ("other", _("Other")),
    )
    deciding_meeting = _deciding_meeting()

    def service_kwargs(self) -> dict[str, Any]:
        kwargs = super().service_kwargs()
        kwargs.update(
            reason=self.reason_text(), deciding_meeting=self.cleaned_data["deciding_meeting"]
        )
        return kwargs


class GrantForm(TransitionForm):
    grantee = forms.CharField(label=_("Granted to"), max_length=200)
    establishment_deadline = _date(_("Establishment deadline"))
    remark = _text(
        _("Remark on the grant"),
        help_text=_("For example what the doctors reported about their start."),
    )
    reason = _text(_("Why"))
    service_fields = ("grantee", "establishment_deadline", "remark", "reason")


class LapseGrantForm(ReasonCategoryMixin, TransitionForm):
    categories = (
        ("grantee_withdrew", _("The grantee withdrew")),
        ("deadline_missed", _("The establishment deadline was missed")),
        ("other", _("Other")),
    )
    to_status = forms.ChoiceField(
        label=_("Next step"),
        choices=[
            (Status.AWAITING_DECISION, _("Await a new decision")),
            (Status.POSTED, _("Post it again from the effective date")),
        ],
        initial=Status.AWAITING_DECISION,
        widget=forms.RadioSelect,
    )
    application_deadline = _date(
        _("Application deadline"),
        required=False,
        help_text=_("Only when posted again. Empty: no deadline."),
    )
    deciding_meeting = _deciding_meeting()

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        kwargs = super().service_kwargs()
        kwargs.update(
            reason=self.reason_text(),
            to_status=data["to_status"],
            application_deadline=data["application_deadline"],
            deciding_meeting=data["deciding_meeting"],
        )
        return kwargs


class EstablishForm(TransitionForm):
    reason = _text(_("Remark"), help_text=_("For example how the opening was reported."))
    service_fields = ("reason",)


class RedistributeForm(TransitionForm):
    to_area = forms.ModelChoiceField(
        label=_("Move to planning area"), queryset=PlanningArea.objects.all()
    )
    reason = _text(_("Why"), required=True)
    deciding_meeting = _deciding_meeting()
    service_fields = ("to_area", "reason", "deciding_meeting")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.capacity is not None and self.capacity.area_id:
            self.fields["to_area"].queryset = PlanningArea.objects.exclude(pk=self.capacity.area_id)


class EligibilityDateForm(forms.Form):
    on = forms.DateField(
        label=_("Assessed on"),
        initial=timezone.localdate,
        widget=AdminDateWidget,
        error_messages={"invalid": _("Enter a real date.")},
    )


class PoolRuleMixin(forms.Form):
    """For the allocation of a pool capacity: shows the pool rule's verdict for the chosen area
    and date (capacities.eligibility), and asks for the reason the rule requires when it does
    not find the area eligible, before the service (which enforces the rule) is called."""

    verdict = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["override_reason"] = forms.CharField(
            label=_("Why despite the verdict"),
            required=False,
            help_text=_("Required when the pool rule finds the area not eligible on the date."),
            widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        )
        order = list(self.fields)
        order.remove("override_reason")
        order.insert(
            order.index("reason") + 1 if "reason" in order else len(order), "override_reason"
        )
        self.order_fields(order)

    def clean(self):
        data = super().clean()
        capacity = getattr(self, "capacity", None)
        pool = capacity.pool if capacity is not None else None
        if data.get("area") is not None and data.get("on") is not None and pool is not None:
            self.verdict = verdict_for(data["area"], data["on"], pool=pool)
            try:
                check_allocation(self.verdict, data.get("override_reason") or "")
            except ValidationError as error:
                self.add_error("override_reason", error)
        return data


class AllocateForm(PoolRuleMixin, TransitionForm):
    """Allocation cites the pool rule: the area's verdict on the date is shown and stored
    with the transition; an area the figures rule out takes an explicit reason."""

    area = forms.ModelChoiceField(label=_("Planning area"), queryset=PlanningArea.objects.all())
    reason = _text(_("Why"), required=True, help_text=_("How the area meets the pool's criteria."))
    remark = _text(_("Public remark on the posting"))
    service_fields = ("area", "reason", "remark", "override_reason")


class RegisterForm(forms.Form):
    """A capacity in use by a practice, as the register first learns of it."""

    area = forms.ModelChoiceField(label=_("Planning area"), queryset=PlanningArea.objects.all())
    on = forms.DateField(
        label=_("In use since"), initial=timezone.localdate, widget=AdminDateWidget
    )
    reason = _text(_("Note"))

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class VersionMixin(forms.Form):
    """The version of the capacity the user saw: the service refuses the step (ConflictError)
    when someone else has changed the capacity since."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
