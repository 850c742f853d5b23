"""Load with writes: public pages under load while editors run transitions, on loopback.

    .venv/bin/python scripts/load_with_writes.py [--seconds 20] [--readers 8] [--workers 2]

Starts a private PostgreSQL cluster (or uses --database-url), migrates it and loads the demo
data, starts gunicorn through the container's entrypoint with production settings, then for
the given time:

- reader threads GET every public URL that exists (home, postings, areas, open data, feed,
  sitemap, /healthz), through a simulated HTTPS proxy;
- two editor threads work on the SAME capacity with optimistic locking (expected_version),
  and a third on a capacity of its own, cycling post -> withdraw -> post ... through the
  services, dated today;
- after each commit the uncontended editor checks that /api/postings.json shows the change
  (the new remark appears after a posting, disappears after a withdrawal).

It prints requests, throughput, latency percentiles, status counts, transitions and conflicts,
and exits non-zero on any 5xx, connection error, lost update or stale public page.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scripts.pg_cluster import PrivateCluster, free_port  # noqa: E402

HOST = "kapacitet.example.dk"
PROXY_HEADERS = {"Host": HOST, "X-Forwarded-Proto": "https"}
CANDIDATE_PATHS = [
    "/",
    "/en/",
    "/opslag/",
    "/laegedaekningstruede-omraader/",
    "/omraader/",
    "/omraader/herlev/",
    "/omraader/hoeje-taastrup/",
    "/api/postings.json",
    "/api/postings.csv",
    "/api/designations.json?year=2024",
    "/api/areas/herlev/status.json?date=2024-10-24",
    "/feeds/postings/",
    "/sitemap.xml",
    "/healthz",
]


@dataclass
class Figures:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    by_path: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    transitions: Counter = field(default_factory=Counter)
    conflicts: int = 0
    visibility_checks: int = 0
    stale_pages: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def get(port: int, path: str, timeout: float = 15) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=PROXY_HEADERS)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def reader(port: int, paths: list[str], stop: threading.Event, figures: Figures, offset: int):
    i = offset
    while not stop.is_set():
        path = paths[i % len(paths)]
        i += 1
        started = time.perf_counter()
        try:
            status, _ = get(port, path)
        except OSError as error:
            with figures.lock:
                figures.errors.append(f"{path}: {error!r}")
            continue
        elapsed = time.perf_counter() - started
        with figures.lock:
            figures.latencies.append(elapsed)
            figures.statuses[status] += 1
            figures.by_path[path] += 1


def postings_with_remark(port: int, remark: str) -> int:
    status, body = get(port, "/api/postings.json")
    if status != 200:
        raise RuntimeError(f"/api/postings.json answered {status}")
    return sum(1 for row in json.loads(body)["results"] if row.get("remark") == remark)


def editor(
    name: str,
    capacity_id: int,
    port: int,
    stop: threading.Event,
    figures: Figures,
    *,
    check_pages: bool,
) -> None:
    """Cycle one capacity between posted and awaiting a decision, as an editor would."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from capacities import services
    from capacities.models import Capacity, Status

    user, _ = get_user_model().objects.get_or_create(username=name, defaults={"is_staff": True})
    n = 0
    try:
        while not stop.is_set():
            capacity = Capacity.objects.get(pk=capacity_id)
            today = timezone.localdate()
            n += 1
            remark = f"belastningstest {name} {n}"
            previous_remark = capacity.posting_remark
            try:
                if capacity.status == Status.POSTED:
                    services.withdraw_posting(
                        capacity, by=user, on=today, reason="Belastningstest",
                        expected_version=capacity.version,
                    )  # fmt: skip
                    action = "withdraw"
                else:
                    services.post_capacity(
                        capacity, by=user, on=today, remark=remark,
                        expected_version=capacity.version,
                    )  # fmt: skip
                    action = "post"
            except services.ConflictError:
                with figures.lock:
                    figures.conflicts += 1
                continue
            except services.TransitionError as error:
                # Another editor moved it first (its status no longer allows this step).
                with figures.lock:
                    figures.conflicts += 1
                    figures.errors.append(f"{name}: refused: {error.messages}")
                continue
            with figures.lock:
                figures.transitions[name] += 1
            # A withdrawal is checked by our own earlier remark, unique to this run.
            if check_pages and (action == "post" or previous_remark.startswith("belastning")):
                expected = 1 if action == "post" else 0
                shown = postings_with_remark(port, remark if action == "post" else previous_remark)
                with figures.lock:
                    figures.visibility_checks += 1
                    if shown != expected:
                        figures.stale_pages.append(
                            f"{name} {action} #{n}: /api/postings.json shows {shown}, "
                            f"expected {expected}"
                        )
            time.sleep(0.02)
    finally:
        connection.close()


def verify_no_lost_update(capacity_id: int, version_before: int, count_before: int, done: int):
    """Every successful call is one transition, versions rose by one each, the chain holds."""
    from capacities.models import Capacity

    capacity = Capacity.objects.get(pk=capacity_id)
    steps = list(capacity.transitions.order_by("id"))
    new = steps[count_before:]
    problems = []
    if len(new) != done:
        problems.append(f"capacity {capacity_id}: {done} successful calls, {len(new)} recorded")
    if capacity.version != version_before + done:
        problems.append(
            f"capacity {capacity_id}: version {version_before} + {done} calls != {capacity.version}"
        )
    for earlier, later in zip(steps[count_before - 1 :], new, strict=False):
        if later.from_status != earlier.status:
            problems.append(f"transition {later.pk} starts from {later.from_status}, "
                            f"but {earlier.pk} left {earlier.status}")  # fmt: skip
    if steps and steps[-1].status != capacity.status:
        problems.append(f"capacity {capacity_id}: last transition disagrees with its status")
    return problems


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(share * 100) - 1]


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=env, check=True,
                   capture_output=True, timeout=600)  # fmt: skip


