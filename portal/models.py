from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicDataVersion(models.Model):
    """One row whose number rises after every committed change to tracked data.

    Cached public pages are keyed by it. It lives in the database, not in the cache, so that
    every server process sees a change at once even when each has its own local cache."""

    value = models.PositiveBigIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("public data version")
        verbose_name_plural = _("public data versions")

    def __str__(self) -> str:
        return str(self.value)
