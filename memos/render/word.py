"""The memo as a Word document."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from common.text import clean_data
from memos.build import Memo
from memos.render.common import LABELS, deadline_text, pool_rows


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
    memo = clean_data(memo)
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

    if memo.pipeline:
        document.add_heading(f"e. {memo.pipeline.heading}", level=2)
        for paragraph in memo.pipeline.paragraphs:
            document.add_paragraph(paragraph)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# Data
