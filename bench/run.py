"""`make bench`: the portal's speed at region size and at country size x10, as a share of the
machine's ceiling (a trivial Django view on the same gunicorn).

For each size it makes a fresh PostgreSQL database, bulk-loads synthetic data (bench/synth.py),
serves the portal with gunicorn (2 workers) on 127.0.0.1, loads each page with wrk (or, without
wrk, a small Python load generator) for a bounded time, and times the memo for a past date in
process. The table goes to bench/results.md.

PostgreSQL: BENCH_DATABASE_URL (a server URL; databases bench_region and bench_country are made
and dropped there) or, without it, a private cluster in a temporary folder (needs the
PostgreSQL server binaries, as CI installs them).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from contextlib import contextmanager
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
SECRET = "bench-only-not-a-secret"

# The pages of the issue, resolved against the data actually generated (see _targets).
PAGES_CODE = r"""
import json
from django.urls import NoReverseMatch, reverse
from capacities.models import Capacity
from coverage_areas.models import PlanningArea

def first(*names, **kwargs):
    for name in names:
        try:
            return reverse(name, **kwargs)
        except NoReverseMatch:
            continue
    return None

busy = PlanningArea.objects.filter(capacity_set__status="posted").order_by("name").first()
postings = first("portal:postings", "portal:posting_list")
pages = {
    "home": "/",
    "postings, filtered by area": postings and f"{postings}?area={busy.slug}",
    "area page": first("portal:area", "portal:area_detail", kwargs={"slug": busy.slug}),
    "threatened areas": first("portal:threatened_areas", "portal:designations", "portal:coverage"),
    "api/postings.json": "/api/postings.json",
}
print(json.dumps(pages))
"""

MEMO_CODE = r"""
import datetime as dt, json, time
as_of = dt.date(2020, 6, 1)
try:
    from memos.build import build_memo
    from memos import render
except ImportError as error:
    print(json.dumps({"error": f"memo not available: {error}"}))
    raise SystemExit
timings = {}
for name, fn in [("memo JSON", getattr(render, "render_json", None)),
                 ("memo PDF", getattr(render, "render_pdf", None))]:
    if fn is None:
        continue
    fn(build_memo(as_of))  # warm up (imports, fonts)
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        fn(build_memo(as_of))
        runs.append(time.perf_counter() - start)
    timings[name] = min(runs)
