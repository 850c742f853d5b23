"""The one rule for staff text and for what writers print, and the spreadsheet cells."""

import io
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from common.spreadsheets import csv_cell, text_row
from common.text import clean_data, clean_text

ALLOWED_CONTROLS = {"\t", "\n"}
# Every Unicode general category, surrogates (Cs) included: text reaches the services from
# Python too, not only from a UTF-8 request.
ALL_CATEGORIES = [
    "Lu",
    "Ll",
    "Lt",
    "Lm",
    "Lo",
    "Mn",
    "Mc",
    "Me",
    "Nd",
    "Nl",
    "No",
    "Pc",
    "Pd",
    "Ps",
    "Pe",
    "Pi",
    "Pf",
    "Po",
    "Sm",
    "Sc",
    "Sk",
    "So",
    "Zs",
    "Zl",
    "Zp",
    "Cc",
    "Cf",
    "Cs",
    "Co",
    "Cn",
]
any_text = st.text(alphabet=st.characters(categories=ALL_CATEGORIES))


def _unprintable(text: str) -> set[str]:
    return {
        char
        for char in text
        if (unicodedata.category(char) in ("Cc", "Cs") and char not in ALLOWED_CONTROLS)
        or char in "\ufffe\uffff"
    }


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Ring til\x0bklinikken", "Ring til\nklinikken"),  # Word's Shift+Enter
        ("Side 1\x0cSide 2", "Side 1\nSide 2"),  # a page break
        ("linje\r\nlinje\rlinje", "linje\nlinje\nlinje"),
        ("a\x00b\x1bc\x7fd\x9be", "abcde"),
        ("tab\tstays", "tab\tstays"),
        ("Høje-Taastrup · æøå", "Høje-Taastrup · æøå"),
        ("para\u2029graph", "para\ngraph"),
    ],
)
def test_staff_text_keeps_line_breaks_and_drops_control_codes(typed, stored):
    assert clean_text(typed) == stored


@given(any_text)
def test_clean_text_leaves_nothing_a_writer_refuses(text):
    cleaned = clean_text(text)
    assert not _unprintable(cleaned)
    cleaned.encode("utf-8")  # no lone surrogate
    assert clean_text(cleaned) == cleaned


def test_clean_data_reaches_every_string_in_nested_data():
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Row:
        remark: str
        count: int

    cleaned = clean_data({"rows": (Row("a\x0bb", 2),), "title": ["x\x00y"]})
    assert cleaned == {"rows": (Row("a\nb", 2),), "title": ["xy"]}


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("https://example.com","klik")', '\'=HYPERLINK("https://example.com","klik")'),
        ("+45 33 66 33 66", "'+45 33 66 33 66"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Ring på 33 66 33 66", "Ring på 33 66 33 66"),
        (-1, -1),
        (None, ""),
    ],
)
def test_csv_cells_never_start_a_formula(value, written):
    assert csv_cell(value) == written


def test_xlsx_text_cells_are_strings_that_read_as_typed():
    book = Workbook()
    sheet = book.active
    sheet.append(text_row(sheet, ["=1+1", "+45 33 66 33 66", 3, "@A1", "a\x0bb"]))
    buffer = io.BytesIO()
    book.save(buffer)
    cells = list(load_workbook(io.BytesIO(buffer.getvalue())).active[1])
    assert [cell.value for cell in cells] == ["=1+1", "+45 33 66 33 66", 3, "@A1", "a\nb"]
    assert [cell.data_type for cell in cells] == ["s", "s", "n", "s", "s"]
