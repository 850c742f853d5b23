"""Every rendering holds the memo's rows and totals; JSON is CONTRACT.md's shape."""

import csv
import dataclasses
import datetime as dt
import io
import json
from html.parser import HTMLParser

import pypdf
import pytest
from docx import Document
from openpyxl import load_workbook

from memos.build import Deadline, GrantedRow
from memos.pipeline_section import PipelineSection
from memos.render import (
    render_csv,
    render_docx,
    render_html,
    render_json,
    render_pdf,
    render_xlsx,
)
from memos.render.pdf import MEMO_ATTRIBUTES, MEMO_ELEMENTS, pdf_from_html
from tests.memos.test_build import SEED_GRANTED, SEED_POSTED

# The memo is built once per module (conftest.seed_memo); the marker makes the test database.
pytestmark = pytest.mark.django_db

SEED_ROW_LINES = [
    "Amager 2 01.05.2025 og 01.09.2025",
    "Ballerup 1 01.11.2024",
    "Brøndby 1 01.11.2024 (lægerne meddeler at de",
    "Gribskov 1 01.10.2024 (overskredet)",
    "Vallensbæk 2 01.02.2025",
    "Herlev 1 Der er udmøntet en puljekapacitet",
    "Høje-Taastrup 1 Kapacitet opslået uden frist.",
    "Rødovre 1 Kapacitet opslået uden frist.",
]


def pdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_json_is_the_contract_shape_in_its_key_order(seed_memo):
    data = json.loads(render_json(seed_memo))

    assert data == {
        "as_of": "2024-10-24",
        "awaiting_decision": {
            "total": 1,
            "meeting": {
                "committee": "Udvalget for det nære og sammenhængende sundhedsvæsen",
                "date": "2024-11-18",
            },
        },
        "posted": {
            "total": 3,
            "rows": [{"area": a, "count": n, "remark": r} for a, n, r in SEED_POSTED],
        },
        "granted": {
            "total": 14,
            "rows": [
                {"area": a, "count": n, "deadlines": d, "overdue": o, "remark": r}
                for a, n, d, o, r in SEED_GRANTED
            ],
        },
        "pool": {
            "created_on": "2019-11-27",
            "created": 10,
            "allocated": 6,
            "allocated_awaiting_posting": 1,
            "remaining": 3,
        },
    }
    assert list(data) == ["as_of", "awaiting_decision", "posted", "granted", "pool"]
    assert list(data["awaiting_decision"]) == ["total", "meeting"]
    assert list(data["posted"]["rows"][0]) == ["area", "count", "remark"]
    assert list(data["granted"]["rows"][0]) == ["area", "count", "deadlines", "overdue", "remark"]
    assert list(data["pool"]) == [
        "created_on",
        "created",
        "allocated",
        "allocated_awaiting_posting",
        "remaining",
    ]
    assert "Høje-Taastrup" in render_json(seed_memo)  # Danish letters, not \u escapes


def test_pdf_is_a4_danish_with_rows_totals_and_page_numbers(seed_memo):
    pdf = render_pdf(seed_memo)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    pages = pdf_pages(pdf)
    text = "\n".join(pages)

    assert len(pages) >= 2
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    assert text.startswith("NOTAT")
    assert "Oversigt over inaktive kapaciteter" in text
    assert "Oversigten er opdateret pr. 24.\noktober 2024" in text or (
        "Oversigten er opdateret pr. 24. oktober 2024" in text
    )
    for line in SEED_ROW_LINES:
        assert line in text
    for total in ["I alt 3", "I alt 14", "I alt etableret 27.11.2019 10"]:
        assert total in text
    for heading in ["a. Status på", "b. Kapaciteter, der er i opslag", "c. Status på", "d. Pulje"]:
        assert heading in text
    total = len(pages)
    assert f"Side 1 af {total}" in pages[0]
    assert f"Side 2 af {total}" in pages[1]


def test_pdf_table_breaks_across_pages_between_rows_repeating_its_header(seed_memo):
    rows = tuple(
        GrantedRow(f"Område {n:02d}", 1, (Deadline(dt.date(2025, 1, 1), False),), "")
        for n in range(80)
    )
    long_memo = dataclasses.replace(
        seed_memo, granted=dataclasses.replace(seed_memo.granted, rows=rows, total=80)
    )

    pages = pdf_pages(render_pdf(long_memo))

    with_rows = [page for page in pages if "Område " in page]
    assert len(with_rows) >= 2
    for page in with_rows:
        assert "Planlægningsområde Kapaciteter Etableringsfrist" in page
    text = "\n".join(pages)
    for n in range(80):
        assert f"Område {n:02d} 1 01.01.2025" in text  # each row whole, on one page
    assert f"Side {len(pages)}" in pages[-1]


def test_pdf_area_tables_keep_the_widths_the_automatic_layout_gives(seed_memo):
    """memo.html fixes the column widths of the tables with a row per area (measuring every
    cell first was a quarter of a country-size memo's layout); they must be the automatic
    layout's, or the PDF would look different. A new header label or font needs new widths."""
    from weasyprint import CSS, HTML

    html = render_html(seed_memo)
    automatic = CSS(string="table { table-layout: auto !important; }")

    assert html.count('<table class="by-area">') == 2
    assert HTML(string=html).write_pdf() == HTML(string=html).write_pdf(stylesheets=[automatic])


