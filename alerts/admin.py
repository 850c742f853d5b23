"""Staff see who subscribes to what, to answer a doctor's question; they change nothing.

Subscriptions are the doctors' own: they are made and ended only through the links mailed to
the doctor. There is no export, so the addresses do not leave the portal in bulk. Only a
superuser may delete one (a doctor's request to be forgotten)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from alerts.models import Subscription

# The mail queue's library registers an admin of its task results. Staff do not need it (a
# mail given up is logged), and it answers 500 to junk in its search on PostgreSQL, so it is
# not offered. alerts comes after django_tasks_db in INSTALLED_APPS, so its admin is loaded.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "confirmed", "area_names", "language", "created_at"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter), "language"]
    search_fields = ["email"]
    fields = ["email", "areas", "language", "confirmed_at", "created_at", "pending_language"]
    readonly_fields = fields
    actions = None

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("areas")

    @admin.display(description=_("confirmed"), boolean=True, ordering="confirmed_at")
    def confirmed(self, obj: Subscription) -> bool:
        return obj.is_confirmed

    @admin.display(description=_("planning areas"))
    def area_names(self, obj: Subscription) -> str:
        names = [area.name for area in obj.areas.all()]
        return ", ".join(names) if names else _("every area")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser
