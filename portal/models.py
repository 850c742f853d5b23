from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicDataVersion(models.Model):
    """One row whose number rises once after every committed transaction that changed
    tracked data.

    Cached public pages are keyed by it (portal/cache.py). With a per-process cache it is read
    from here on each request, so that every server process sees a change at once; with a
    shared cache (Redis) the version is read there, and this row is its floor and fallback."""

    value = models.PositiveBigIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("public data version")
        verbose_name_plural = _("public data versions")

    def __str__(self) -> str:
        return str(self.value)
