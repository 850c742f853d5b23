"""The deadlines calendar on the region's demo data (loaded once for this module)."""

from __future__ import annotations

import re

import pytest

from tests.alerts.test_ical import URL, events
from tests.portal.conftest import _demo_for_module, demo  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_demo_deadlines_are_in_the_calendar(client, demo):  # noqa: F811
    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert body.endswith("END:VCALENDAR\r\n")
    found = events(body)
    # The 14 granted capacities of the memo; the two open postings have no deadline.
    assert len(found) == 14
    assert all(e["SUMMARY"].startswith("Etableringsfrist: lægekapacitet i ") for e in found)
    amager = sorted(e["DTSTART;VALUE=DATE"] for e in found if e["SUMMARY"].endswith(" i Amager"))
    assert amager == ["20250501", "20250901"]
    (broendby,) = [e for e in found if e["SUMMARY"].endswith(" i Brøndby")]
    assert broendby["DTSTART;VALUE=DATE"] == "20241101"
    assert broendby["DTEND;VALUE=DATE"] == "20241102"
    assert broendby["DESCRIPTION"] == "lægerne meddeler at de aktiverer pr. 1 november 2024"
    assert broendby["URL"] == "http://testserver/omraader/broendby/"
    assert re.fullmatch(r"establishment-deadline-\d+@kapacitetsportalen", broendby["UID"])
    assert re.fullmatch(r"\d{8}T\d{6}Z", broendby["DTSTAMP"])
    assert len({e["UID"] for e in found}) == 14


def test_every_line_ends_in_crlf_and_fits_75_octets(client, demo):  # noqa: F811
    body = client.get(URL).content
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
