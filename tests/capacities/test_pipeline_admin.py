"""The staff page of pipeline figures: who may see it, its filter, charts and downloads."""

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from capacities import services
from capacities.models import Capacity
from tests import factories
from tests.portal.sizes import bulk_capacities

pytestmark = pytest.mark.django_db

PAGE = reverse("admin:capacities_capacity_pipeline")
D = dt.date


@pytest.fixture
def history():
    """Herlev: returned 1.3.2022 (retirement), posted 1.4, granted 1.6 to Anne Holm,
    established 1.12.2022. Gladsaxe: returned 1.5.2023 (relocation), still awaiting."""
    by = factories.staff_user()
    herlev = services.register_capacity(by=by, on=D(2010, 1, 1), area=factories.area("Herlev"))
    services.return_capacity(
        herlev, by=by, on=D(2022, 3, 1), reason=Capacity.ReturnReason.RETIREMENT
    )
    services.post_capacity(herlev, by=by, on=D(2022, 4, 1))
    services.grant_capacity(
        herlev, by=by, on=D(2022, 6, 1), grantee="Anne Holm", establishment_deadline=D(2023, 1, 1)
    )
    services.establish_capacity(herlev, by=by, on=D(2022, 12, 1))
    gladsaxe = services.register_capacity(by=by, on=D(2010, 1, 1), area=factories.area("Gladsaxe"))
    services.return_capacity(
        gladsaxe, by=by, on=D(2023, 5, 1), reason=Capacity.ReturnReason.RELOCATION
    )


def test_editors_and_secretaries_see_the_figures_with_charts(
    editor_client, secretary_client, history
):
    for client in (editor_client, secretary_client):
        response = client.get(PAGE, {"start": "2022-01-01", "end": "2023-12-31"})
        assert response.status_code == 200
        page = response.content.decode()
        years = page.split('id="pipeline-years"')[1].split("</table>")[0]
        assert '<th scope="row">2022</th><td>1</td>' in years  # one return in 2022
        assert page.count('role="img"') == 2
        assert "Anne Holm" not in page


def test_people_without_staff_rights_are_refused(client, outsider, history):
    assert client.get(PAGE).status_code == 302  # to the login page
    client.force_login(outsider)
    assert client.get(PAGE).status_code == 302
    plain_staff = get_user_model().objects.create_user("plain", is_staff=True)
    staff_client = Client()
    staff_client.force_login(plain_staff)
    assert staff_client.get(PAGE).status_code == 403


def test_the_page_only_answers_get(editor_client):
    assert editor_client.post(PAGE).status_code == 405


def test_the_dashboard_links_to_the_page(editor_client):
    page = editor_client.get(reverse("admin:capacities_capacity_dashboard")).content.decode()
    assert f'href="{PAGE}"' in page


def test_the_area_filter_narrows_the_figures(editor_client, history):
    gladsaxe = factories.area("Gladsaxe")
    response = editor_client.get(
        PAGE, {"start": "2022-01-01", "end": "2023-12-31", "area": gladsaxe.pk}
    )
    areas = response.content.decode().split('id="pipeline-areas"')[1].split("</table>")[0]
    assert "Gladsaxe" in areas
    assert "Herlev" not in areas


def test_a_period_ending_before_it_begins_is_refused_on_the_form(editor_client, history):
    response = editor_client.get(PAGE, {"start": "2023-01-01", "end": "2022-01-01"})
    assert response.status_code == 400
    assert "Perioden slutter, før den begynder." in response.content.decode()
    response = editor_client.get(PAGE, {"start": "2023-02-30", "end": "2023-12-31"})
    assert response.status_code == 400


def test_csv_download_has_every_slice_and_no_names(secretary_client, history):
    response = secretary_client.get(
        PAGE, {"start": "2022-01-01", "end": "2023-12-31", "format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode("utf-8-sig")
    assert "Anne Holm" not in text
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    by_slice = {(row[0], row[1], row[2]): dict(zip(header, row, strict=True)) for row in rows[1:]}
    y2022 = by_slice["år", "2022", "alle"]
    assert y2022["Tilbageleveret"] == "1"
    assert y2022["Etableret"] == "1"
    assert y2022["Tilbagelevering til ny praksis: mediandage"] == "275"
    assert by_slice["område", "", "Gladsaxe"]["Flytning"] == "1"
    assert (
        by_slice["år og område", "2023", "Gladsaxe"]["Tilbagelevering til ny praksis: åbne"] == "1"
    )


def test_xlsx_download_holds_the_same_table(editor_client, history):
    response = editor_client.get(
        PAGE, {"start": "2022-01-01", "end": "2023-12-31", "format": "xlsx"}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:4] == ("Udsnit", "År", "Planlægningsområde", "Oprindelse")
    assert ("år", 2022, "alle", "alle") in [row[:4] for row in rows]


def test_query_count_does_not_grow_with_the_data(editor_client, history):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(PAGE).status_code == 200
        return len(queries)

    small = count()
    bulk_capacities(300)
    assert count() == small
