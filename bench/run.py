"""`make bench`: the portal's speed at region size and at country size x10, as a share of the
machine's ceiling (a trivial Django view on the same gunicorn).

For each size it makes a fresh PostgreSQL database, bulk-loads synthetic data (bench/synth.py)
and analyzes it, times the memo for a past date in process, and for each cache (the per-process
default, and Redis) serves the portal with gunicorn (2 workers) on 127.0.0.1 beside the
ceiling's gunicorn and loads each page and the ceiling in turns with wrk (or, without wrk, a
small Python load generator) for a bounded time. The table goes to bench/results.md
(bench/report.py).

PostgreSQL: BENCH_DATABASE_URL (a server URL; databases bench_region and bench_country are made
and dropped there) or, without it, a private cluster in a temporary folder (needs the
PostgreSQL server binaries, as CI installs them). Redis: BENCH_REDIS_URL, or a private
redis-server on a free port.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import report, servers  # noqa: E402
from bench.load import BROWSER_HEADERS, load  # noqa: E402

# The pages of the issue, resolved against the data actually generated.
PAGES_CODE = r"""
import json
from django.urls import reverse
from coverage_areas.models import PlanningArea

busy = PlanningArea.objects.filter(capacity_set__status="posted").order_by("name").first()
pages = {
    "home": "/",
    "postings, filtered by area": f"{reverse('portal:posting_list')}?area={busy.slug}",
    "area page": reverse("portal:area_detail", kwargs={"slug": busy.slug}),
    "threatened areas": reverse("portal:threatened_areas"),
    "api/postings.json": "/api/postings.json",
}
print(json.dumps(pages))
"""

MEMO_CODE = r"""
import datetime as dt, json, time
from django.core.cache import cache
from memos.build import build_memo
from memos import render
as_of = dt.date(2020, 6, 1)
timings = {}
# "memo PDF" lays the memo out anew each time (the cache is emptied first); "memo PDF again"
# is a download of a memo already rendered with the same data (kept by the HTML's digest).
for name, fn, fresh in [("memo JSON", render.render_json, False),
                        ("memo PDF", render.render_pdf, True),
                        ("memo PDF again", render.render_pdf, False)]:
    fn(build_memo(as_of))  # warm up (imports, fonts)
    runs = []
    for _ in range(3):
        if fresh:
            cache.clear()
        start = time.perf_counter()
        fn(build_memo(as_of))
        runs.append(time.perf_counter() - start)
    timings[name] = min(runs)
