"""The memo in the admin: export page, issued memos, editable wording; who may do what."""

import base64
import datetime as dt
import hashlib
import io
import json
import re

import pypdf
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from memos.models import IssuedMemo, MemoWording

EXPORT_URL = "/admin/memos/issuedmemo/export/"
SEED_QUERY = {"as_of": "2024-10-24", "format": "pdf"}


@pytest.fixture
def plain_staff_client(db) -> Client:
    """Staff, but in no group: may log in to the admin and nothing more."""
    user = get_user_model().objects.create_user(username="plain", is_staff=True)
    client = Client()
    client.force_login(user)
    return client


def issue(client: Client, as_of: str = "2024-10-24"):
    return client.post(EXPORT_URL, {"as_of": as_of, "format": "pdf", "issue": "Udsted"})


def test_export_page_has_the_name_the_dashboard_links_to():
    assert reverse("admin:memos_issuedmemo_export") == EXPORT_URL


@pytest.mark.django_db
def test_anonymous_is_sent_to_the_login_page(anonymous_client):
    response = anonymous_client.get(EXPORT_URL, SEED_QUERY)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/admin/memos/issuedmemo/export/")


@pytest.mark.django_db
@pytest.mark.parametrize("people", ["outsider", "plain_staff"])
def test_people_without_the_export_right_are_refused(people, request, outsider):
    if people == "outsider":
        client = Client()
        client.force_login(outsider)
    else:
        client = request.getfixturevalue("plain_staff_client")

    assert client.get(EXPORT_URL).status_code == 403
    assert client.get(EXPORT_URL, SEED_QUERY).status_code == 403
    assert issue(client).status_code == 403
    assert not IssuedMemo.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("people", ["editor_client", "secretary_client", "superuser_client"])
def test_editors_secretaries_and_superusers_get_the_page(people, request):
    client = request.getfixturevalue(people)

    response = client.get(EXPORT_URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="as_of"' in content
    assert 'value="docx"' in content
    assert timezone.localdate().isoformat() in content  # today by default


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("format_name", "content_type", "disposition"),
    [
        ("pdf", "application/pdf", "attachment"),
        ("docx", "application/vnd.openxmlformats", "attachment"),
        ("xlsx", "application/vnd.openxmlformats", "attachment"),
        ("csv", "text/csv", "attachment"),
        ("json", "application/json", "attachment"),
        ("html", "text/html", "inline"),
    ],
)
def test_download_in_each_format(secretary_client, demo, format_name, content_type, disposition):
    response = secretary_client.get(EXPORT_URL, {"as_of": "2024-10-24", "format": format_name})

    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"] == (
        f'{disposition}; filename="notat-inaktive-kapaciteter-2024-10-24.{format_name}"'
    )


@pytest.mark.django_db
def test_print_view_allows_exactly_its_own_stylesheet(editor_client):
    response = editor_client.get(EXPORT_URL, {"as_of": "2024-10-24", "format": "html"})

    style = re.search(r"<style>(.*?)</style>", response.content.decode(), re.DOTALL).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    policy = response["Content-Security-Policy"]
    assert f"'sha256-{digest}'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_downloaded_json_is_the_memo_of_the_chosen_date(editor_client, demo):
    response = editor_client.get(EXPORT_URL, {"as_of": "2024-10-24", "format": "json"})

    data = json.loads(response.content)
    assert data["as_of"] == "2024-10-24"
    assert (data["posted"]["total"], data["granted"]["total"]) == (3, 14)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"as_of": "not a date", "format": "pdf"}, "Indtast en gyldig dato"),
        ({"as_of": "2999-01-01", "format": "pdf"}, "eller en tidligere dato, ikke 01.01.2999"),
        ({"as_of": "2024-10-24", "format": "odt"}, "Marker en gyldig valgmulighed"),
    ],
)
def test_bad_date_or_format_shows_the_form_again_with_a_message(editor_client, query, message):
    response = editor_client.get(EXPORT_URL, query)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()


@pytest.mark.django_db
def test_wrong_method_is_refused(editor_client):
    assert editor_client.put(EXPORT_URL).status_code == 405


@pytest.mark.django_db
def test_secretary_issues_a_memo_kept_exactly_as_generated(secretary_client, secretary, demo):
    response = issue(secretary_client)

    issued = IssuedMemo.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:memos_issuedmemo_change", args=[issued.pk])
    assert issued.as_of == dt.date(2024, 10, 24)
    assert issued.issued_by == secretary
    assert json.loads(issued.json)["granted"]["total"] == 14
    assert issued.pdf_sha256 == IssuedMemo.digest(bytes(issued.pdf))
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(issued.pdf)).pages)
    assert "I alt 14" in text

    pdf = secretary_client.get(reverse("admin:memos_issuedmemo_document", args=[issued.pk, "pdf"]))
    assert pdf.status_code == 200
    assert pdf.content == bytes(issued.pdf)
    assert f"udstedt-{issued.pk}.pdf" in pdf["Content-Disposition"]
    stored_json = secretary_client.get(
        reverse("admin:memos_issuedmemo_document", args=[issued.pk, "json"])
    )
    assert stored_json.content.decode() == issued.json


