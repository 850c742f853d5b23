"""HTML and PDF, from one template (`memos/memo.html`), so the print view and the PDF cannot
drift apart."""

from __future__ import annotations

import base64
import hashlib
import re

from django.template.loader import render_to_string

from memos.build import Memo, short_date
from memos.render.common import LABELS, deadline_parts, pool_rows


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
