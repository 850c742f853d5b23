"""The public site's idea of "today", in one place so that tests can pin it."""

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    return timezone.localdate()
