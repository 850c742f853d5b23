"""The admin reads Danish (the project serves unprefixed paths, the admin's among them, in
LANGUAGE_CODE)."""

from django.urls import reverse

from capacities.models import Status
from tests import factories
from tests.admin.helpers import change_url


def test_danish_by_default_with_danish_dates(editor_client):
    capacity = factories.capacity(Status.POSTED)
    page = editor_client.get(change_url(capacity)).content.decode()
    assert "Træk opslaget tilbage" in page
    assert "Tildel" in page
    assert "Ansøgningsfrist" in page
    assert "01.04.2024" in page  # the application deadline, as the region writes dates


def test_transition_log_entry_reads_in_danish(secretary_client):
    capacity = factories.capacity(Status.GRANTED)
    step = capacity.transitions.last()
    page = secretary_client.get(
        reverse("admin:capacities_transition_change", args=[step.pk])
    ).content.decode()
    assert "Tilstanden efter trinnet" in page
    assert "01.05.2024" in page  # effective date of the grant
    assert "01.01.2025" in page  # establishment deadline
    assert "Anne Holm" in page
