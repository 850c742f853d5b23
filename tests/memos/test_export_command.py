"""`manage.py export_memo` (CONTRACT.md): the memo for a date in any format."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from memos.build import build_memo
from memos.render import render_csv, render_html, render_json
from tests.memos.conftest import SEED_DAY


class _Terminal(io.TextIOWrapper):
    def isatty(self) -> bool:
        return True


def export(*args: str, stdout=None) -> str:
    out = stdout or io.StringIO()
    call_command("export_memo", *args, stdout=out)
    return out.getvalue() if isinstance(out, io.StringIO) else ""


@pytest.mark.django_db
def test_json_goes_to_stdout_as_the_builder_makes_it(demo):
    output = export("--as-of", "2024-10-24", "--format", "json")

    assert output == render_json(build_memo(SEED_DAY))
    assert json.loads(output)["granted"]["total"] == 14


@pytest.mark.django_db
def test_html_and_csv_go_to_stdout(demo):
    assert export("--as-of=2024-10-24", "--format=html") == render_html(build_memo(SEED_DAY))
    assert export("--as-of=2024-10-24", "--format=csv") == render_csv(build_memo(SEED_DAY))


@pytest.mark.django_db
def test_default_date_is_today():
    output = export("--format", "json")

    assert json.loads(output)["as_of"] == timezone.localdate().isoformat()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("format_name", "magic"), [("pdf", b"%PDF-"), ("docx", b"PK"), ("xlsx", b"PK")]
)
def test_binary_formats_are_written_to_the_output_file(format_name, magic, tmp_path):
    target = tmp_path / f"memo.{format_name}"

    summary = export("--as-of", "2024-10-24", "--format", format_name, "--output", str(target))

    assert target.read_bytes().startswith(magic)
    assert f"written to {target}" in summary


@pytest.mark.django_db
def test_binary_format_goes_to_redirected_stdout_but_never_to_a_terminal():
    redirected = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    export("--as-of", "2024-10-24", "--format", "pdf", stdout=redirected)
    assert redirected.buffer.getvalue().startswith(b"%PDF-")

    terminal = _Terminal(io.BytesIO(), encoding="utf-8")
    with pytest.raises(CommandError, match="not written to a terminal: give --output FILE"):
        export("--as-of", "2024-10-24", "--format", "pdf", stdout=terminal)
    assert terminal.buffer.getvalue() == b""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--as-of", "24.10.2024", "--format", "json"],
            "--as-of must be a date written YYYY-MM-DD",
        ),
        (
            ["--as-of", "2024-02-30", "--format", "json"],
            "--as-of must be a date written YYYY-MM-DD",
        ),
        (["--as-of", "2999-01-01", "--format", "json"], "today"),
        (["--as-of", "2024-10-24", "--format", "odt"], "Unknown --format 'odt': choose one of pdf"),
    ],
)
def test_bad_date_or_format_is_refused_with_a_clear_message(args, message, tmp_path):
    target = tmp_path / "memo.out"
    with pytest.raises(CommandError, match=message.replace("|", r"\|")):
        export(*args, "--output", str(target))
    assert not target.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2024-13-01", "--format", "json"], "--as-of must be a date"),
        (["--format", "doc"], "Unknown --format 'doc'"),
        (["--as-of", "2024-10-24"], "--format"),
    ],
)
def test_bad_input_exits_non_zero_from_the_command_line(args, message):
    result = subprocess.run(
        [sys.executable, "manage.py", "export_memo", *args],
        cwd=Path(settings.BASE_DIR),
        env={**os.environ, "DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert message in result.stderr
    assert result.stdout == ""


@pytest.mark.django_db
def test_log_lines_never_end_up_inside_a_document_written_to_stdout(monkeypatch):
    # The portal logs to stdout; WeasyPrint logs each layout step while the PDF is made.
    redirected = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", redirected)
    handler = logging.StreamHandler(sys.stdout)
    weasyprint_log = logging.getLogger("weasyprint")
    level = weasyprint_log.level
    weasyprint_log.addHandler(handler)
    weasyprint_log.setLevel(logging.INFO)
    try:
        export("--as-of", "2024-10-24", "--format", "pdf", stdout=redirected)
    finally:
        weasyprint_log.removeHandler(handler)
        weasyprint_log.setLevel(level)

    redirected.flush()
    assert redirected.buffer.getvalue().startswith(b"%PDF-")
    assert handler.stream is redirected  # put back afterwards