def _with_every_section(memo):
    """The seed memo with the optional section e and a long table, so every part of
    memo.html is rendered."""
    rows = tuple(
        GrantedRow(f"Område {n:02d}", 1, (Deadline(dt.date(2025, 1, 1), n % 2 == 0),), "")
        for n in range(60)
    )
    pipeline = PipelineSection(
        dt.date(2024, 1, 1), dt.date(2024, 12, 31), "Forløbet i 2024", ("Et afsnit.",), {}
    )
    return dataclasses.replace(
        memo,
        granted=dataclasses.replace(memo.granted, rows=memo.granted.rows + rows),
        pipeline=pipeline,
    )


def test_pdf_user_agent_stylesheet_lays_the_memo_out_as_weasyprints_own(seed_memo):
    """The PDF is laid out with only the user-agent rules for the memo's elements
    (memo_user_agent.css); the document must be the one WeasyPrint's whole sheet gives."""
    from weasyprint import HTML

    html = render_html(_with_every_section(seed_memo))

    assert pdf_from_html(html) == HTML(string=html).write_pdf()


def test_memo_html_uses_only_the_elements_its_user_agent_stylesheet_covers(seed_memo):
    class Collect(HTMLParser):
        def __init__(self):
            super().__init__()
            self.elements: set[str] = set()
            self.attributes: set[str] = set()

        def handle_starttag(self, tag, attrs):
            self.elements.add(tag)
            self.attributes.update(name for name, _ in attrs)

    found = Collect()
    found.feed(render_html(_with_every_section(seed_memo)))

    assert found.elements - MEMO_ELEMENTS == set(), "add their rules to memo_user_agent.css"
    assert found.attributes - MEMO_ATTRIBUTES == set(), "add their rules to memo_user_agent.css"
    assert {"h2", "table", "span"} <= found.elements


def test_html_print_view_is_danish_and_marks_overdue_deadlines_in_words(seed_memo):
    html = render_html(seed_memo)

    assert '<html lang="da">' in html
    assert "Oversigten er opdateret pr. 24. oktober 2024." in html
    assert '01.10.2024 <span class="overdue">(overskredet)</span>' in html
    assert "01.05.2025 og 01.09.2025" in html
    assert "lægerne meddeler at de aktiverer pr. 1 november 2024" in html
    assert html.count("I alt") == 3


def test_docx_has_the_text_real_tables_and_a_page_number_field(seed_memo):
    document = Document(io.BytesIO(render_docx(seed_memo)))
    text = "\n".join(p.text for p in document.paragraphs)
    tables = [
        [[cell.text for cell in row.cells] for row in table.rows] for table in document.tables
    ]

    assert text.startswith("NOTAT\nOversigt over inaktive kapaciteter")
    assert "Oversigten er opdateret pr. 24. oktober 2024." in text
    assert "a. Status på kapaciteter der afventer" in text
    assert "Der er derfor fortsat 3 puljekapaciteter tilbage." in text
    posted, granted, pool = tables
    assert posted[0] == ["Planlægningsområde", "Kapaciteter", "Bemærkning"]
    assert posted[1:] == [[a, str(n), r] for a, n, r in SEED_POSTED] + [["I alt", "3", ""]]
    assert granted[1] == ["Amager", "2", "01.05.2025 og 01.09.2025"]
    assert ["Gribskov", "1", "01.10.2024 (overskredet)"] in granted
    assert [
        "Brøndby",
        "1",
        "01.11.2024 (lægerne meddeler at de aktiverer pr. 1 november 2024)",
    ] in granted
    assert granted[-1] == ["I alt", "14", ""]
    assert pool[-1] == ["I alt etableret 27.11.2019", "10"]
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("Side ")
    assert "PAGE" in footer._p.xml
    assert "w:tblHeader" in document.tables[1].rows[0]._tr.xml


def test_xlsx_holds_sections_b_and_c_with_totals(seed_memo):
    book = load_workbook(io.BytesIO(render_xlsx(seed_memo)))

    assert book.sheetnames == ["b. I opslag", "c. Tildelt"]
    posted = [list(row) for row in book["b. I opslag"].iter_rows(values_only=True)]
    granted = [list(row) for row in book["c. Tildelt"].iter_rows(values_only=True)]
    assert posted[0] == ["Planlægningsområde", "Kapaciteter", "Bemærkning"]
    assert posted[1:-1] == [[a, n, r] for a, n, r in SEED_POSTED]
    assert posted[-1][:2] == ["I alt", 3]
    assert granted[0][:5] == [
        "Planlægningsområde",
        "Kapaciteter",
        "Etableringsfrist",
        "Etableringsfrist 2",
        "Overskredet",
    ]
    # Deadlines are dates Excel can sort, shown as 01.05.2025.
    assert granted[1][:5] == [
        "Amager",
        2,
        dt.datetime(2025, 5, 1),
        dt.datetime(2025, 9, 1),
        "Nej",
    ]
    assert ["Gribskov", 1, dt.datetime(2024, 10, 1), None, "Ja"] in [row[:5] for row in granted]
    assert book["c. Tildelt"]["C2"].number_format == "DD.MM.YYYY"
    assert granted[-1][:2] == ["I alt", 14]
    assert len(granted) == 1 + 12 + 1


def test_csv_holds_sections_b_and_c_for_scripts(seed_memo):
    rows = list(csv.DictReader(io.StringIO(render_csv(seed_memo))))

    assert [
        (r["area"], int(r["count"]), r["remark"]) for r in rows if r["section"] == "posted"
    ] == (SEED_POSTED)
    granted = [r for r in rows if r["section"] == "granted"]
    assert [
        (r["area"], int(r["count"]), r["deadlines"].split(), r["overdue"] == "true", r["remark"])
        for r in granted
    ] == SEED_GRANTED
