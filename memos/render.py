"""The memo's renderings: pure functions from a `Memo` to text or bytes.

HTML and PDF come from one template (`memos/memo.html`), so the print view and the PDF cannot
drift apart. The memo is a Danish document: its fixed labels are Danish whatever language the
person exporting it uses, and they are defined once here for every format.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from common.text import danish_separators
from memos.build import GrantedRow, Memo, short_date

LABELS = {
    "memo": "NOTAT",
    "page": "Side",
    "of": "af",
    "area": "Planlægningsområde",
    "count": "Kapaciteter",
    "remark": "Bemærkning",
    "deadline": "Etableringsfrist",
    "overdue": "overskredet",
    "overdue_column": "Overskredet",
    "yes": "Ja",
    "no": "Nej",
    "total": "I alt",
    "pool": "Puljekapaciteter",
    "number": "Antal",
    "pool_allocated": "Udmøntet",
    "pool_awaiting_posting": "Udmøntet, afventer opslag",
    "pool_remaining": "Tilbage i puljen",
    "pool_created": "I alt etableret",
    "sheet_posted": "b. I opslag",
    "sheet_granted": "c. Tildelt",
}


def file_name(memo: Memo, extension: str) -> str:
    return f"notat-inaktive-kapaciteter-{memo.as_of.isoformat()}.{extension}"


def deadline_parts(row: GrantedRow) -> list[dict]:
    """Each deadline as table text, whether it is overdue, and the separator after it."""
    separators = danish_separators(len(row.deadlines))
    return [
        {"text": short_date(d.date), "overdue": d.overdue, "separator": separator}
        for d, separator in zip(row.deadlines, separators, strict=True)
    ]


def deadline_text(row: GrantedRow) -> str:
    """01.10.2024 (overskredet) og 01.05.2025 (remark): the table cell as plain text."""
    text = "".join(
        part["text"] + (f" ({LABELS['overdue']})" if part["overdue"] else "") + part["separator"]
        for part in deadline_parts(row)
    )
    return f"{text} ({row.remark})" if row.remark else text


def pool_rows(memo: Memo) -> list[tuple[str, int]]:
    pool = memo.pool
    created = LABELS["pool_created"]
    if pool.created_on:
        created = f"{created} {short_date(pool.created_on)}"
    return [
        (LABELS["pool_allocated"], pool.allocated),
        (LABELS["pool_awaiting_posting"], pool.allocated_awaiting_posting),
        (LABELS["pool_remaining"], pool.remaining),
        (created, pool.created),
    ]


# HTML and PDF


def render_html(memo: Memo) -> str:
    granted = [{"row": row, "deadlines": deadline_parts(row)} for row in memo.granted.rows]
    return render_to_string(
        "memos/memo.html",
        {
            "memo": memo,
            "labels": LABELS,
            "granted_rows": granted,
            "pool_rows": pool_rows(memo)[:-1],
            "pool_total": pool_rows(memo)[-1],
            "as_of_short": short_date(memo.as_of),
        },
    )


def style_hashes(html: str) -> list[str]:
    """CSP sources that allow exactly the page's own <style> blocks, so the print view keeps
    its layout under the portal's `style-src 'self'` without allowing any other inline style."""
    return [
        "'sha256-{}'".format(
            base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode("ascii")
        )
        for style in re.findall(r"<style>(.*?)</style>", html, flags=re.DOTALL)
    ]


def render_pdf(memo: Memo) -> bytes:
    # Imported here: WeasyPrint loads pango when imported, which only the PDF needs.
    from weasyprint import HTML

    return HTML(string=render_html(memo)).write_pdf()


# Word


def _repeat_as_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _keep_row_together(row) -> None:
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))


def _page_field(paragraph) -> None:
    """A PAGE field, so Word numbers each page itself."""
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1")):
        run = paragraph.add_run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
        else:
            run.text = text
    end = paragraph.add_run()
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), "end")
    end._r.append(char)


