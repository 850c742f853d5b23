"""Open data for people: the same rows as the JSON and CSV for scripts, in Danish, as an Excel
workbook (XLSX) and as a CSV that Danish Excel opens right (a byte-order mark so that it reads
UTF-8 and keeps æ/ø/å, semicolons as separators, Danish headings, labels and dates). The
script CSVs (`postings.csv`) stay as they are. Pure functions from rows to bytes."""

from __future__ import annotations

import csv
import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXCEL_CSV_TYPE = "text/csv; charset=utf-8"

ORIGIN_LABELS = {"regular": "Almindelig kapacitet", "pool": "Puljekapacitet"}
NO_DEADLINE = "Uden frist (løbende vurdering)"

POSTING_HEADINGS = ["Planlægningsområde", "Kapacitet", "Slået op", "Ansøgningsfrist", "Bemærkning"]
DESIGNATION_HEADINGS = ["Planlægningsområde", "Udpegning", "Periode", "Besluttet", "Ændring"]


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def posting_rows(rows: list[dict]) -> list[list]:
    """The API's posting rows (postings.json) as the people's table: Danish labels, dates."""
    return [
        [
            row["area"],
            ORIGIN_LABELS.get(row["origin"], row["origin"]),
            _date(row["posted_on"]),
            _date(row["application_deadline"]) or NO_DEADLINE,
            row["remark"],
        ]
        for row in rows
    ]


def designation_rows(data: dict) -> list[list]:
    """A year's designations (designations.json) as one row per area and kind."""
    year = data["year"]
    regional, national = data["regional"], data["national"]
    joined = set(data["changes_from_previous_year"]["joined"])
    rows: list[list] = []
    for name in regional["areas"]:
        change = "Ny på listen" if name in joined else ""
        rows.append([name, "Regional", str(year), _date(regional["decision_date"]), change])
    for name in data["changes_from_previous_year"]["left"]:
        rows.append([name, "Regional", str(year), _date(regional["decision_date"]), "Udgået"])
    for name in national["areas"]:
        rows.append([name, "National", national["period"], None, ""])
    if regional["status"] == "announced":
        rows.append(
            ["", "Regional", str(year), _date(regional["decision_date"]), "Varslet, ikke besluttet"]
        )
    return rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    return str(value)


def excel_csv(headings: list[str], rows: list[list]) -> bytes:
    """Semicolon-separated, UTF-8 with a byte-order mark, CRLF, dates as 01.06.2024."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headings)
    writer.writerows([_cell_text(value) for value in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx(title: str, headings: list[str], rows: list[list], widths: list[int]) -> bytes:
    """One sheet, bold headings, dates as real dates shown 01.06.2024, header row frozen."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, dt.date | dt.datetime):
                cell.number_format = "DD.MM.YYYY"
    sheet.freeze_panes = "A2"
    book.properties.title = title
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
