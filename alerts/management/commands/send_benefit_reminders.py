import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from alerts.tasks import remind_of_benefits


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"Bad date {text!r}: write a real date as YYYY-MM-DD.") from error


class Command(BaseCommand):
    help = (
        "Queue the autumn reminder: subscribers who asked for it are told which of their "
        "areas are regionally coverage-threatened this year, and that regional benefits must "
        "be applied for within the year. Once per subscriber and year, however often it runs; "
        "run it from cron in the autumn (for example on 1 October)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--on", help="YYYY-MM-DD (default: today).")

    def handle(self, *args, on=None, **options):
        day = _date(on) if on else timezone.localdate()
        remind_of_benefits.enqueue(day.isoformat())
        self.stdout.write(f"Reminders for {day.year} queued; the mail worker sends them.")
