"""Importing intake-closure figures: the whole file is checked first, every bad line is named
with its reason and nothing is stored; a good file is stored at once, and a month imported
again replaces the old figures, which its history keeps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from shortage.models import IntakeClosure
from tests.shortage.conftest import D, csv_bytes, xlsx_bytes

HEADER = ("area", "month", "closed", "total")

# Each kind of bad line, with a fragment of the reason given for it.
BAD_ROWS = [
    (("Herlv", "2024-09", "3", "10"), "unknown planning area “Herlv”"),
    (("Herlev", "2024-13", "3", "10"), "bad month “2024-13”"),
    (("Herlev", "sept 2024", "3", "10"), "bad month “sept 2024”"),
    (("Herlev", "2024-09", "11", "10"), "closed (11) is more than total (10)"),
    (("Herlev", "2024-09", "-1", "10"), "closed is negative (-1)"),
    (("Herlev", "2024-09", "2.5", "10"), "closed “2.5” is not a whole number"),
    (("Herlev", "2024-09", "3", ""), "total is empty"),
    (("", "2024-09", "3", "10"), "area is empty"),
    (("Herlev", "2999-01", "3", "10"), "the month 2999-01 lies in the future"),
]


def run_import(path, **options):
    # Messages are checked in English; staff read them in Danish (the catalogue).
    with translation.override("en"):
        call_command("import_intake_closures", str(path), **options)


def as_csv(*rows: tuple) -> bytes:
    return csv_bytes(*(",".join(row) for row in rows))


@pytest.mark.parametrize("make", [as_csv, xlsx_bytes], ids=["csv", "xlsx"])
@pytest.mark.parametrize(("row", "reason"), BAD_ROWS)
def test_a_bad_line_is_named_with_its_reason_and_nothing_is_imported(
    areas, write_file, capsys, make, row, reason
):
    good = ("Tårnby", "2024-09", "30", "34")
    path = write_file(make(HEADER, good, row, (*good[:1], "2024-08", "29", "34")), "f")

    with pytest.raises(CommandError, match="1 bad line"):
        run_import(path)

    errors = capsys.readouterr().err
    assert f"line 3: {reason}" in errors
    assert "line 2" not in errors and "line 4" not in errors
    assert not IntakeClosure.objects.exists()


@pytest.mark.parametrize("make", [as_csv, xlsx_bytes], ids=["csv", "xlsx"])
def test_every_bad_line_is_reported_and_a_duplicate_names_its_twin(areas, write_file, capsys, make):
    path = write_file(
        make(
            HEADER,
            ("Herlev", "2024-09", "3", "10"),
            ("Herlv", "2024-09", "3", "10"),
            ("herlev", "2024-09", "4", "10"),
            ("Tårnby", "2024-09", "12", "10"),
        ),
        "f",
    )
    with pytest.raises(CommandError, match="3 bad line"):
        run_import(path)
    errors = capsys.readouterr().err.splitlines()
    assert [line.split(": ", 1)[1].split(":")[0] for line in errors] == [
        "line 3",
        "line 4",
        "line 5",
    ]
    assert "Herlev 2024-09 appears twice (also on line 2)" in errors[1]
    assert not IntakeClosure.objects.exists()


@pytest.mark.parametrize("make", [as_csv, xlsx_bytes], ids=["csv", "xlsx"])
def test_a_missing_column_is_reported_on_the_header_line(areas, write_file, capsys, make):
    path = write_file(make(("area", "month", "closed"), ("Herlev", "2024-09", "3")), "f")
    with pytest.raises(CommandError):
        run_import(path)
    assert "line 1: missing column(s): total" in capsys.readouterr().err
    assert not IntakeClosure.objects.exists()


def test_a_file_that_is_neither_utf8_nor_xlsx_is_refused(areas, write_file, capsys):
    path = write_file("area,month,closed,total\nTårnby,2024-09,3,10\n".encode("latin-1"))
    with pytest.raises(CommandError):
        run_import(path)
    assert "neither UTF-8 text" in capsys.readouterr().err


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run_import(tmp_path / "nowhere.csv")


def test_a_good_csv_is_imported_with_names_or_slugs_in_any_case(areas, write_file, capsys):
    path = write_file(
        # A spreadsheet's BOM, semicolons, Danish letters in capitals, a slug, a blank line.
        "\ufeffArea;Month;Closed;Total\nHØJE-TAASTRUP;2024-09;40;50\n\n"
        "taarnby;2024-09;30;34\nbrøndby strand;2024-08;0;0\n".encode()
    )
    run_import(path)

    stored = {
        (c.area.name, c.month, c.closed, c.total)
        for c in IntakeClosure.objects.select_related("area")
    }
    assert stored == {
        ("Høje-Taastrup", D(2024, 9, 1), 40, 50),
        ("Tårnby", D(2024, 9, 1), 30, 34),
        ("Brøndby Strand", D(2024, 8, 1), 0, 0),
    }
    assert "3 rows; 3 new, 0 replaced, 0 unchanged" in capsys.readouterr().out


def test_a_good_xlsx_is_imported_with_months_the_spreadsheet_made_dates(areas, write_file):
    path = write_file(
        xlsx_bytes(
            HEADER,
            ("Herlev", dt.datetime(2024, 9, 1), 13, 16),
            ("Tårnby", "2024-08", 28.0, 34),
        ),
        "lukninger.xlsx",
    )
    run_import(path)
    assert sorted(IntakeClosure.objects.values_list("area__name", "month", "closed")) == [
        ("Herlev", D(2024, 9, 1), 13),
        ("Tårnby", D(2024, 8, 1), 28),
    ]


def test_reimporting_a_month_replaces_it_and_history_keeps_who_and_why(
    areas, write_file, editor, capsys
):
    run_import(write_file(as_csv(HEADER, ("Herlev", "2024-09", "10", "16"))))
    run_import(
        write_file(
            as_csv(HEADER, ("Herlev", "2024-09", "13", "16"), ("Tårnby", "2024-09", "30", "34")),
            "rettet.csv",
        ),
        user="editor",
        reason="Rettede tal fra kommunen",
    )

    herlev = IntakeClosure.objects.get(area=areas["herlev"])
    assert (herlev.closed, herlev.total) == (13, 16)
    assert IntakeClosure.objects.count() == 2
    newest, oldest = herlev.history.order_by("-history_id")
    assert (oldest.closed, oldest.history_type) == (10, "+")
    assert (newest.closed, newest.history_type) == (13, "~")
    assert newest.history_user == editor
    assert newest.history_change_reason == "Rettede tal fra kommunen"
    assert "2 rows; 1 new, 1 replaced, 0 unchanged" in capsys.readouterr().out.splitlines()[-1]


def test_reimporting_the_same_figures_writes_no_history(areas, write_file):
    path = write_file(as_csv(HEADER, ("Herlev", "2024-09", "10", "16")))
    run_import(path)
    run_import(path)
    assert IntakeClosure.history.count() == 1


def test_an_unknown_user_is_refused_before_anything_is_read(areas, write_file):
    path = write_file(as_csv(HEADER, ("Herlev", "2024-09", "10", "16")))
    with pytest.raises(CommandError, match="No user named"):
        run_import(path, user="nobody")
    assert not IntakeClosure.objects.exists()


def test_the_demo_figures_load_twice_without_change(demo):
    from capacities import demo as demo_data

    count = IntakeClosure.history.count()
    assert IntakeClosure.objects.count() == count > 300
    from capacities.demo_recent import SEED_DAY

    demo_data.load(today=SEED_DAY)
    assert IntakeClosure.history.count() == count
