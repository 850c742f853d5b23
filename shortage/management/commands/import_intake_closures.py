from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from shortage.file_limits import TooLarge, read_bounded
from shortage.imports import read_file
from shortage.services import import_closures


class Command(BaseCommand):
    help = (
        "Import intake-closure figures from a CSV (UTF-8) or XLSX file with the columns "
        "area,month,closed,total. The whole file is checked first: any bad line is reported "
        "by number and nothing is imported. A month already imported for an area is replaced "
        "(its history keeps the old figures)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV or XLSX file.")
        parser.add_argument("--user", help="Username recorded as the one who imported.")
        parser.add_argument("--reason", help="Why, kept in the history (default: the file).")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = read_bounded(path)
        except TooLarge as error:
            raise CommandError(f"{path.name}: {error}") from error
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}") from error
        user = None
        if options["user"]:
            # A NUL byte is in no username, and PostgreSQL would refuse the look-up itself.
            name = options["user"]
            user = (
                None if "\x00" in name else get_user_model().objects.filter(username=name).first()
            )
            if user is None:
                raise CommandError(f"No user named {options['user']!r}.")
        checked = read_file(data)
        if not checked.ok:
            for problem in checked.problems:
                self.stderr.write(f"{path.name}: {problem}")
            raise CommandError(
                f"{path.name}: {len(checked.problems)} bad line(s); nothing was imported."
            )
        summary = import_closures(
            checked.rows, by=user, reason=options["reason"] or f"Import of {path.name}"
        )
        self.stdout.write(
            f"{path.name}: {summary.rows} rows; {summary.created} new, "
            f"{summary.replaced} replaced, {summary.unchanged} unchanged."
        )
