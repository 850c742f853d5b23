from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from memos import wording
from memos.models import MemoWording
from memos.render import FORMATS
from memos.services import check_as_of

FORMAT_CHOICES = [(name, format.label) for name, format in FORMATS.items()]


class _AsOfField(forms.DateField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Memo as of"),
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            help_text=_("Today or an earlier date."),
            **kwargs,
        )


class IssueForm(forms.Form):
    as_of = _AsOfField()

    def clean_as_of(self) -> dt.date:
        return check_as_of(self.cleaned_data["as_of"])


class ExportForm(IssueForm):
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES, initial="pdf")
    pipeline = forms.BooleanField(
        label=_("With section e: the year's pipeline figures"),
        required=False,
        help_text=_("Returns, decisions, postings, grants and establishments this year."),
    )

    @classmethod
    def blank(cls) -> ExportForm:
        return cls(initial={"as_of": timezone.localdate(), "format": "pdf"})


class MemoWordingForm(forms.ModelForm):
    class Meta:
        model = MemoWording
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6, "cols": 90})}

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        problems = wording.errors(self.instance.key, text)
        if problems:
            raise forms.ValidationError(problems)
        return text
