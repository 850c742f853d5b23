"""The deadlines calendar: the demo's deadlines, RFC 5545 line endings, folding and escaping,
the area filter, constant queries, and no 500 whatever the query string."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alerts import ical
from capacities import services
from capacities.models import Status
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/feeds/deadlines.ics"


def unfold(body: str) -> list[str]:
    return body.replace("\r\n ", "").split("\r\n")[:-1]


def events(body: str) -> list[dict[str, str]]:
    found, current = [], None
    for line in unfold(body):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            found.append(current)
            current = None
        elif current is not None:
            name, value = line.split(":", 1)
            current[name] = value
    return found


def test_the_uid_is_stable_when_the_deadline_moves(client, db):
    capacity = factories.capacity(Status.POSTED, in_area="Herlev")  # deadline 1 April 2024
    (before,) = events(client.get(URL).content.decode())
    by = factories.staff_user()
    services.withdraw_posting(capacity, by=by, on=dt.date(2024, 3, 10), reason="Ny beslutning")
    services.post_capacity(
        capacity, by=by, on=dt.date(2024, 4, 1), application_deadline=dt.date(2024, 5, 15)
    )

    (after,) = events(client.get(URL).content.decode())

    assert after["UID"] == before["UID"] == f"application-deadline-{capacity.pk}@kapacitetsportalen"
    assert (before["DTSTART;VALUE=DATE"], after["DTSTART;VALUE=DATE"]) == ("20240401", "20240515")
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])


def test_an_open_postings_deadline_and_its_remark_escaped_and_folded(client, db):
    capacity = factories.capacity(Status.AWAITING_POSTING, in_area="Høje-Taastrup")
    remark = (
        "Praksis i centrum, tæt på stationen; kontakt os på 1234 5678. "
        "Bemærk: lokalerne deles med to øvrige læger, og der er plads til uddannelseslæger"
    )
    services.post_capacity(
        capacity,
        by=factories.staff_user(),
        on=dt.date(2024, 5, 1),
        application_deadline=dt.date(2024, 6, 30),
        remark=remark + "\nNy linje",
    )

    body = client.get(URL).content.decode()

    raw_lines = body.split("\r\n")
    assert any(line.startswith(" ") for line in raw_lines)  # the remark was folded
    assert all(len(line.encode()) <= 75 for line in raw_lines)
    (event,) = events(body)
    assert event["UID"] == f"application-deadline-{capacity.pk}@kapacitetsportalen"
    assert event["SUMMARY"] == "Ansøgningsfrist: lægekapacitet i Høje-Taastrup"
    assert event["DTSTART;VALUE=DATE"] == "20240630"
    assert event["DESCRIPTION"] == (
        "Praksis i centrum\\, tæt på stationen\\; kontakt os på 1234 5678. Bemærk: "
        "lokalerne deles med to øvrige læger\\, og der er plads til uddannelseslæger\\nNy linje"
    )
    assert event["URL"] == f"http://testserver/opslag/{capacity.pk}/"


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a,b", "a\\,b"),
        ("a;b", "a\\;b"),
        ("a\\b", "a\\\\b"),
        ("a\nb", "a\\nb"),
        ("a\r\nb", "a\\nb"),
        ("æøå", "æøå"),
    ],
)
def test_text_escaping(text, escaped):
    assert ical.escape(text) == escaped


@given(st.text(min_size=0, max_size=300))
def test_folding_never_splits_a_character_and_unfolds_to_the_line(line):
    folded = ical.fold(line)
    parts = folded.split("\r\n ")
    assert all(len(part.encode()) <= 75 for part in parts[:1])
    assert all(len(part.encode()) <= 74 for part in parts[1:])
    assert "".join(parts) == line


def test_the_area_filter_includes_sub_areas(client, db):
    broendby = factories.area("Brøndby")
    factories.area("Brøndby Strand", parent=broendby)
    for name in ("Brøndby", "Brøndby Strand", "Herlev"):
        factories.capacity(Status.GRANTED, in_area=name)

    def areas(query: str) -> list[str]:
        found = events(client.get(f"{URL}?{query}").content.decode())
        return sorted(e["SUMMARY"].split(" i ", 1)[1] for e in found)

    assert areas("area=broendby") == ["Brøndby", "Brøndby Strand"]
    assert areas("area=broendby-strand") == ["Brøndby Strand"]
    assert areas("area=herlev") == ["Herlev"]
    assert areas("area=") == ["Brøndby", "Brøndby Strand", "Herlev"]
    body = client.get(f"{URL}?area=broendby").content.decode()
    assert "X-WR-CALNAME:Frister for lægekapaciteter i Brøndby\r\n" in body


def test_an_unknown_area_is_not_found(client, db):
    factories.area("Herlev")
    for slug in ("atlantis", "Herlev", quote("hørsholm"), "%00", "a" * 500):
        response = client.get(f"{URL}?area={slug}")
        assert response.status_code == 404, slug


def test_only_get_and_head(client, db):
    assert client.head(URL).status_code == 200
    assert client.post(URL).status_code == 405


def _grant(count: int, area: str) -> None:
    for _ in range(count):
        factories.capacity(Status.GRANTED, in_area=area)


@pytest.mark.parametrize("query", ["", "?area=herlev"])
def test_the_query_count_does_not_grow_with_data(client, db, query, django_assert_num_queries):
    factories.area("Brøndby")
    _grant(2, "Herlev")
    with django_assert_num_queries(2 if query else 1):
        assert client.get(URL + query).status_code == 200
    _grant(6, "Herlev")
    _grant(3, "Ballerup")
    with django_assert_num_queries(2 if query else 1):
        response = client.get(URL + query)
    assert len(events(response.content.decode())) == (8 if query else 11)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.text(max_size=40))
def test_any_query_string_never_fails(client, db, text):
    factories.area("Herlev")
    for query in (f"area={quote(text)}", quote(text), f"area=herlev&area={quote(text)}"):
        response = client.get(f"{URL}?{query}")
        assert response.status_code in (200, 404), query
