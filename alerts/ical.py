"""The deadlines as an iCalendar feed (RFC 5545), written by hand: a handful of all-day events
needs no library.

One event per open posting's application deadline and per granted capacity's establishment
deadline. The UID is stable per capacity and kind of deadline, so a calendar that subscribes
to the feed updates an event when its deadline moves instead of adding a second one; SEQUENCE
is the capacity's version, which rises with every change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from capacities.models import Capacity, Status
from common.text import clean_text
from coverage_areas.models import PlanningArea

PRODID = "-//Region Hovedstaden//Kapacitetsportalen//DA"
UID_DOMAIN = "kapacitetsportalen"
CRLF = "\r\n"
LINE_OCTETS = 75


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11), after dropping the control characters TEXT may
    not hold."""
    return (
        clean_text(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets (RFC 5545 3.1), each continuation
    starting with a space, never inside a UTF-8 character."""
    parts: list[str] = []
    current, size, limit = [], 0, LINE_OCTETS
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append("".join(current))
            # A continuation line's leading space counts towards its 75 octets.
            current, size, limit = [], 0, LINE_OCTETS - 1
        current.append(char)
        size += width
    parts.append("".join(current))
    return (CRLF + " ").join(parts)


@dataclass(frozen=True)
class Deadline:
    uid: str
    day: dt.date
    summary: str
    description: str
    url: str
    sequence: int


def deadlines_queryset(areas: Iterable[PlanningArea] | None = None):
    queryset = (
        Capacity.objects.filter(
            status__in=[Status.POSTED, Status.GRANTED],
        )
        .select_related("area")
        .order_by("area__name", "id")
    )
    if areas is not None:
        queryset = queryset.filter(area__in=[area.pk for area in areas])
    return queryset


def deadlines(capacities: Iterable[Capacity], *, url_for) -> list[Deadline]:
    """`url_for(capacity)` gives the absolute address of the page about the capacity."""
    events: list[Deadline] = []
    for capacity in capacities:
        area = capacity.area.name
        if capacity.status == Status.POSTED and capacity.application_deadline:
            events.append(
                Deadline(
                    uid=f"application-deadline-{capacity.pk}@{UID_DOMAIN}",
                    day=capacity.application_deadline,
                    summary=f"Ansøgningsfrist: lægekapacitet i {area}",
                    description=capacity.posting_remark,
                    url=url_for(capacity),
                    sequence=capacity.version,
                )
            )
        elif capacity.status == Status.GRANTED and capacity.establishment_deadline:
            events.append(
                Deadline(
                    uid=f"establishment-deadline-{capacity.pk}@{UID_DOMAIN}",
                    day=capacity.establishment_deadline,
                    summary=f"Etableringsfrist: lægekapacitet i {area}",
                    description=capacity.grant_remark,
                    url=url_for(capacity),
                    sequence=capacity.version,
                )
            )
    return sorted(events, key=lambda event: (event.day, event.uid))


def render(events: Iterable[Deadline], *, name: str, now: dt.datetime) -> str:
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{stamp}",
            f"SEQUENCE:{event.sequence}",
            f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{event.day + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape(event.summary)}",
        ]
        if event.description:
            lines.append(f"DESCRIPTION:{escape(event.description)}")
        lines += [f"URL:{event.url}", "TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
