"""Planning areas, designation rounds and benefits in the admin."""

import json

from django.urls import reverse

from coverage_areas.models import Designation, DesignationRound, PlanningArea
from tests import factories
from tests.admin.helpers import seen

AREA_ADD = reverse("admin:coverage_areas_planningarea_add")


def test_new_area_gets_the_portals_slug(editor_client):
    response = editor_client.post(
        AREA_ADD, {"name": "Høje-Taastrup Syd", "municipality": "Høje-Taastrup"}
    )
    assert response.status_code == 302
    assert PlanningArea.objects.get().slug == "hoeje-taastrup-syd"


def test_area_whose_slug_is_taken_is_refused_with_a_message(editor_client):
    factories.area("Høje-Taastrup")
    response = editor_client.post(AREA_ADD, {"name": "Høje Taastrup", "municipality": "X"})
    assert response.status_code == 200
    assert "hoeje-taastrup" in response.content.decode()
    assert PlanningArea.objects.count() == 1


def test_renaming_keeps_the_slug(editor_client):
    area = factories.area("Ishøj")
    editor_client.post(
        reverse("admin:coverage_areas_planningarea_change", args=[area.pk]),
        {"name": "Ishøj Kommune", "municipality": "Ishøj", "seen_history": seen(area)},
    )
    area.refresh_from_db()
    assert (area.name, area.slug) == ("Ishøj Kommune", "ishoej")


def test_area_cannot_be_part_of_its_own_sub_area(editor_client):
    brondby = factories.area("Brøndby")
    strand = factories.area("Brøndby Strand", parent=brondby)
    response = editor_client.post(
        reverse("admin:coverage_areas_planningarea_change", args=[brondby.pk]),
        {
            "name": "Brøndby",
            "municipality": "Brøndby",
            "parent": strand.pk,
            "seen_history": seen(brondby),
        },
    )
    assert response.status_code == 200
    assert "Et område kan ikke være en del af sig selv" in response.content.decode()
    brondby.refresh_from_db()
    assert brondby.parent is None


def test_area_autocomplete_matches_danish_letters(editor_client):
    factories.area("Østerbro")
    factories.area("Herlev")
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "øster",
            "app_label": "coverage_areas",
            "model_name": "designation",
            "field_name": "area",
        },
    )
    names = [row["text"] for row in json.loads(response.content)["results"]]
    assert names == ["Østerbro"]


def test_round_with_its_designations_is_recorded_in_one_form(editor_client):
    ishoj, herlev = factories.area("Ishøj"), factories.area("Herlev")
    response = editor_client.post(
        reverse("admin:coverage_areas_designationround_add"),
        {
            "kind": "regional",
            "first_year": 2025,
            "last_year": 2025,
            "status": "announced",
            "decision_date": "08.01.2025",
            "note": "",
            "designations-TOTAL_FORMS": 2,
            "designations-INITIAL_FORMS": 0,
            "designations-0-area": ishoj.pk,
            "designations-1-area": herlev.pk,
        },
    )
    assert response.status_code == 302
    round_ = DesignationRound.objects.get()
    assert set(round_.areas.values_list("name", flat=True)) == {"Ishøj", "Herlev"}


def test_regional_round_over_several_years_is_refused_with_a_message(editor_client):
    response = editor_client.post(
        reverse("admin:coverage_areas_designationround_add"),
        {
            "kind": "regional",
            "first_year": 2025,
            "last_year": 2026,
            "status": "announced",
            "designations-TOTAL_FORMS": 0,
            "designations-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "En regional udpegning gælder ét år." in response.content.decode()
    assert not DesignationRound.objects.exists()


def test_nothing_can_be_deleted(superuser_client):
    round_ = factories.designation_round("regional", 2023, ["Ishøj"])
    for url in [
        reverse("admin:coverage_areas_designationround_delete", args=[round_.pk]),
        reverse("admin:coverage_areas_planningarea_delete", args=[round_.areas.get().pk]),
        reverse("admin:coverage_areas_designation_delete", args=[Designation.objects.get().pk]),
    ]:
        assert superuser_client.post(url, {"post": "yes"}).status_code == 403
    changelist = superuser_client.get(reverse("admin:coverage_areas_designationround_changelist"))
    assert "delete_selected" not in changelist.content.decode()
    assert Designation.objects.count() == 1
