from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = _("Public portal")

    def ready(self) -> None:
        from simple_history.signals import post_create_historical_record

        from portal.cache import on_history_record

        post_create_historical_record.connect(
            on_history_record, dispatch_uid="portal.cache.on_history_record"
        )
