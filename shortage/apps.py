from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShortageConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "shortage"
    verbose_name = _("Shortage signals")
