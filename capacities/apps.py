from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CapacitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "capacities"
    verbose_name = _("GP capacities")
