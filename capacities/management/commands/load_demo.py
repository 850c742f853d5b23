from django.core.management.base import BaseCommand

from capacities import demo


class Command(BaseCommand):
    help = (
        "Load the region's planning areas, committees, pool, designations, benefits and the "
        "capacities behind the memo of 24 October 2024, then an illustrative continuation up "
        "to today (see fixtures/README.md). Safe to run again."
    )

    def handle(self, *args, **options):
        summary = demo.load()
        self.stdout.write(
            f"Planning areas: {summary.areas}, committee meetings: {summary.meetings}, "
            f"designation rounds: {summary.rounds}, benefits: {summary.benefits}, "
            f"capacity histories created: {summary.capacities_created}."
        )
        self.stdout.write(
            f"Illustrative since 24 October 2024: {summary.illustrative_rounds} designation "
            f"rounds, {summary.illustrative_events} capacity events."
        )
        for note in summary.notes:
            self.stdout.write(note)
