import datetime as dt
import logging
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, no_translations
from django.utils import timezone

from memos.build import build_memo
from memos.render import FORMATS, render
from memos.services import check_as_of


@contextmanager
def _logs_to_stderr() -> Iterator[None]:
    """The portal logs to stdout (the container convention). While the memo itself goes to
    stdout, log lines (WeasyPrint reports each layout step) go to stderr so that they cannot
    end up inside the document."""
    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    handlers = {
        handler
        for logger in loggers
        if isinstance(logger, logging.Logger)
        for handler in logger.handlers
        if isinstance(handler, logging.StreamHandler)
        and handler.stream in (sys.stdout, sys.__stdout__)
    }
    moved = [(handler, handler.setStream(sys.stderr)) for handler in handlers]
    try:
        yield
    finally:
        for handler, stream in moved:
            handler.setStream(stream)


class Command(BaseCommand):
    help = (
        "Write the status memo (Oversigt over inaktive kapaciteter) for a date, default "
        "today. Text formats (html, json, csv) go to stdout unless --output is given; binary "
        "formats (pdf, docx, xlsx) go to --output, or to stdout when it is redirected to a "
        "file or a pipe (never to a terminal)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of", dest="as_of", metavar="YYYY-MM-DD", help="The memo's date (default today)."
        )
        parser.add_argument(
            "--format",
            dest="format",
            required=True,
            metavar="|".join(FORMATS),
            help="The file format (csv and xlsx hold sections b and c).",
        )
        parser.add_argument("--output", metavar="FILE", help="Write to this file.")
        parser.add_argument(
            "--with-pipeline",
            dest="with_pipeline",
            action="store_true",
            help="Add section e: the year's pipeline figures up to the memo's date.",
        )

    # Messages in English like the other commands; the memo itself is Danish regardless.
    @no_translations
    def handle(self, *args, as_of=None, format=None, output=None, with_pipeline=False, **options):
        day = self._as_of(as_of)
        if format not in FORMATS:
            raise CommandError(f"Unknown --format {format!r}: choose one of {', '.join(FORMATS)}.")
        binary = FORMATS[format].binary
        stdout_bytes = None
        if output is None and binary:
            stdout_bytes = getattr(self.stdout._out, "buffer", None)
            if stdout_bytes is None or self.stdout.isatty():
                raise CommandError(
                    f"A {format} file is binary and is not written to a terminal: give "
                    f"--output FILE, or redirect stdout (> memo.{format})."
                )
        if output is None:
            with _logs_to_stderr():
                content = render(build_memo(day, pipeline=with_pipeline), format)
        else:
            content = render(build_memo(day, pipeline=with_pipeline), format)
        if output is not None:
            path = Path(output)
            try:
                path.write_bytes(content)
            except OSError as error:
                raise CommandError(f"Cannot write {path}: {error.strerror}.") from error
            self.stdout.write(
                f"Memo as of {day:%d.%m.%Y} written to {path} ({format}, {len(content)} bytes)."
            )
        elif binary:
            self.stdout.flush()
            stdout_bytes.write(content)
            stdout_bytes.flush()
        else:
            self.stdout.write(content.decode("utf-8"), ending="")

    def _as_of(self, value) -> dt.date:
        if value is None:
            return timezone.localdate()
        if isinstance(value, dt.date):
            day = value
        else:
            try:
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value).strip()):
                    raise ValueError(value)
                day = dt.date.fromisoformat(str(value).strip())
            except ValueError:
                raise CommandError(
                    f"--as-of must be a date written YYYY-MM-DD, e.g. 2024-10-24; got {value!r}."
                ) from None
        try:
            return check_as_of(day)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
