"""The Markdown table `make bench` writes to bench/results.md."""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

SHARE_GOAL = 0.8
P95_GOAL_MS = 25
MEMO_GOALS = {"memo JSON": 0.5, "memo PDF": 1.0, "memo PDF again": 1.0, "pipeline 2023": 1.0}


def render(rows, memo, counts, args, memo_before=None) -> str:
    ceilings = sorted({round(row["ceiling_rps"]) for row in rows if "ceiling_rps" in row})
    lines = [
        "# Benchmark results",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} cores with Python "
        f"{platform.python_version()} ({Path(sys.base_prefix) / 'bin'}; how it was built "
        "moves pure-Python work such as the memo's layout by a fifth); gunicorn with "
        f"2 sync workers on 127.0.0.1; {args.connections} connections for {args.seconds} s per "
        f"page with {rows[0].get('tool', 'wrk') if rows else 'wrk'}; each request sends a "
        "browser's `Accept-Encoding` (pages and open data come gzip-compressed; KB is what "
        "one answer carries).",
        "",
        "Ceiling: a trivial Django view (30-row page, no database, no middleware) on its own "
        "gunicorn beside the portal's, loaded in turns with each page (2 s of one, then 2 s of "
        "the other), so that a page's share is of the ceiling at the same moments; here "
        f"{ceilings[0]}-{ceilings[-1]} req/s (they differ as much as other work on the machine "
        "moves them). p50 is the middle slice's, p95 the worst slice's."
        if ceilings
        else "Ceiling: not measured.",
        "",
        "Data: "
        + "; ".join(
            f"{size}: {', '.join(f'{v:,} {k}' for k, v in c.items())}" for size, c in counts.items()
        )
        + ".",
        "",
        "Cache: `locmem` is the per-process default (each process keeps the data version it "
        "read from PostgreSQL until a counter the machine's processes share in memory says it "
        "changed, and reads it again every second anyway); `redis` is `CACHE_URL=redis://…` "
        "(pages in Redis; each process keeps the data version until Redis pushes word that it "
        "changed).",
        "",
        "| page | size | cache | KB | req/s | ceiling req/s | share of ceiling | p50 ms | p95 ms "
        f"| non-2xx | goal (≥ {SHARE_GOAL}, p95 < {P95_GOAL_MS} ms) |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        share = row["rps"] / row["ceiling_rps"]
        met = share >= SHARE_GOAL and row["p95_ms"] < P95_GOAL_MS and row["errors_status"] == 0
        lines.append(
            f"| {row['page']} | {row['size']} | {row['cache']} | {row.get('bytes', 0) / 1000:.1f} "
            f"| {row['rps']:.0f} | "
            f"{row['ceiling_rps']:.0f} | {share:.2f} | {row['p50_ms']:.1f} | "
            f"{row['p95_ms']:.1f} | {row['errors_status']} | {'yes' if met else 'no'} |"
        )
    lines += _growth(rows)
    lines += _compared(rows, memo, memo_before or {}, args)
    lines += [
        "",
        "Memo for a past date (2020-06-01), built and rendered in process, best of 3:",
        "",
        "| size | what | seconds | goal |",
        "|---|---|---:|---|",
    ]
    for size, timings in memo.items():
        for what, seconds in timings.items():
            goal = MEMO_GOALS[what]
            lines.append(
                f"| {size} | {what} | {seconds:.3f} | under {goal} s: "
                f"{'yes' if seconds < goal else 'no'} |"
            )
    return "\n".join(lines) + "\n"


def _cell(figures: dict, ceiling_rps: float) -> str:
    return (
        f"{figures['rps'] / ceiling_rps:.2f} | {figures['p95_ms']:.1f} | "
        f"{figures.get('bytes', 0) / 1000:.1f}"
    )


def _compared(rows, memo, memo_before, args) -> list[str]:
    """Before and after side by side: the checkout given with --before, loaded in the same
    turns as this one, each share of the same ceiling."""
    compared = [row for row in rows if "before" in row]
    if not compared:
        return []
    lines = [
        "",
        f"Compared with `{args.before}` (loaded in the same turns; share of the ceiling, "
        "p95 ms, KB per answer):",
        "",
        "| size | cache | page | before: share | p95 ms | KB | after: share | p95 ms | KB |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in compared:
        lines.append(
            f"| {row['size']} | {row['cache']} | {row['page']} | "
            f"{_cell(row['before'], row['ceiling_rps'])} | {_cell(row, row['ceiling_rps'])} |"
        )
    lines += ["", "| size | memo | before s | after s |", "|---|---|---:|---:|"]
    for size, timings in memo.items():
        for what, seconds in timings.items():
            earlier = memo_before.get(size, {}).get(what)
            lines.append(
                f"| {size} | {what} | {'-' if earlier is None else f'{earlier:.3f}'} | "
                f"{seconds:.3f} |"
            )
    return lines


def _growth(rows) -> list[str]:
    by_page: dict[tuple, dict] = {}
    for row in rows:
        by_page.setdefault((row["page"], row["cache"]), {})[row["size"]] = row
    growth = [
        f"| {page} | {cache} | {sizes['country']['p95_ms'] / sizes['region']['p95_ms']:.2f} | "
        f"{sizes['region']['rps'] / sizes['country']['rps']:.2f} |"
        for (page, cache), sizes in by_page.items()
        if {"region", "country"} <= sizes.keys()
    ]
    if not growth:
        return []
    return [
        "",
        "Country size against region size (goal: no worse than 1.5x):",
        "",
        "| page | cache | p95 country / region | time per request country / region |",
        "|---|---|---:|---:|",
        *growth,
    ]
