"""The memo's figures and rows come from the record of effective dates (CONTRACT.md)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from capacities import services
from capacities.models import Capacity, Status
from common.text import danish_key, join_danish
from memos.build import build_memo, long_date
from memos.models import MemoWording
from memos.render import memo_to_dict
from tests import factories

D = dt.date
SEED_DAY = D(2024, 10, 24)
HERLEV_REMARK = (
    "Der er udmøntet en puljekapacitet ud fra de reviderede kriterier, der blev vedtaget i "
    "udvalget den 21. november 2023. Kapaciteten slås op snarligst."
)
NO_DEADLINE = "Kapacitet opslået uden frist. Eventuelle ansøgere vurderes løbende."
SEED_POSTED = [
    ("Herlev", 1, HERLEV_REMARK),
    ("Høje-Taastrup", 1, NO_DEADLINE),
    ("Rødovre", 1, NO_DEADLINE),
]
BRONDBY_REMARK = "lægerne meddeler at de aktiverer pr. 1 november 2024"
# Area, count, deadlines, overdue, remark: the seed's section c, in Danish alphabetical order.
SEED_GRANTED = [
    ("Amager", 2, ["2025-05-01", "2025-09-01"], False, ""),
    ("Ballerup", 1, ["2024-11-01"], False, ""),
    ("Bispebjerg", 1, ["2025-03-01"], False, ""),
    ("Brøndby", 1, ["2024-11-01"], False, BRONDBY_REMARK),
    ("Gladsaxe", 1, ["2025-08-01"], False, ""),
    ("Glostrup", 1, ["2025-05-01"], False, ""),
    ("Gribskov", 1, ["2024-10-01"], True, ""),
    ("Hillerød", 1, ["2025-01-01"], False, ""),
    ("Indre By", 1, ["2025-01-01"], False, ""),
    ("Rødovre", 1, ["2025-07-01"], False, ""),
    ("Valby", 1, ["2025-01-01"], False, ""),
    ("Vallensbæk", 2, ["2025-02-01"], False, ""),
]


def posted_rows(memo):
    return [(row.area, row.count, row.remark) for row in memo.posted.rows]


def granted_rows(memo):
    return [
        (r.area, r.count, [d.date.isoformat() for d in r.deadlines], r.overdue, r.remark)
        for r in memo.granted.rows
    ]


def set_wording(key: str, text: str) -> None:
    row = MemoWording.objects.get(key=key)
    row.text = text
    row.save()


def clerk():
    return factories.staff_user("memo-clerk")


def demo_capacity(area: str, status: str) -> Capacity:
    return Capacity.objects.filter(area__name=area, status=status).order_by("id").first()


@pytest.mark.django_db
def test_seed_memo_reproduces_every_row_count_deadline_and_remark(demo):
    memo = build_memo(SEED_DAY)

    assert memo.awaiting_decision.total == 1
    assert memo.awaiting_decision.meeting.date == D(2024, 11, 18)
    assert memo.awaiting_decision.meeting.committee == (
        "Udvalget for det nære og sammenhængende sundhedsvæsen"
    )
    assert posted_rows(memo) == SEED_POSTED
    assert memo.posted.total == 3
    assert granted_rows(memo) == SEED_GRANTED
    assert memo.granted.total == 14
    pool = memo.pool
    assert (pool.created, pool.allocated, pool.allocated_awaiting_posting, pool.remaining) == (
        10,
        6,
        1,
        3,
    )
    assert pool.created_on == D(2019, 11, 27)


@pytest.mark.django_db
def test_seed_memo_wording_is_the_secretaries_with_danish_number_and_dates(demo):
    memo = build_memo(SEED_DAY)

    assert memo.title == "Oversigt over inaktive kapaciteter"
    assert memo.intro[0].endswith("Oversigten er opdateret pr. 24. oktober 2024.")
    assert memo.awaiting_decision.heading.endswith("eventuel omfordeling (1 kapacitet)")
    assert memo.awaiting_decision.paragraphs[1].startswith(
        "Der er pr. 24. oktober 1 inaktiv kapacitet, der afventer beslutning om omfordeling "
        "af kapaciteterne på mødet i udvalget for det nære og sammenhængende "
        "sundhedsvæsen den 18. november 2024."
    )
    assert memo.posted.heading == "Kapaciteter, der er i opslag (3 kapaciteter)"
    assert memo.posted.paragraphs == (
        "Kapaciteter bliver opslået på regionens Min almen praksis-sektion, i nyhedsbrev fra "
        "Rekrutteringsfunktionen, i Ugeskrift for Læger mv.",
        "Kommuner og PLO-H orienterer om opslag via deres kanaler til lægerne.",
    )
    assert memo.granted.heading == "Status på tildelte kapaciteter (14 kapaciteter)"
    assert memo.pool.heading == "Puljekapaciteter (3 kapaciteter)"
    (history,) = memo.pool.paragraphs
    assert history.startswith("Den 27. november 2019 etablerede regionen 10 ekstra")
    assert "6 af disse kapaciteter er udmøntet" in history
    assert "Derudover er der tildelt én puljekapacitet til Herlev, der er på vej i opslag." in (
        history
    )
    assert history.endswith("Der er derfor fortsat 3 puljekapaciteter tilbage.")


@pytest.mark.django_db
def test_memo_for_a_past_date_ignores_events_recorded_later(demo):
    before = build_memo(SEED_DAY)
    by = clerk()
    # A grant, an establishment and a new return, all after 24 October 2024.
    services.grant_capacity(
        demo_capacity("Høje-Taastrup", Status.POSTED),
        by=by,
        on=D(2025, 1, 10),
        grantee="Ny Læge",
        establishment_deadline=D(2025, 6, 1),
    )
    services.establish_capacity(demo_capacity("Amager", Status.GRANTED), by=by, on=D(2025, 4, 1))
    services.return_capacity(
        demo_capacity("Ishøj", Status.ACTIVE),
        by=by,
        on=D(2025, 2, 28),
        reason=Capacity.ReturnReason.RELOCATION,
    )

    assert build_memo(SEED_DAY) == before

    later = build_memo(D(2025, 4, 15))
    # Frederikssund still waits (its meeting has passed, so none is named) and Ishøj joins it.
    assert later.awaiting_decision.total == 2
    assert later.awaiting_decision.meeting is None
    assert "2 inaktive kapaciteter" in later.awaiting_decision.paragraphs[-1]
    assert [row.area for row in later.posted.rows] == ["Herlev", "Rødovre"]
    granted = {row.area: row for row in later.granted.rows}
    assert granted["Høje-Taastrup"].count == 1
    assert granted["Amager"].count == 1
    assert [d.date for d in granted["Amager"].deadlines] == [D(2025, 9, 1)]
    # Ishøj's capacity came from the pool: it is still allocated, no longer established.
    assert later.pool.allocated == 6
    # Deadlines before the memo's date are overdue (Brøndby 01.11.2024, Gribskov, ...).
    assert granted["Brøndby"].overdue and granted["Gribskov"].overdue
    assert not granted["Rødovre"].overdue


@pytest.mark.django_db
def test_correction_recorded_later_for_an_earlier_date_shows_in_the_past_memo(demo):
    assert build_memo(SEED_DAY).granted.total == 14

    # Recorded today: Ballerup's practice in fact opened on 20 October 2024.
    services.establish_capacity(
        demo_capacity("Ballerup", Status.GRANTED), by=clerk(), on=D(2024, 10, 20)
    )

    memo = build_memo(SEED_DAY)
    assert memo.granted.total == 13
    assert "Ballerup" not in [row.area for row in memo.granted.rows]
    assert build_memo(D(2024, 10, 19)).granted.total == 14


@pytest.mark.django_db
def test_memo_before_anything_happened_is_empty_and_says_so():
    memo = build_memo(D(2019, 1, 1))

    assert memo_to_dict(memo) == {
        "as_of": "2019-01-01",
        "awaiting_decision": {"total": 0, "meeting": None},
        "posted": {"total": 0, "rows": []},
        "granted": {"total": 0, "rows": []},
        "pool": {
            "created_on": None,
            "created": 0,
            "allocated": 0,
            "allocated_awaiting_posting": 0,
            "remaining": 0,
        },
    }
    assert "ingen inaktive kapaciteter" in memo.awaiting_decision.paragraphs[-1]
    assert memo.awaiting_decision.heading.endswith("(0 kapaciteter)")
    assert memo.pool.paragraphs == ()


@pytest.mark.django_db
def test_posted_remarks_combine_deadlines_decisions_and_own_remarks():
    by = clerk()
    first = factories.capacity(Status.AWAITING_POSTING, in_area="Albertslund")
    second = factories.capacity(Status.AWAITING_POSTING, in_area="Albertslund")
    third = factories.capacity(Status.AWAITING_POSTING, in_area="Albertslund")
    factories.capacity(Status.AWAITING_POSTING, in_area="Albertslund")
    services.post_capacity(
        first, by=by, on=D(2024, 3, 1), application_deadline=D(2024, 5, 1), remark="Delepraksis."
    )
    services.post_capacity(second, by=by, on=D(2024, 3, 1), application_deadline=D(2024, 9, 1))
    services.post_capacity(third, by=by, on=D(2024, 3, 1))

    (row,) = build_memo(D(2024, 4, 1)).posted.rows

    assert row.count == 4
    assert row.remark == (
        "Kapacitet opslået uden frist. Eventuelle ansøgere vurderes løbende. "
        "Ansøgningsfrist 01.05.2024 og 01.09.2024. "
        "Det er besluttet at slå kapaciteten op. Kapaciteten slås op snarligst. "
        "Delepraksis."
    )


@pytest.mark.django_db
def test_meeting_is_the_earliest_upcoming_one_of_the_capacities_awaiting_decision():
    by = clerk()
    later_meeting = factories.meeting(D(2024, 12, 9))
    sooner_meeting = factories.meeting(D(2024, 11, 18))
    past_meeting = factories.meeting(D(2024, 9, 1))
    for meeting in (later_meeting, sooner_meeting, past_meeting):
        capacity = factories.capacity(Status.AWAITING_DECISION)
        services.schedule_decision(capacity, by=by, on=D(2024, 8, 1), meeting=meeting)

    section = build_memo(D(2024, 10, 24)).awaiting_decision

    assert section.total == 3
    assert section.meeting.date == D(2024, 11, 18)
    assert build_memo(D(2024, 11, 19)).awaiting_decision.meeting.date == D(2024, 12, 9)
    assert build_memo(D(2024, 12, 10)).awaiting_decision.meeting is None


@pytest.mark.django_db
def test_rows_follow_danish_alphabetical_order():
    for name in ["Ølstykke", "Albertslund", "Vallensbæk", "Ærø", "Åbo", "Bornholm"]:
        factories.capacity(Status.GRANTED, in_area=name)

    areas = [row.area for row in build_memo(D(2024, 6, 1)).granted.rows]

    assert areas == ["Albertslund", "Bornholm", "Vallensbæk", "Ærø", "Ølstykke", "Åbo"]


@pytest.mark.django_db
def test_edited_wording_is_used_and_unusable_wording_falls_back_to_the_default(demo):
    set_wording("b_heading", "I opslag: {total:én kapacitet|# kapaciteter}")
    # Written around the admin's check (which refuses it): the memo must still be produced.
    set_wording("c_heading", "Tildelt {nonsense}")

    memo = build_memo(SEED_DAY)

    assert memo.posted.heading == "I opslag: 3 kapaciteter"
    assert memo.granted.heading == "Status på tildelte kapaciteter (14 kapaciteter)"


@pytest.mark.django_db
def test_build_memo_query_count_does_not_grow_with_data(demo):
    with CaptureQueriesContext(connection) as small:
        build_memo(SEED_DAY)
    for name in ["Albertslund", "Allerød", "Dragør", "Egedal", "Furesø"]:
        factories.capacity(Status.GRANTED, in_area=name)
        factories.capacity(Status.POSTED, in_area=name)
        factories.capacity(Status.AWAITING_DECISION, in_area=name)
    with CaptureQueriesContext(connection) as large:
        memo = build_memo(SEED_DAY)

    assert memo.granted.total == 19
    assert len(large) == len(small) <= 5


def test_danish_helpers():
    assert join_danish(["a"]) == "a"
    assert join_danish(["a", "b"]) == "a og b"
    assert join_danish(["a", "b", "c"]) == "a, b og c"
    assert long_date(D(2024, 10, 24)) == "24. oktober 2024"
    assert long_date(D(2024, 5, 1), year=False) == "1. maj"
    assert sorted(["Ølstykke", "Vallensbæk"], key=danish_key) == ["Vallensbæk", "Ølstykke"]


@pytest.mark.django_db
def test_dates_are_danish_whatever_the_active_language():
    with translation.override("en"):
        memo = build_memo(D(2019, 5, 1))

    assert memo.intro[0].endswith("Oversigten er opdateret pr. 1. maj 2019.")
