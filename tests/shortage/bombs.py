"""Generated files that once took a worker to gigabytes or past its timeout: XLSX whose
sheet unpacks to one row of millions of cells or to a million rows, and long CSV files.
Each is written in chunks, so making one costs little memory."""

from __future__ import annotations

# ruff: noqa: E501 (the parts of an XLSX package, each on one line as Excel writes them)
import io
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Ark1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_END = "</sheetData></worksheet>"


def _inline(text: str) -> str:
    return f'<c t="inlineStr"><is><t>{text}</t></is></c>'


HEADER_ROW = (
    "<row>" + "".join(_inline(name) for name in ("area", "month", "closed", "total")) + "</row>"
)


def xlsx(chunks) -> bytes:
    """A workbook whose first sheet's rows are the strings `chunks` yields."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_START.encode())
            for chunk in chunks:
                sheet.write(chunk.encode())
            sheet.write(SHEET_END.encode())
    return out.getvalue()


def wide_row(cells: int) -> bytes:
    """The header, then one row of `cells` cells."""

    def chunks():
        yield HEADER_ROW
        yield "<row>"
        block = "<c><v>1</v></c>" * 10_000
        for _ in range(cells // 10_000):
            yield block
        yield "</row>"

    return xlsx(chunks())


def many_rows(rows: int) -> bytes:
    """The header, then `rows` rows of figures."""
    row = "<row>" + _inline("Herlev") + _inline("2024-09") + "<c><v>3</v></c><c><v>10</v></c></row>"

    def chunks():
        yield HEADER_ROW
        block = row * 10_000
        for _ in range(rows // 10_000):
            yield block

    return xlsx(chunks())


def many_empty_rows(rows: int) -> bytes:
    def chunks():
        yield HEADER_ROW
        block = "<row/>" * 10_000
        for _ in range(rows // 10_000):
            yield block

    return xlsx(chunks())


def csv_lines(rows: int) -> bytes:
    return b"area,month,closed,total\n" + b"Herlev,2024-09,3,10\n" * rows