print(json.dumps(timings))
"""

# A year's pipeline figures (capacities.pipeline), best of three after a warm-up.
PIPELINE_CODE = r"""
import datetime as dt, json, time
from capacities.pipeline import figures
runs = []
for _ in range(4):
    start = time.perf_counter()
    result = figures(dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    result.by_year, result.by_area, result.by_origin
    runs.append(time.perf_counter() - start)
print(json.dumps({"pipeline 2023": min(runs[1:])}))
"""


def _alternating(ceiling_url: str, page_url: str, args) -> tuple[dict, dict]:
    """The ceiling and the page in turns, two seconds each, for `args.seconds` of each: a
    shared machine's speed drifts by a third within minutes, and both shares see the same
    moments. Requests and seconds add up; p50 is the middle slice's, p95 the worst slice's."""
    slices = max(1, args.seconds // 2)
    runs: dict[str, list[dict]] = {"ceiling": [], "page": []}
    for _ in range(slices):
        for name, url in (("ceiling", ceiling_url), ("page", page_url)):
            runs[name].append(load(url, seconds=2, connections=args.connections))
    combined = {}
    for name, parts in runs.items():
        requests = sum(part["requests"] for part in parts)
        seconds = sum(part["seconds"] for part in parts)
        combined[name] = {
            **parts[0],
            "requests": requests,
            "seconds": seconds,
            "rps": requests / seconds,
            "p50_ms": sorted(part["p50_ms"] for part in parts)[len(parts) // 2],
            "p95_ms": max(part["p95_ms"] for part in parts),
            "errors_status": sum(part["errors_status"] for part in parts),
            "errors_socket": sum(part.get("errors_socket", 0) for part in parts),
        }
    return combined["ceiling"], combined["page"]


def _load_data(size: str, url: str) -> tuple[dict, dict]:
    servers.recreate_database(url)
    env = servers.portal_env(url)
    manage = [servers.PY, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    started = time.perf_counter()
    counts = json.loads(
        servers.django(
            env,
            "import json; from bench import synth; "
            f"print(json.dumps(synth.generate(synth.SIZES[{size!r}])))",
        )
    )
    print(f"{size}: {counts} in {time.perf_counter() - started:.0f} s", flush=True)
    # A database in service has statistics and no backlog of new rows: after a bulk load the
    # planner would guess and autovacuum would run during the timings below.
    servers.django(
        env,
        "from django.db import connection\n"
        "with connection.cursor() as cursor: cursor.execute('VACUUM ANALYZE')",
    )
    timings = json.loads(servers.django(env, MEMO_CODE) or "{}")
    timings.update(json.loads(servers.django(env, PIPELINE_CODE) or "{}"))
    return counts, timings


def _render_first(url: str) -> int:
    """Render the page once in each worker before loading it: a first rendering at country
    size can take longer than wrk's 2 s timeout on a busy machine. The bytes a browser
    receives (compressed when the page is)."""
    for _ in range(4):
        request = urllib.request.Request(url, headers=BROWSER_HEADERS)
        with urllib.request.urlopen(request, timeout=120) as response:
            sent = len(response.read())
    return sent


def _pages(size_name, cache, env, pages, args) -> list[dict]:
    rows = []
    ceiling_env = servers.portal_env("postgres://unused/unused")
    with (
        servers.gunicorn("bench.ceiling:application", ceiling_env) as ceiling_base,
        servers.gunicorn("capacity_portal.wsgi:application", env) as base,
    ):
        load(ceiling_base + "/", seconds=2, connections=args.connections)  # warm up
        for name, path in pages.items():
            sent = _render_first(base + path)
            load(base + path, seconds=2, connections=args.connections)  # warm caches
            ceiling, figures = _alternating(ceiling_base + "/", base + path, args)
            rows.append(
                {"size": size_name, "cache": cache, "page": name, "path": path,
                 "ceiling_rps": ceiling["rps"], "bytes": sent, **figures}
            )  # fmt: skip
            print(
                f"{size_name} {cache} {name}: {figures['rps']:.0f} req/s, ceiling "
                f"{ceiling['rps']:.0f} ({figures['rps'] / ceiling['rps']:.2f}x), "
                f"{sent / 1000:.1f} KB, p95 {figures['p95_ms']:.1f} ms, "
                f"errors {figures['errors_status']}",
                flush=True,
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="region,country")
    parser.add_argument("--caches", default="locmem,redis")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.md"))
    args = parser.parse_args()
    caches = args.caches.split(",")

    rows: list[dict] = []
    memo: dict[str, dict] = {}
    counts: dict[str, dict] = {}
    with ExitStack() as stack:
        database = stack.enter_context(servers.postgres())
        redis_url = stack.enter_context(servers.redis()) if "redis" in caches else ""
        env = servers.portal_env(database("bench_collectstatic_unused"))
        subprocess.run(
            [servers.PY, "manage.py", "collectstatic", "--noinput", "-v0"],
            env=env,
            cwd=ROOT,
            check=True,
        )
        for size in args.sizes.split(","):
            url = database(f"bench_{size}")
            counts[size], memo[size] = _load_data(size, url)
            pages = json.loads(servers.django(servers.portal_env(url), PAGES_CODE))
            for cache in caches:
                cache_url = redis_url if cache == "redis" else ""
                if cache_url:
                    servers.django(
                        servers.portal_env(url, cache_url),
                        "from django.core.cache import cache; cache.clear()",
                    )
                rows += _pages(size, cache, servers.portal_env(url, cache_url), pages, args)
    Path(args.output).write_text(report.render(rows, memo, counts, args), encoding="utf-8")
    print(f"Wrote {args.output}")


if __name__ == "__main__":
    main()
