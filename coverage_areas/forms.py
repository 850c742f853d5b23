"""Form pieces shared by every admin: staff text held to the one rule of `text.clean_text`."""

from __future__ import annotations

from django import forms
from django.db import models

from coverage_areas.text import clean_text


class StaffTextMixin:
    """A form field that stores what staff type by `clean_text`: a remark pasted from Word
    keeps its line breaks as newlines and loses the control codes no writer can print."""

    def to_python(self, value):
        value = super().to_python(value)
        return clean_text(value) if isinstance(value, str) else value


class StaffCharField(StaffTextMixin, forms.CharField):
    pass


class StaffTextAdminMixin:
    """For a ModelAdmin: every plain text field of its forms follows the rule. Only plain
    CharField and TextField: e-mail, URL and slug fields keep their own form fields, whose
    validation already refuses control characters."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if type(db_field) in (models.CharField, models.TextField) and not db_field.choices:
            kwargs.setdefault("form_class", StaffCharField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)
