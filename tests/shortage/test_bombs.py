"""Uploads built to exhaust a worker get a clear message at once, in bounded memory, and
nothing is imported: the command, the admin's upload, and files that are not files."""

from __future__ import annotations

import os
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from shortage.imports import read_file
from shortage.models import IntakeClosure
from tests.shortage import bombs

# Far below the gigabytes the bombs used to take; the file itself is counted in.
MEMORY_BOUND = 64 * 1024 * 1024


def _read_measured(data: bytes):
    tracemalloc.start()
    try:
        checked = read_file(data)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return checked, peak


@pytest.mark.parametrize(
    ("make", "message"),
    [
        # 8 million cells in one row (about 115 MB unpacked from a few hundred KB).
        (lambda: bombs.wide_row(8_000_000), "unpacks to more than 64 MB"),
        # A million cells in one row, small enough unpacked to be read: stopped at 100.
        (lambda: bombs.wide_row(1_000_000), "row 2 has more than 100 cells"),
        # A million rows of figures: refused unpacked size first ...
        (lambda: bombs.many_rows(1_000_000), "unpacks to more than 64 MB"),
        # ... and 30,000 stopped at the 20,002nd row.
        (lambda: bombs.many_rows(30_000), "more than 20000 rows"),
        (lambda: bombs.many_empty_rows(250_000), "more than 20000 rows"),
        (lambda: bombs.csv_lines(1_000_000), "larger than 5 MB"),
        (lambda: bombs.csv_lines(200_000), "more than 20000 rows"),
    ],
    ids=[
        "xlsx-8M-cells",
        "xlsx-1M-cells",
        "xlsx-1M-rows",
        "xlsx-30k-rows",
        "xlsx-250k-empty-rows",
        "csv-20MB",
        "csv-200k",
    ],
)
def test_a_bomb_is_refused_with_a_message_in_bounded_memory(db, make, message):
    data = make()

    with translation.override("en"):
        checked, peak = _read_measured(data)

    assert not checked.ok
    assert message in str(checked.problems[0])
    assert peak < MEMORY_BOUND, f"peak {peak / 2**20:.1f} MB"


def test_the_command_refuses_a_bomb_and_imports_nothing(areas, write_file):
    path = write_file(bombs.many_rows(30_000), "bomb.xlsx")
    with pytest.raises(CommandError, match="1 bad line"), translation.override("en"):
        call_command("import_intake_closures", str(path))
    assert not IntakeClosure.objects.exists()


@pytest.mark.parametrize("path", ["/dev/zero", "/dev/urandom", "/dev/null", "/tmp"])
def test_the_command_refuses_what_is_not_a_regular_file(db, path):
    with translation.override("en"), pytest.raises(CommandError, match="not a regular file"):
        call_command("import_intake_closures", path)


def test_the_command_refuses_a_named_pipe_without_waiting_for_it(db, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with translation.override("en"), pytest.raises(CommandError, match="not a regular file"):
        call_command("import_intake_closures", str(fifo))


def test_the_admin_upload_answers_a_bomb_with_its_message(areas, editor_client):
    upload = SimpleUploadedFile("bomb.xlsx", bombs.wide_row(8_000_000))

    response = editor_client.post(
        reverse("admin:shortage_intakeclosure_import"), {"file": upload}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert "64 MB" in response.content.decode()
    assert not IntakeClosure.objects.exists()


def test_a_good_file_at_the_row_limit_is_imported(areas, write_file):
    rows = [
        f"Herlev,{year:04d}-{month:02d},3,10"
        for year in range(2001, 2021)
        for month in range(1, 13)
    ]
    path = write_file(("area,month,closed,total\n" + "\n".join(rows) + "\n").encode())
    call_command("import_intake_closures", str(path))
    assert IntakeClosure.objects.count() == len(rows)
