"""The region's list of posting channels."""

from __future__ import annotations

from django.contrib import admin

from capacities.models import PostingChannel
from common.admin_history import HistoryAdmin


@admin.register(PostingChannel)
class PostingChannelAdmin(HistoryAdmin):
    list_display = ["name_da", "name_en", "url", "order", "active"]
    list_filter = ["active"]
    search_fields = ["name_da", "name_en"]
    fields = ["name_da", "name_en", "url", "order", "active"]
