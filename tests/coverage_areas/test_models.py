import datetime as dt

import pytest

from common.text import danish_slugify
from coverage_areas.models import Designation, DesignationRound
from tests import factories


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Høje-Taastrup", "hoeje-taastrup"),
        ("Tårnby", "taarnby"),
        ("Halsnæs", "halsnaes"),
        ("Brønshøj-Husum", "broenshoej-husum"),
        ("Indre By", "indre-by"),
        ("Østerbro", "oesterbro"),
    ],
)
def test_slug_rule_transliterates_danish_letters(name, slug):
    assert danish_slugify(name) == slug


@pytest.mark.django_db
def test_regional_designation_covers_sub_areas_but_never_upwards():
    factories.area("Brøndby")
    strand = factories.area("Brøndby Strand", parent=factories.area("Brøndby"))
    factories.designation_round("regional", 2023, ["Brøndby"])
    factories.designation_round("national", 2021, ["Brøndby Strand"], last_year=2024)
    on = dt.date(2023, 6, 1)

    kinds_for_strand = {d.round.kind for d in Designation.objects.covering(strand, on)}
    kinds_for_brondby = {d.round.kind for d in Designation.objects.covering(strand.parent, on)}

    assert kinds_for_strand == {"regional", "national"}
    assert kinds_for_brondby == {"regional"}


@pytest.mark.django_db
def test_status_follows_the_date_not_today():
    factories.designation_round("regional", 2022, ["Rødovre"])
    factories.designation_round("regional", 2023, ["Valby"])
    rodovre = factories.area("Rødovre")
    assert Designation.objects.covering(rodovre, dt.date(2022, 12, 31)).exists()
    assert not Designation.objects.covering(rodovre, dt.date(2023, 1, 1)).exists()


@pytest.mark.django_db
def test_announced_round_applies_nowhere_and_a_late_decision_applies_from_its_date():
    factories.designation_round(
        "regional",
        2024,
        ["Valby"],
        status=DesignationRound.Status.ANNOUNCED,
        decision_date=dt.date(2024, 1, 8),
    )
    valby = factories.area("Valby")
    assert not Designation.objects.covering(valby, dt.date(2024, 6, 1)).exists()

    round_ = DesignationRound.objects.get(first_year=2024)
    round_.status = DesignationRound.Status.DECIDED
    round_.save()
    assert not Designation.objects.covering(valby, dt.date(2024, 1, 7)).exists()
    assert Designation.objects.covering(valby, dt.date(2024, 1, 8)).exists()
    assert round_.valid_from == dt.date(2024, 1, 8)
    assert round_.period == "2024"


@pytest.mark.django_db
def test_history_records_the_user_and_reason_of_a_change(editor):
    area = factories.area("Valby")
    area.municipality = "Københavns Kommune"
    area._history_user = editor
    area._change_reason = "Kommunens navn rettet"
    area.save()
    latest = area.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (editor, "Kommunens navn rettet")
    assert latest.prev_record.municipality == "Valby"
