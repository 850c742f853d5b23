from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "alerts"
    verbose_name = _("alerts to doctors")

    def ready(self) -> None:
        from alerts.mail import on_posting_opened
        from alerts.status_mail import on_list_decided
        from capacities.signals import posting_opened
        from coverage_areas.signals import list_decided

        posting_opened.connect(on_posting_opened, dispatch_uid="alerts.mail.on_posting_opened")
        list_decided.connect(on_list_decided, dispatch_uid="alerts.status_mail.on_list_decided")
