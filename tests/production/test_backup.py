"""Nothing lost: a dumpdata/loaddata round trip keeps every record, history included."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from capacities.models import Capacity, Transition
from coverage_areas.models import Designation

# The README's backup command: natural keys, so that content types and permissions made by
# `migrate` on the target database are matched by name, not by number; XML, because Django's
# JSON cuts timestamps to the millisecond and the history's order rests on them.
DUMP_ARGS = [
    "--format=xml",
    "--natural-foreign",
    "--natural-primary",
    "--exclude=contenttypes",
    "--exclude=auth.permission",
    "--exclude=sessions",
    "--exclude=axes",
]
MEMO_DAY = dt.date(2024, 10, 24)


def counts() -> dict[str, int]:
    skipped = {"contenttypes", "sessions", "axes"}
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in skipped and model._meta.label != "auth.Permission"
    }


def snapshot() -> dict[str, object]:
    capacity = Capacity.objects.get(area__name="Høje-Taastrup", status="posted")
    last_history = capacity.history.order_by("history_date").last()
    return {
        "state_on_memo_day": sorted(
            Transition.objects.state_on(MEMO_DAY).values_list("capacity_id", "status", "area__name")
        ),
        "transitions": list(
            capacity.transitions.order_by("id").values_list(
                "action", "effective_date", "recorded_at", "recorded_by__username", "reason"
            )
        ),
        "history": (
            last_history.history_user.username,
            last_history.history_change_reason,
            last_history.history_date,
            last_history.status,
        ),
        "designations": sorted(Designation.objects.values_list("round__first_year", "area__name")),
    }


@pytest.mark.django_db
def test_dumpdata_loaddata_round_trip_keeps_capacities_designations_and_history(demo, tmp_path):
    backup = tmp_path / "kapacitetsportalen.xml"
    before_counts, before = counts(), snapshot()
    assert before_counts["capacities.HistoricalCapacity"] > 0
    assert before_counts["capacities.Transition"] > before_counts["capacities.Capacity"]

    call_command("dumpdata", *DUMP_ARGS, "--output", str(backup), verbosity=0)
    # The test's transaction stands in for the committed database a backup is taken of:
    # PostgreSQL refuses to empty tables whose deferred foreign-key checks are still pending.
    connection.check_constraints()
    call_command("flush", "--noinput", verbosity=0)
    assert Capacity.objects.count() == 0 and Transition.objects.count() == 0

    call_command("loaddata", str(backup), verbosity=0)
    assert counts() == before_counts
    assert snapshot() == before
