from django import forms
from django.utils.translation import gettext_lazy as _

from portal.filters import DateInput


class StatusDateForm(forms.Form):
    """The area page's question: which designations applied on this date?"""

    date = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        help_text=_(
            "For example the date you applied, as dd.mm.yyyy: 01.06.2023 (2023-06-01 works too)."
        ),
        error_messages={
            "required": _("Enter a date."),
            "invalid": _("Enter a real date as dd.mm.yyyy, for example 01.06.2023."),
        },
    )


class AreaSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search planning areas"),
        max_length=100,
        required=False,
        help_text=_(
            "Part of the name, a postcode or a town, for example “brøn”, “2650” or “Kastrup”."
        ),
    )


class MapYearForm(forms.Form):
    """The threatened-areas page's map: which year to show (the choices are the years a
    round is recorded for, up to this year)."""

    year = forms.TypedChoiceField(
        label=_("Year"),
        coerce=int,
        error_messages={"invalid_choice": _("Choose one of the years in the list.")},
    )

    def __init__(self, *args, years: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]
