"""The memo's optional section e: the year's pipeline up to the memo's date, from
`capacities.pipeline.figures` and worded by the editable texts `e_heading` and `e_pipeline`.
Off unless asked for (`build_memo(as_of, pipeline=True)`), so the memo is otherwise as it
always was."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from capacities.pipeline import figures


@dataclass(frozen=True)
class PipelineSection:
    start: dt.date
    end: dt.date
    heading: str
    paragraphs: tuple[str, ...]
    figures: dict  # the open-data shape (`/api/pipeline.json`) of the same period


def build_section(
    as_of: dt.date,
    *,
    text: Callable[..., str],
    paragraphs: Callable[..., tuple[str, ...]],
    long_date: Callable[[dt.date], str],
) -> PipelineSection:
    """From 1 January of the memo's year to its date. `text` and `paragraphs` fill a wording
    key (as the memo builder does); `long_date` writes a date in Danish prose."""
    start = as_of.replace(month=1, day=1)
    pipeline = figures(start, as_of)
    steps = pipeline.total.steps
    wait = pipeline.total.durations["return_to_establish"]
    if wait.median is None:
        median = "\u2013"  # a dash: no capacity was established in the period
    else:
        days = f"{wait.median:g}".replace(".", ",")
        median = f"{days} dag" if wait.median == 1 else f"{days} dage"
    values = {
        "year_start": long_date(start),
        "returned": steps["return"],
        "decided": steps["decide"],
        "posted": steps["post"],
        "granted": steps["grant"],
        "lapsed": steps["lapse"],
        "established": steps["establish"],
        "median": median,
        "completed": wait.count,
        "open": wait.open,
    }
    return PipelineSection(
        start=start,
        end=as_of,
        heading=text("e_heading", **values),
        paragraphs=paragraphs("e_pipeline", **values),
        figures=pipeline.as_json(),
    )
