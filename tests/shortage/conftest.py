"""Shared set-up for the shortage tests: files to import, and a region of a few areas."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from tests import factories

D = dt.date


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def xlsx_bytes(*rows: tuple) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def areas(db):
    return factories.four_areas()


@pytest.fixture
def write_file(tmp_path):
    def write(data: bytes, name: str = "lukninger.csv"):
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write
