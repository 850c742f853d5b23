"""The staff's workplace for the register. Capacities change only through transition pages
and actions that call `capacities.services`; everything keeps its history; nothing is deleted.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from capacities.admin import capacity, committees, log, pool, postings  # noqa: F401 (registers them)

admin.site.site_header = _("Kapacitetsportalen: administration")
admin.site.site_title = _("Kapacitetsportalen")
admin.site.index_title = _("The register")
# The stock index plus a link to the staff dashboard (an app's admin/index.html cannot win:
# django.contrib.admin comes first in INSTALLED_APPS).
admin.site.index_template = "admin/capacities_index.html"
