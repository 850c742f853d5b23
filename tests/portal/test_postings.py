"""A posting page says how to apply, keeps its address after the posting closes, and a
capacity posted again is a new posting with its own page."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from capacities import services
from capacities.models import Capacity, PostingChannel, Status
from coverage_areas.models import RegionProfile
from tests import factories


def text_of(response) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def rodovre(autumn_2024) -> Capacity:
    return Capacity.objects.get(status=Status.POSTED, area__name="Rødovre")


def test_a_posting_without_its_own_details_shows_the_regions_way_to_apply(client, rodovre):
    region = RegionProfile.current()
    region.application_contact = "Praksisafdelingen, Rekrutteringsfunktionen"
    region.application_email = "praksis@region.example.dk"
    region.application_phone = "38 66 50 00"
    region._history_user = factories.staff_user()
    region.save()

    page = client.get(f"/opslag/{rodovre.pk}/").content.decode()

    assert 'href="mailto:praksis@region.example.dk"' in page
    assert 'href="tel:38665000"' in page
    assert "Praksisafdelingen, Rekrutteringsfunktionen" in page
    assert "Send din ansøgning til regionen" in page  # the default procedure


def test_a_posting_with_its_own_details_and_channels_shows_those(client, autumn_2024, editor):
    capacity = factories.capacity(Status.AWAITING_POSTING, in_area="Herlev")
    journal = PostingChannel.objects.get(name_da="Ugeskrift for Læger")
    services.post_capacity(
        capacity,
        by=editor,
        on=dt.date(2024, 10, 1),
        remark="Skriv til lone@praksis.example.dk for at høre mere.",
        channel_ids=[journal.pk],
        channels="Lokalavisen",
        application_contact="Lone Holm",
        application_email="lone@praksis.example.dk",
        application_url="https://job.example.dk/123",
    )

    page = client.get(f"/opslag/{capacity.pk}/").content.decode()

    assert "Lone Holm" in page and 'href="https://job.example.dk/123"' in page
    assert page.count('href="mailto:lone@praksis.example.dk"') == 2  # the remark's too
    assert "Ugeskrift for Læger" in page and "Lokalavisen" in page
    assert "Send din ansøgning til regionen" not in page  # no mix with the default


def test_a_posting_with_a_bad_e_mail_is_refused_and_nothing_changes(autumn_2024, editor):
    capacity = factories.capacity(Status.AWAITING_POSTING, in_area="Herlev")
    with pytest.raises(services.TransitionError) as refused:
        services.post_capacity(
            capacity, by=editor, on=dt.date(2024, 10, 1), application_email="lone@"
        )
    assert refused.value.code == "bad_application"
    capacity.refresh_from_db()
    assert capacity.status == Status.AWAITING_POSTING


def test_a_granted_posting_keeps_its_page_without_naming_the_grantee(client, rodovre, editor):
    services.grant_capacity(
        rodovre,
        by=editor,
        on=dt.date(2024, 10, 20),
        grantee="Dr. Hemmelig Navnesen",
        establishment_deadline=dt.date(2025, 6, 1),
    )

    response = client.get(f"/en/opslag/{rodovre.pk}/")

    assert response.status_code == 200
    text = text_of(response)
    assert "This posting is closed: the capacity was granted on 20 October 2024." in text
    assert "Navnesen" not in text
    assert "How to apply" not in text
    assert f'href="/en/omraader/{rodovre.area.slug}/"' in response.content.decode()


def test_a_capacity_posted_again_is_a_new_posting_with_its_own_page(client, rodovre, editor):
    from capacities.postings import postings_of

    services.withdraw_posting(rodovre, by=editor, on=dt.date(2024, 10, 10), reason="Fejl")
    services.post_capacity(
        rodovre, by=editor, on=dt.date(2024, 10, 20), application_deadline=dt.date(2024, 12, 1)
    )
    first, second = postings_of(rodovre.pk)

    old = text_of(client.get(f"/en/opslag/{rodovre.pk}/{first.pk}/"))
    new = text_of(client.get(f"/en/opslag/{rodovre.pk}/{second.pk}/"))

    assert "This posting is closed: it was withdrawn on 10 October 2024." in old
    assert "closed" not in new.split("Planning area")[0]
    assert "1 December 2024" in new
    # The capacity's address shows its current posting.
    assert "1 December 2024" in text_of(client.get(f"/en/opslag/{rodovre.pk}/"))


def test_the_posting_page_costs_a_fixed_number_of_queries(
    client, rodovre, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        assert client.get(f"/opslag/{rodovre.pk}/").status_code == 200
