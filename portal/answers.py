"""What the public pages say about an area's status on a date: the three answers of
coverage_areas.status for each kind, with the benefits that apply where the area is designated.
Shared by the area page, the posting page and the status certificate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from coverage_areas.models import Benefit, DesignationRound, PlanningArea
from coverage_areas.status import DESIGNATED, KindStatus, area_status


@dataclass(frozen=True)
class KindAnswer:
    status: KindStatus
    benefits: list[str]  # in the page's language; only where designated

    @property
    def kind(self) -> str:
        return self.status.kind

    @property
    def designations(self):
        return self.status.applying


def answers_on(
    rounds: list[DesignationRound],
    area: PlanningArea,
    on: dt.date,
    benefits: dict[str, list[Benefit]],
    language: str,
) -> list[KindAnswer]:
    """Regional, then national: each kind's answer, and its benefits where designated."""
    return [
        KindAnswer(
            status=status,
            benefits=[b.text_for(language) for b in benefits.get(kind, [])]
            if status.answer == DESIGNATED
            else [],
        )
        for kind, status in area_status(rounds, area, on).items()
    ]


def any_designated(answers: list[KindAnswer]) -> bool:
    return any(a.status.answer == DESIGNATED for a in answers)
