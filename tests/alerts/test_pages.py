"""The subscribe pages follow the portal: Danish first, English under /en/, accessible form,
nothing inline that the Content-Security-Policy would block, and links from the portal."""

from __future__ import annotations

import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def _no_inline(page: str) -> None:
    for script in re.findall(r"<script\b[^>]*>", page):
        assert "src=" in script, script
    assert not re.search(r"<style\b| style=| on(click|load|submit|change)=", page)


def test_the_subscribe_page_in_danish(client, areas):
    response = client.get("/abonnement/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="da">' in page
    assert "<h1>Besked om nye opslag</h1>" in page
    assert '<label for="id_email">Din e-mailadresse</label>' in page
    assert "<legend>Planlægningsområder</legend>" in page
    assert "Brøndby Strand (del af Brøndby)" in page
    assert 'type="checkbox"' in page and 'name="csrfmiddlewaretoken"' in page
    assert "/static/alerts/alerts.css" in page
    assert 'href="/feeds/deadlines.ics"' in page
    _no_inline(page)


def test_the_subscribe_page_in_english(client, areas):
    page = client.get("/en/abonnement/").content.decode()
    assert '<html lang="en">' in page
    assert "<h1>Alerts about new postings</h1>" in page
    assert "Brøndby Strand (part of Brøndby)" in page
    assert 'action="/en/abonnement/"' in page


def test_a_bad_address_is_shown_next_to_its_field(client, areas):
    response = client.post("/abonnement/", {"email": "læge@"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="form-errors"' in page
    assert 'id="id_email_error"' in page and "Indtast en gyldig e-mail-adresse." in page
    _no_inline(page)
    assert mail.outbox == []


def test_other_methods_are_refused(client, areas):
    assert client.put("/abonnement/").status_code == 405
    assert client.delete("/abonnement/afmeld/nonsense/").status_code == 405


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("/", "Få en mail, når en kapacitet slås op"),
        ("/opslag/", "Få en mail, når en kapacitet slås op"),
        ("/en/", "Get an email when a capacity is posted"),
        ("/en/opslag/", "Get an email when a capacity is posted"),
    ],
)
def test_the_portal_links_to_the_alerts(client, db, path, text):
    page = client.get(path).content.decode()
    assert text in page
    prefix = "/en" if path.startswith("/en/") else ""
    assert f'href="{prefix}/abonnement/"' in page
    assert 'href="/feeds/deadlines.ics"' in page


@pytest.mark.parametrize(
    "path",
    ["/abonnement/tjek-din-post/", "/en/abonnement/tjek-din-post/"],
)
def test_the_answer_pages_have_nothing_inline(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    _no_inline(response.content.decode())


def test_the_language_switch_keeps_the_page(client, db):
    page = client.get("/abonnement/").content.decode()
    assert 'href="/en/abonnement/"' in page


def test_the_subscribe_page_query_count_does_not_grow_with_areas(
    client, areas, django_assert_max_num_queries
):
    from tests import factories

    client.get("/abonnement/")
    with django_assert_max_num_queries(3) as few:
        client.get("/abonnement/")
    for number in range(15):
        factories.area(f"Område {number}", parent=areas["herlev"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/abonnement/").content.decode()
    assert "Område 14 (del af Herlev)" in page
