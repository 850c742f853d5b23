"""The demo's intake-closure figures (fixtures/intake_closures.csv, illustrative), imported
through the same check and service as a staff upload; unchanged figures are left alone, so
loading twice changes nothing."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from shortage.imports import read_file
from shortage.services import import_closures

FILE = Path(settings.BASE_DIR) / "fixtures" / "intake_closures.csv"


def load(user) -> str:
    checked = read_file(FILE.read_bytes())
    if not checked.ok:
        raise ValueError("; ".join(str(p) for p in checked.problems))
    summary = import_closures(checked.rows, by=user, reason="load_demo")
    return (
        f"Intake closures: {summary.created} new, {summary.replaced} replaced, "
        f"{summary.unchanged} unchanged."
    )