@pytest.mark.django_db
def test_issued_memo_stays_as_issued_when_later_events_are_recorded(editor_client, demo):
    from capacities import services
    from capacities.models import Capacity, Status
    from tests.factories import staff_user

    issue(editor_client)
    issued = IssuedMemo.objects.get()
    capacity = Capacity.objects.filter(area__name="Ballerup", status=Status.GRANTED).get()
    services.establish_capacity(capacity, by=staff_user(), on=dt.date(2024, 10, 20))

    issued.refresh_from_db()
    assert json.loads(issued.json)["granted"]["total"] == 14
    fresh = editor_client.get(EXPORT_URL, {"as_of": "2024-10-24", "format": "json"})
    assert json.loads(fresh.content)["granted"]["total"] == 13


@pytest.mark.django_db
def test_future_issue_date_is_refused_and_nothing_is_stored(editor_client):
    response = issue(editor_client, "2999-01-01")

    assert response.status_code == 200
    assert "eller en tidligere dato, ikke 01.01.2999" in response.content.decode()
    assert not IssuedMemo.objects.exists()


@pytest.mark.django_db
def test_nobody_changes_or_deletes_an_issued_memo(superuser_client, secretary_client, demo):
    issue(secretary_client)
    issued = IssuedMemo.objects.get()
    change_url = reverse("admin:memos_issuedmemo_change", args=[issued.pk])

    page = superuser_client.get(change_url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert superuser_client.post(change_url, {"as_of": "2020-01-01"}).status_code == 403
    delete_url = reverse("admin:memos_issuedmemo_delete", args=[issued.pk])
    assert superuser_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert superuser_client.get(reverse("admin:memos_issuedmemo_add")).status_code == 403
    issued.refresh_from_db()
    assert issued.as_of == dt.date(2024, 10, 24)


@pytest.mark.django_db
def test_issued_memos_are_listed_with_download_links(secretary_client, demo):
    issue(secretary_client)
    issued = IssuedMemo.objects.get()

    response = secretary_client.get(reverse("admin:memos_issuedmemo_changelist"))

    assert response.status_code == 200
    content = response.content.decode()
    assert reverse("admin:memos_issuedmemo_document", args=[issued.pk, "pdf"]) in content
    assert EXPORT_URL in content


@pytest.mark.django_db
def test_issued_document_bad_id_or_kind_is_not_found(secretary_client, plain_staff_client):
    assert secretary_client.get("/admin/memos/issuedmemo/999/download/pdf/").status_code == 404
    assert secretary_client.get("/admin/memos/issuedmemo/999/download/exe/").status_code == 404
    assert plain_staff_client.get("/admin/memos/issuedmemo/999/download/pdf/").status_code == 403


# The wording


def wording_url(key: str) -> str:
    return reverse("admin:memos_memowording_change", args=[MemoWording.objects.get(key=key).pk])


@pytest.mark.django_db
def test_editor_changes_the_wording_and_the_memo_uses_it(editor_client, editor):
    url = wording_url("b_channels")

    response = editor_client.post(url, {"text": "Opslag på {{hjemmesiden}}."})

    assert response.status_code == 302
    row = MemoWording.objects.get(key="b_channels")
    assert row.text == "Opslag på {{hjemmesiden}}."
    assert row.history.first().history_user == editor
    memo = editor_client.get(EXPORT_URL, {"as_of": "2024-10-24", "format": "html"})
    assert "Opslag på {hjemmesiden}." in memo.content.decode()


@pytest.mark.django_db
def test_bad_placeholder_is_refused_with_a_clear_message(editor_client):
    url = wording_url("b_heading")
    before = MemoWording.objects.get(key="b_heading").text

    response = editor_client.post(url, {"text": "I opslag ({antal})"})

    assert response.status_code == 200
    assert "Ukendt pladsholder {antal}. Tilladt her: {total}." in response.content.decode()
    assert MemoWording.objects.get(key="b_heading").text == before


@pytest.mark.django_db
def test_wording_page_lists_the_allowed_placeholders(editor_client):
    response = editor_client.get(wording_url("a_meeting"))

    content = response.content.decode()
    assert "<code>{meeting_date}</code>" in content
    assert "<code>{committee}</code>" in content


@pytest.mark.django_db
def test_secretary_reads_but_does_not_change_the_wording(secretary_client):
    url = wording_url("intro")

    assert secretary_client.get(url).status_code == 200
    assert secretary_client.post(url, {"text": "Ændret"}).status_code == 403
    assert MemoWording.objects.get(key="intro").text.startswith("Følgende bilag")


@pytest.mark.django_db
def test_the_export_page_has_one_date_for_download_and_issue(editor_client, demo):
    page = editor_client.get(EXPORT_URL).content.decode()
    assert page.count('name="as_of"') == 1
    assert 'name="download"' in page and 'name="issue"' in page

    response = editor_client.post(
        EXPORT_URL, {"as_of": "2024-10-24", "format": "json", "download": "Hent"}
    )
    assert response.status_code == 200
    assert b'"as_of": "2024-10-24"' in response.content
    assert not IssuedMemo.objects.exists()

    issue(editor_client, "2024-10-24")
    assert IssuedMemo.objects.get().as_of.isoformat() == "2024-10-24"
