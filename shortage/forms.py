"""Forms of the staff pages: a month typed as YYYY-MM, the upload, the date to assess."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from capacities.admin_support.history import ChangeNoteForm
from shortage.imports import BadMonth, parse_month
from shortage.models import IntakeClosure

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class MonthField(forms.Field):
    """A month as staff write it (2024-09), stored as its first day."""

    widget = forms.TextInput(attrs={"size": 7, "maxlength": 7})

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("help_text", _("As YYYY-MM, for example 2024-09."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, dt.date):
            return f"{value:%Y-%m}"
        return value

    def to_python(self, value) -> dt.date | None:
        text = str(value or "").strip()
        if not text:
            return None
        try:
            return parse_month(text)
        except BadMonth as error:
            raise ValidationError(
                _("Write the month as YYYY-MM, for example 2024-09 (%(reason)s).")
                % {"reason": error}
            ) from error


class IntakeClosureForm(ChangeNoteForm):
    month = MonthField(label=_("month"))

    class Meta:
        model = IntakeClosure
        fields = ["area", "month", "closed", "total"]

    def clean(self):
        data = super().clean()
        closed, total = data.get("closed"), data.get("total")
        if closed is not None and total is not None and closed > total:
            self.add_error("closed", _("Closed cannot be more than the total."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8, comma or semicolon) or XLSX, first line area,month,closed,total."),
    )
    reason = forms.CharField(
        label=_("Why (kept in the history)"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"size": 60}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 5 MB."))
        return upload


class EligibilityDateForm(forms.Form):
    on = forms.DateField(
        label=_("Assessed on"),
        initial=timezone.localdate,
        widget=AdminDateWidget,
        error_messages={"invalid": _("Enter a real date.")},
    )


class PoolRuleMixin(forms.Form):
    """For the allocation of a pool capacity: evaluates the pool rule for the chosen area and
    date (shortage.eligibility), keeps the verdict to show and store, and asks for an explicit
    reason whenever the rule does not find the area eligible: when the figures rule it out,
    and when figures are missing (the stored verdict says which months)."""

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
        from shortage.eligibility import verdict_for

        data = super().clean()
        capacity = getattr(self, "capacity", None)
        pool = capacity.pool if capacity is not None else None
        if data.get("area") is not None and data.get("on") is not None and pool is not None:
            self.verdict = verdict_for(data["area"], data["on"], pool=pool)
        override = (data.get("override_reason") or "").strip()
        if self.verdict is not None and not self.verdict.eligible and not override:
            self.add_error(
                "override_reason",
                _(
                    "The pool rule finds %(area)s not eligible on this date (see the "
                    "verdict below). Say why the capacity goes there anyway."
                )
                % {"area": data["area"]},
            )
        return data

    def eligibility_kwargs(self) -> dict:
        if self.verdict is None:
            return {}
        record = self.verdict.as_record()
        override = (self.cleaned_data.get("override_reason") or "").strip()
        if override:
            record["override_reason"] = override
        return {"eligibility": record}
