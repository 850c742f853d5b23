"""History pages that say who changed what, when and why, field by field, in Danish."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject, ModelChange
from simple_history.template_utils import HistoricalRecordContextHelper

from common.admin_input import (
    CheckedAutocompleteMixin,
    CheckedSelectionMixin,
    StaffCharField,
    StaffTextAdminMixin,
)

# Bookkeeping fields that change with every save and say nothing to staff (the optimistic-lock
# counter); they are left out of the history's field-by-field changes.
SILENT_FIELDS = {"version"}


def person(user) -> str:
    """How staff see a user everywhere in the admin: the full name, else the username."""
    if user is None:
        return _("unknown")
    return user.get_full_name() or user.get_username()


def readable(value: Any, field: Any = None) -> Any:
    """A value as staff read it: choice labels, dates as 01.11.2024, a dash for nothing."""
    if isinstance(value, DeletedObject):
        # simple-history's stand-in for a related object it cannot find: no object at all
        # (pk None, e.g. a first assignment) is "nothing", not a deleted one.
        if value.pk is None:
            return "—"
        return _("%(model)s no longer present (id %(id)s)") % {
            "model": value.model._meta.verbose_name,
            "id": value.pk,
        }
    if value in (None, ""):
        return "—"
    if field is not None and getattr(field, "choices", None):
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, dt.datetime):
        return date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


class ReadableDiff(HistoricalRecordContextHelper):
    def context_for_delta_changes(self, delta) -> list[dict[str, Any]]:
        changes = [c for c in delta.changes if c.field not in SILENT_FIELDS]
        return super().context_for_delta_changes(dataclasses.replace(delta, changes=changes))

    def prepare_delta_change_value(self, change: ModelChange, value: Any) -> Any:
        field = self.model._meta.get_field(change.field)
        return readable(super().prepare_delta_change_value(change, value), field)


def latest_history_id(instance) -> int | None:
    return instance.history.order_by("-history_id").values_list("history_id", flat=True).first()


class ChangeNoteForm(forms.ModelForm):
    """Every generic edit may say why (the note is kept in the record's history), and is
    refused when someone else saved the record after this form was shown: the form carries
    the record's latest history entry as the user saw it (optimistic locking)."""

    change_note = StaffCharField(
        label=gettext_lazy("Why (kept in the history)"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"size": 60}),
    )
    seen_history = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and "seen_history" in self.fields:
            self.fields["seen_history"].initial = latest_history_id(self.instance)

    def clean(self):
        data = super().clean()
        if self.instance.pk is None or "seen_history" not in self.fields:
            return data
        # The admin saves inside a transaction: lock the row so that two saves at once are
        # serialised and the second one sees the first one's history entry.
        type(self.instance)._default_manager.select_for_update().filter(
            pk=self.instance.pk
        ).exists()
        if data.get("seen_history") != latest_history_id(self.instance):
            raise ValidationError(
                gettext_lazy(
                    "Someone else saved %(object)s after you opened it; nothing was saved. "
                    "Open it again to see their change (its history shows what changed), "
                    "then make yours."
                ),
                code="conflict",
                params={"object": self.instance},
            )
        return data


NOTE_FIELDS = ["change_note", "seen_history"]


class HistoryAdmin(
    CheckedSelectionMixin, CheckedAutocompleteMixin, StaffTextAdminMixin, SimpleHistoryAdmin
):
    """The base of every admin here: history with a readable diff and a reason, and no hard
    deletes: the register keeps everything, and PROTECT foreign keys would refuse most anyway."""

    form = ChangeNoteForm
    object_history_template = "admin/history/object_history.html"
    object_history_list_template = "admin/history/object_history_list.html"

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableDiff(self.model, historical_record)

    def history_view_title(self, request, obj) -> str:
        return _("History of %(object)s") % {"object": obj}

    def revert_disabled(self, request, obj=None) -> bool:
        # Reverting would write an old state past the services (and their audit trail);
        # staff correct a record by editing it, with a note.
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # The stock view saves a POST for anyone who may merely view the record.
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_fields(self, request, obj=None):
        # The note and the version seen get a section of their own (get_fieldsets).
        return [name for name in super().get_fields(request, obj) if name not in NOTE_FIELDS]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self.has_change_permission(request, obj):
            return fieldsets
        return [*fieldsets, (_("Change note"), {"fields": NOTE_FIELDS})]

    def save_model(self, request, obj, form, change) -> None:
        note = form.cleaned_data.get("change_note", "")
        if note:
            obj._change_reason = note
        super().save_model(request, obj, form, change)
