"""The database itself refuses rows that break the register's rules (on SQLite and PostgreSQL),
even when code bypasses model validation."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from capacities.models import Capacity, Origin, Status
from coverage_areas.models import Designation, DesignationRound
from tests import factories


def _refused(obj) -> bool:
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        return True
    return False


@pytest.mark.django_db
def test_granted_capacity_needs_grantee_and_deadline():
    area = factories.area()
    assert _refused(
        Capacity(
            status=Status.GRANTED, area=area, grantee="", establishment_deadline=dt.date(2025, 1, 1)
        )
    )
    assert _refused(Capacity(status=Status.GRANTED, area=area, grantee="Anne Holm"))
    assert not _refused(
        Capacity(
            status=Status.GRANTED,
            area=area,
            grantee="Anne Holm",
            establishment_deadline=dt.date(2025, 1, 1),
        )
    )


@pytest.mark.django_db
def test_only_a_pool_reserve_capacity_has_no_area():
    pool = factories.pool(size=1)
    assert _refused(
        Capacity(status=Status.POOL_RESERVE, origin=Origin.POOL, pool=pool, area=factories.area())
    )
    assert _refused(Capacity(status=Status.ACTIVE, area=None))
    assert _refused(Capacity(status=Status.POOL_RESERVE, origin=Origin.REGULAR, area=None))


@pytest.mark.django_db
def test_pool_capacity_names_its_pool():
    assert _refused(
        Capacity(status=Status.ACTIVE, origin=Origin.POOL, area=factories.area(), pool=None)
    )


@pytest.mark.django_db
def test_dates_must_be_in_order():
    area = factories.area()
    assert _refused(
        Capacity(
            status=Status.POSTED,
            area=area,
            posted_on=dt.date(2024, 5, 1),
            application_deadline=dt.date(2024, 4, 1),
        )
    )
    assert _refused(
        Capacity(
            status=Status.GRANTED,
            area=area,
            grantee="Anne Holm",
            granted_on=dt.date(2024, 5, 1),
            establishment_deadline=dt.date(2024, 4, 1),
        )
    )
    assert _refused(Capacity(status=Status.POSTED, area=area, posted_on=None))


@pytest.mark.django_db
def test_area_appears_once_per_round():
    round_ = factories.designation_round("regional", 2023, ["Valby"])
    assert _refused(Designation(round=round_, area=factories.area("Valby")))


@pytest.mark.django_db
def test_round_rules():
    assert _refused(
        DesignationRound(kind="regional", first_year=2023, last_year=2024, status="announced")
    )
    assert _refused(
        DesignationRound(kind="national", first_year=2024, last_year=2021, status="announced")
    )
    assert _refused(
        DesignationRound(kind="regional", first_year=2023, last_year=2023, status="decided")
    )
    assert not _refused(
        DesignationRound(kind="national", first_year=2021, last_year=2024, status="announced")
    )
