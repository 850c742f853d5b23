"""Writes of the memo app: issuing a memo (the only one)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from memos.build import build_memo
from memos.models import IssuedMemo
from memos.render import render_json, render_pdf


def check_as_of(as_of: dt.date) -> dt.date:
    """A memo describes what has happened: today or an earlier day."""
    today = timezone.localdate()
    if as_of > today:
        raise ValidationError(
            _("The memo can be made for today (%(today)s) or an earlier date, not %(date)s.")
            % {"today": f"{today:%d.%m.%Y}", "date": f"{as_of:%d.%m.%Y}"},
            code="future_date",
        )
    return as_of


@transaction.atomic
def issue_memo(*, as_of: dt.date, by: AbstractBaseUser) -> IssuedMemo:
    """Generate the memo for a date and keep its PDF and JSON exactly as generated, with who
    issued it and when, so what was sent to the committee can always be retrieved."""
    check_as_of(as_of)
    memo = build_memo(as_of)
    pdf = render_pdf(memo)
    return IssuedMemo.objects.create(
        as_of=as_of,
        issued_by=by,
        pdf=pdf,
        pdf_sha256=IssuedMemo.digest(pdf),
        json=render_json(memo),
    )
