"""Committees and their meetings."""

from __future__ import annotations

import datetime as dt

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from capacities.admin.lists import short_date
from capacities.models import Committee, CommitteeMeeting
from common.admin_history import HistoryAdmin


@admin.register(Committee)
class CommitteeAdmin(HistoryAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(CommitteeMeeting)
class CommitteeMeetingAdmin(HistoryAdmin):
    list_display = ["date_short", "committee", "agenda_title"]
    list_filter = ["committee", ("date", admin.DateFieldListFilter)]
    list_select_related = ["committee"]
    search_fields = ["committee__name", "agenda_title"]
    search_help_text = _("Search by committee, agenda or date (18.11.2024).")
    date_short = short_date("date", _("date"))

    def get_search_results(self, request, queryset, search_term):
        for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
            try:
                day = dt.datetime.strptime(search_term.strip(), pattern).date()
            except ValueError:
                continue
            return queryset.filter(date=day), False
        return super().get_search_results(request, queryset, search_term)
