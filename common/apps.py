from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    """Pieces every app may use: text helpers and the admin's history views. Imports nothing
    from the portal's other apps."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "common"
    verbose_name = _("Common")
