"""A doctor subscribes, confirms, gets one mail per new posting in the chosen areas, and
leaves with one click."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client
from django.utils import timezone

from alerts import mail as alert_mail
from alerts.models import AlertDelivery, Subscription
from capacities import services
from capacities.models import Capacity, Status
from tests import factories
from tests.alerts.conftest import D, links, path_of

pytestmark = pytest.mark.django_db

# What a mail program posts for the List-Unsubscribe-Post header (RFC 8058).
ONE_CLICK = {"List-Unsubscribe": "One-Click"}


def _alerts_to(email: str) -> list:
    return [m for m in mail.outbox if email in m.to]


# Subscribing and confirming


def test_subscribing_sends_a_confirmation_link_and_nothing_starts_before_it(subscribe, areas):
    response = subscribe("Doctor@Example.dk", ["herlev"])

    assert response.status_code == 302
    assert response["Location"] == "/abonnement/tjek-din-post/"
    (message,) = mail.outbox
    assert message.to == ["doctor@example.dk"]
    assert message.subject == "Bekræft dit abonnement på opslag af lægekapaciteter"
    assert "Herlev" in message.body
    assert any("/abonnement/bekraeft/" in link for link in links(message))
    subscription = Subscription.objects.get()
    assert not subscription.is_confirmed
    assert list(subscription.areas.all()) == []  # the request waits for the confirmation


def test_the_answer_page_says_to_check_the_mail(client, subscribe, areas):
    subscribe("doctor@example.dk", ["herlev"])
    page = client.get("/abonnement/tjek-din-post/").content.decode()
    assert "Se i din indbakke" in page and 'id="requested"' in page


def test_opening_the_link_shows_a_button_and_only_the_button_confirms(subscribe, run_hooks, areas):
    subscribe("doctor@example.dk", ["herlev", "ballerup"])
    (url,) = [link for link in links(mail.outbox[0]) if "/bekraeft/" in link]
    client = Client()

    page = client.get(path_of(url))
    assert page.status_code == 200
    assert "Ballerup" in page.content.decode() and "Herlev" in page.content.decode()
    assert not Subscription.objects.get().is_confirmed  # a link scanner confirms nothing

    with run_hooks():
        response = client.post(path_of(url))
    assert response.status_code == 200
    assert "Dit abonnement er aktivt" in response.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.is_confirmed
    assert sorted(a.slug for a in subscription.areas.all()) == ["ballerup", "herlev"]


def test_a_confirmation_link_works_once(subscribe, confirm_latest, areas):
    subscribe("doctor@example.dk", ["herlev"])
    assert confirm_latest("doctor@example.dk").status_code == 200
    response = Client().post(path_of(links(mail.outbox[0])[0]))
    assert response.status_code == 404
    assert "Linket virker ikke" in response.content.decode()


def test_a_confirmation_link_expires_after_seven_days(subscribe, areas):
    subscribe("doctor@example.dk", ["herlev"])
    Subscription.objects.update(confirmation_sent_at=timezone.now() - dt.timedelta(days=8))
    url = path_of(links(mail.outbox[0])[0])
    assert Client().get(url).status_code == 404
    assert Client().post(url).status_code == 404
    assert not Subscription.objects.get().is_confirmed


def test_subscribing_again_does_not_tell_whether_the_address_is_subscribed(
    subscribe, subscriber, areas
):
    subscriber("known@example.dk", ["herlev"])
    Subscription.objects.update(confirmation_sent_at=timezone.now() - dt.timedelta(hours=1))

    known = subscribe("known@example.dk", ["ballerup"])
    unknown = subscribe("new@example.dk", ["ballerup"])

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(_alerts_to("known@example.dk")) == len(_alerts_to("new@example.dk")) == 1
    assert _alerts_to("known@example.dk")[0].subject == _alerts_to("new@example.dk")[0].subject


def test_new_areas_apply_only_after_the_new_confirmation(
    subscribe, subscriber, confirm_latest, post, areas
):
    subscription = subscriber("doctor@example.dk", ["herlev"])
    Subscription.objects.update(confirmation_sent_at=timezone.now() - dt.timedelta(hours=1))
    subscribe("doctor@example.dk", ["ballerup"])

    post("Herlev")
    assert [m.subject for m in mail.outbox][-1] == "Ny lægekapacitet slået op i Herlev"
    assert [a.slug for a in subscription.areas.all()] == ["herlev"]  # still Herlev

    assert confirm_latest("doctor@example.dk").status_code == 200
    assert [a.slug for a in subscription.areas.all()] == ["ballerup"]


def test_only_one_confirmation_mail_per_address_in_ten_minutes(subscribe, areas):
    for _ in range(5):
        assert subscribe("victim@example.dk", ["herlev"]).status_code == 302
    assert len(mail.outbox) == 1

    Subscription.objects.update(confirmation_sent_at=timezone.now() - dt.timedelta(minutes=11))
    subscribe("victim@example.dk", ["herlev"])
    assert len(mail.outbox) == 2


def test_a_newer_request_replaces_the_older_link(subscribe, areas):
    subscribe("doctor@example.dk", ["herlev"])
    first = path_of(links(mail.outbox[0])[0])
    Subscription.objects.update(confirmation_sent_at=timezone.now() - dt.timedelta(hours=1))
    subscribe("doctor@example.dk", ["ballerup"])
    assert Client().post(first).status_code == 404


def test_bad_form_input_shows_errors_and_subscribes_nobody(client, areas):
    for data in [
        {"email": "not-an-address"},
        {"email": ""},
        {"email": "doctor@example.dk", "areas": ["999999"]},
        {"email": "doctor@example.dk", "areas": ["abc"]},
        {"email": "x" * 300 + "@example.dk"},
    ]:
        response = client.post("/abonnement/", data)
        assert response.status_code == 400, data
        assert 'id="form-errors"' in response.content.decode(), data
    assert not Subscription.objects.exists()
    assert mail.outbox == []


# Alerts


def test_a_posting_mails_each_subscriber_of_its_area_once(subscriber, subscribe, post, areas):
    subscriber("herlev@example.dk", ["herlev"])
    subscriber("everywhere@example.dk")
    subscriber("ballerup@example.dk", ["ballerup"])
    subscribe("unconfirmed@example.dk", ["herlev"])
    mail.outbox.clear()

    capacity = post("Herlev", application_deadline=D(2024, 4, 1), remark="Praksis i centrum")

    assert sorted(m.to[0] for m in mail.outbox) == ["everywhere@example.dk", "herlev@example.dk"]
    message = _alerts_to("herlev@example.dk")[0]
    assert message.subject == "Ny lægekapacitet slået op i Herlev"
    assert "Ansøgningsfrist: 1. april 2024" in message.body
    assert "Praksis i centrum" in message.body
    assert f"https://testserver/opslag/{capacity.pk}/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Praksis i centrum" in html


def test_running_the_hook_again_sends_nothing_more(subscriber, post, areas):
    subscriber("doctor@example.dk", ["herlev"])
    capacity = post("Herlev")
    assert len(mail.outbox) == 1

    assert alert_mail.send_alerts(capacity.pk).sent == 0
    assert alert_mail.send_alerts(capacity.pk).sent == 0
    assert len(mail.outbox) == 1
    assert AlertDelivery.objects.count() == 1


def test_a_posting_rolled_back_mails_nobody(subscriber, run_hooks, areas):
    subscriber("doctor@example.dk", ["herlev"])
    capacity = factories.capacity(Status.AWAITING_POSTING, in_area="Herlev")

    class Abort(Exception):
        pass

    from django.db import transaction

    with run_hooks(), pytest.raises(Abort), transaction.atomic():
        services.post_capacity(capacity, by=factories.staff_user(), on=D(2024, 3, 1))
        raise Abort
    assert mail.outbox == []


def test_posting_again_after_a_withdrawal_is_a_new_posting_and_mailed_again(
    subscriber, post, areas
):
    subscriber("doctor@example.dk", ["herlev"])
    capacity = post("Herlev")
    services.withdraw_posting(
        capacity, by=factories.staff_user(), on=D(2024, 3, 10), reason="Ingen egnede ansøgere"
    )
    post(capacity=capacity, on=D(2024, 4, 1))

    assert len(mail.outbox) == 2
    assert AlertDelivery.objects.filter(capacity=capacity).count() == 2


def test_a_lapsed_grant_posted_again_is_announced(subscriber, run_hooks, areas):
    subscriber("doctor@example.dk", ["herlev"])
    capacity = factories.capacity(Status.GRANTED, in_area="Herlev")  # posted before subscribing
    assert mail.outbox == []
    with run_hooks():
        services.lapse_grant(
            capacity,
            by=factories.staff_user(),
            on=D(2024, 6, 1),
            reason="Ansøgeren trak sig",
            to_status=Status.POSTED,
        )
    assert len(mail.outbox) == 1


def test_a_lapsed_grant_awaiting_a_decision_is_not_announced(subscriber, run_hooks, areas):
    subscriber("doctor@example.dk", ["herlev"])
    capacity = factories.capacity(Status.GRANTED, in_area="Herlev")
    with run_hooks():
        services.lapse_grant(
            capacity, by=factories.staff_user(), on=D(2024, 6, 1), reason="Fristen overskredet"
        )
    assert mail.outbox == []


def test_an_area_covers_its_sub_areas_never_the_other_way(subscriber, post, areas):
    subscriber("broendby@example.dk", ["broendby"])
    subscriber("strand@example.dk", ["broendby-strand"])

    post("Brøndby Strand")
    assert sorted(m.to[0] for m in mail.outbox) == ["broendby@example.dk", "strand@example.dk"]

    mail.outbox.clear()
    post("Brøndby")
    assert [m.to[0] for m in mail.outbox] == ["broendby@example.dk"]


def test_an_english_subscription_gets_english_mail(subscriber, subscribe, post, areas):
    subscribe("english-request@example.dk", ["herlev"], language="en")
    assert mail.outbox[0].subject == "Confirm your alerts about GP capacity postings"
    assert "/en/abonnement/bekraeft/" in mail.outbox[0].body
    subscriber("english@example.dk", ["herlev"], language="en")
    subscriber("dansk@example.dk", ["herlev"])

    capacity = post("Herlev")

    english = _alerts_to("english@example.dk")[0]
    assert english.subject == "New GP capacity posted in Herlev"
    assert "Application deadline: none: applicants are assessed on a rolling basis" in english.body
    assert f"https://testserver/en/opslag/{capacity.pk}/" in english.body
    assert "/en/abonnement/afmeld/" in english.body
    assert _alerts_to("dansk@example.dk")[0].subject == "Ny lægekapacitet slået op i Herlev"


def test_a_subscriber_confirmed_after_the_posting_is_not_sent_it_later(subscriber, post, areas):
    capacity = post("Herlev")
    subscriber("late@example.dk", ["herlev"])
    assert alert_mail.send_alerts(capacity.pk).sent == 0
    assert mail.outbox == []


def test_a_capacity_no_longer_posted_is_not_announced(subscriber, post, areas):
    capacity = factories.capacity(Status.GRANTED, in_area="Herlev")
    subscriber("doctor@example.dk", ["herlev"])
    assert alert_mail.send_alerts(capacity.pk).sent == 0
    assert alert_mail.send_alerts(987654).sent == 0
    assert mail.outbox == []


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


def test_a_mail_server_failure_never_fails_the_posting_and_a_rerun_retries(
    subscriber, post, settings, areas, caplog
):
    subscriber("doctor@example.dk", ["herlev"])
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"

    capacity = post("Herlev")

    capacity.refresh_from_db()
    assert capacity.status == Capacity.Status.POSTED
    assert not AlertDelivery.objects.exists()
    assert "posting alert failed" in caplog.text

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert alert_mail.send_alerts(capacity.pk).sent == 1
    assert len(mail.outbox) == 1


# Leaving


def _unsubscribe_url(message) -> str:
    (url,) = [link for link in links(message) if "/afmeld/" in link]
    return path_of(url)


def test_every_alert_carries_one_click_unsubscribe_headers(subscriber, post, areas):
    subscription = subscriber("doctor@example.dk", ["herlev"])
    post("Herlev")
    (message,) = mail.outbox
    assert message.extra_headers["List-Unsubscribe"] == (
        f"<https://testserver/abonnement/afmeld/{subscription.token}/et-klik/>"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in message.message().as_string()


def test_the_unsubscribe_link_asks_then_unsubscribes_and_stops_the_mails(subscriber, post, areas):
    subscriber("doctor@example.dk", ["herlev"])
    post("Herlev")
    url = _unsubscribe_url(mail.outbox[0])
    client = Client(enforce_csrf_checks=True)

    page = client.get(url)
    assert page.status_code == 200
    assert "doctor@example.dk" in page.content.decode()
    assert Subscription.objects.exists()  # opening the link changes nothing

    token = client.cookies["csrftoken"].value
    response = client.post(url, {"csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert "Du er afmeldt" in response.content.decode()
    assert not Subscription.objects.exists()
    assert not AlertDelivery.objects.exists()

    mail.outbox.clear()
    post("Herlev")
    assert mail.outbox == []
    assert client.get(url).status_code == 404


def test_the_unsubscribe_form_needs_its_csrf_token(subscriber, areas):
    subscription = subscriber("doctor@example.dk", ["herlev"])
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/abonnement/afmeld/{subscription.token}/")
    assert response.status_code == 403
    assert Subscription.objects.exists()


def test_one_click_unsubscribe_works_without_cookies_or_csrf(subscriber, post, areas):
    subscription = subscriber("doctor@example.dk", ["herlev"])
    url = f"/abonnement/afmeld/{subscription.token}/et-klik/"
    client = Client(enforce_csrf_checks=True)

    assert client.get(url).status_code == 405  # only the mail program's POST
    response = client.post(url, ONE_CLICK)
    assert response.status_code == 200
    assert not Subscription.objects.exists()

    post("Herlev")
    assert mail.outbox == []
    assert client.post(url, ONE_CLICK).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/abonnement/bekraeft/nonsense/",
        "/abonnement/bekraeft/" + "a" * 43 + "/",
        "/abonnement/bekraeft/" + "a" * 500 + "/",
        "/abonnement/bekraeft/%00%FF/",
        "/abonnement/afmeld/nonsense/",
        "/abonnement/afmeld/" + "a" * 500 + "/",
        "/abonnement/afmeld/%E2%80%8B/",
        "/en/abonnement/afmeld/nonsense/",
    ],
)
def test_bad_tokens_get_a_clear_page_and_change_nothing(path, subscriber, areas):
    subscriber("doctor@example.dk", ["herlev"])
    client = Client()
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 404, path
        assert 'id="bad-link"' in response.content.decode()
    assert client.post(path.rstrip("/") + "/et-klik/").status_code == 404
    assert Subscription.objects.confirmed().count() == 1


def test_the_confirmation_mail_can_also_cancel_the_request(subscribe, areas):
    subscribe("doctor@example.dk", ["herlev"])
    header = mail.outbox[0].extra_headers["List-Unsubscribe"]
    response = Client().post(path_of(header.strip("<>")), ONE_CLICK)
    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_a_run_that_lost_the_race_to_another_sends_nothing(subscriber, post, areas):
    # Two runs at once both find the subscriber unmailed; the unique record decides which
    # one mails. Here the other run has just recorded its mail.
    subscription = subscriber("doctor@example.dk", ["herlev"])
    capacity = post("Herlev")
    mail.outbox.clear()
    posting = alert_mail.current_posting(capacity)
    AlertDelivery.objects.filter(subscription=subscription).delete()
    AlertDelivery.objects.create(subscription=subscription, posting=posting, capacity=capacity)

    sent = alert_mail._deliver(
        subscription, capacity, posting, base="https://testserver", connection=None
    )

    assert sent is False
    assert mail.outbox == []
    assert AlertDelivery.objects.count() == 1
