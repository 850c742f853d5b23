"""Every record's history page says who changed what, when and why, field by field."""

from django.urls import reverse

from capacities.models import Action, Status
from tests import factories
from tests.admin.helpers import form_data, seen, transition_url


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
            "seen_history": seen(area),
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


def test_second_save_of_a_generic_form_is_refused_and_loses_nothing(editor_client, superuser):
    """Two staff open the same meeting; the first saves; the second, who saw the older
    version, is told so and nothing of the first one's change is overwritten."""
    meeting = factories.meeting()
    url = reverse("admin:capacities_committeemeeting_change", args=[meeting.pk])
    seen_by_both = seen(meeting)
    data = {"committee": meeting.committee_id, "date": "18.11.2024"}

    first = editor_client.post(
        url, {**data, "agenda_title": "Kapaciteter i Herlev", "seen_history": seen_by_both}
    )
    second = editor_client.post(
        url, {**data, "agenda_title": "Noget andet", "seen_history": seen_by_both}
    )

    assert first.status_code == 302
    assert second.status_code == 200
    assert "Nogen anden har gemt" in second.content.decode()
    assert "Noget andet" in second.content.decode()  # what the second one typed is kept
    meeting.refresh_from_db()
    assert meeting.agenda_title == "Kapaciteter i Herlev"


def test_generic_form_without_the_version_seen_is_refused(editor_client):
    meeting = factories.meeting()
    url = reverse("admin:capacities_committeemeeting_change", args=[meeting.pk])
    response = editor_client.post(
        url, {"committee": meeting.committee_id, "date": "18.11.2024", "agenda_title": "X"}
    )
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.agenda_title == ""


def test_a_first_assignment_reads_as_nothing_to_the_area_and_version_is_not_shown(
    editor_client, editor
):
    import datetime as dt

    from capacities import services

    pool = factories.pool(size=1)
    capacity = pool.capacities.get()
    ishoj = factories.area("Ishøj")
    services.allocate_pool_capacity(
        capacity,
        by=editor,
        on=dt.date(2024, 3, 1),
        area=ishoj,
        reason="Akut mangel",
        override_reason="Ingen tal for området endnu",
    )

    page = editor_client.get(
        reverse("admin:capacities_capacity_history", args=[capacity.pk])
    ).content.decode()

    newest = page.split("<tbody>")[1].split("</tr>")[0]
    assert "<strong>Planlægningsområde:</strong> — &rarr; Ishøj" in newest
    assert "pk=None" not in page and "Deleted" not in page
    assert "Version" not in page


def test_the_grantees_name_is_a_change_not_the_reason(editor_client, editor):
    import datetime as dt

    from capacities import services

    capacity = factories.capacity(Status.POSTED)
    services.grant_capacity(
        capacity,
        by=editor,
        on=dt.date(2024, 8, 1),
        grantee="Jens Jensen",
        establishment_deadline=dt.date(2025, 2, 1),
    )
    page = editor_client.get(
        reverse("admin:capacities_capacity_history", args=[capacity.pk])
    ).content.decode()
    newest = page.split("<tbody>")[1].split("</tr>")[0]
    why = newest.split("<td>")[4]
    assert "Jens Jensen" not in why
    assert "<strong>Tildelt til:</strong> — &rarr; Jens Jensen" in newest


def test_the_demo_user_has_one_name_in_history_and_transition_log(superuser_client, demo):
    from capacities.models import Capacity, Transition

    capacity = Capacity.objects.filter(area__name="Herlev").first()
    history = superuser_client.get(
        reverse("admin:capacities_capacity_history", args=[capacity.pk])
    ).content.decode()
    log = superuser_client.get(reverse("admin:capacities_transition_changelist")).content.decode()
    step = superuser_client.get(
        reverse("admin:capacities_transition_change", args=[Transition.objects.first().pk])
    ).content.decode()
    for page in (history, log, step):
        assert "Demodata" in page
        assert "demo-loader" not in page
