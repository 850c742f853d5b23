"""What every admin does with what staff send: text held to the one rule of
`text.clean_text`, and a bulk action on ids that are not ids refused with a message."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

from common.text import clean_text


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


def is_value_of(field, value) -> bool:
    """Whether a posted value can be looked up in the field: it parses, and a whole number
    lies within the database's range for the field (SQLite refuses larger ones outright)."""
    try:
        parsed = field.to_python(value)
    except ValidationError:
        return False
    if isinstance(parsed, int):
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        return (low is None or parsed >= low) and (high is None or parsed <= high)
    return True


class CheckedSelectionMixin:
    """For a ModelAdmin: a bulk action posted with a selection that holds something other
    than ids (`_selected_action=abc`, by hand or by a stale page) gets a message on the list,
    not a 500 from the database lookup."""

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and "_selected_action" in request.POST:
            pk = self.model._meta.pk
            if not all(is_value_of(pk, v) for v in request.POST.getlist("_selected_action")):
                self.message_user(
                    request,
                    _("The selection holds something that is not a record; nothing was done."),
                    messages.ERROR,
                )
                return HttpResponseRedirect(request.get_full_path())
        return super().changelist_view(request, extra_context)


class _KnownValuesOnly:
    """An autocomplete widget re-shown with what was posted looks the posted ids up in the
    database; Django passes them as they came, so `area=:` answered 500. Only values that
    are ids reach the lookup (the form itself reports the bad one)."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field.model._meta
        target = remote.get_field(getattr(self.field.remote_field, "field_name", remote.pk.name))
        usable = [item for item in value if is_value_of(target, item)]
        return super().optgroups(name, usable, attr)


class CheckedAutocompleteSelect(_KnownValuesOnly, AutocompleteSelect):
    pass


class CheckedAutocompleteSelectMultiple(_KnownValuesOnly, AutocompleteSelectMultiple):
    pass


class CheckedAutocompleteMixin:
    """For a ModelAdmin: its autocomplete fields use the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
