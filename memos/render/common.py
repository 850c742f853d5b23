"""What every rendering of the memo shares: its fixed Danish labels and small helpers.

The memo is a Danish document: its fixed labels are Danish whatever language the person
exporting it uses, and they are defined once here for every format.
"""

from __future__ import annotations

from common.text import danish_separators
from memos.build import GrantedRow, Memo, short_date

LABELS = {
    "memo": "NOTAT",
    "page": "Side",
    "of": "af",
    "area": "Planlægningsområde",
    "count": "Kapaciteter",
    "remark": "Bemærkning",
    "deadline": "Etableringsfrist",
    "overdue": "overskredet",
    "overdue_column": "Overskredet",
    "yes": "Ja",
    "no": "Nej",
    "total": "I alt",
    "pool": "Puljekapaciteter",
    "number": "Antal",
    "pool_allocated": "Udmøntet",
    "pool_awaiting_posting": "Udmøntet, afventer opslag",
    "pool_remaining": "Tilbage i puljen",
    "pool_created": "I alt etableret",
    "sheet_posted": "b. I opslag",
    "sheet_granted": "c. Tildelt",
}


def file_name(memo: Memo, extension: str) -> str:
    return f"notat-inaktive-kapaciteter-{memo.as_of.isoformat()}.{extension}"


def deadline_parts(row: GrantedRow) -> list[dict]:
    """Each deadline as table text, whether it is overdue, and the separator after it."""
    separators = danish_separators(len(row.deadlines))
    return [
        {"text": short_date(d.date), "overdue": d.overdue, "separator": separator}
        for d, separator in zip(row.deadlines, separators, strict=True)
    ]


def deadline_text(row: GrantedRow) -> str:
    """01.10.2024 (overskredet) og 01.05.2025 (remark): the table cell as plain text."""
    text = "".join(
        part["text"] + (f" ({LABELS['overdue']})" if part["overdue"] else "") + part["separator"]
        for part in deadline_parts(row)
    )
    return f"{text} ({row.remark})" if row.remark else text


def pool_rows(memo: Memo) -> list[tuple[str, int]]:
    pool = memo.pool
    created = LABELS["pool_created"]
    if pool.created_on:
        created = f"{created} {short_date(pool.created_on)}"
    return [
        (LABELS["pool_allocated"], pool.allocated),
        (LABELS["pool_awaiting_posting"], pool.allocated_awaiting_posting),
        (LABELS["pool_remaining"], pool.remaining),
        (created, pool.created),
    ]
