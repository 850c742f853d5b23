"""The status memo ("Oversigt over inaktive kapaciteter") for a date, as plain data.

Everything comes from `Transition.objects.state_on(as_of)`: each capacity's state as the
record of effective dates says it was on that day. So the memo for a past date does not change
when later events are recorded, and a correction recorded later with an earlier effective date
does show in it. The counting rules are CONTRACT.md's ("Memo as JSON").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max, Prefetch

from capacities.models import (
    Action,
    Origin,
    Pool,
    PoolCriteriaRevision,
    Status,
    Transition,
)
from common.text import danish_key, join_danish
from memos import wording
from memos.models import MemoWording
from memos.pipeline_section import PipelineSection, build_section

# Danish month names whatever the active language: the memo is a Danish document.
DANISH_MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)


def long_date(day: dt.date, *, year: bool = True) -> str:
    """24. oktober 2024 (prose)."""
    text = f"{day.day}. {DANISH_MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if year else text


def short_date(day: dt.date) -> str:
    """24.10.2024 (tables)."""
    return f"{day:%d.%m.%Y}"


@dataclass(frozen=True)
class Meeting:
    committee: str
    date: dt.date


@dataclass(frozen=True)
class PostedRow:
    area: str
    count: int
    remark: str


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    overdue: bool


@dataclass(frozen=True)
class GrantedRow:
    area: str
    count: int
    deadlines: tuple[Deadline, ...]
    remark: str

    @property
    def overdue(self) -> bool:
        return any(deadline.overdue for deadline in self.deadlines)


@dataclass(frozen=True)
class AwaitingDecisionSection:
    total: int
    meeting: Meeting | None
    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class PostedSection:
    total: int
    rows: tuple[PostedRow, ...]
    heading: str
    paragraphs: tuple[str, ...]  # after the table


@dataclass(frozen=True)
class GrantedSection:
    total: int
    rows: tuple[GrantedRow, ...]
    heading: str
    paragraphs: tuple[str, ...]  # before the table


@dataclass(frozen=True)
class PoolSection:
    created_on: dt.date | None
    created: int
    allocated: int
    allocated_awaiting_posting: int
    remaining: int
    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Memo:
    as_of: dt.date
    title: str
    intro: tuple[str, ...]
    awaiting_decision: AwaitingDecisionSection
    posted: PostedSection
    granted: GrantedSection
    pool: PoolSection
    pipeline: PipelineSection | None = None  # optional section e


class _Text:
    """The stored wording, filled from data."""

    def __init__(self, texts: dict[str, str], common: dict[str, object]) -> None:
        self.texts = wording.usable(texts)
        self.common = common

    def __call__(self, key: str, **values: object) -> str:
        return wording.fill(key, self.texts[key], {**self.common, **values})

    def paragraphs(self, key: str, **values: object) -> tuple[str, ...]:
        text = self(key, **values)
        return tuple(part.strip() for part in text.split("\n\n") if part.strip())


def _in_running_text(name: str) -> str:
    # "Udvalget for ..." is written "mødet i udvalget for ..." inside a sentence.
    return name[:1].lower() + name[1:]


def build_memo(as_of: dt.date, *, pipeline: bool = False) -> Memo:
    """The memo for the end of `as_of`. A handful of queries, whatever the size of the record.
    `pipeline` adds the optional section e (the year's pipeline figures)."""
    # The capacities in the memo's four statuses, and the pool's capacities in any status (the
    # pool section counts those established too): two queries, each ranking only what it needs.
    in_sections = Transition.objects.state_on(
        as_of,
        statuses=[Status.AWAITING_DECISION, Status.AWAITING_POSTING, Status.POSTED, Status.GRANTED],
    ).order_by()
    of_pool = Transition.objects.filter(capacity__origin=Origin.POOL).state_on(as_of).order_by()
    by_capacity = {state.capacity_id: state for state in [*in_sections, *of_pool]}
    states = [by_capacity[capacity_id] for capacity_id in sorted(by_capacity)]
    text = _Text(
        MemoWording.objects.texts(),
        {"as_of": long_date(as_of), "as_of_without_year": long_date(as_of, year=False)},
    )
    by_status: dict[str, list[Transition]] = defaultdict(list)
    for state in states:
        by_status[state.status].append(state)
    pool_states = [state for state in states if state.capacity.origin == Origin.POOL]
    pools = _pools({state.capacity.pool_id for state in pool_states})
    return Memo(
        as_of=as_of,
        title=text("title"),
        intro=text.paragraphs("intro"),
        awaiting_decision=_awaiting_decision(as_of, by_status[Status.AWAITING_DECISION], text),
        posted=_posted(
            as_of, by_status[Status.POSTED], by_status[Status.AWAITING_POSTING], pools, text
        ),
        granted=_granted(as_of, by_status[Status.GRANTED], text),
        pool=_pool(pool_states, pools, text),
        pipeline=build_section(as_of, text=text, paragraphs=text.paragraphs, long_date=long_date)
        if pipeline
        else None,
    )


def _pools(ids: set[int]) -> dict[int, Pool]:
    if not ids:
        return {}
    revisions = PoolCriteriaRevision.objects.select_related("decision").order_by("effective_from")
    return {
        pool.pk: pool
        for pool in Pool.objects.filter(pk__in=ids).prefetch_related(
            Prefetch("revisions", queryset=revisions, to_attr="dated_revisions")
        )
    }


def _awaiting_decision(
    as_of: dt.date, states: list[Transition], text: _Text
) -> AwaitingDecisionSection:
    total = len(states)
    upcoming = [
        state.deciding_meeting
        for state in states
        if state.deciding_meeting is not None and state.deciding_meeting.date >= as_of
    ]
    meeting = min(upcoming, key=lambda m: (m.date, m.pk)) if upcoming else None
    heading = text("a_heading", total=total)
    method = text.paragraphs("a_method")
    if meeting is None:
        return AwaitingDecisionSection(
            total, None, heading, method + text.paragraphs("a_no_meeting", total=total)
        )
    status = text.paragraphs(
        "a_meeting",
        total=total,
        committee=_in_running_text(meeting.committee.name),
        meeting_date=long_date(meeting.date),
    )
    return AwaitingDecisionSection(
        total, Meeting(meeting.committee.name, meeting.date), heading, method + status
    )


def _allocation_dates(as_of: dt.date, states: Iterable[Transition]) -> dict[int, dt.date]:
    """When each pool capacity awaiting posting was allocated (the criteria in force then
    apply). Usually the state row is the allocation itself; otherwise one small query."""
    dates = {s.capacity_id: s.effective_date for s in states if s.action == Action.ALLOCATE}
    missing = [s.capacity_id for s in states if s.capacity_id not in dates]
    if missing:
        found = (
            Transition.objects.filter(
                capacity_id__in=missing, action=Action.ALLOCATE, effective_date__lte=as_of
            )
            .values("capacity_id")
            .annotate(on=Max("effective_date"))
        )
        dates.update({row["capacity_id"]: row["on"] for row in found})
    return dates


def _criteria(pool: Pool | None, on: dt.date | None) -> tuple[str, dt.date | None]:
    """Which wording applies to a pool capacity allocated on a date, and the criteria's date."""
    revisions = getattr(pool, "dated_revisions", [])
    in_force = [r for r in revisions if on is None or r.effective_from <= on]
    if not in_force:
        return "remark_pool_allocated_original", pool.created_on if pool else None
    revision = in_force[-1]
    when = revision.decision.date if revision.decision else revision.effective_from
    if revision is revisions[0]:
        return "remark_pool_allocated_original", when
    return "remark_pool_allocated", when


def _posted(
    as_of: dt.date,
    posted: list[Transition],
    awaiting_posting: list[Transition],
    pools: dict[int, Pool],
    text: _Text,
) -> PostedSection:
    allocated_on = _allocation_dates(
        as_of, [s for s in awaiting_posting if s.capacity.origin == Origin.POOL]
    )
    areas: dict[str, list[Transition]] = defaultdict(list)
    for state in [*posted, *awaiting_posting]:
        areas[state.area.name].append(state)
    rows = []
    for area in sorted(areas, key=danish_key):
        group = areas[area]
        rows.append(PostedRow(area, len(group), _posted_remark(group, pools, allocated_on, text)))
    total = sum(row.count for row in rows)
    return PostedSection(
        total, tuple(rows), text("b_heading", total=total), text.paragraphs("b_channels")
    )


def _posted_remark(
    group: list[Transition],
    pools: dict[int, Pool],
    allocated_on: dict[int, dt.date],
    text: _Text,
) -> str:
    sentences: list[str] = []
    without = [s for s in group if s.status == Status.POSTED and s.application_deadline is None]
    with_deadline = [s for s in group if s.status == Status.POSTED and s.application_deadline]
    regular = [
        s for s in group if s.status == Status.AWAITING_POSTING and s.capacity.origin != Origin.POOL
    ]
    pool = [
        s for s in group if s.status == Status.AWAITING_POSTING and s.capacity.origin == Origin.POOL
    ]
    if without:
        sentences.append(text("remark_posted_without_deadline", count=len(without)))
    if with_deadline:
        deadlines = sorted({s.application_deadline for s in with_deadline})
        sentences.append(
            text(
                "remark_posted_with_deadline",
                count=len(with_deadline),
                deadlines=join_danish([short_date(d) for d in deadlines]),
            )
        )
    if regular:
        sentences.append(text("remark_awaiting_posting", count=len(regular)))
    by_criteria: dict[tuple[str, dt.date | None], int] = defaultdict(int)
    for state in pool:
        pool_obj = pools.get(state.capacity.pool_id)
        by_criteria[_criteria(pool_obj, allocated_on.get(state.capacity_id))] += 1
    for (key, when), count in by_criteria.items():
        sentences.append(text(key, count=count, criteria_date=long_date(when) if when else ""))
    for own in dict.fromkeys(s.posting_remark.strip() for s in group):
        if own:
            sentences.append(own)
    return " ".join(sentences)


def _granted(as_of: dt.date, states: list[Transition], text: _Text) -> GrantedSection:
    areas: dict[str, list[Transition]] = defaultdict(list)
    for state in states:
        areas[state.area.name].append(state)
    rows = []
    for area in sorted(areas, key=danish_key):
        group = areas[area]
        deadlines = sorted({s.establishment_deadline for s in group})
        remarks = dict.fromkeys(s.grant_remark.strip() for s in group if s.grant_remark.strip())
        rows.append(
            GrantedRow(
                area,
                len(group),
                tuple(Deadline(day, day < as_of) for day in deadlines),
                "; ".join(remarks),
            )
        )
    total = sum(row.count for row in rows)
    return GrantedSection(
        total, tuple(rows), text("c_heading", total=total), text.paragraphs("c_intro", total=total)
    )


def _pool(states: list[Transition], pools: dict[int, Pool], text: _Text) -> PoolSection:
    created = len(states)
    remaining = sum(1 for s in states if s.status == Status.POOL_RESERVE)
    awaiting = [s for s in states if s.status == Status.AWAITING_POSTING]
    allocated = created - remaining - len(awaiting)
    created_on = min((pool.created_on for pool in pools.values()), default=None)
    values = {
        "created_on": long_date(created_on) if created_on else "",
        "created": created,
        "allocated": allocated,
        "allocated_awaiting_posting": len(awaiting),
        "remaining": remaining,
        "areas": join_danish(sorted({s.area.name for s in awaiting}, key=danish_key)),
    }
    sentences = []
    if created:  # Without a pool on the date there is no history to tell.
        sentences.append(text("d_history", **values))
        if awaiting:
            sentences.append(text("d_awaiting_posting", **values))
        sentences.append(text("d_remaining", **values))
    return PoolSection(
        created_on=created_on,
        created=created,
        allocated=allocated,
        allocated_awaiting_posting=len(awaiting),
        remaining=remaining,
        heading=text("d_heading", **values),
        paragraphs=tuple(p.strip() for p in " ".join(sentences).split("\n\n") if p.strip()),
    )
