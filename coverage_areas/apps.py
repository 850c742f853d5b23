from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoverageAreasConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "coverage_areas"
    verbose_name = _("Planning and coverage-threatened areas")
