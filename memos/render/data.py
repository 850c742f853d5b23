"""The memo as data: JSON (CONTRACT.md), CSV and a spreadsheet."""

from __future__ import annotations

import csv
import io
import json

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from common.spreadsheets import csv_row, text_row
from common.text import clean_data
from memos.build import Memo, short_date
from memos.render.common import LABELS


def memo_to_dict(memo: Memo) -> dict:
    """The shape of CONTRACT.md ("Memo as JSON"), keys in its order."""
    memo = clean_data(memo)
    a, b, c, d = memo.awaiting_decision, memo.posted, memo.granted, memo.pool
    return {
        "as_of": memo.as_of.isoformat(),
        "awaiting_decision": {
            "total": a.total,
            "meeting": (
                {"committee": a.meeting.committee, "date": a.meeting.date.isoformat()}
                if a.meeting
                else None
            ),
        },
        "posted": {
            "total": b.total,
            "rows": [{"area": r.area, "count": r.count, "remark": r.remark} for r in b.rows],
        },
        "granted": {
            "total": c.total,
            "rows": [
                {
                    "area": r.area,
                    "count": r.count,
                    "deadlines": [deadline.date.isoformat() for deadline in r.deadlines],
                    "overdue": r.overdue,
                    "remark": r.remark,
                }
                for r in c.rows
            ],
        },
        "pool": {
            "created_on": d.created_on.isoformat() if d.created_on else None,
            "created": d.created,
            "allocated": d.allocated,
            "allocated_awaiting_posting": d.allocated_awaiting_posting,
            "remaining": d.remaining,
        },
    } | ({"pipeline": memo.pipeline.figures} if memo.pipeline else {})


def render_json(memo: Memo) -> str:
    return json.dumps(memo_to_dict(memo), ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = ["section", "area", "count", "deadlines", "overdue", "remark"]


def render_csv(memo: Memo) -> str:
    """Sections b (`posted`) and c (`granted`) for scripts: one row per area, the JSON's names
    and ISO dates (several deadlines separated by spaces); no totals rows."""
    memo = clean_data(memo)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in memo.posted.rows:
        writer.writerow(csv_row(["posted", row.area, row.count, "", "", row.remark]))
    for row in memo.granted.rows:
        deadlines = " ".join(d.date.isoformat() for d in row.deadlines)
        writer.writerow(
            csv_row(
                ["granted", row.area, row.count, deadlines, str(row.overdue).lower(), row.remark]
            )
        )
    return buffer.getvalue()


def _sheet(sheet, header: list[str], rows: list[list], total: list, widths: list[int]) -> None:
    # Every text as a string cell: a remark "=HYPERLINK(...)" must not become a formula.
    sheet.append(text_row(sheet, header))
    for row in rows:
        sheet.append(text_row(sheet, row))
    sheet.append(text_row(sheet, total))
    bold = Font(bold=True)
    for cell in (*sheet[1], *sheet[sheet.max_row]):
        cell.font = bold
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"


def render_xlsx(memo: Memo) -> bytes:
    """Sections b and c for people: one sheet each, Danish headings, totals rows."""
    memo = clean_data(memo)
    book = Workbook()
    posted = book.active
    posted.title = LABELS["sheet_posted"]
    _sheet(
        posted,
        [LABELS["area"], LABELS["count"], LABELS["remark"]],
        [[row.area, row.count, row.remark] for row in memo.posted.rows],
        [LABELS["total"], memo.posted.total, ""],
        [22, 12, 80],
    )
    granted = book.create_sheet(LABELS["sheet_granted"])
    # Deadlines as real dates, one column each (Excel sorts and filters them), shown the
    # Danish way; an area with two deadlines fills the second column.
    columns = max((len(row.deadlines) for row in memo.granted.rows), default=1) or 1
    deadline_headers = [LABELS["deadline"]] + [
        f"{LABELS['deadline']} {number}" for number in range(2, columns + 1)
    ]
    _sheet(
        granted,
        [
            LABELS["area"],
            LABELS["count"],
            *deadline_headers,
            LABELS["overdue_column"],
            LABELS["remark"],
        ],
        [
            [
                row.area,
                row.count,
                *[d.date for d in row.deadlines],
                *[None] * (columns - len(row.deadlines)),
                LABELS["yes"] if row.overdue else LABELS["no"],
                row.remark,
            ]
            for row in memo.granted.rows
        ],
        [LABELS["total"], memo.granted.total, *[""] * columns, "", ""],
        [22, 12, *[16] * columns, 12, 60],
    )
    for column in granted.iter_cols(min_col=3, max_col=2 + columns, min_row=2):
        for cell in column:
            cell.number_format = "DD.MM.YYYY"
    book.properties.title = f"{memo.title} pr. {short_date(memo.as_of)}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
