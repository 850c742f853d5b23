"""The demo's intake-closure figures (fixtures/intake_closures.csv, illustrative), imported
through the same check and service as a staff upload; unchanged figures are left alone, so
loading twice changes nothing.

After the file's last month (September 2024) the demo continues up to the month before the
load date, each month repeating the file's figure for the same calendar month (illustrative
too), so that the public pages always show recent months."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from django.conf import settings

from shortage.imports import read_file
from shortage.services import import_closures

FILE = Path(settings.BASE_DIR) / "fixtures" / "intake_closures.csv"


def continued(text: str, today: dt.date) -> str:
    """The file's rows and, after its last month, one row per area and month up to the month
    before `today` with the figures of the same calendar month in the file."""
    rows = list(csv.DictReader(io.StringIO(text)))
    last = max(row["month"] for row in rows)
    by_area_month = {(row["area"], int(row["month"][5:7])): row for row in rows}
    year, month = int(last[:4]), int(last[5:7])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["area", "month", "closed", "total"])
    for row in rows:
        writer.writerow([row["area"], row["month"], row["closed"], row["total"]])
    areas = sorted({row["area"] for row in rows})
    while True:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        if (year, month) >= (today.year, today.month):
            break
        for area in areas:
            source = by_area_month.get((area, month))
            if source:
                writer.writerow([area, f"{year}-{month:02d}", source["closed"], source["total"]])
    return out.getvalue()


def load(user, *, today: dt.date) -> str:
    data = continued(FILE.read_text(encoding="utf-8"), today).encode("utf-8")
    checked = read_file(data)
    if not checked.ok:
        raise ValueError("; ".join(str(p) for p in checked.problems))
    summary = import_closures(checked.rows, by=user, reason="load_demo")
    return (
        f"Intake closures: {summary.created} new, {summary.replaced} replaced, "
        f"{summary.unchanged} unchanged."
    )
