"""Values that once crashed the import, the admin or the command instead of being reported:
each now gets its clear message, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from shortage.models import IntakeClosure
from tests.shortage.conftest import csv_bytes, xlsx_bytes

ROOT = Path(__file__).resolve().parents[2]
HEADER = ("area", "month", "closed", "total")
FIVE_THOUSAND_DIGITS = "9" * 5000

BAD_VALUES = [
    (("Herlev", "0000-05", "3", "10"), "the month 0000-05 lies before 1900"),
    (("Herlev", "2024-09", FIVE_THOUSAND_DIGITS, "10"), "closed is too large (at most 2147483647)"),
    (("Herlev", "2024-09", "3", "2147483648"), "total is too large (at most 2147483647)"),
    (("Herlev", "2024-09", "3", "-" + FIVE_THOUSAND_DIGITS), "total is too large"),
]


def _import(path) -> None:
    with translation.override("en"):
        call_command("import_intake_closures", str(path))


@pytest.mark.parametrize("make", ["csv", "xlsx"])
@pytest.mark.parametrize(("row", "reason"), BAD_VALUES)
def test_import_reports_the_value_by_line(areas, write_file, capsys, make, row, reason):
    data = csv_bytes(",".join(HEADER), ",".join(row)) if make == "csv" else xlsx_bytes(HEADER, row)
    with pytest.raises(CommandError, match="1 bad line"):
        _import(write_file(data, "f"))
    assert f"line 2: {reason}" in capsys.readouterr().err
    assert not IntakeClosure.objects.exists()


def test_import_reports_a_spreadsheet_number_beyond_any_database(areas, write_file, capsys):
    with pytest.raises(CommandError, match="1 bad line"):
        _import(write_file(xlsx_bytes(HEADER, ("Herlev", "2024-09", 3, 1e300)), "f"))
    assert "line 2: total" in capsys.readouterr().err


def test_largest_count_every_database_holds_is_imported(areas, write_file):
    _import(write_file(csv_bytes(",".join(HEADER), "Herlev,2024-09,3,2147483647")))
    assert IntakeClosure.objects.get().total == 2_147_483_647


def test_single_add_form_refuses_month_zero_with_a_message(areas, editor_client):
    response = editor_client.post(
        reverse("admin:shortage_intakeclosure_add"),
        {"area": areas["herlev"].pk, "month": "0000-05", "closed": 1, "total": 2},
    )
    assert response.status_code == 200
    assert "ligger før 1900" in response.content.decode()
    assert not IntakeClosure.objects.exists()


@pytest.mark.parametrize("value", ["99999-01", "0000-05", "2024-13", "abc", "٢٠٢٤-٠٩"])
def test_month_filter_with_a_month_that_cannot_be_answers_the_list(areas, editor_client, value):
    response = editor_client.get(
        reverse("admin:shortage_intakeclosure_changelist"), {"month": value}
    )
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("on", ["2024-02-30", "0000-01-01", "0001-01-01"])
def test_pool_eligibility_refuses_a_date_that_does_not_exist_without_a_traceback(on):
    result = subprocess.run(
        [sys.executable, "manage.py", "pool_eligibility", "--on", on],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DEBUG": "1"},
        timeout=60,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "Bad date" in result.stderr
