"""The subscribe form cannot be used to flood mailboxes: limits per client address and per
mailbox (+tags, quotes and case folded), addresses at public domains only, and unconfirmed
requests forgotten once their link has expired."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from alerts.limits import mailbox_key
from alerts.models import ConfirmationRequest, Subscription

pytestmark = pytest.mark.django_db


def _ask(email: str, *, ip: str = "203.0.113.7", subscribe=None):
    return subscribe(email, client=Client(REMOTE_ADDR=ip))


@pytest.mark.parametrize(
    "address",
    [
        "victim@example.dk",
        "Victim@Example.DK",
        "victim+1@example.dk",
        "VICTIM+news@example.dk",
        '"victim"@example.dk',
        '"victim+2"@EXAMPLE.dk',
        "victim@example.dk.",
    ],
)
def test_every_spelling_of_a_mailbox_is_one_mailbox(address):
    assert mailbox_key(address) == "victim@example.dk"


def test_one_client_gets_ten_confirmation_mails_an_hour_then_a_clear_429(subscribe, areas):
    for n in range(10):
        assert _ask(f"doctor{n}@example.dk", subscribe=subscribe).status_code == 302
    assert len(mail.outbox) == 10

    response = _ask("doctor10@example.dk", subscribe=subscribe)

    assert response.status_code == 429
    assert "Prøv igen senere" in response.content.decode()
    assert len(mail.outbox) == 10
    # Another client is not held back by the first one.
    assert _ask("doctor11@example.dk", ip="198.51.100.9", subscribe=subscribe).status_code == 302
    assert len(mail.outbox) == 11


def test_varying_plus_tags_quotes_and_case_gets_a_mailbox_three_mails_a_day(subscribe, areas):
    variants = [
        "victim+1@example.dk",
        "VICTIM+2@example.dk",
        '"victim+3"@example.dk',
        "Victim+4@Example.dk",
        "victim+5@example.dk",
    ]
    for n, address in enumerate(variants):
        # From as many clients, so that only the mailbox limit applies.
        response = _ask(address, ip=f"192.0.2.{n + 1}", subscribe=subscribe)
        # The page answers the same whatever the limit did: it tells nothing about the box.
        assert response.status_code == 302

    assert len(mail.outbox) == 3


def test_the_limits_look_back_an_hour_and_a_day(subscribe, areas):
    for n in range(10):
        _ask(f"doctor{n}@example.dk", subscribe=subscribe)
    ConfirmationRequest.objects.update(requested_at=timezone.now() - dt.timedelta(hours=2))

    assert _ask("later@example.dk", subscribe=subscribe).status_code == 302
    assert len(mail.outbox) == 11


@pytest.mark.parametrize(
    "address",
    [
        "victim@localhost",
        "victim@[127.0.0.1]",
        "victim@127.0.0.1",
        "victim@mailserver",
        "victim@printer.local",
        "victim@intranet.internal",
        "victim@host.localhost",
        "victim@router.lan",
        "victim@x.test",
    ],
)
def test_addresses_at_non_public_domains_are_refused_with_a_message(client, areas, address):
    response = client.post("/abonnement/", {"email": address})

    assert response.status_code == 400
    assert "domæne" in response.content.decode() or "adresse" in response.content.decode()
    assert not Subscription.objects.exists()
    assert mail.outbox == []


def test_purge_forgets_unconfirmed_requests_whose_link_expired(subscribe, subscriber, areas):
    subscribe("never@example.dk")
    subscribe("recent@example.dk")
    kept = subscriber("kept@example.dk", ["herlev"])
    Subscription.objects.filter(pk=kept.pk).update(
        confirmation_sent_at=timezone.now() - dt.timedelta(minutes=11)
    )
    subscribe("kept@example.dk", ["ballerup"])  # a change of areas, never confirmed
    assert Subscription.objects.get(pk=kept.pk).pending_language == "da"
    eight_days_ago = timezone.now() - dt.timedelta(days=8)
    Subscription.objects.filter(email__in=["never@example.dk", "kept@example.dk"]).update(
        confirmation_sent_at=eight_days_ago
    )
    ConfirmationRequest.objects.update(requested_at=eight_days_ago)

    call_command("purge_alert_requests")

    assert sorted(Subscription.objects.values_list("email", flat=True)) == [
        "kept@example.dk",
        "recent@example.dk",
    ]
    kept.refresh_from_db()
    assert kept.pending_language == ""
    assert list(kept.areas.values_list("slug", flat=True)) == ["herlev"]
    assert not kept.pending_areas.exists()
    assert not ConfirmationRequest.objects.exists()
