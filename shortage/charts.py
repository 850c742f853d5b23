"""The public chart of an area's closure share over time: geometry computed here, drawn as
inline SVG by shortage/includes/share_chart.html (no script, no inline style: the portal's
Content-Security-Policy allows neither)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from shortage.models import IntakeClosure

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 10, 34
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
MAX_MONTHS = 24


def _next_month(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1)


@dataclass(frozen=True)
class Bar:
    month: dt.date
    closure: IntakeClosure | None
    x: float
    width: float
    label: bool  # whether the month is written under the axis (not every one fits)
    threshold_percent: int | None

    @property
    def percent(self) -> float | None:
        return self.closure.percent if self.closure else None

    @property
    def y(self) -> float:
        return round(TOP + PLOT_H - self.height, 1)

    @property
    def height(self) -> float:
        return round(PLOT_H * (self.percent or 0) / 100, 1)

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def above(self) -> bool:
        return bool(
            self.closure
            and self.threshold_percent is not None
            and self.closure.above(self.threshold_percent)
        )


@dataclass
class ShareChart:
    bars: list[Bar] = field(default_factory=list)
    threshold_percent: int | None = None
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    baseline: int = TOP + PLOT_H

    @property
    def rows(self) -> list[Bar]:
        """The table alternative: every month with figures, newest first."""
        return [bar for bar in reversed(self.bars) if bar.closure is not None]

    @property
    def latest(self) -> Bar | None:
        return self.rows[0] if self.rows else None

    @property
    def highest(self) -> Bar | None:
        with_share = [bar for bar in self.bars if bar.percent is not None]
        return max(with_share, key=lambda bar: bar.percent) if with_share else None

    @property
    def first(self) -> Bar | None:
        return self.bars[0] if self.bars else None

    @property
    def ticks(self) -> list[dict]:
        return [
            {"percent": p, "y": round(TOP + PLOT_H * (1 - p / 100), 1)}
            for p in (0, 25, 50, 75, 100)
        ]

    @property
    def threshold_y(self) -> float | None:
        if self.threshold_percent is None:
            return None
        return round(TOP + PLOT_H * (1 - self.threshold_percent / 100), 1)


def share_chart(closures: list[IntakeClosure], *, threshold_percent: int | None) -> ShareChart:
    """Bars for the months from the first to the last with figures (at most MAX_MONTHS, the
    newest); a month without figures is a gap, not a zero."""
    chart = ShareChart(threshold_percent=threshold_percent)
    if not closures:
        return chart
    by_month = {c.month: c for c in closures}
    last = max(by_month)
    months = [min(by_month)]
    while months[-1] < last:
        months.append(_next_month(months[-1]))
    months = months[-MAX_MONTHS:]
    slot = PLOT_W / len(months)
    step = max(1, round(48 / slot))  # a label needs about 48 units
    for index, month in enumerate(months):
        chart.bars.append(
            Bar(
                month=month,
                closure=by_month.get(month),
                x=round(LEFT + index * slot + slot * 0.15, 1),
                width=round(slot * 0.7, 1),
                label=(len(months) - 1 - index) % step == 0,
                threshold_percent=threshold_percent,
            )
        )
    return chart
