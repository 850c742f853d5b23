from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from memos.wording import BY_KEY, WORDINGS


class MemoWordingQuerySet(models.QuerySet):
    def texts(self) -> dict[str, str]:
        return dict(self.values_list("key", "text"))


class MemoWording(models.Model):
    """One paragraph or sentence of the memo's wording, edited by staff in the admin. The
    figures are filled into its placeholders when a memo is built (see `memos.wording`)."""

    key = models.CharField(
        _("part of the memo"),
        max_length=40,
        unique=True,
        choices=[(wording.key, wording.label) for wording in WORDINGS],
    )
    text = models.TextField(_("wording"))

    history = HistoricalRecords()
    objects = MemoWordingQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("memo wording")
        verbose_name_plural = _("memo wording")

    def __str__(self) -> str:
        return str(BY_KEY[self.key].label) if self.key in BY_KEY else self.key


class IssuedMemoQuerySet(models.QuerySet):
    def listing(self) -> IssuedMemoQuerySet:
        # The documents are large; a list of issued memos needs only their description.
        return self.select_related("issued_by").defer("pdf", "json")


class IssuedMemo(models.Model):
    """A memo as it was sent to the committee: the PDF and JSON exactly as generated, who
    issued it and when. Never changed or deleted, so it can always be retrieved as sent.

    The documents are stored in the database rather than as files under MEDIA_ROOT: they are
    small (tens of kilobytes), they are backed up and restored with the register they describe,
    and they survive a container being replaced without a separate volume."""

    as_of = models.DateField(_("memo as of"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    pdf = models.BinaryField(_("PDF"))
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    json = models.TextField(_("JSON"))

    objects = IssuedMemoQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("issued memo")
        verbose_name_plural = _("issued memos")
        permissions = [("export_memo", _("Can export the status memo"))]

    def __str__(self) -> str:
        return _("Memo as of %(date)s, issued %(issued)s") % {
            "date": f"{self.as_of:%d.%m.%Y}",
            "issued": f"{timezone.localtime(self.issued_at):%d.%m.%Y %H:%M}"
            if self.issued_at
            else "",
        }

    @staticmethod
    def digest(pdf: bytes) -> str:
        return hashlib.sha256(pdf).hexdigest()

    def file_name(self, extension: str) -> str:
        return f"notat-inaktive-kapaciteter-{self.as_of.isoformat()}-udstedt-{self.pk}.{extension}"
