"""Writing intake-closure figures: one file, one transaction, a history row per change."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from common.text import clean_text
from shortage.imports import Row
from shortage.models import IntakeClosure

log = logging.getLogger("shortage.imports")


@dataclass
class ImportSummary:
    created: int = 0
    replaced: int = 0
    unchanged: int = 0

    @property
    def rows(self) -> int:
        return self.created + self.replaced + self.unchanged


def import_closures(rows: list[Row], *, by: AbstractBaseUser | None, reason: str) -> ImportSummary:
    """Store checked rows (imports.read_file) all or nothing. A figure already stored for the
    same area and month is replaced, and its history keeps the old one with who and why;
    figures for other areas or months are left as they are."""
    summary = ImportSummary()
    reason = clean_text(reason)  # the history's reason holds to the staff-text rule too
    with transaction.atomic():
        # Lock what is replaced: two imports of the same month at once are serialised and the
        # second one's history records what the first one wrote.
        existing = {
            (c.area_id, c.month): c
            for c in IntakeClosure.objects.select_for_update().filter(
                area_id__in={r.area.pk for r in rows}, month__in={r.month for r in rows}
            )
        }
        for row in rows:
            closure = existing.get((row.area.pk, row.month))
            if closure is None:
                closure = IntakeClosure(area=row.area, month=row.month)
                summary.created += 1
            elif (closure.closed, closure.total) == (row.closed, row.total):
                summary.unchanged += 1
                continue
            else:
                summary.replaced += 1
            closure.closed, closure.total = row.closed, row.total
            closure._history_user = by
            closure._change_reason = reason
            closure.save()
        fields = {
            "event": "intake_closures_imported",
            "rows": summary.rows,
            "created": summary.created,
            "replaced": summary.replaced,
            "unchanged": summary.unchanged,
            "by": getattr(by, "username", None),
        }
        transaction.on_commit(
            lambda: log.info("intake closures imported", extra={"fields": fields})
        )
    return summary
