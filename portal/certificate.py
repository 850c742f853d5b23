"""The status certificate (attest): an area's regional and national status on a date, under
the three answers, with the decisions it rests on and the benefits, for a doctor to attach to
an application and a caseworker to check again later.

Its fingerprint is a SHA-256 of the facts alone (area, date, each kind's answer, the rounds
and their decision dates, the benefits in both languages), not of the moment it was made: so
a later change to the data for another date leaves it unchanged, and a backdated correction
for that date changes it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.utils import timezone

from coverage_areas.models import Benefit, DesignationRound, PlanningArea, RegionProfile
from coverage_areas.status import DESIGNATED, area_status
from portal.answers import KindAnswer, answers_on


@dataclass(frozen=True)
class Certificate:
    area: PlanningArea
    on: dt.date
    answers: list[KindAnswer]
    region: RegionProfile
    produced_at: dt.datetime
    data_version: int
    facts: dict

    @property
    def fingerprint(self) -> str:
        canonical = json.dumps(self.facts, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _facts(
    rounds: list[DesignationRound],
    area: PlanningArea,
    on: dt.date,
    benefits: dict[str, list[Benefit]],
) -> dict:
    kinds = {}
    for kind, status in area_status(rounds, area, on).items():
        basis = status.deciding or status.pending
        kinds[kind] = {
            "answer": status.answer,
            "reason": status.reason,
            "round": {
                "period": basis.period,
                "status": basis.status,
                "decision_date": basis.decision_date.isoformat() if basis.decision_date else None,
            }
            if basis
            else None,
            "through": [a.area.slug for a in status.applying],
            "benefits": [[b.text_da, b.text_en] for b in benefits.get(kind, [])]
            if status.answer == DESIGNATED
            else [],
        }
    return {"area": area.slug, "date": on.isoformat(), "status": kinds}


def build_certificate(
    rounds: list[DesignationRound],
    area: PlanningArea,
    on: dt.date,
    benefits: dict[str, list[Benefit]],
    *,
    language: str,
    data_version: int,
) -> Certificate:
    return Certificate(
        area=area,
        on=on,
        answers=answers_on(rounds, area, on, benefits, language),
        region=RegionProfile.current(),
        produced_at=timezone.localtime(),
        data_version=data_version,
        facts=_facts(rounds, area, on, benefits),
    )
