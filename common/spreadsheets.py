"""Cells that spreadsheets read as data, never as formulas (CSV injection, OWASP).

A value that starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which some
programs skip before looking) is a formula to Excel and LibreOffice when it arrives in a CSV
file: a posting remark `=HYPERLINK(...)` became a live link in the committee's spreadsheet.

- CSV (`csv_cell`, `csv_row`): such a text gets a leading apostrophe, the OWASP advice, which
  spreadsheets take as "this is text" and scripts can strip. Numbers, dates and the empty
  string are left alone, so a count of -1 is still a number.
- XLSX (`text_cell`): the cell is written with the data type "string", so the text reads
  exactly as typed (`+45 33 66 33 66` stays a phone number) and is never evaluated.

Every text also passes `clean_text`, so a control character stored before the rule existed
does not break the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from common.text import clean_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# What a spreadsheet reads as the value itself; everything else is written as its text.
_DATA = (int, float, Decimal, dt.date)


def csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, _DATA):
        return value
    value = clean_text(str(value))
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(value) for value in values]


def csv_dict(row: dict[str, Any]) -> dict[str, Any]:
    return {key: csv_cell(value) for key, value in row.items()}


def text_cell(sheet, value: Any):
    """A cell for `sheet.append([...])` (openpyxl) holding the value as data: text as a
    string cell, numbers and dates as themselves."""
    if value is None or isinstance(value, _DATA):
        return value
    from openpyxl.cell.cell import Cell

    cell = Cell(sheet)
    # Setting the data type after the value: openpyxl guesses "f" (formula) for a leading
    # "=", and an explicit "s" makes the file say "this is a string" to every reader.
    cell.value = clean_text(str(value))
    cell.data_type = "s"
    return cell


def text_row(sheet, values: Iterable[Any]) -> list[Any]:
    return [text_cell(sheet, value) for value in values]
