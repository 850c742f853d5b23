"""The Markdown table `make bench` writes to bench/results.md."""

from __future__ import annotations

import os
import time

SHARE_GOAL = 0.8
P95_GOAL_MS = 25
MEMO_GOALS = {"memo JSON": 0.5, "memo PDF": 1.0, "memo PDF again": 1.0}


def render(ceilings, rows, memo, counts, args) -> str:
    ceiling_rps = sum(c["rps"] for c in ceilings) / len(ceilings)
    lines = [
        "# Benchmark results",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} cores; gunicorn with "
        f"2 sync workers on 127.0.0.1; {args.connections} connections for {args.seconds} s per "
        f"page with {ceilings[0]['tool']}.",
        "",
        "Ceiling (trivial Django view, 30-row page, no database, no middleware), measured at "
        "the start and at the end of the run: "
        + ", ".join(
            f"**{c['rps']:.0f} req/s** (p50 {c['p50_ms']:.1f} ms, p95 {c['p95_ms']:.1f} ms)"
            for c in ceilings
        )
        + f"; shares below are of their mean, {ceiling_rps:.0f} req/s.",
        "",
        "Data: "
        + "; ".join(
            f"{size}: {', '.join(f'{v:,} {k}' for k, v in c.items())}" for size, c in counts.items()
        )
        + ".",
        "",
        "Cache: `locmem` is the per-process default (the data version read from PostgreSQL on "
        "each request); `redis` is `CACHE_URL=redis://…` (version and pages in Redis).",
        "",
        f"| page | size | cache | req/s | share of ceiling | p50 ms | p95 ms | non-2xx | "
        f"goal (≥ {SHARE_GOAL}, p95 < {P95_GOAL_MS} ms) |",
        "|---|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        if row.get("missing"):
            lines.append(
                f"| {row['page']} | {row['size']} | {row['cache']} | - | - | - | - | - | "
                "page not found |"
            )
            continue
        share = row["rps"] / ceiling_rps
        met = share >= SHARE_GOAL and row["p95_ms"] < P95_GOAL_MS and row["errors_status"] == 0
        lines.append(
            f"| {row['page']} | {row['size']} | {row['cache']} | {row['rps']:.0f} | "
            f"{share:.2f} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} | {row['errors_status']} | "
            f"{'yes' if met else 'no'} |"
        )
    lines += _growth(rows)
    lines += [
        "",
        "Memo for a past date (2020-06-01), built and rendered in process, best of 3:",
        "",
        "| size | what | seconds | goal |",
        "|---|---|---:|---|",
    ]
    for size, timings in memo.items():
        if "error" in timings:
            lines.append(f"| {size} | - | - | {timings['error']} |")
        for what, seconds in timings.items():
            if what != "error":
                goal = MEMO_GOALS[what]
                lines.append(
                    f"| {size} | {what} | {seconds:.3f} | under {goal} s: "
                    f"{'yes' if seconds < goal else 'no'} |"
                )
    return "\n".join(lines) + "\n"


def _growth(rows) -> list[str]:
    by_page: dict[tuple, dict] = {}
    for row in rows:
        if not row.get("missing"):
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
