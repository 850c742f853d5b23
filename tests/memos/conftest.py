import datetime as dt

import pytest
from django.db import connection, transaction

from memos.build import build_memo

SEED_DAY = dt.date(2024, 10, 24)


@pytest.fixture(scope="module")
def seed_memo(django_db_setup, django_db_blocker):
    """The memo of 24 October 2024 from the demo data. A memo is plain data, so it is built
    once per module inside a transaction that is rolled back: no test sees the demo rows."""
    from capacities import demo

    # pytest-django makes the test database only when a collected test is marked django_db;
    # without one this would run against the real database (rolled back, but still).
    name = str(connection.settings_dict["NAME"])
    if "memory" not in name and not name.rsplit("/", 1)[-1].startswith("test_"):
        pytest.fail("seed_memo needs the test database: mark the module pytest.mark.django_db")
    with django_db_blocker.unblock(), transaction.atomic():
        demo.load(today=SEED_DAY)
        memo = build_memo(SEED_DAY)
        transaction.set_rollback(True)
    return memo
