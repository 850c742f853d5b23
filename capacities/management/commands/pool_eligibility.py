import argparse
import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from capacities.eligibility import NoCriteria, evaluate
from common.text import month_label


def _date(text: str) -> dt.date:
    # ArgumentTypeError, not CommandError: argparse turns it into a one-line usage error
    # instead of a traceback (2024-02-30 is a date nobody lived).
    try:
        day = dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"Bad date {text!r}: write a real date as YYYY-MM-DD."
        ) from error
    if day.year < 1900:
        raise argparse.ArgumentTypeError(f"Bad date {text!r}: no figures before 1900.")
    return day


class Command(BaseCommand):
    help = (
        "Which planning areas may receive a pool capacity on a date, with the working: the "
        "closure shares of the months that count, whether all are above the threshold, the "
        "capacities on the way, and the verdict. Threshold and months come from the pool's "
        "criteria in force on the date."
    )

    def add_arguments(self, parser):
        parser.add_argument("--on", type=_date, help="YYYY-MM-DD (default: today).")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        on = options["on"] or timezone.localdate()
        try:
            report = evaluate(on)
        except NoCriteria as error:
            raise CommandError(str(error)) from error
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
            return
        criteria = report.criteria
        self.stdout.write(
            f"Pool eligibility on {on.isoformat()} ({criteria.pool.name}, criteria from "
            f"{criteria.effective_from.isoformat()}): more than {criteria.threshold_percent}% "
            f"closed to new patients in each of "
            f"{', '.join(month_label(m) for m in report.months)}, and no capacities on the way."
        )
        for verdict in report.verdicts:
            months = ", ".join(
                f"{month_label(m.month)} —"
                if m.missing
                else f"{month_label(m.month)} {m.closed}/{m.total}"
                + (f" {m.percent:.1f}%" if m.percent is not None else "")
                + (" >" if m.above else " ≤")
                for m in verdict.months
            )
            self.stdout.write(
                f"{verdict.area.name}: {months}; on the way: {verdict.on_the_way}; "
                f"{verdict.outcome.replace('_', ' ')}"
            )
        names = ", ".join(v.area.name for v in report.eligible) or "none"
        self.stdout.write(f"Eligible: {names}.")
