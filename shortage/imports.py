"""Reading and checking an intake-closure file (CSV in UTF-8, or XLSX).

The whole file is checked before anything is written: `read_file` returns either the rows or
every bad line with its number and the reason. Line 1 is the header; blank lines are skipped
but keep their numbers, so a number points at the line a spreadsheet shows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from django.utils import timezone
from django.utils.translation import gettext as _

from common.text import fold, month_label
from coverage_areas.models import PlanningArea
from shortage.file_limits import MAX_COLUMNS, TooLarge, check_csv_lines, check_size, check_xlsx

COLUMNS = ("area", "month", "closed", "total")
MAX_ROWS = 20_000  # shortage.file_limits stops a file with more while reading it
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# Figures before this are typing mistakes (0000-05), not data anyone collected.
FIRST_YEAR = 1900
# The smallest integer range of the databases the portal runs on (PostgreSQL's integer):
# a larger count would be refused by one database and not by another.
MAX_COUNT = 2_147_483_647
# A count longer than this is not a count (and Python refuses to read 5,000 digits at all).
_MAX_DIGITS = len(str(MAX_COUNT))


class BadMonth(ValueError):
    pass


def parse_month(text: str) -> dt.date:
    """The one reading of a month as staff write it (2024-09), as its first day; BadMonth
    with the reason otherwise. The import, the admin's form and its list filter use it."""
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise BadMonth(_("bad month “%(value)s” (write YYYY-MM, e.g. 2024-09)") % {"value": text})
    if int(match[1]) < FIRST_YEAR:
        raise BadMonth(
            _("the month %(value)s lies before %(year)d") % {"value": text, "year": FIRST_YEAR}
        )
    return dt.date(int(match[1]), int(match[2]), 1)


