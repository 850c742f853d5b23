"""Every record's history page says who changed what, when and why, field by field."""

from django.urls import reverse

from capacities.models import Action, Status
from tests import factories
from tests.admin.helpers import form_data, transition_url


def test_capacity_history_shows_who_why_and_a_readable_diff(editor_client, editor):
    capacity = factories.capacity(Status.AWAITING_POSTING)
    editor_client.post(
        transition_url(capacity, Action.POST),
        {**form_data(Action.POST), "version": capacity.version},
    )

    page = editor_client.get(
        reverse("admin:capacities_capacity_history", args=[capacity.pk])
    ).content.decode()

    newest = page.split("<tbody>")[1].split("</tr>")[0]
    assert editor.username in newest
    assert "opslået" in newest  # why: the action, in Danish
    assert "<strong>Status:</strong> afventer opslag &rarr; opslået" in newest
    assert "<strong>Ansøgningsfrist:</strong> — &rarr; 01.07.2024" in newest
    assert "<strong>Offentlig bemærkning til opslaget:</strong> — &rarr; Se opslaget" in newest


def test_generic_edit_keeps_the_note_as_the_reason(editor_client, editor):
    area = factories.area("Ishøj")
    response = editor_client.post(
        reverse("admin:coverage_areas_planningarea_change", args=[area.pk]),
        {
            "name": "Ishøj Kommune",
            "municipality": "Ishøj",
            "parent": "",
            "change_note": "Navnet rettet efter kommunens ønske",
        },
    )
    assert response.status_code == 302

    page = editor_client.get(
        reverse("admin:coverage_areas_planningarea_history", args=[area.pk])
    ).content.decode()
    newest = page.split("<tbody>")[1].split("</tr>")[0]
    assert "Navnet rettet efter kommunens ønske" in newest
    assert "<strong>Navn:</strong> Ishøj &rarr; Ishøj Kommune" in newest
    assert editor.username in newest


def test_history_pages_offer_no_revert(editor_client):
    capacity = factories.capacity(Status.POSTED)
    record = capacity.history.last()
    page = editor_client.get(
        reverse("admin:capacities_capacity_simple_history", args=[capacity.pk, record.pk])
    ).content.decode()
    assert 'name="_change_history"' not in page
    response = editor_client.post(
        reverse("admin:capacities_capacity_simple_history", args=[capacity.pk, record.pk])
    )
    assert response.status_code == 403
    capacity.refresh_from_db()
    assert capacity.status == Status.POSTED


def test_secretary_reads_every_history(secretary_client):
    capacity = factories.capacity(Status.GRANTED)
    page = secretary_client.get(
        reverse("admin:capacities_capacity_history", args=[capacity.pk])
    ).content.decode()
    assert "tildelt" in page
    assert page.count("<tr>") >= 4
