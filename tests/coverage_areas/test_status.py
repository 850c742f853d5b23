"""An area's status on a date, as every page, certificate and API answers it: for each kind,
designated, not designated, or undecided when no decided list covers the date."""

from __future__ import annotations

import datetime as dt

import pytest

from coverage_areas.models import DesignationRound
from coverage_areas.status import (
    ANNOUNCED,
    DECIDED_LATER,
    DESIGNATED,
    NONE_RECORDED,
    NOT_DESIGNATED,
    UNDECIDED,
    area_status,
    covered_area_kinds,
    load_rounds,
)
from coverage_areas.tree import AreaTree
from tests import factories

D = dt.date
pytestmark = pytest.mark.django_db


def answers(area_name: str, on: dt.date) -> dict[str, str]:
    tree = AreaTree.load()
    status = area_status(load_rounds(), tree.by_slug[factories.area(area_name).slug], on)
    return {kind: s.answer for kind, s in status.items()}


def test_a_designation_covers_sub_areas_but_never_upwards():
    strand = factories.area("Brøndby Strand", parent=factories.area("Brøndby"))
    factories.designation_round("regional", 2023, ["Brøndby"])
    factories.designation_round("national", 2021, ["Brøndby Strand"], last_year=2024)
    on = D(2023, 6, 1)

    assert answers("Brøndby Strand", on) == {"regional": DESIGNATED, "national": DESIGNATED}
    assert answers("Brøndby", on) == {"regional": DESIGNATED, "national": NOT_DESIGNATED}
    tree = AreaTree.load()
    status = area_status(load_rounds(), tree.by_id[strand.pk], on)
    through = [a for kind_status in status.values() for a in kind_status.applying]
    assert [(a.kind, a.area.name) for a in through] == [
        ("regional", "Brøndby"),
        ("national", "Brøndby Strand"),
    ]
    assert covered_area_kinds(tree, load_rounds(), on) == {
        tree.by_slug["broendby"].pk: {"regional"},
        strand.pk: {"regional", "national"},
    }


def test_the_status_follows_the_date_not_today():
    factories.designation_round("regional", 2022, ["Rødovre"])
    factories.designation_round("regional", 2023, ["Valby"])
    factories.area("Rødovre")
    assert answers("Rødovre", D(2022, 12, 31))["regional"] == DESIGNATED
    assert answers("Rødovre", D(2023, 1, 1))["regional"] == NOT_DESIGNATED


def test_an_announced_round_answers_undecided_and_a_decision_applies_from_its_date():
    factories.designation_round(
        "regional",
        2024,
        ["Valby"],
        status=DesignationRound.Status.ANNOUNCED,
        decision_date=D(2024, 1, 8),
    )
    tree = AreaTree.load()
    status = area_status(load_rounds(), tree.by_slug["valby"], D(2024, 6, 1))["regional"]
    assert (status.answer, status.reason, status.designated) == (UNDECIDED, ANNOUNCED, None)
    assert status.pending.decision_date == D(2024, 1, 8)

    round_ = DesignationRound.objects.get(first_year=2024)
    round_.status = DesignationRound.Status.DECIDED
    round_.save()
    before = area_status(load_rounds(), tree.by_slug["valby"], D(2024, 1, 7))["regional"]
    assert (before.answer, before.reason) == (UNDECIDED, DECIDED_LATER)
    assert answers("Valby", D(2024, 1, 8))["regional"] == DESIGNATED
    assert (round_.valid_from, round_.period) == (D(2024, 1, 8), "2024")


def test_a_year_no_round_covers_is_undecided_not_a_no():
    factories.designation_round("regional", 2023, ["Valby"])
    factories.designation_round("national", 2021, ["Ishøj"], last_year=2024)
    tree = AreaTree.load()
    later = area_status(load_rounds(), tree.by_slug["valby"], D(2030, 6, 1))
    assert {kind: (s.answer, s.reason) for kind, s in later.items()} == {
        "regional": (UNDECIDED, NONE_RECORDED),
        "national": (UNDECIDED, NONE_RECORDED),
    }
    assert answers("Valby", D(2023, 6, 1)) == {"regional": DESIGNATED, "national": NOT_DESIGNATED}


def test_reading_the_status_of_every_area_costs_a_fixed_number_of_queries(
    django_assert_num_queries,
):
    for year in (2021, 2022, 2023):
        factories.designation_round("regional", year, ["Valby", "Ishøj", "Rødovre"][: year - 2020])
    with django_assert_num_queries(3):
        tree = AreaTree.load()
        rounds = load_rounds()
        for area in tree.all():
            area_status(rounds, area, D(2023, 6, 1))
