"""A memo's PDF is kept by its HTML: the same memo again is the same document, and a memo
whose data changed (a late record, new wording) is laid out anew, never served stale."""

import dataclasses
import gc
import io

import pypdf
import pytest

from memos.render import render_pdf

pytestmark = pytest.mark.django_db


def text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_the_same_memo_twice_is_the_same_pdf(seed_memo):
    assert render_pdf(seed_memo) == render_pdf(seed_memo)


def test_a_memo_whose_rows_changed_gets_a_new_pdf(seed_memo):
    before = render_pdf(seed_memo)
    row = dataclasses.replace(seed_memo.granted.rows[0], area="Ærø Nord", count=7)
    changed = dataclasses.replace(
        seed_memo,
        granted=dataclasses.replace(
            seed_memo.granted, rows=[row, *seed_memo.granted.rows[1:]], total=19
        ),
    )
    after = render_pdf(changed)
    assert after != before
    assert "Ærø Nord 7" in text(after) and "I alt 19" in text(after)
    assert "Ærø Nord" not in text(render_pdf(seed_memo))


def test_the_garbage_collector_runs_again_after_a_layout_even_a_failed_one(seed_memo, monkeypatch):
    from django.core.cache import cache
    from weasyprint import HTML

    cache.clear()
    render_pdf(seed_memo)
    assert gc.isenabled()

    def fails(*args, **kwargs):
        raise RuntimeError("layout failed")

    cache.clear()
    monkeypatch.setattr(HTML, "write_pdf", fails)
    with pytest.raises(RuntimeError):
        render_pdf(seed_memo)
    assert gc.isenabled()