def _table(document, header: list[str], rows: list[list[str]], total: list[str], widths):
    table = document.add_table(rows=0, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for values, bold in [(header, True), *((r, False) for r in rows), (total, True)]:
        row = table.add_row()
        _keep_row_together(row)
        for cell, value, width in zip(row.cells, values, widths, strict=True):
            cell.width = Mm(width)
            run = cell.paragraphs[0].add_run(value)
            run.bold = bold
    _repeat_as_header(table.rows[0])
    return table


def render_docx(memo: Memo) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin = section.bottom_margin = Mm(25)
    normal = document.styles["Normal"]
    normal.font.size = Pt(11)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "da-DK")
    normal.element.get_or_add_rPr().append(language)
    for name in ("Heading 1", "Heading 2"):
        # A memo to a committee, not a brochure: black headings instead of the template's blue.
        document.styles[name].font.color.rgb = RGBColor(0, 0, 0)
    document.core_properties.title = memo.title
    document.core_properties.language = "da-DK"

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run(f"{LABELS['page']} ")
    _page_field(footer)

    memo_label = document.add_paragraph()
    memo_label.add_run(LABELS["memo"]).bold = True
    document.add_heading(memo.title, level=1)
    for paragraph in memo.intro:
        document.add_paragraph(paragraph)

    a = memo.awaiting_decision
    document.add_heading(f"a. {a.heading}", level=2)
    for paragraph in a.paragraphs:
        document.add_paragraph(paragraph)

    b = memo.posted
    document.add_heading(f"b. {b.heading}", level=2)
    _table(
        document,
        [LABELS["area"], LABELS["count"], LABELS["remark"]],
        [[row.area, str(row.count), row.remark] for row in b.rows],
        [LABELS["total"], str(b.total), ""],
        (45, 25, 90),
    )
    for paragraph in b.paragraphs:
        document.add_paragraph(paragraph)

    c = memo.granted
    document.add_heading(f"c. {c.heading}", level=2)
    for paragraph in c.paragraphs:
        document.add_paragraph(paragraph)
    _table(
        document,
        [LABELS["area"], LABELS["count"], LABELS["deadline"]],
        [[row.area, str(row.count), deadline_text(row)] for row in c.rows],
        [LABELS["total"], str(c.total), ""],
        (45, 25, 90),
    )

    d = memo.pool
    document.add_heading(f"d. {d.heading}", level=2)
    for paragraph in d.paragraphs:
        document.add_paragraph(paragraph)
    rows = pool_rows(memo)
    _table(
        document,
        [LABELS["pool"], LABELS["number"]],
        [[label, str(number)] for label, number in rows[:-1]],
        [rows[-1][0], str(rows[-1][1])],
        (100, 25),
    )

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# Data


def memo_to_dict(memo: Memo) -> dict:
    """The shape of CONTRACT.md ("Memo as JSON"), keys in its order."""
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
    }


def render_json(memo: Memo) -> str:
    return json.dumps(memo_to_dict(memo), ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = ["section", "area", "count", "deadlines", "overdue", "remark"]


def render_csv(memo: Memo) -> str:
    """Sections b (`posted`) and c (`granted`) for scripts: one row per area, the JSON's names
    and ISO dates (several deadlines separated by spaces); no totals rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in memo.posted.rows:
        writer.writerow(["posted", row.area, row.count, "", "", row.remark])
    for row in memo.granted.rows:
        deadlines = " ".join(d.date.isoformat() for d in row.deadlines)
        writer.writerow(
            ["granted", row.area, row.count, deadlines, str(row.overdue).lower(), row.remark]
        )
    return buffer.getvalue()


def _sheet(sheet, header: list[str], rows: list[list], total: list, widths: list[int]) -> None:
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    sheet.append(total)
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


@dataclass(frozen=True)
class Format:
    label: Promise  # as staff choose it on the export page
    render: Callable[[Memo], str | bytes]
    content_type: str
    binary: bool


FORMATS: dict[str, Format] = {
    "pdf": Format(_("PDF"), render_pdf, "application/pdf", True),
    "docx": Format(
        _("Word (DOCX), editable"),
        render_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        True,
    ),
    "html": Format(_("Print view (HTML)"), render_html, "text/html; charset=utf-8", False),
    "json": Format(_("JSON"), render_json, "application/json", False),
    "csv": Format(_("CSV, sections b and c"), render_csv, "text/csv; charset=utf-8", False),
    "xlsx": Format(
        _("Excel (XLSX), sections b and c"),
        render_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        True,
    ),
}


def render(memo: Memo, format_name: str) -> bytes:
    """The memo in a format, as bytes (text formats in UTF-8)."""
    output = FORMATS[format_name].render(memo)
    return output.encode("utf-8") if isinstance(output, str) else output
