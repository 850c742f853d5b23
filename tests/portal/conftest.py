"""Shared set-up for the public site's tests: a pinned "today", a clean page cache."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import transaction

from portal import clock


@pytest.fixture(autouse=True)
def _clean_page_cache():
    # Cached pages are keyed by the data version, which restarts with every test database.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def _demo_for_module(django_db_setup, django_db_blocker):
    """The demo data, loaded once per test module inside a transaction that is rolled back
    after the module (as Django's setUpTestData does): loading it takes seconds, and each
    test still runs in its own savepoint, so no test sees another's changes."""
    from capacities import demo as demo_data
    from capacities.demo_recent import SEED_DAY

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield demo_data.load(today=SEED_DAY)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(_demo_for_module, db):
    """Overrides the suite's `demo` for the public site's tests: same data, loaded once."""
    return _demo_for_module


@pytest.fixture
def pin_today(monkeypatch):
    """Pin the public site's today: `pin_today(dt.date(2023, 6, 1))`."""

    def pin(day: dt.date) -> dt.date:
        monkeypatch.setattr(clock, "today", lambda: day)
        return day

    return pin


@pytest.fixture
def in_2023(demo, pin_today):
    """The demo data seen on 1 June 2023: regional list 2023 and national 2021-2024 in force."""
    return pin_today(dt.date(2023, 6, 1))


@pytest.fixture
def autumn_2024(demo, pin_today):
    """The demo data seen on the memo's date, 24 October 2024."""
    return pin_today(dt.date(2024, 10, 24))
