"""The data version with the per-process cache (portal/cache.py, `_HostSignal`): no database
round trip per request, and still a change shows at the next request in whichever process of
this machine answers. Another process is played here by a second signal of its own on the same
file; tests/production/test_scale_out.py runs it with separate gunicorn instances."""

import logging
import time

import pytest
from django.db import connection

from portal import cache as version
from portal.models import PublicDataVersion

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_folder(settings, tmp_path):
    settings.VERSION_SIGNAL_DIR = str(tmp_path)
    # However slow the machine, the row is not due for its recheck unless a test says so.
    settings.VERSION_RECHECK_SECONDS = 600
    version.forget_version()


def set_row(value: int) -> None:
    """A commit made elsewhere: the row changes and nothing here is told."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {PublicDataVersion._meta.db_table} SET value = %s WHERE id = %s",
            [value, version.VERSION_ROW],
        )


def row() -> int:
    return PublicDataVersion.objects.get(pk=version.VERSION_ROW).value


def test_a_bump_in_another_process_is_seen_at_the_next_request(django_assert_num_queries):
    version.bump_version()
    first = version.current_version()
    with django_assert_num_queries(0):
        assert version.current_version() == first
    # The other process commits its change, raises the row, then the shared counter.
    set_row(first + 1)
    with django_assert_num_queries(0):
        assert version.current_version() == first  # not told yet: the row is not read
    version._HostSignal().raise_counter(version._signal_path())
    with django_assert_num_queries(1):
        assert version.current_version() == first + 1
    with django_assert_num_queries(0):
        assert version.current_version() == first + 1


def test_a_bump_in_this_process_is_seen_at_once():
    version.bump_version()
    before = version.current_version()
    version.bump_version()
    assert version.current_version() == row() == before + 1


def test_a_change_the_counter_never_heard_of_shows_at_the_recheck(settings):
    version.bump_version()
    first = version.current_version()
    set_row(first + 5)  # say, a commit on another machine without the shared cache
    assert version.current_version() == first
    settings.VERSION_RECHECK_SECONDS = 0.05
    time.sleep(0.1)
    assert version.current_version() == first + 5


def test_a_signal_file_made_anew_is_followed(settings, tmp_path):
    version.bump_version()
    first = version.current_version()
    path = version._signal_path()
    (tmp_path / path.rsplit("/", 1)[1]).unlink()  # a cleaner removed it; a bump makes it anew
    set_row(first + 1)
    version._HostSignal().raise_counter(path)
    settings.VERSION_RECHECK_SECONDS = 0.05
    time.sleep(0.1)
    assert version.current_version() == first + 1


def test_an_unusable_signal_folder_reads_the_row_on_every_request(
    settings, tmp_path, caplog, django_assert_num_queries
):
    settings.VERSION_SIGNAL_DIR = str(tmp_path / "not-there")
    with caplog.at_level(logging.WARNING, logger="portal.cache"):
        version.bump_version()  # a bump still commits
        first = version.current_version()
        set_row(first + 1)
        with django_assert_num_queries(1):
            assert version.current_version() == first + 1
        version.current_version()
    warnings = [r.getMessage() for r in caplog.records if "signal file" in r.getMessage()]
    assert len(warnings) == 2  # once each for raising and for reading, however many requests
    assert "other processes see changes made here within" in warnings[0]
    assert "read from the database on every request" in warnings[1]


def test_switched_off_every_request_reads_the_row(settings, django_assert_num_queries):
    settings.VERSION_SIGNAL_DIR = ""
    version.bump_version()
    first = version.current_version()
    set_row(first + 1)
    with django_assert_num_queries(1):
        assert version.current_version() == first + 1
