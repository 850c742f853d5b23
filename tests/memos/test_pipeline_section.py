"""The memo's optional section e: the year's pipeline, off unless asked for."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from capacities import services
from capacities.models import Capacity
from memos.build import build_memo
from memos.models import MemoWording
from memos.render import render_docx, render_html, render_json
from tests import factories

pytestmark = pytest.mark.django_db

D = dt.date
SEED_DAY = D(2024, 10, 24)


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("export_memo", *args, stdout=out)
    return out.getvalue()


def test_the_memo_has_no_section_e_unless_asked(demo):
    memo = build_memo(SEED_DAY)
    assert memo.pipeline is None
    assert list(json.loads(render_json(memo))) == [
        "as_of",
        "awaiting_decision",
        "posted",
        "granted",
        "pool",
    ]
    assert 'id="pipeline"' not in render_html(memo)


def test_section_e_gives_the_years_figures_in_words_and_json(demo):
    data = json.loads(export("--as-of", "2024-10-24", "--format", "json", "--with-pipeline"))
    assert data["pipeline"]["from"] == "2024-01-01"
    assert data["pipeline"]["steps"] == {
        "return": 3,
        "decide": 17,
        "post": 16,
        "grant": 14,
        "lapse": 0,
        "establish": 0,
    }
    html = export("--as-of", "2024-10-24", "--format", "html", "--with-pipeline")
    assert "<h2>e. Årets forløb for tilbageleverede kapaciteter</h2>" in html
    assert (
        "Fra 1. januar 2024 til 24. oktober 2024 er 3 kapaciteter tilbageleveret, og der er "
        "truffet 17 beslutninger om opslag, omfordeling eller udmøntning fra puljen. "
        "16 kapaciteter er slået op, 14 er tildelt, og ingen er etableret; ingen tildelinger er "
        "bortfaldet."
    ) in html
    assert "17 tilbageleverede kapaciteter er stadig på vej til en ny læge." in html


def test_the_median_is_written_in_days(db):
    by = factories.staff_user()
    capacity = services.register_capacity(by=by, on=D(2010, 1, 1), area=factories.area("Herlev"))
    services.return_capacity(capacity, by=by, on=D(2023, 3, 1), reason=Capacity.ReturnReason.OTHER)
    services.post_capacity(capacity, by=by, on=D(2023, 4, 1))
    services.grant_capacity(
        capacity, by=by, on=D(2023, 6, 1), grantee="Anne Holm", establishment_deadline=D(2024, 1, 1)
    )
    services.establish_capacity(capacity, by=by, on=D(2023, 12, 1))
    memo = build_memo(D(2023, 12, 31), pipeline=True)
    assert memo.pipeline.paragraphs[1].startswith(
        "Mediantiden fra tilbagelevering til ny praksis: 275 dage (1 afsluttet forløb i perioden)."
    )
    assert "Anne Holm" not in " ".join(memo.pipeline.paragraphs)
    assert render_docx(memo)[:2] == b"PK"  # the Word file carries it too


def test_the_wording_of_section_e_is_edited_like_the_others(demo):
    heading = MemoWording.objects.get(key="e_heading")
    heading.text = "Tal for {as_of}"
    heading.save()
    memo = build_memo(SEED_DAY, pipeline=True)
    assert memo.pipeline.heading == "Tal for 24. oktober 2024"


def test_the_admin_export_can_add_section_e(demo, secretary_client):
    url = reverse("admin:memos_issuedmemo_export")
    plain = secretary_client.get(url, {"as_of": "2024-10-24", "format": "json"})
    assert "pipeline" not in plain.json()
    with_e = secretary_client.get(url, {"as_of": "2024-10-24", "format": "json", "pipeline": "on"})
    assert with_e.json()["pipeline"]["steps"]["return"] == 3
