"""The capacity list, its filters and search, the dashboard, and their query counts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from capacities import services
from capacities.models import Status
from tests import factories

LIST = reverse("admin:capacities_capacity_changelist")
DASHBOARD = reverse("admin:capacities_capacity_dashboard")


def _many(count: int) -> None:
    """`count` capacities over a few areas, some in each stage of the life cycle."""
    by = factories.staff_user()
    areas = [factories.area(name) for name in ("Herlev", "Østerbro", "Tårnby", "Ærø-by")]
    for status in (Status.AWAITING_DECISION, Status.POSTED, Status.GRANTED):
        factories.capacity(status, in_area="Østerbro")
    for number in range(count - 3):
        services.register_capacity(by=by, on=dt.date(2010, 1, 1), area=areas[number % 4])
    factories.meeting(timezone.localdate() + dt.timedelta(days=7))


# A page's queries: session, user, permissions, counts, the rows, a filter's choices; the
# same with 10 capacities as with 500.
MAX_QUERIES = 12
PAGES = [
    LIST,
    LIST + "?overdue=yes",
    LIST + "?q=%C3%B8ster",
    reverse("admin:capacities_transition_changelist"),
    DASHBOARD,
]


@pytest.mark.parametrize("count", [10, 500])
def test_list_pages_query_count_does_not_grow_with_rows(
    editor_client, django_assert_max_num_queries, count
):
    _many(count)
    for url in PAGES:
        editor_client.get(url)  # warm the content-type cache, as on a running server
        with django_assert_max_num_queries(MAX_QUERIES):
            response = editor_client.get(url)
        assert response.status_code == 200
    page = editor_client.get(LIST).content.decode()
    assert page.count('name="_selected_action"') == min(count, 100)


def _rows(response) -> str:
    return response.content.decode().split('id="result_list"')[1].split("</table>")[0]


def test_search_matches_danish_letters_in_any_case(editor_client):
    factories.capacity(Status.ACTIVE, in_area="Østerbro")
    factories.capacity(Status.ACTIVE, in_area="Herlev")
    rows = _rows(editor_client.get(LIST, {"q": "øster"}))
    assert "Østerbro" in rows
    assert "Herlev" not in rows


def test_search_finds_the_grantee(editor_client):
    granted = factories.capacity(Status.GRANTED, in_area="Valby")
    services.lapse_grant(granted, by=factories.staff_user(), on=dt.date(2024, 6, 1), reason="x")
    services.decide_to_post(granted, by=factories.staff_user(), on=dt.date(2024, 6, 2), reason="y")
    services.post_capacity(granted, by=factories.staff_user(), on=dt.date(2024, 6, 3))
    services.grant_capacity(
        granted,
        by=factories.staff_user(),
        on=dt.date(2024, 6, 4),
        grantee="Åse Ørnsholt",
        establishment_deadline=dt.date(2025, 1, 1),
    )
    factories.capacity(Status.GRANTED, in_area="Herlev")  # granted to Anne Holm
    rows = _rows(editor_client.get(LIST, {"q": "åse ørnsholt"}))
    assert "Valby" in rows
    assert "Herlev" not in rows


def test_overdue_filter_and_flag(editor_client):
    # The factory's grant has establishment deadline 01.01.2025, in the past by now.
    overdue = factories.capacity(Status.GRANTED, in_area="Gribskov")
    factories.capacity(Status.ACTIVE, in_area="Herlev")
    rows = _rows(editor_client.get(LIST, {"overdue": "yes"}))
    assert "Gribskov" in rows
    assert "Herlev" not in rows
    assert "01.01.2025" in rows
    assert 'alt="True"' in rows
    rows = _rows(editor_client.get(LIST, {"overdue": "no"}))
    assert "Gribskov" not in rows
    assert f"Gribskov #{overdue.pk}" not in rows


def test_status_and_origin_filters(editor_client):
    factories.capacity(Status.POSTED, in_area="Rødovre")
    factories.capacity(Status.ACTIVE, in_area="Herlev")
    factories.pool(size=2)
    rows = _rows(editor_client.get(LIST, {"status__exact": "posted"}))
    assert "Rødovre" in rows
    assert "Herlev" not in rows
    rows = _rows(editor_client.get(LIST, {"origin__exact": "pool"}))
    assert rows.count('name="_selected_action"') == 2


def test_dashboard_tells_what_needs_doing(editor_client):
    today = timezone.localdate()
    factories.capacity(Status.GRANTED, in_area="Gribskov")  # deadline 01.01.2025 passed
    factories.capacity(Status.POSTED, in_area="Rødovre")  # application deadline 01.04.2024
    waiting = factories.capacity(Status.AWAITING_DECISION, in_area="Frederikssund")
    unscheduled = factories.capacity(Status.AWAITING_DECISION, in_area="Ishøj")
    meeting = factories.meeting(today + dt.timedelta(days=10))
    services.schedule_decision(
        waiting, by=factories.staff_user(), on=dt.date(2024, 6, 1), meeting=meeting
    )
    pool = factories.pool(size=3)
    services.allocate_pool_capacity(
        pool.capacities.first(),
        by=factories.staff_user(),
        on=dt.date(2024, 6, 1),
        area=factories.area("Herlev"),
        reason="Over 75%",
        override_reason="Tallene er endnu ikke importeret",
    )

    page = editor_client.get(DASHBOARD).content.decode()

    def section(name):
        return page.split(f'id="dashboard-{name}"')[1].split("</table>")[0]

    assert "Gribskov" in section("overdue")
    assert "01.01.2025" in section("overdue")
    assert "Rødovre" in section("postings")
    assert meeting.date.strftime("%d.%m.%Y") in section("meeting")
    assert "Frederikssund" in section("meeting")
    assert "Ishøj" in section("unscheduled")
    assert f"Ishøj #{unscheduled.pk}" not in section("meeting")
    assert '<td class="remaining">2</td>' in section("pool")
    counts = section("counts")
    assert "status__exact=granted" in counts


def test_admin_index_links_to_the_dashboard(secretary_client):
    page = secretary_client.get(reverse("admin:index")).content.decode()
    assert DASHBOARD in page


def test_secretary_exports_the_list_as_csv(secretary_client):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    granted = factories.capacity(Status.GRANTED, in_area="Tårnby")
    factories.capacity(Status.ACTIVE, in_area="Herlev")
    response = secretary_client.post(
        LIST, {"action": "export_csv", ACTION_CHECKBOX_NAME: [granted.pk]}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("id,planlægningsområde,status")
    assert lines[1].split(",")[:3] == [str(granted.pk), "Tårnby", "tildelt"]
    assert "2025-01-01" in lines[1]
    assert lines[1].endswith(",ja")
    assert len(lines) == 2


def test_dashboard_flags_capacities_waiting_on_a_meeting_already_held(editor_client):
    today = timezone.localdate()
    waiting = factories.capacity(Status.AWAITING_DECISION, in_area="Frederikssund")
    held = factories.meeting(dt.date(2024, 11, 18))
    services.schedule_decision(
        waiting, by=factories.staff_user(), on=dt.date(2024, 6, 1), meeting=held
    )
    factories.meeting(today + dt.timedelta(days=20))

    page = editor_client.get(DASHBOARD).content.decode()

    flagged = page.split('id="dashboard-past-meeting"')[1].split("</table>")[0]
    assert "Frederikssund" in flagged
    assert "18.11.2024" in flagged
    assert "Frederikssund" not in page.split('id="dashboard-meeting"')[1].split("</table>")[0]


def test_transition_forms_offer_upcoming_meetings_first(editor_client):
    today = timezone.localdate()
    capacity = factories.capacity(Status.AWAITING_DECISION, in_area="Frederikssund")
    held = factories.meeting(today - dt.timedelta(days=300))
    recent = factories.meeting(today - dt.timedelta(days=30))
    soon = factories.meeting(today + dt.timedelta(days=14))
    later = factories.meeting(today + dt.timedelta(days=60))

    page = editor_client.get(
        reverse("admin:capacities_capacity_transition", args=[capacity.pk, "schedule_decision"])
    ).content.decode()
    select = page.split('name="meeting"')[1].split("</select>")[0]
    order = [select.index(f'value="{m.pk}"') for m in (soon, later, recent, held)]
    assert order == sorted(order)
