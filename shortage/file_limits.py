"""Bounds on an uploaded intake-closure file, checked before it is parsed.

A 234 KB XLSX can unpack to one row of eight million cells, and a 436 KB one to a million
rows: parsed as they are, they took a worker to 3.7 GB or past its timeout. So a file is read
only up to `MAX_FILE_BYTES` (and only if it is a regular file: `/dev/zero` is not), and an
XLSX is first streamed through, element by element and in bounded memory, to check that no
part unpacks to more than `MAX_PART_BYTES`, that no row has more than `MAX_COLUMNS` cells, and
that there are at most `MAX_ROWS` rows with values (plus the header) and `MAX_ROW_ELEMENTS`
rows in all. Only a file within these bounds reaches the CSV reader or openpyxl, and a bomb
gets its message in well under a second.
"""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError, iterparse
from xml.parsers import expat

from django.utils.translation import gettext as _

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 100
# Rows without values (formatted but empty) count too, up to this many.
MAX_ROW_ELEMENTS = 10 * MAX_ROWS
MAX_PART_BYTES = 64 * 1024 * 1024
MAX_SHARED_STRINGS = (MAX_ROWS + 1) * MAX_COLUMNS

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_COLUMNS = ("area", "month", "closed", "total")
_CHUNK = 64 * 1024
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOC_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


class TooLarge(ValueError):
    """The file is beyond a bound; the message says which, for the person who uploaded it."""


def read_bounded(path: Path) -> bytes:
    """The file's bytes, refusing what is not a regular file or is larger than the limit,
    without reading more than the limit (plus one byte)."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise TooLarge(_("%(file)s is not a regular file") % {"file": path})
    with path.open("rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    check_size(len(data))
    return data


def check_size(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise TooLarge(_("the file is larger than 5 MB; split it"))


def check_xlsx(data: bytes) -> None:
    """Raise TooLarge if the workbook's first sheet or any part is beyond the bounds."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            # The declared size bounds what zipfile will unpack (it stops there and fails the
            # checksum), so a part that claims little cannot unpack to much.
            if member.file_size > MAX_PART_BYTES:
                raise TooLarge(
                    _("the spreadsheet unpacks to more than %(mb)d MB; is it really the figures?")
                    % {"mb": MAX_PART_BYTES // (1024 * 1024)}
                )
        _check_sheet(archive, _first_sheet(archive))
        if "xl/sharedStrings.xml" in archive.namelist():
            _check_shared_strings(archive)


def _first_sheet(archive: zipfile.ZipFile) -> str:
    """The part of the first sheet, as openpyxl picks it: the first <sheet> of the workbook."""
    try:
        with archive.open("xl/workbook.xml") as workbook:
            first = next((el for _e, el in iterparse(workbook) if el.tag == f"{_MAIN}sheet"), None)
        relation = first.get(f"{_DOC_RELS}id") if first is not None else None
        with archive.open("xl/_rels/workbook.xml.rels") as rels:
            for _event, element in iterparse(rels):
                if element.tag == f"{_RELS}Relationship" and element.get("Id") == relation:
                    target = element.get("Target", "")
                    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    except (KeyError, ParseError):
        pass
    return "xl/worksheets/sheet1.xml"


def _check_sheet(archive: zipfile.ZipFile, part: str) -> None:
    """Count rows and cells with expat's callbacks: no tree is built, and it stops at the
    first bound crossed."""
    try:
        stream = archive.open(part)
    except KeyError:
        return  # openpyxl will say the workbook cannot be read
    state = {"rows": 0, "filled": 0, "cells": 0, "has_value": False, "in_value": False}
    # expat names an element "namespace}name" (no opening brace).
    main = _MAIN[1:]
    row, cell = f"{main}row", f"{main}c"
    values = {f"{main}v", f"{main}t"}

    def start(name: str, _attributes) -> None:
        if name == cell:
            state["cells"] += 1
            if state["cells"] > MAX_COLUMNS:
                raise TooLarge(
                    _("row %(row)d has more than %(max)d cells; only %(columns)s are read")
                    % {"row": state["rows"], "max": MAX_COLUMNS, "columns": ",".join(_COLUMNS)}
                )
        elif name in values:
            state["in_value"] = True
        elif name == row:
            state["rows"] += 1
            state["cells"] = 0
            state["has_value"] = False
            if state["rows"] > MAX_ROW_ELEMENTS:
                raise TooLarge(_too_many_rows())

    def end(name: str) -> None:
        if name in values:
            state["in_value"] = False
        elif name == row and state["has_value"]:
            state["filled"] += 1
            if state["filled"] > MAX_ROWS + 1:
                raise TooLarge(_too_many_rows())

    def text(data: str) -> None:
        if state["in_value"] and not state["has_value"] and data.strip():
            state["has_value"] = True

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    with stream:
        try:
            while chunk := stream.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except expat.ExpatError as error:
            raise ParseError(str(error)) from error


def _check_shared_strings(archive: zipfile.ZipFile) -> None:
    count = 0
    with archive.open("xl/sharedStrings.xml") as stream:
        for _event, element in iterparse(stream):
            if element.tag == f"{_MAIN}si":
                count += 1
                if count > MAX_SHARED_STRINGS:
                    raise TooLarge(_too_many_rows())
                element.clear()


def _too_many_rows() -> str:
    return _("more than %(max)d rows; split the file") % {"max": MAX_ROWS}


def check_csv_lines(count: int) -> None:
    if count > MAX_ROWS + 1:
        raise TooLarge(_too_many_rows())
