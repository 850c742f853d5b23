"""Forms of the staff pages for the figures: a month typed as YYYY-MM, and the upload."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.admin_history import ChangeNoteForm
from common.text import month_label
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
            return month_label(value)
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
