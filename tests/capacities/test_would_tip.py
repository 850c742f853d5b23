"""What would turn a pool verdict, from the same rule: the issue's examples on the demo data
(24 October 2024) and hand-made cases."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from capacities import services
from capacities.eligibility import ELIGIBLE, NOT_ELIGIBLE, evaluate
from shortage.models import IntakeClosure
from tests import factories

D = dt.date
ON = D(2024, 10, 24)


def verdicts(on=ON) -> dict:
    return {v.area.name: v for v in evaluate(on).verdicts}


def test_ishoej_turns_eligible_once_its_low_july_drops_out(demo):
    # Ishøj: July 31 of 42 (73.8%), August and September above; nothing on the way.
    tip = verdicts()["Ishøj"].tip
    assert (tip.to, tip.when, tip.months_above, tip.on_the_way) == (
        ELIGIBLE,
        D(2024, 11, 1),
        (D(2024, 10, 1),),
        0,
    )
    assert tip.text() == (
        "Opfylder kriterierne fra november 2024 hvis oktober 2024 er over 75% og intet er på vej."
    )
    with translation.override("en"):
        assert tip.text() == (
            "Eligible from November 2024 if October 2024 is above 75% and nothing is on the way."
        )


def test_herlev_would_be_eligible_but_for_its_allocated_pool_capacity(demo):
    tip = verdicts()["Herlev"].tip
    assert (tip.to, tip.when, tip.months_above) == (ELIGIBLE, None, ())
    assert (tip.on_the_way, tip.on_the_way_since) == (1, D(2024, 10, 1))
    with translation.override("en"):
        assert tip.text() == "Would be eligible, but 1 capacity is on the way since 1 October 2024."


def test_an_eligible_area_is_told_what_would_end_it(demo):
    tip = verdicts()["Tårnby"].tip
    assert (tip.to, tip.when, tip.months_at_or_below, tip.on_the_way) == (
        NOT_ELIGIBLE,
        D(2024, 11, 1),
        (D(2024, 10, 1),),
        1,
    )


def test_exactly_the_threshold_in_the_newest_month_waits_a_whole_window(demo):
    # Albertslund: exactly 75% in August and September; three new months must be above.
    tip = verdicts()["Albertslund"].tip
    assert tip.when == D(2025, 1, 1)
    assert tip.months_above == (D(2024, 10, 1), D(2024, 11, 1), D(2024, 12, 1))


def test_several_on_the_way_give_the_oldest_date(demo):
    # Rødovre: one granted (returned 31.12.2023) and one posted (returned 30.6.2024).
    tip = verdicts()["Rødovre"].tip
    assert (tip.on_the_way, tip.on_the_way_since) == (2, D(2023, 12, 31))
    assert tip.text() == (
        "Ville opfylde kriterierne, men 2 kapaciteter er på vej, den første siden "
        "31. december 2023."
    )


def test_missing_figures_are_what_is_needed(db):
    factories.pool(size=1)
    herlev = factories.area("Herlev")
    for month, closed in ((9, 14), (7, 13)):
        IntakeClosure.objects.create(area=herlev, month=D(2024, month, 1), closed=closed, total=16)
    tip = verdicts()["Herlev"].tip
    assert (tip.to, tip.when, tip.months_above) == (ELIGIBLE, None, (D(2024, 8, 1),))


def test_a_capacity_redistributed_into_the_area_counts_from_its_arrival(db):
    factories.pool(size=1)
    herlev = factories.area("Herlev")
    for month in (7, 8, 9):
        IntakeClosure.objects.create(area=herlev, month=D(2024, month, 1), closed=14, total=16)
    capacity = factories.capacity("awaiting_decision", in_area="Gladsaxe")  # returned 31.1.2024
    services.redistribute_capacity(
        capacity, by=factories.staff_user(), on=D(2024, 9, 15), to_area=herlev, reason="Behov"
    )
    tip = verdicts()["Herlev"].tip
    assert (tip.on_the_way, tip.on_the_way_since) == (1, D(2024, 9, 15))


def test_the_command_json_keeps_its_keys_and_adds_would_tip(demo):
    out = io.StringIO()
    call_command("pool_eligibility", "--on", "2024-10-24", "--format", "json", stdout=out)
    ishoej = {row["area"]: row for row in json.loads(out.getvalue())["areas"]}["Ishøj"]
    assert {"area", "months", "above_threshold_months", "on_the_way", "eligible"} <= set(ishoej)
    assert ishoej["would_tip"] == {
        "to": "eligible",
        "when": "2024-11",
        "months_above": ["2024-10"],
        "months_at_or_below": [],
        "on_the_way": 0,
        "on_the_way_since": None,
        "text": (
            "Opfylder kriterierne fra november 2024 hvis oktober 2024 er over 75% og intet er "
            "på vej."
        ),
    }


@pytest.mark.django_db
def test_the_staff_page_shows_what_would_turn_each_verdict(demo, secretary_client):
    url = reverse("admin:capacities_pool_eligibility")
    page = secretary_client.get(url, {"on": "2024-10-24"}).content.decode()
    assert "Ville opfylde kriterierne, men 1 kapacitet er på vej siden 1. oktober 2024." in page
