"""A committee secretary downloads the memo for 24 October 2024 as PDF and Word from the admin;
the downloaded files hold the seed memo's rows."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from docx import Document
from pypdf import PdfReader

pytestmark = pytest.mark.browser

PASSWORD = "browser-test-password-2"
SEED_ROWS = ["Høje-Taastrup", "Rødovre", "Herlev", "01.05.2025 og 01.09.2025", "01.10.2024"]


@pytest.fixture
def secretary_login(demo_site):
    user = get_user_model().objects.create_user("birgit", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Udvalgssekretær"))
    return user


def _download(page, file_format: str) -> bytes:
    form = page.locator("#export-form")
    form.locator("[name=as_of]").fill("2024-10-24")
    form.locator("[name=format]").select_option(file_format)
    with page.expect_download() as download:
        form.locator("#download-button").click()
    return download.value.path().read_bytes()


def test_secretary_downloads_the_memo_as_pdf_and_word(page, demo_site, secretary_login):
    page.goto(demo_site + "/admin/")
    page.locator("[name=username]").fill("birgit")
    page.locator("[name=password]").fill(PASSWORD)
    page.locator("[type=submit]").click()
    page.goto(demo_site + "/admin/memos/issuedmemo/export/")

    pdf = PdfReader(io.BytesIO(_download(page, "pdf")))
    pdf_text = "\n".join(p.extract_text() for p in pdf.pages)
    docx = Document(io.BytesIO(_download(page, "docx")))
    docx_text = "\n".join(
        [p.text for p in docx.paragraphs]
        + [cell.text for table in docx.tables for row in table.rows for cell in row.cells]
    )
    # Line breaks in extracted PDF text fall where the layout wraps; compare words.
    pdf_text, docx_text = (" ".join(text.split()) for text in (pdf_text, docx_text))
    for text in (pdf_text, docx_text):
        assert "24. oktober 2024" in text
        for row in SEED_ROWS:
            assert row in text
        assert "I alt" in text
    assert "Side 1" in pdf_text
