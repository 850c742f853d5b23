"""HTML and PDF, from one template (`memos/memo.html`), so the print view and the PDF cannot
drift apart."""

from __future__ import annotations

import base64
import gc
import hashlib
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from django.core.cache import cache
from django.template.loader import render_to_string

from common.text import clean_data
from memos.build import Memo, short_date
from memos.render.common import LABELS, deadline_parts, pool_rows

log = logging.getLogger("memos.render")
PDF_TIMEOUT = 24 * 60 * 60
# The elements memo.html is made of, and the only attributes it gives them: the user-agent
# stylesheet the PDF is laid out with (memo_user_agent.css) has the rules for these alone.
MEMO_ELEMENTS = frozenset(
    [
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "section",
        "p",
        "h1",
        "h2",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "span",
    ]
)
MEMO_ATTRIBUTES = frozenset({"lang", "charset", "name", "content", "id", "class", "scope"})
USER_AGENT_CSS = Path(__file__).with_name("memo_user_agent.css")


def render_html(memo: Memo) -> str:
    memo = clean_data(memo)
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


@lru_cache(maxsize=1)
def _font_config():
    # One per process: setting up fontconfig for each document cost about a tenth of a
    # country-size memo's rendering.
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@lru_cache(maxsize=1)
def _memo_document_class():
    """WeasyPrint's HTML document, laid out with the memo's user-agent stylesheet instead of
    the whole HTML one: the same rules for the memo's elements, and about half the time to
    compute a country-size memo's styles."""
    # Imported here: WeasyPrint loads pango when imported, which only the PDF needs.
    from weasyprint import CSS, HTML

    stylesheet = CSS(string=USER_AGENT_CSS.read_text(encoding="utf-8"))

    class MemoHTML(HTML):
        def _ua_stylesheets(self, forms=False):
            return [stylesheet]

    return MemoHTML


def pdf_from_html(html: str) -> bytes:
    """The PDF of memo.html's output, laid out anew."""
    with _collector_paused():
        return _memo_document_class()(string=html).write_pdf(font_config=_font_config())


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Laying out a country-size memo makes a few hundred thousand objects, and meanwhile the
    cyclic garbage collector runs hundreds of times, once over the whole process: about a
    tenth of the layout. Paused, what the layout leaves is collected by one pass over the
    young objects afterwards, for half that. Only the caller that paused it starts it again."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def render_pdf(memo: Memo) -> bytes:
    """The PDF of the memo's HTML. A memo whose HTML was rendered before (the same date and
    data, e.g. an issued memo downloaded again, or by several secretaries) is the same
    document: its PDF is kept for a day by the HTML's digest rather than laid out again."""
    html = render_html(memo)
    key = f"memos:pdf:{hashlib.sha256(html.encode('utf-8')).hexdigest()}"
    try:
        pdf = cache.get(key)
    except Exception:  # a cache that is away costs time, never the document
        log.warning("cache unreachable; laying the memo out again")
        pdf = None
    if pdf is None:
        pdf = pdf_from_html(html)
        try:
            cache.set(key, pdf, PDF_TIMEOUT)
        except Exception:
            log.warning("cache unreachable; the memo's PDF is not kept")
    return pdf
