"""The memo's renderings: pure functions from a `Memo` to text or bytes, one module per kind
(`pdf` for HTML and PDF, `word`, `data` for JSON, CSV and XLSX), gathered here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from memos.build import Memo
from memos.render.common import LABELS, deadline_parts, deadline_text, file_name, pool_rows
from memos.render.data import CSV_COLUMNS, memo_to_dict, render_csv, render_json, render_xlsx
from memos.render.pdf import render_html, render_pdf, style_hashes
from memos.render.word import render_docx

__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "LABELS",
    "Format",
    "deadline_parts",
    "deadline_text",
    "file_name",
    "memo_to_dict",
    "pool_rows",
    "render",
    "render_csv",
    "render_docx",
    "render_html",
    "render_json",
    "render_pdf",
    "render_xlsx",
    "style_hashes",
]


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
