"""The region's demo data: planning areas, committees, the pool, designations, benefits and the
capacities of the memo of 24 October 2024, recorded through the transition services.

Reference data is updated in place (idempotent); capacities are created only when none exist,
so running it twice gives the same data. See fixtures/README.md for which dates are the seeds'
and which are illustrative.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from capacities import demo_recent, services
from capacities.models import Capacity, Committee, CommitteeMeeting, Pool, Status
from common.text import danish_slugify
from coverage_areas.models import (
    Benefit,
    Designation,
    DesignationRound,
    PlanningArea,
    RegionProfile,
)
from shortage import demo as shortage_demo

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
LOADER_USERNAME = "demo-loader"


@dataclass
class Summary:
    areas: int = 0
    meetings: int = 0
    rounds: int = 0
    illustrative_rounds: int = 0
    illustrative_events: int = 0
    benefits: int = 0
    capacities_created: int = 0
    notes: list[str] = field(default_factory=list)


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _save(obj, user, reason: str) -> None:
    obj._history_user = user
    obj._change_reason = reason
    obj.full_clean()
    obj.save()


def _upsert(model, user, lookup: dict, values: dict):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
    elif all(getattr(obj, key) == value for key, value in values.items()):
        return obj
    else:
        for key, value in values.items():
            setattr(obj, key, value)
    _save(obj, user, "load_demo")
    return obj


def loader_user():
    user, created = get_user_model().objects.get_or_create(
        username=LOADER_USERNAME,
        defaults={"first_name": "Demodata", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def _meeting(ref: dict | None) -> CommitteeMeeting | None:
    if not ref:
        return None
    return CommitteeMeeting.objects.get(committee__name=ref["committee"], date=_date(ref["date"]))


@transaction.atomic
def load(*, today: dt.date | None = None) -> Summary:
    """Load the seed and its illustrative continuation up to `today` (default: the real
    today). `today=demo_recent.SEED_DAY` loads the seed alone, as the tests do."""
    today = today or timezone.localdate()
    region = json.loads((FIXTURES / "region.json").read_text(encoding="utf-8"))
    stories = json.loads((FIXTURES / "capacities.json").read_text(encoding="utf-8"))
    user = loader_user()
    summary = Summary()

    for row in sorted(region["areas"], key=lambda r: "parent" in r):
        parent = PlanningArea.objects.get(name=row["parent"]) if row.get("parent") else None
        _upsert(
            PlanningArea,
            user,
            {"name": row["name"]},
            {
                "slug": danish_slugify(row["name"]),
                "municipality": row["municipality"],
                "parent": parent,
            },
        )
        summary.areas += 1

    for name in region["committees"]:
        _upsert(Committee, user, {"name": name}, {})
    for row in region["meetings"]:
        committee = Committee.objects.get(name=row["committee"])
        _upsert(
            CommitteeMeeting,
            user,
            {"committee": committee, "date": _date(row["date"])},
            {"agenda_title": row["agenda_title"]},
        )
        summary.meetings += 1

    for row in region["rounds"]:
        round_ = _upsert(
            DesignationRound,
            user,
            {"kind": row["kind"], "first_year": row["first_year"]},
            {
                "last_year": row["last_year"],
                "status": row["status"],
                "decision_date": _date(row["decision_date"]) if row["decision_date"] else None,
            },
        )
        for name in row["areas"]:
            area = PlanningArea.objects.get(name=name)
            _upsert(Designation, user, {"round": round_, "area": area}, {})
        summary.rounds += 1
    summary.illustrative_rounds = demo_recent.rounds(
        today, save=demo_recent.save_round(user, _upsert)
    )

    for row in region["benefits"]:
        _upsert(
            Benefit,
            user,
            {"kind": row["kind"], "text_da": row["text_da"]},
            {"text_en": row["text_en"], "order": row["order"]},
        )
        summary.benefits += 1

    # The region's profile (illustrative contact details, see fixtures/README.md); the default
    # procedure text comes from the migration that made the row.
    _upsert(RegionProfile, user, {"pk": RegionProfile.SINGLETON}, region["profile"])

    pool_row = region["pool"]
    pool = Pool.objects.filter(name=pool_row["name"]).first()
    if pool is None:
        pool = services.create_pool(
            by=user,
            name=pool_row["name"],
            created_on=_date(pool_row["created_on"]),
            size=pool_row["size"],
            criteria=pool_row["criteria"],
        )
        for revision in pool_row["revisions"]:
            services.revise_pool_criteria(
                pool,
                by=user,
                effective_from=_date(revision["effective_from"]),
                text=revision["text"],
                threshold_percent=revision["threshold_percent"],
                months=revision["months"],
                decision=_meeting(revision.get("decision")),
            )

    # Intake-closure figures (shortage app): imported before the capacities, so that a
    # database loaded before they existed gets them too.
    summary.notes.append(shortage_demo.load(user, today=today))

    if (
        Capacity.objects.filter(origin=Capacity.Origin.REGULAR).exists()
        or pool.capacities.exclude(status=Status.POOL_RESERVE).exists()
    ):
        summary.notes.append("Capacities already present: left as they are.")
        return summary

    for story in stories["capacities"]:
        _play(story, pool=pool, user=user)
        summary.capacities_created += 1
    summary.illustrative_events = demo_recent.play(today, user=user)
    return summary


def _play(story: dict, *, pool: Pool, user) -> Capacity:
    area = PlanningArea.objects.get(name=story["area"])
    capacity = None
    if story["origin"] == "pool":
        capacity = pool.capacities.filter(status=Status.POOL_RESERVE).order_by("id").first()
    for action, on_text, args in story["steps"]:
        on = _date(on_text)
        args = dict(args)
        for key in ("application_deadline", "establishment_deadline"):
            if key in args:
                args[key] = _date(args[key])
        for key in ("deciding_meeting", "decision"):
            if key in args:
                args[key] = _meeting(args[key])
        if "area" in args:
            args["area"] = PlanningArea.objects.get(name=args["area"])
        if action == "register":
            capacity = services.register_capacity(by=user, on=on, area=area)
            continue
        function = {
            "return": services.return_capacity,
            "decide_to_post": services.decide_to_post,
            "post": services.post_capacity,
            "grant": services.grant_capacity,
            "establish": services.establish_capacity,
            "allocate": services.allocate_pool_capacity,
        }[action]
        function(capacity, by=user, on=on, **args)
    return capacity
