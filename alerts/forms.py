from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alerts.limits import public_domain_error
from coverage_areas.models import PlanningArea


class AreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: PlanningArea) -> str:
        if obj.parent_id:
            return _("%(area)s (part of %(parent)s)") % {"area": obj.name, "parent": obj.parent}
        return obj.name


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    areas = AreaChoiceField(
        label=_("Planning areas"),
        queryset=PlanningArea.objects.select_related("parent").order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Choose the areas you want to hear about, or none to hear about every area. "
            "An area includes its sub-areas (Brøndby includes Brøndby Strand)."
        ),
    )

    status_changes = forms.BooleanField(
        label=_("Also tell me when a decided list adds or removes one of my areas"),
        required=False,
        help_text=_("Regional lists are decided each year, national ones for an agreement period."),
    )
    reminders = forms.BooleanField(
        label=_("Remind me in the autumn to apply for regional benefits in time"),
        required=False,
        help_text=_(
            "Regional benefits must be applied for in the year the area is threatened: in the "
            "autumn you get a reminder for your areas that are threatened that year."
        ),
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        problem = public_domain_error(email)
        if problem:
            raise forms.ValidationError(problem, code="private_domain")
        return email