@dataclass(frozen=True)
class Row:
    line: int
    area: PlanningArea
    month: dt.date
    closed: int
    total: int


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return _("line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class Checked:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _cells_from_csv(data: bytes) -> list[tuple[int, list]]:
    text = data.decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    # Spreadsheets set to Danish save CSV with semicolons; accept both separators.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines = []
    start = 1
    filled = 0
    for cells in reader:
        if len(cells) > MAX_COLUMNS:
            raise TooLarge(
                _("line %(line)d has more than %(max)d columns")
                % {"line": start, "max": MAX_COLUMNS}
            )
        if not _blank(cells):
            filled += 1
            check_csv_lines(filled)
        lines.append((start, cells))
        start = reader.line_num + 1
    return lines


def _cells_from_xlsx(data: bytes) -> list[tuple[int, list]]:
    from openpyxl import load_workbook

    check_xlsx(data)  # before openpyxl, which would build a bomb's rows in memory
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        return [
            (number, list(values))
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        book.close()


def _blank(cells: list) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in cells)


def _text(cell) -> str:
    return "" if cell is None else str(cell).strip()


def _month(cell) -> dt.date | str:
    # A spreadsheet turns "2024-09" into the date 1 September 2024.
    if isinstance(cell, dt.datetime):
        cell = cell.date()
    if isinstance(cell, dt.date):
        if cell.day != 1:
            return _("“%(value)s” is a day, not a month (write YYYY-MM)") % {"value": cell}
        month = cell
    else:
        try:
            month = parse_month(_text(cell))
        except BadMonth as error:
            return str(error)
    if month.year < FIRST_YEAR:
        return _("the month %(value)s lies before %(year)d") % {
            "value": f"{month:%Y-%m}",
            "year": FIRST_YEAR,
        }
    if month > timezone.localdate().replace(day=1):
        return _("the month %(month)s lies in the future") % {"month": month_label(month)}
    return month


def _count(cell, column: str) -> int | str:
    if isinstance(cell, bool):
        cell = str(cell)
    if isinstance(cell, float) and cell.is_integer() and abs(cell) <= MAX_COUNT:
        cell = int(cell)
    if isinstance(cell, int):
        number = cell
    else:
        text = _text(cell)
        if text == "":
            return _("%(column)s is empty") % {"column": column}
        if re.fullmatch(r"[+-]?\d+", text) and len(text.lstrip("+-0")) > _MAX_DIGITS:
            return _("%(column)s is too large (at most %(max)d)") % {
                "column": column,
                "max": MAX_COUNT,
            }
        if not re.fullmatch(r"[+-]?\d+", text):
            return _("%(column)s “%(value)s” is not a whole number") % {
                "column": column,
                "value": text,
            }
        number = int(text)
    if number < 0:
        return _("%(column)s is negative (%(value)d)") % {"column": column, "value": number}
    if number > MAX_COUNT:
        return _("%(column)s is too large (at most %(max)d)") % {"column": column, "max": MAX_COUNT}
    return number


class AreaLookup:
    """A planning area by name or slug, case-insensitively with æ/ø/å (in Python, because
    SQLite folds only ASCII)."""

    def __init__(self) -> None:
        self.by_key: dict[str, PlanningArea] = {}
        for area in PlanningArea.objects.all():
            self.by_key[fold(area.name)] = area
            self.by_key.setdefault(area.slug, area)

    def get(self, text: str) -> PlanningArea | None:
        return self.by_key.get(fold(text))


def read_file(data: bytes) -> Checked:
    """Check a whole file: the rows, or every problem found (and then no rows)."""
    checked = Checked()
    try:
        check_size(len(data))
        lines = _cells_from_xlsx(data) if data[:4] == b"PK\x03\x04" else _cells_from_csv(data)
    except TooLarge as error:
        checked.problems.append(Problem(1, str(error)))
        return checked
    except UnicodeDecodeError:
        checked.problems.append(Problem(1, _("the file is neither UTF-8 text (CSV) nor XLSX")))
        return checked
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, ParseError, zlib.error):
        checked.problems.append(Problem(1, _("the spreadsheet cannot be read (is it XLSX?)")))
        return checked
    except csv.Error as error:
        checked.problems.append(
            Problem(1, _("the CSV cannot be read: %(error)s") % {"error": error})
        )
        return checked

    lines = [(number, cells) for number, cells in lines if not _blank(cells)]
    if not lines:
        checked.problems.append(Problem(1, _("the file is empty")))
        return checked
    header_line, header = lines[0]
    names = [fold(_text(cell)) for cell in header]
    missing = [column for column in COLUMNS if column not in names]
    if missing:
        checked.problems.append(
            Problem(
                header_line,
                _("missing column(s): %(columns)s (the first line must name %(all)s)")
                % {"columns": ", ".join(missing), "all": ",".join(COLUMNS)},
            )
        )
        return checked
    if len(lines) - 1 > MAX_ROWS:
        checked.problems.append(
            Problem(header_line, _("more than %(max)d rows; split the file") % {"max": MAX_ROWS})
        )
        return checked
    position = {column: names.index(column) for column in COLUMNS}
    areas = AreaLookup()
    seen: dict[tuple[int, dt.date], int] = {}
    for number, cells in lines[1:]:
        cells = list(cells) + [None] * (len(names) - len(cells))
        value = {column: cells[index] for column, index in position.items()}
        reasons: list[str] = []
        area_text = _text(value["area"])
        area = areas.get(area_text) if area_text else None
        if not area_text:
            reasons.append(_("area is empty"))
        elif area is None:
            reasons.append(_("unknown planning area “%(area)s”") % {"area": area_text})
        month = _month(value["month"])
        if isinstance(month, str):
            reasons.append(month)
        closed = _count(value["closed"], "closed")
        total = _count(value["total"], "total")
        for result in (closed, total):
            if isinstance(result, str):
                reasons.append(result)
        if isinstance(closed, int) and isinstance(total, int) and closed > total:
            reasons.append(
                _("closed (%(closed)d) is more than total (%(total)d)")
                % {"closed": closed, "total": total}
            )
        if area is not None and isinstance(month, dt.date):
            earlier = seen.setdefault((area.pk, month), number)
            if earlier != number:
                reasons.append(
                    _("%(area)s %(month)s appears twice (also on line %(line)d)")
                    % {"area": area.name, "month": month_label(month), "line": earlier}
                )
        if reasons:
            checked.problems.append(Problem(number, "; ".join(reasons)))
        else:
            checked.rows.append(Row(number, area, month, closed, total))
    if checked.problems:
        checked.rows = []
    elif not checked.rows:
        checked.problems.append(Problem(header_line, _("the file has no rows after the header")))
    return checked