print(json.dumps(timings))
"""

# The pipeline figures of the last whole year (capacities.pipeline), best of 3.
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def postgres():
    """Yield a function dbname -> URL on a PostgreSQL server (given, or private)."""
    given = os.environ.get("BENCH_DATABASE_URL")
    if given:
        base = given.rstrip("/").rsplit("/", 1)[0]
        yield lambda name: f"{base}/{name}"
        return
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if not bins:
        sys.exit("make bench needs PostgreSQL: set BENCH_DATABASE_URL or install postgresql.")
    pgbin, port = bins[-1], _free_port()
    folder = Path(tempfile.mkdtemp(prefix="bench-pg-"))
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_pg:
        shutil.chown(folder, "postgres")
    run = lambda *args: subprocess.run(as_pg + list(args), check=True, capture_output=True)  # noqa: E731
    run(str(pgbin / "initdb"), "-D", str(folder / "data"), "-A", "trust", "-U", "postgres")
    run(
        str(pgbin / "pg_ctl"),
        "-D",
        str(folder / "data"),
        "-l",
        str(folder / "log"),
        "-w",
        "-o",
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off",
        "start",
    )
    try:
        yield lambda name: f"postgres://postgres@127.0.0.1:{port}/{name}"
    finally:
        run(str(pgbin / "pg_ctl"), "-D", str(folder / "data"), "-m", "fast", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def _env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "capacity_portal.settings",
        "PYTHONPATH": str(ROOT),
    }


def _django(env: dict, code: str) -> str:
    result = subprocess.run(
        [PY, "-c", "import django; django.setup()\n" + code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(result.stderr[-3000:])
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def _recreate(url: str) -> None:
    import psycopg

    name = urllib.parse.urlparse(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


@contextmanager
def gunicorn(app: str, env: dict):
    port = _free_port()
    process = subprocess.Popen(
        [
            PY,
            "-m",
            "gunicorn",
            app,
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def load(url: str, *, seconds: int, connections: int) -> dict:
    if shutil.which("wrk"):
        result = subprocess.run(
            [
                "wrk",
                "-t",
                "2",
                "-c",
                str(connections),
                "-d",
                f"{seconds}s",
                "--latency",
                "-s",
                str(ROOT / "bench" / "report.lua"),
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        figures["tool"] = "wrk"
    else:
        figures = _python_load(url, seconds=seconds, connections=connections)
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


def _python_load(url: str, *, seconds: int, connections: int) -> dict:
    """A plain load generator for machines without wrk (it measures less of the server)."""
    parts = urllib.parse.urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[float] = []
    errors = [0]
    stop = time.perf_counter() + seconds
    lock = threading.Lock()

    def worker():
        connection = HTTPConnection(parts.hostname, parts.port, timeout=10)
        mine = []
        while time.perf_counter() < stop:
            start = time.perf_counter()
            connection.request("GET", target)
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - start)
            if response.status >= 400:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    quantile = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    return {
        "requests": len(latencies),
        "seconds": time.perf_counter() - started,
        "errors_status": errors[0],
        "errors_socket": 0,
        "p50_ms": quantile(0.50),
        "p95_ms": quantile(0.95),
        "p99_ms": quantile(0.99),
        "tool": "python",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="region,country")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.md"))
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))

    rows: list[dict] = []
    memo: dict[str, dict] = {}
    counts: dict[str, dict] = {}
    with postgres() as database:
        first_env = _env(database("bench_ceiling_unused"))
        subprocess.run(
            [PY, "manage.py", "collectstatic", "--noinput", "-v0"],
            env=first_env,
            cwd=ROOT,
            check=True,
        )
        with gunicorn("bench.ceiling:application", first_env) as base:
            load(base + "/", seconds=2, connections=args.connections)  # warm up
            ceiling = load(base + "/", seconds=args.seconds, connections=args.connections)
        print(f"ceiling: {ceiling['rps']:.0f} req/s, p95 {ceiling['p95_ms']:.1f} ms", flush=True)

        for size in args.sizes.split(","):
            url = database(f"bench_{size}")
            _recreate(url)
            env = _env(url)
            subprocess.run(
                [PY, "manage.py", "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True
            )
            started = time.perf_counter()
            counts[size] = json.loads(
                _django(
                    env,
                    "import json; from bench import synth; "
                    f"print(json.dumps(synth.generate(synth.SIZES[{size!r}])))",
                )
            )
            print(f"{size}: {counts[size]} in {time.perf_counter() - started:.0f} s", flush=True)
            memo[size] = json.loads(_django(env, MEMO_CODE) or "{}")
            memo[size].update(json.loads(_django(env, PIPELINE_CODE) or "{}"))
            pages = json.loads(_django(env, PAGES_CODE))
            with gunicorn("capacity_portal.wsgi:application", env) as base:
                for name, path in pages.items():
                    if not path:
                        rows.append({"size": size, "page": name, "missing": True})
                        continue
                    load(base + path, seconds=2, connections=args.connections)  # warm caches
                    figures = load(base + path, seconds=args.seconds, connections=args.connections)
                    rows.append({"size": size, "page": name, "path": path, **figures})
                    print(
                        f"{size} {name}: {figures['rps']:.0f} req/s "
                        f"({figures['rps'] / ceiling['rps']:.2f}x), p95 "
                        f"{figures['p95_ms']:.1f} ms, errors {figures['errors_status']}",
                        flush=True,
                    )
    Path(args.output).write_text(_report(ceiling, rows, memo, counts, args), encoding="utf-8")
    print(f"Wrote {args.output}")


def _report(ceiling, rows, memo, counts, args) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} cores; gunicorn with "
        f"2 sync workers on 127.0.0.1; {args.connections} connections for {args.seconds} s per "
        f"page with {ceiling['tool']}.",
        "",
        f"Ceiling (trivial Django view, 30-row page, no database, no middleware): "
        f"**{ceiling['rps']:.0f} req/s**, p50 {ceiling['p50_ms']:.1f} ms, "
        f"p95 {ceiling['p95_ms']:.1f} ms.",
        "",
        "Data: "
        + "; ".join(
            f"{size}: {', '.join(f'{v:,} {k}' for k, v in c.items())}" for size, c in counts.items()
        )
        + ".",
        "",
        "| page | size | req/s | share of ceiling | p50 ms | p95 ms | non-2xx | goal met |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        if row.get("missing"):
            lines.append(f"| {row['page']} | {row['size']} | - | - | - | - | - | page not found |")
            continue
        share = row["rps"] / ceiling["rps"]
        met = share >= 0.5 and row["p95_ms"] < 50 and row["errors_status"] == 0
        lines.append(
            f"| {row['page']} | {row['size']} | {row['rps']:.0f} | {share:.2f} | "
            f"{row['p50_ms']:.1f} | {row['p95_ms']:.1f} | {row['errors_status']} | "
            f"{'yes' if met else 'no'} |"
        )
    by_page: dict[str, dict] = {}
    for row in rows:
        if not row.get("missing"):
            by_page.setdefault(row["page"], {})[row["size"]] = row
    growth = [
        f"| {page} | {sizes['country']['p95_ms'] / sizes['region']['p95_ms']:.2f} | "
        f"{sizes['region']['rps'] / sizes['country']['rps']:.2f} |"
        for page, sizes in by_page.items()
        if {"region", "country"} <= sizes.keys()
    ]
    if growth:
        lines += [
            "",
            "Country size against region size (goal: no worse than 1.5x):",
            "",
            "| page | p95 country / region | time per request country / region |",
            "|---|---:|---:|",
            *growth,
        ]
    lines += [
        "",
        "Memo for a past date (2020-06-01), built and rendered in process, best of 3:",
        "",
        "| size | what | seconds | goal |",
        "|---|---|---:|---|",
    ]
    goals = {"memo JSON": 0.5, "memo PDF": 2.0, "pipeline 2023": 1.0}
    for size, timings in memo.items():
        if "error" in timings:
            lines.append(f"| {size} | - | - | {timings['error']} |")
        for what, seconds in timings.items():
            if what != "error":
                lines.append(
                    f"| {size} | {what} | {seconds:.3f} | under {goals[what]} s: "
                    f"{'yes' if seconds < goals[what] else 'no'} |"
                )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
