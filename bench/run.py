"""`make bench`: the portal's speed at region size and at country size x10, as a share of the
machine's ceiling (a trivial Django view on the same gunicorn).

For each size it makes a fresh PostgreSQL database, bulk-loads synthetic data (bench/synth.py)
and analyzes it, times the memo for a past date in process, and for each cache (the per-process
default, and Redis) serves the portal with gunicorn (2 workers) on 127.0.0.1 beside the
ceiling's gunicorn and loads each page and the ceiling in turns with wrk (or, without wrk, a
small Python load generator) for a bounded time. The table goes to bench/results.md
(bench/report.py).

`--before DIR` compares with another checkout of the portal (say `git worktree add DIR REV`):
the same synthetic data is loaded into a database of its own with that checkout's code, its
memo is timed the same way, and its gunicorn is loaded in the same turns (the ceiling, this
checkout's page, that checkout's page), so that both columns see the same moments.

PostgreSQL: BENCH_DATABASE_URL (a server URL; databases bench_region and bench_country, and
with --before bench_region_before and bench_country_before, are made and dropped there) or,
without it, a private cluster in a temporary folder (needs the PostgreSQL server binaries, as
CI installs them). Redis: BENCH_REDIS_URL, or a private redis-server on a free port.
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

PORTAL_APP = "capacity_portal.wsgi:application"

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


def _alternating(urls: dict[str, str], args) -> dict[str, dict]:
    """The ceiling and the page (and the page of the checkout compared with) in turns, two
    seconds each, for `args.seconds` of each: a shared machine's speed drifts by a third within
    minutes, and all shares see the same moments. Requests and seconds add up; p50 is the
    middle slice's, p95 the worst slice's."""
    slices = max(1, args.seconds // 2)
    runs: dict[str, list[dict]] = {name: [] for name in urls}
    for _ in range(slices):
        for name, url in urls.items():
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
    return combined


def _timings(env: dict, code: str) -> dict:
    """What a timing script printed. A checkout compared with may lack what one times (the
    pipeline figures came later): that is said here and left out of the table."""
    try:
        return json.loads(servers.django(env, code) or "{}")
    except RuntimeError as error:
        print(f"not timed in {env['PORTAL_ROOT']}: {str(error).strip().splitlines()[-1]}")
        return {}


def _load_data(size: str, url: str, root: Path = ROOT) -> tuple[dict, dict]:
    servers.recreate_database(url)
    env = servers.portal_env(url, root=root)
    manage = [servers.PY, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, cwd=root, check=True)
    started = time.perf_counter()
    counts = json.loads(
        servers.django(
            env,
            "import json; from bench import synth; "
            f"print(json.dumps(synth.generate(synth.SIZES[{size!r}])))",
        )
    )
    print(f"{size} ({root.name}): {counts} in {time.perf_counter() - started:.0f} s", flush=True)
    # A database in service has statistics and no backlog of new rows: after a bulk load the
    # planner would guess and autovacuum would run during the timings below.
    servers.django(
        env,
        "from django.db import connection\n"
        "with connection.cursor() as cursor: cursor.execute('VACUUM ANALYZE')",
    )
    return counts, {**_timings(env, MEMO_CODE), **_timings(env, PIPELINE_CODE)}


def _render_first(url: str) -> int:
    """Render the page once in each worker before loading it: a first rendering at country
    size can take longer than wrk's 2 s timeout on a busy machine. The bytes a browser
    receives (compressed when the page is)."""
    for _ in range(4):
        request = urllib.request.Request(url, headers=BROWSER_HEADERS)
        with urllib.request.urlopen(request, timeout=120) as response:
            sent = len(response.read())
    return sent


def _pages(size_name, cache, env, pages, args, before_env=None) -> list[dict]:
    rows = []
    ceiling_env = servers.portal_env("postgres://unused/unused")
    with ExitStack() as stack:
        ceiling_base = stack.enter_context(
            servers.gunicorn("bench.ceiling:application", ceiling_env)
        )
        bases = {"page": stack.enter_context(servers.gunicorn(PORTAL_APP, env))}
        if before_env:
            bases["before"] = stack.enter_context(servers.gunicorn(PORTAL_APP, before_env))
        load(ceiling_base + "/", seconds=2, connections=args.connections)  # warm up
        for name, path in pages.items():
            sent = {}
            for which, base in bases.items():
                try:
                    sent[which] = _render_first(base + path)
                except OSError as error:  # HTTPError included
                    if which == "page":
                        raise
                    print(f"{name}: the checkout compared with does not serve {path}: {error}")
                    continue
                load(base + path, seconds=2, connections=args.connections)  # warm caches
            urls = {"ceiling": ceiling_base + "/"}
            urls.update({which: base + path for which, base in bases.items() if which in sent})
            measured = _alternating(urls, args)
            ceiling, figures = measured["ceiling"], measured["page"]
            row = {"size": size_name, "cache": cache, "page": name, "path": path,
                   "ceiling_rps": ceiling["rps"], "bytes": sent["page"], **figures}  # fmt: skip
            if "before" in measured:
                row["before"] = {**measured["before"], "bytes": sent["before"]}
            rows.append(row)
            print(
                f"{size_name} {cache} {name}: {figures['rps']:.0f} req/s, ceiling "
                f"{ceiling['rps']:.0f} ({figures['rps'] / ceiling['rps']:.2f}x), "
                f"{sent['page'] / 1000:.1f} KB, p95 {figures['p95_ms']:.1f} ms, "
                f"errors {figures['errors_status']}"
                + (
                    f"; before {row['before']['rps'] / ceiling['rps']:.2f}x, "
                    f"p95 {row['before']['p95_ms']:.1f} ms"
                    if "before" in row
                    else ""
                ),
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
    parser.add_argument(
        "--before",
        type=Path,
        help="another checkout of the portal to measure in the same turns (git worktree add)",
    )
    args = parser.parse_args()
    caches = args.caches.split(",")
    before = args.before.resolve() if args.before else None
    if before and not (before / "capacity_portal" / "wsgi.py").is_file():
        parser.error(f"--before {args.before}: not a checkout of the portal")

    rows: list[dict] = []
    memo: dict[str, dict] = {}
    memo_before: dict[str, dict] = {}
    counts: dict[str, dict] = {}
    with ExitStack() as stack:
        database = stack.enter_context(servers.postgres())
        redis_url = stack.enter_context(servers.redis()) if "redis" in caches else ""
        for root in filter(None, [ROOT, before]):
            env = servers.portal_env(database("bench_collectstatic_unused"), root=root)
            subprocess.run(
                [servers.PY, "manage.py", "collectstatic", "--noinput", "-v0"],
                env=env,
                cwd=root,
                check=True,
            )
        for size in args.sizes.split(","):
            url = database(f"bench_{size}")
            counts[size], memo[size] = _load_data(size, url)
            before_url = database(f"bench_{size}_before")
            if before:
                _counts, memo_before[size] = _load_data(size, before_url, before)
            pages = json.loads(servers.django(servers.portal_env(url), PAGES_CODE))
            for cache in caches:
                # Redis's database 1 for the checkout compared with: its keys are its own.
                cache_urls = {
                    "page": redis_url if cache == "redis" else "",
                    "before": redis_url.rsplit("/", 1)[0] + "/1" if cache == "redis" else "",
                }
                envs = {
                    "page": servers.portal_env(url, cache_urls["page"]),
                    "before": servers.portal_env(before_url, cache_urls["before"], before)
                    if before
                    else None,
                }
                for env in envs.values():
                    if env and cache == "redis":
                        servers.django(env, "from django.core.cache import cache; cache.clear()")
                rows += _pages(size, cache, envs["page"], pages, args, envs["before"])
    text = report.render(rows, memo, counts, args, memo_before)
    Path(args.output).write_text(text, encoding="utf-8")
    print(f"Wrote {args.output}")


if __name__ == "__main__":
    main()
