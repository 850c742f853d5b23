"""The demo's illustrative continuation: what happens after the seed's memo of 24 October 2024,
up to the day `load_demo` runs, so that the portal looks alive on any later date.

The seed records nothing after 24 October 2024. Everything here is invented (see
fixtures/README.md, "Illustrative continuation") and dated either by fixed dates just after
the seed (the seed's granted capacities are established on their deadlines, the awaiting one
is decided at the meeting of 18 November 2024) or relative to the load date (postings open
now, grants with deadlines ahead, a meeting coming up). Nothing is dated after the load date
and nothing on or before 24 October 2024, so the seed's figures stay exactly as they are.
Every capacity change goes through `capacities.services`, like staff's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from capacities import services
from capacities.models import Capacity, Committee, CommitteeMeeting, Status
from coverage_areas.models import Designation, DesignationRound, PlanningArea

# The last day the seed describes (the memo's date); illustrative events come after it.
SEED_DAY = dt.date(2024, 10, 24)

COMMITTEE = "Udvalget for det nære og sammenhængende sundhedsvæsen"
COUNCIL = "Regionsrådet"
DECIDING_MEETING = dt.date(2024, 11, 18)

# Illustrative regional lists from 2025: they alternate, so that each year shows changes.
REGIONAL_LISTS = (
    [
        "Amager",
        "Bispebjerg",
        "Bornholm",
        "Brøndby",
        "Brønshøj-Husum",
        "Hvidovre",
        "Høje-Taastrup",
        "Ishøj",
        "Tårnby",
        "Vallensbæk",
    ],
    [
        "Amager",
        "Bispebjerg",
        "Bornholm",
        "Brøndby",
        "Brønshøj-Husum",
        "Frederikssund",
        "Ishøj",
        "Tårnby",
        "Valby",
        "Vallensbæk",
    ],
)
NATIONAL_LIST = ["Bornholm", "Brøndby Strand", "Ishøj", "Tårnby"]


@dataclass
class Event:
    on: dt.date
    run: Callable[[], object]


def _third_tuesday(year: int, month: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(1 - first.weekday()) % 7 + 14)


def _month_shift(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def meetings(today: dt.date) -> tuple[CommitteeMeeting | None, CommitteeMeeting | None]:
    """The committee's meeting of the month before last (decides what was returned before it)
    and its next one (the third Tuesday of next month), both illustrative."""
    committee = Committee.objects.get(name=COMMITTEE)
    recent_day = _third_tuesday(*_month_shift(today, -2))
    next_day = _third_tuesday(*_month_shift(today, 1))
    found = []
    for day, title in (
        (recent_day, "Opslag af tilbageleverede kapaciteter"),
        (next_day, "Omfordeling eller opslag af tilbageleverede kapaciteter"),
    ):
        if day <= SEED_DAY:
            found.append(None)
            continue
        meeting, _ = CommitteeMeeting.objects.get_or_create(
            committee=committee, date=day, defaults={"agenda_title": title}
        )
        found.append(meeting)
    return found[0], found[1]


def rounds(today: dt.date, *, save) -> int:
    """Decided regional lists for 2025 up to this year and the national periods after
    2021-2024 up to the one covering this year, each only once decided (before `today`)."""
    made = 0
    for year in range(2025, today.year + 1):
        decided = dt.date(year - 1, 12, 10)
        if decided > today:
            continue
        save(
            kind="regional",
            first_year=year,
            last_year=year,
            decided=decided,
            areas=REGIONAL_LISTS[year % 2],
        )
        made += 1
    first = 2025
    while first <= today.year:
        decided = dt.date(first - 1, 12, 2)
        if decided <= today:
            save(
                kind="national",
                first_year=first,
                last_year=first + 3,
                decided=decided,
                areas=NATIONAL_LIST,
            )
            made += 1
        first += 4
    return made


def save_round(user, upsert) -> Callable:
    def save(*, kind, first_year, last_year, decided, areas):
        round_ = upsert(
            DesignationRound,
            user,
            {"kind": kind, "first_year": first_year},
            {"last_year": last_year, "status": "decided", "decision_date": decided},
        )
        for name in areas:
            upsert(
                Designation,
                user,
                {"round": round_, "area": PlanningArea.objects.get(name=name)},
                {},
            )

    return save


def capacity_events(today: dt.date, *, user) -> list[Event]:
    """The capacities' continuation, as dated events; only those on or before `today` (and
    after the seed) are kept, so each story is played up to today."""
    _recent_meeting, next_meeting = meetings(today)
    seed_meeting = CommitteeMeeting.objects.get(committee__name=COMMITTEE, date=DECIDING_MEETING)
    events: list[Event] = []

    # The seed's granted capacities open on their establishment deadlines (Gribskov's, due
    # 1 October 2024, a few weeks late).
    for capacity in Capacity.objects.filter(status=Status.GRANTED).order_by("id"):
        opened = max(capacity.establishment_deadline, dt.date(2024, 11, 15))
        events += _chain(
            [(opened, services.establish_capacity, {})],
            lambda pk=capacity.pk: Capacity.objects.get(pk=pk),
            user,
        )

    # Frederikssund's capacity is decided at the meeting of 18 November 2024, then posted,
    # granted and established.
    frederikssund = _first_pk(area="Frederikssund", status=Status.AWAITING_DECISION)
    chain = [
        (
            DECIDING_MEETING,
            services.decide_to_post,
            {"reason": "Behov for kapaciteten i området", "decision": seed_meeting},
        ),
        (
            dt.date(2024, 12, 2),
            services.post_capacity,
            {"application_deadline": dt.date(2025, 1, 15)},
        ),
        (
            dt.date(2025, 2, 10),
            services.grant_capacity,
            {"grantee": "Karen Dahl", "establishment_deadline": dt.date(2025, 9, 1)},
        ),
        (dt.date(2025, 9, 1), services.establish_capacity, {}),
    ]
    events += _chain(chain, frederikssund, user)

    # Herlev's allocated pool capacity is posted "snarligst", then granted and established.
    herlev = _first_pk(area="Herlev", status=Status.AWAITING_POSTING)
    events += _chain(
        [
            (
                dt.date(2024, 11, 1),
                services.post_capacity,
                {"application_deadline": dt.date(2024, 12, 15)},
            ),
            (
                dt.date(2025, 1, 20),
                services.grant_capacity,
                {"grantee": "Lars Vestergaard", "establishment_deadline": dt.date(2025, 8, 1)},
            ),
            (dt.date(2025, 8, 1), services.establish_capacity, {}),
        ],
        herlev,
        user,
    )
    # The two postings without deadline are granted in 2025.
    for area, granted, grantee in (
        ("Høje-Taastrup", dt.date(2025, 3, 3), "Nadia Hussein"),
        ("Rødovre", dt.date(2025, 4, 1), "Thomas Winther"),
    ):
        events += _chain(
            [
                (
                    granted,
                    services.grant_capacity,
                    {
                        "grantee": grantee,
                        "establishment_deadline": granted + dt.timedelta(days=214),
                    },
                ),
                (granted + dt.timedelta(days=214), services.establish_capacity, {}),
            ],
            _first_pk(area=area, status=Status.POSTED),
            user,
        )

    # Relative to the load date: returns, decisions, postings open now (with and without an
    # application deadline, in areas on this year's list and elsewhere), grants with
    # establishment deadlines ahead, and a return that waits for the next meeting.
    day = today.__sub__
    ahead = today.__add__
    week = dt.timedelta(days=7)
    stories = [
        # area, return, decide, post (deadline or None), grant (grantee, deadline) or None
        ("Ishøj", day(11 * week), day(9 * week), (day(7 * week), ahead(4 * week)), None),
        ("Bornholm", day(16 * week), day(14 * week), (day(12 * week), None), None),
        ("Valby", day(12 * week), day(10 * week), (day(6 * week), ahead(2 * week)), None),
        ("Tårnby", day(8 * week), day(6 * week), (day(5 * week), ahead(6 * week)), None),
        ("Gentofte", day(6 * week), day(4 * week), (day(3 * week), None), None),
        (
            "Albertslund",
            day(40 * week),
            day(37 * week),
            (day(36 * week), day(30 * week)),
            (day(26 * week), "Ida Mortensen", ahead(18 * week)),
        ),
        (
            "Hvidovre",
            day(22 * week),
            day(20 * week),
            (day(19 * week), day(13 * week)),
            (day(5 * week), "Omar Khalil", ahead(30 * week)),
        ),
    ]
    for area, returned, decided, (posted, deadline), grant in stories:
        if returned <= SEED_DAY:
            continue  # too close to the seed: the seed's own figures must not change
        ref = _registered(area, user)
        chain = [
            (returned, services.return_capacity, {"reason": "retirement"}),
            (decided, services.decide_to_post, {"reason": "Behov for kapaciteten i området"}),
            (posted, services.post_capacity, {"application_deadline": deadline}),
        ]
        if grant:
            granted, grantee, establish_by = grant
            chain.append(
                (
                    granted,
                    services.grant_capacity,
                    {"grantee": grantee, "establishment_deadline": establish_by},
                )
            )
        events += _chain(chain, ref, user)

    returned = day(2 * week)
    if returned > SEED_DAY and next_meeting is not None:
        events += _chain(
            [
                (
                    returned,
                    services.return_capacity,
                    {"reason": "relocation", "deciding_meeting": next_meeting},
                )
            ],
            _registered("Halsnæs", user),
            user,
        )
    return [event for event in events if SEED_DAY < event.on <= today]


def _chain(steps, ref: Callable[[], Capacity | None], user) -> list[Event]:
    """One capacity's steps as events; `ref` finds the capacity when the first step runs (it
    may register it), later steps reuse it."""
    holder: dict[str, Capacity] = {}

    def capacity() -> Capacity:
        if "capacity" not in holder:
            holder["capacity"] = ref()
        else:
            holder["capacity"].refresh_from_db()
        return holder["capacity"]

    events = []
    for on, function, kwargs in steps:
        if on <= SEED_DAY:
            continue

        def run(function=function, on=on, kwargs=kwargs):
            return function(capacity(), by=user, on=on, **kwargs)

        events.append(Event(on, run))
    return events


def _first_pk(*, area: str, status: str) -> Callable[[], Capacity]:
    pk = (
        Capacity.objects.filter(area__name=area, status=status)
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )
    return lambda: Capacity.objects.get(pk=pk)


def _registered(area: str, user) -> Callable[[], Capacity]:
    """A practice's capacity in use since 2008 (as the seed registers them), created when its
    story starts."""

    def make() -> Capacity:
        return services.register_capacity(
            by=user, on=dt.date(2008, 1, 1), area=PlanningArea.objects.get(name=area)
        )

    return make


def play(today: dt.date, *, user) -> int:
    """Record the continuation up to `today`, in date order; returns how many events."""
    events = sorted(capacity_events(today, user=user), key=lambda e: e.on)
    for event in events:
        event.run()
    return len(events)
