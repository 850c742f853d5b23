"""Pipeline figures from the transition log: how returned capacities flow back into use.

`figures(start, end)` is the one place these numbers are computed; the staff page, the
public statistics page, the open-data API and the memo section all call it.

How the log is read:

- Every step counts on its effective date (a step recorded late with an earlier effective
  date counts on that date), in the planning area the capacity was in when it was taken
  (a redistribution counts in the area it leaves).
- A capacity's *episode* runs from its return (or, for a pool capacity, its allocation to an
  area) to its establishment. Within an episode each milestone is the first time it is
  reached: decision (a decision to post, a redistribution or a pool allocation; a posting
  made without a separate decision is its own decision), posting, grant, establishment. So
  a lapsed grant or a withdrawn posting lengthens the stages after it, and the stages of an
  established episode add up to its return-to-establishment time.
- A duration counts in the year (and area) in which it ends. One that has started but not
  ended by the end of a year (or of the period) is *open* then.
- Median and 90th percentile are in whole days; the 90th percentile is the nearest-rank
  value (the smallest duration that at least 90% of them do not exceed).

One query whatever the size of the log: the steps in the period, plus the whole history of
the capacities that were in process when the period began.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from capacities.models import IN_PROCESS, Action, Capacity, Origin, ReturnReason, Transition
from common.text import danish_key

# The steps counted, in life-cycle order. "decide" is the sum of the three kinds of decision.
STEPS = (
    "return",
    "decide",
    "decide_to_post",
    "redistribute",
    "allocate",
    "post",
    "withdraw",
    "grant",
    "lapse",
    "establish",
)
_STEP_OF_ACTION = {
    Action.RETURN: "return",
    Action.DECIDE_TO_POST: "decide_to_post",
    Action.REDISTRIBUTE: "redistribute",
    Action.ALLOCATE: "allocate",
    Action.POST: "post",
    Action.WITHDRAW_POSTING: "withdraw",
    Action.GRANT: "grant",
    Action.LAPSE_GRANT: "lapse",
    Action.ESTABLISH: "establish",
}
_DECISIONS = frozenset({"decide_to_post", "redistribute", "allocate"})

# Durations: (name, milestone it starts at, milestone it ends at).
DURATIONS = (
    ("return_to_decision", "returned", "decided"),
    ("decision_to_post", "decided", "posted"),
    ("post_to_grant", "posted", "granted"),
    ("grant_to_establish", "granted", "established"),
    ("return_to_post", "returned", "posted"),
    ("return_to_establish", "returned", "established"),
)
DURATION_NAMES = tuple(name for name, _start, _end in DURATIONS)

# What the open-data twin publishes (CONTRACT: /api/pipeline.json).
API_STEPS = ("return", "decide", "post", "grant", "lapse", "establish")
API_DURATIONS = ("return_to_post", "post_to_grant", "grant_to_establish", "return_to_establish")


@dataclass(frozen=True)
class Duration:
    """Days between two milestones: median and 90th percentile of the completed ones, how
    many completed, and how many had started but not completed at the end."""

    median: float | None
    p90: int | None
    count: int
    open: int

    @classmethod
    def of(cls, days: list[int], open_count: int) -> Duration:
        if not days:
            return cls(median=None, p90=None, count=0, open=open_count)
        ordered = sorted(days)
        median = statistics.median(ordered)
        return cls(
            median=int(median) if median == int(median) else median,
            p90=ordered[math.ceil(0.9 * len(ordered)) - 1],
            count=len(ordered),
            open=open_count,
        )

    def as_json(self) -> dict:
        return {"median": self.median, "p90": self.p90, "count": self.count, "open": self.open}


@dataclass
class Figures:
    """The counts and durations of one slice (a period, a year, an area, an origin)."""

    steps: dict[str, int]
    returns_by_reason: dict[str, int]
    durations: dict[str, Duration]

    @property
    def is_empty(self) -> bool:
        return not any(self.steps.values()) and not any(
            d.count or d.open for d in self.durations.values()
        )


@dataclass(frozen=True)
class AreaRef:
    id: int
    name: str
    slug: str


@dataclass
class _Cell:
    steps: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)
    days: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    open: Counter = field(default_factory=Counter)


_Key = tuple[int, int, str]  # (year, area id, origin)


def _merge(selected: Iterable[tuple[_Key, _Cell]], open_year: int) -> Figures:
    """Add up cells; open durations only from `open_year` (they are taken at its end)."""
    steps: Counter = Counter()
    reasons: Counter = Counter()
    days: dict[str, list[int]] = defaultdict(list)
    open_counts: Counter = Counter()
    for (year, _area, _origin), cell in selected:
        steps.update(cell.steps)
        reasons.update(cell.reasons)
        for name, values in cell.days.items():
            days[name].extend(values)
        if year == open_year:
            open_counts.update(cell.open)
    return Figures(
        steps={key: steps[key] for key in STEPS},
        returns_by_reason={
            reason: reasons[reason] for reason in ReturnReason.values if reasons[reason]
        },
        durations={name: Duration.of(days[name], open_counts[name]) for name in DURATION_NAMES},
    )


@dataclass
class Pipeline:
    """The figures of a period, sliced on demand (each slice is added up once, when asked)."""

    start: dt.date
    end: dt.date
    cells: dict[_Key, _Cell]
    areas: dict[int, AreaRef]

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))

    def _group(self, key) -> dict:
        groups: dict = defaultdict(list)
        for item in self.cells.items():
            groups[key(item[0])].append(item)
        return groups

    @cached_property
    def total(self) -> Figures:
        return _merge(self.cells.items(), self.end.year)

    @cached_property
    def by_year(self) -> dict[int, Figures]:
        groups = self._group(lambda k: k[0])
        return {year: _merge(groups[year], year) for year in self.years}

    @cached_property
    def by_area(self) -> list[tuple[AreaRef, Figures]]:
        """Every area with a step or a duration in the period, in Danish alphabetical order."""
        groups = self._group(lambda k: k[1])
        order = sorted(groups, key=lambda area: danish_key(self.areas[area].name))
        return [(self.areas[area], _merge(groups[area], self.end.year)) for area in order]

    @cached_property
    def by_origin(self) -> dict[str, Figures]:
        groups = self._group(lambda k: k[2])
        return {value: _merge(groups[value], self.end.year) for value in Origin.values}

    @cached_property
    def by_year_and_area(self) -> dict[tuple[int, int], Figures]:
        groups = self._group(lambda k: (k[0], k[1]))
        return {key: _merge(selected, key[0]) for key, selected in groups.items()}

    def as_json(self) -> dict:
        """The open-data shape (`/api/pipeline.json`): whole period, no areas, nothing personal."""
        steps = self.total.steps
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "steps": {key: steps[key] for key in API_STEPS},
            "returns_by_reason": dict(self.total.returns_by_reason),
            "durations_days": {key: self.total.durations[key].as_json() for key in API_DURATIONS},
        }


@dataclass
class _Episode:
    origin: str
    areas: list[tuple[dt.date, int]]  # (from date, area) as the capacity moved
    returned: dt.date | None = None
    decided: dt.date | None = None
    posted: dt.date | None = None
    granted: dt.date | None = None
    established: dt.date | None = None

    def area_on(self, day: dt.date) -> int:
        current = self.areas[0][1]
        for since, area in self.areas:
            if since > day:
                break
            current = area
        return current


_FIELDS = (
    "capacity_id",
    "capacity__origin",
    "action",
    "effective_date",
    "return_reason",
    "area_id",
    "area__name",
    "area__slug",
    "from_area_id",
    "from_area__name",
    "from_area__slug",
)


def _in_process_on_eve(start: dt.date):
    """The capacities in process on the day before `start`, as a subquery: those whose first
    step from `start` on leaves an in-process status, and those with no step from `start` on
    whose current status is in process (it has not changed since). Reading forward from
    `start` touches only the recent part of the log."""
    first_from_start = Transition.objects.filter(effective_date__gte=start).annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("capacity_id")],
            order_by=[F("effective_date").asc(), F("id").asc()],
        )
    )
    leaving_in_process = Transition.objects.filter(
        pk__in=first_from_start.filter(rank=1).values("pk"), from_status__in=IN_PROCESS
    ).values("capacity_id")
    unchanged = (
        Capacity.objects.filter(status__in=IN_PROCESS)
        .exclude(transitions__effective_date__gte=start)
        .values("pk")
    )
    return leaving_in_process, unchanged


def _rows(start: dt.date, end: dt.date) -> list[tuple]:
    # The steps in the period, and the earlier steps of the capacities in process on the eve
    # of the period (their episode began before it); nothing else before the period matters.
    steps = Transition.objects.filter(action__in=list(_STEP_OF_ACTION)).order_by()
    # Disjoint parts in one statement, each read through an index (an OR of them would make
    # the database scan the whole log).
    leaving_in_process, unchanged = _in_process_on_eve(start)
    period = steps.filter(effective_date__gte=start, effective_date__lte=end)
    before = steps.filter(effective_date__lt=start)
    rows = period.values_list("id", *_FIELDS).union(
        before.filter(capacity_id__in=leaving_in_process).values_list("id", *_FIELDS),
        before.filter(capacity_id__in=unchanged).values_list("id", *_FIELDS),
        all=True,
    )
    # Sorted here rather than by the database: an ORDER BY on the capacity makes PostgreSQL
    # walk the whole log through an index, several times slower than a plain scan.
    return [row[1:] for row in sorted(rows, key=lambda row: (row[1], row[4], row[0]))]


def figures(
    start: dt.date, end: dt.date, *, areas: Iterable[int] | None = None, origin: str | None = None
) -> Pipeline:
    """The pipeline from `start` to `end` (both included), per year, per area and per origin.

    `areas` (planning-area ids) and `origin` narrow every slice to steps and durations in
    those areas and of that origin."""
    if end < start:
        raise ValueError("The period ends before it begins.")
    keep_areas = set(areas) if areas is not None else None
    years = list(range(start.year, end.year + 1))
    # The moment each year's open durations are taken: its last day, or the period's end.
    cutoffs = [min(dt.date(year, 12, 31), end) for year in years]
    cells: dict[tuple[int, int, str], _Cell] = defaultdict(_Cell)
    refs: dict[int, AreaRef] = {}

    def keep(area: int, capacity_origin: str) -> bool:
        return (keep_areas is None or area in keep_areas) and (
            origin is None or capacity_origin == origin
        )

    def close(episode: _Episode | None) -> None:
        # An episode over before the period (read with a capacity's history) counts nowhere.
        if episode is None or (episode.established and episode.established < start):
            return
        for name, first, last in DURATIONS:
            began, ended = getattr(episode, first), getattr(episode, last)
            if began is None:
                continue
            if ended is not None and start <= ended <= end:
                area = episode.area_on(ended)
                if keep(area, episode.origin):
                    cells[ended.year, area, episode.origin].days[name].append((ended - began).days)
            for cutoff in cutoffs:
                if began <= cutoff and (ended is None or ended > cutoff):
                    area = episode.area_on(cutoff)
                    if keep(area, episode.origin):
                        cells[cutoff.year, area, episode.origin].open[name] += 1

    current_capacity = None
    episode: _Episode | None = None
    for (
        capacity_id,
        capacity_origin,
        action,
        day,
        reason,
        area_id,
        area_name,
        area_slug,
        from_area_id,
        from_area_name,
        from_area_slug,
    ) in _rows(start, end):
        if capacity_id != current_capacity:
            close(episode)
            current_capacity, episode = capacity_id, None
        if area_id not in refs:
            refs[area_id] = AreaRef(area_id, area_name, area_slug)
        if from_area_id is not None and from_area_id not in refs:
            refs[from_area_id] = AreaRef(from_area_id, from_area_name, from_area_slug)
        step = _STEP_OF_ACTION[action]
        step_area = from_area_id if from_area_id is not None else area_id
        if start <= day and keep(step_area, capacity_origin):
            cell = cells[day.year, step_area, capacity_origin]
            cell.steps[step] += 1
            if step in _DECISIONS:
                cell.steps["decide"] += 1
            if step == "return":
                cell.reasons[reason or ReturnReason.OTHER] += 1

        if step in ("return", "allocate"):
            close(episode)
            episode = _Episode(origin=capacity_origin, areas=[(day, area_id)])
            if step == "return":
                episode.returned = day
            else:
                episode.decided = day
            continue
        if episode is None:
            # A history that begins part-way (data from before the register): no episode.
            continue
        if area_id != episode.areas[-1][1]:
            episode.areas.append((day, area_id))
        if step in _DECISIONS or step == "post":
            episode.decided = episode.decided or day
        if step == "post":
            episode.posted = episode.posted or day
        elif step == "grant":
            episode.granted = episode.granted or day
        elif step == "establish":
            episode.established = day
            close(episode)
            episode = None
    close(episode)

    return Pipeline(start=start, end=end, cells=dict(cells), areas=refs)


def first_step_date() -> dt.date | None:
    """The effective date of the earliest step the figures count (where a history begins)."""
    return (
        Transition.objects.filter(action__in=list(_STEP_OF_ACTION))
        .order_by("effective_date")
        .values_list("effective_date", flat=True)
        .first()
    )