def run(args: argparse.Namespace, database_url: str, work: Path) -> int:
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECURE_SSL_REDIRECT", "STATIC_COLLECTED"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="capacity_portal.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=database_url,
        STATIC_ROOT=str(work / "static"),
        MEDIA_ROOT=str(work / "media"),
        LOG_LEVEL="WARNING",
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY=str(args.workers),
        PYTHON=sys.executable,
    )
    print("preparing: migrate, load_demo, collectstatic ...", flush=True)
    manage("migrate", "--noinput", env=env)
    manage("load_demo", env=env)
    manage("collectstatic", "--noinput", env=env)

    log = open(work / "gunicorn.log", "w+")  # noqa: SIM115
    server = subprocess.Popen([str(REPO / "docker" / "entrypoint.sh"), "serve"], cwd=REPO,
                              env=env, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(port, "/healthz", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                print(log.read()[-3000:])
                raise SystemExit("gunicorn did not come up")
            time.sleep(0.3)

        os.environ.update(env)
        import django

        django.setup()
        from capacities.models import Capacity, Status

        paths = [path for path in CANDIDATE_PATHS if get(port, path)[0] == 200]
        shared, own = list(Capacity.objects.filter(status=Status.POSTED).order_by("area__name")[:2])
        before = {
            c.pk: (c.version, c.transitions.count()) for c in (shared, own)
        }  # fmt: skip
        print(f"serving on 127.0.0.1:{port} with {args.workers} gunicorn workers; "
              f"{len(paths)} public URLs: {' '.join(paths)}")  # fmt: skip
        print(f"editors: A and B share capacity {shared.pk} ({shared.area}), "
              f"C has capacity {own.pk} ({own.area}); {args.seconds} s", flush=True)  # fmt: skip

        figures, stop = Figures(), threading.Event()
        threads = [
            threading.Thread(target=reader, args=(port, paths, stop, figures, i))
            for i in range(args.readers)
        ]
        threads += [
            threading.Thread(target=editor, args=("editor-a", shared.pk, port, stop, figures),
                             kwargs={"check_pages": False}),
            threading.Thread(target=editor, args=("editor-b", shared.pk, port, stop, figures),
                             kwargs={"check_pages": False}),
            threading.Thread(target=editor, args=("editor-c", own.pk, port, stop, figures),
                             kwargs={"check_pages": True}),
        ]  # fmt: skip
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        time.sleep(args.seconds)
        stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()

    lost = verify_no_lost_update(
        shared.pk, *before[shared.pk],
        figures.transitions["editor-a"] + figures.transitions["editor-b"],
    ) + verify_no_lost_update(own.pk, *before[own.pk], figures.transitions["editor-c"])  # fmt: skip

    requests = len(figures.latencies)
    server_errors = sum(n for status, n in figures.statuses.items() if status >= 500)
    connection_errors = [e for e in figures.errors if "refused:" not in e]
    print()
    print(f"duration            {elapsed:.1f} s, {args.readers} reader threads, "
          f"{args.workers} gunicorn workers")  # fmt: skip
    print(f"requests            {requests} ({requests / elapsed:.1f} per second)")
    print(f"latency             p50 {percentile(figures.latencies, .50) * 1000:.0f} ms, "
          f"p95 {percentile(figures.latencies, .95) * 1000:.0f} ms, "
          f"p99 {percentile(figures.latencies, .99) * 1000:.0f} ms, "
          f"max {max(figures.latencies, default=0) * 1000:.0f} ms")  # fmt: skip
    print(f"status codes        {dict(sorted(figures.statuses.items()))}")
    print(f"5xx                 {server_errors}")
    print(f"connection errors   {len(connection_errors)}")
    print(f"transitions         {sum(figures.transitions.values())} committed "
          f"({dict(sorted(figures.transitions.items()))}), "
          f"{figures.conflicts} refused as stale (optimistic locking)")  # fmt: skip
    print(f"public page checks  {figures.visibility_checks} after-commit checks, "
          f"{len(figures.stale_pages)} stale")  # fmt: skip
    print(f"lost updates        {len(lost)}")
    for problem in [*connection_errors[:5], *figures.stale_pages[:5], *lost[:5]]:
        print(f"  ! {problem}")
    ok = (
        server_errors == 0
        and not connection_errors
        and not figures.stale_pages
        and not lost
        and figures.visibility_checks > 0
    )
    print("RESULT              " + ("pass" if ok else "FAIL"))
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--database-url",
        help="an EMPTY PostgreSQL database to use instead of a private throw-away cluster",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kap-load-") as tmp:
        work = Path(tmp)
        if args.database_url:
            return run(args, args.database_url, work)
        with PrivateCluster.create() as cluster:
            return run(args, cluster.createdb("kapacitet_load"), work)


if __name__ == "__main__":
    sys.exit(main())
