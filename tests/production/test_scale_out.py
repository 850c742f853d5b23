"""More than one server: two gunicorn instances (separate processes, separate ports) on one
PostgreSQL and one Redis, as compose runs N app containers behind a reverse proxy.

A transition an editor commits through one instance shows at once on the public pages of the
other, including pages that instance had already cached. The same holds with the per-process
cache for every instance on one machine (they share the version's signal file). Runs in CI on
a private PostgreSQL cluster and a private redis-server, where a missing one is a failure, not
a skip.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time

import pytest

from tests.production.conftest import Server, Staff, fetch, manage, production_env

PASSWORD = "skala-ud-test-adgangskode"


def _portal_database(pg_cluster, tmp_path_factory, name: str, **settings: str) -> dict:
    """The demo data and an editor in a fresh database; the environment to serve it."""
    env = production_env(
        DATABASE_URL=pg_cluster.createdb(name),
        STATIC_ROOT=str(tmp_path_factory.mktemp("static")),
        LOG_LEVEL="WARNING",
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
        **settings,
    )
    manage("migrate", "--noinput", env=env)
    manage("load_demo", env=env)
    manage("collectstatic", "--noinput", env=env)
    manage("createsuperuser", "--noinput", "--username", "chef", "--email", "c@example.dk",
           env=env)  # fmt: skip
    return env


@pytest.fixture(scope="module")
def shared_env(pg_cluster, redis_server, tmp_path_factory):
    return _portal_database(pg_cluster, tmp_path_factory, "kapacitet_scale", CACHE_URL=redis_server)


@pytest.fixture(scope="module")
def two_servers(shared_env):
    first, second = Server(shared_env, workers=2), Server(shared_env, workers=2)
    yield first, second
    first.stop()
    second.stop()


def _awaiting_posting(env) -> tuple[int, str]:
    shell = manage(
        "shell", "-c",
        "from capacities.models import Capacity; "
        "c = Capacity.objects.filter(status__in=['awaiting_posting', 'awaiting_decision'])"
        ".order_by('pk').first(); "
        "print(c.pk, c.area.name)",
        env=env,
    )  # fmt: skip
    pk, area = shell.stdout.strip().splitlines()[-1].split(" ", 1)
    return int(pk), area


def _remarks(server: Server) -> list[str]:
    status, _, body = fetch(f"{server.base}/api/postings.json")
    assert status == 200, server.output()
    return [row["remark"] for row in json.loads(body)["results"]]


def _post_through(server: Server, env: dict, remark: str) -> str:
    """An editor posts a capacity through the server's admin; the area it was in."""
    pk, area = _awaiting_posting(env)
    editor = Staff(server.base)
    editor.log_in("chef", PASSWORD)
    form_path = f"/admin/capacities/capacity/{pk}/transition/post/"
    status, _, form = editor.request(form_path)
    assert status == 200, form[-2000:]
    version = re.search(r'name="version" value="(\d+)"', form).group(1)
    status, _, body = editor.request(
        form_path,
        {"on": dt.date.today().strftime("%d.%m.%Y"), "remark": remark, "version": version},
    )
    assert status == 302, body[-3000:]
    return area


def _cached_everywhere(servers, remark: str) -> None:
    """Every instance (every worker) has the public pages cached before the change."""
    for server in servers:
        for _ in range(4):
            assert remark not in _remarks(server)
            assert fetch(f"{server.base}/opslag/")[0] == 200


def _shows_at_once(server: Server, remark: str, area: str) -> None:
    """On every worker of the instance: no waiting, no restart."""
    for _ in range(4):
        assert remark in _remarks(server)
        status, _, page = fetch(f"{server.base}/opslag/")
        assert status == 200 and area in page


def test_a_transition_through_one_instance_shows_at_once_on_the_other(shared_env, two_servers):
    first, second = two_servers
    assert first.port != second.port and first.process.pid != second.process.pid
    remark = "Skaleringstest: opslået gennem den første server"
    _cached_everywhere(two_servers, remark)
    area = _post_through(first, shared_env, remark)

    # At once, on the other instance, on every worker: no waiting, no restart.
    _shows_at_once(second, remark, area)
    assert remark in _remarks(first)


@pytest.fixture(scope="module")
def per_process_env(pg_cluster, tmp_path_factory):
    return _portal_database(pg_cluster, tmp_path_factory, "kapacitet_one_machine")


@pytest.fixture(scope="module")
def one_machine(per_process_env, tmp_path_factory):
    """The per-process cache (no CACHE_URL): two instances on one machine, sharing the
    version's signal folder, and a third as if on another machine (a folder of its own)."""
    env = per_process_env
    here = str(tmp_path_factory.mktemp("signal-here"))
    elsewhere = str(tmp_path_factory.mktemp("signal-elsewhere"))
    # The two on this machine recheck the row only every ten minutes: what they show at once
    # came through the signal.
    servers = [
        Server({**env, "VERSION_SIGNAL_DIR": here, "VERSION_RECHECK_SECONDS": "600"}, workers=2),
        Server({**env, "VERSION_SIGNAL_DIR": here, "VERSION_RECHECK_SECONDS": "600"}, workers=2),
        Server({**env, "VERSION_SIGNAL_DIR": elsewhere}, workers=2),
    ]
    yield servers
    for server in servers:
        server.stop()


def test_with_the_per_process_cache_a_transition_shows_at_once_on_the_same_machine(
    per_process_env, one_machine
):
    first, second, elsewhere = one_machine
    remark = "Skaleringstest: opslået på én maskine uden Redis"
    _cached_everywhere(one_machine, remark)
    area = _post_through(first, per_process_env, remark)
    _shows_at_once(second, remark, area)
    # Where the signal does not reach (another machine, which should share Redis instead),
    # the change shows when each process reads the version row again, every second.
    deadline = time.monotonic() + 10
    while remark not in _remarks(elsewhere):
        assert time.monotonic() < deadline, elsewhere.output()
        time.sleep(0.2)


def test_the_instances_reuse_their_database_connections(shared_env, two_servers):
    first, _ = two_servers
    # CONN_MAX_AGE is on (60 s by default): a burst of requests opens no new connection.
    # PostgreSQL counts every session ever opened on the database.
    sessions = (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('SELECT sessions FROM pg_stat_database WHERE datname = current_database()'); "
        "print(c.fetchone()[0])"
    )
    for _ in range(8):
        assert fetch(f"{first.base}/healthz")[0] == 200
    before = int(manage("shell", "-c", sessions, env=shared_env).stdout.split()[-1])
    for _ in range(40):
        assert fetch(f"{first.base}/healthz")[0] == 200
        assert fetch(f"{first.base}/omraader/herlev/")[0] == 200
    after = int(manage("shell", "-c", sessions, env=shared_env).stdout.split()[-1])
    assert after - before <= 2  # the two counting shells themselves, nothing from the burst
