"""The portal on a real PostgreSQL that goes away and comes back, and the database backup.

These tests run their own throw-away PostgreSQL cluster (never the shared server), serve the
portal with gunicorn and production settings, and stop the database under it. They run in
CI, where a missing PostgreSQL installation is a failure, not a skip.
"""

from __future__ import annotations

import json
import time

import psycopg
import pytest
from django.conf import settings

from tests.production.conftest import Server, fetch, manage, production_env


@pytest.fixture(scope="module")
def production_database(pg_cluster, tmp_path_factory):
    """The demo data in a fresh database of the private cluster, migrated as in production."""
    url = pg_cluster.createdb("kapacitet")
    static_root = tmp_path_factory.mktemp("static")
    env = production_env(DATABASE_URL=url, STATIC_ROOT=str(static_root), LOG_LEVEL="WARNING")
    manage("migrate", "--noinput", env=env)
    manage("load_demo", env=env)
    manage("collectstatic", "--noinput", env=env)
    return env


@pytest.fixture
def server(production_database):
    server = Server(production_database)
    yield server
    server.stop()


def test_public_pages_answer_a_friendly_503_while_the_database_is_down_and_recover(
    pg_cluster, server
):
    status, _, body = fetch(f"{server.base}/")
    assert status == 200, server.output()
    assert "Høje-Taastrup" in body

    pg_cluster.stop()
    try:
        # Nothing can change while the database is down: a worker that read the data version
        # less than a recheck ago may still give a kept page; after that it asks the database.
        time.sleep(settings.VERSION_RECHECK_SECONDS + 0.5)
        for path in ("/", "/en/"):
            status, headers, body = fetch(f"{server.base}{path}")
            assert status == 503, (path, server.output())
            assert "Portalen er midlertidigt utilgængelig" in body
            assert "temporarily unavailable" in body
            assert "Traceback" not in body and "OperationalError" not in body
            assert headers["Retry-After"] == "30"
            assert "no-cache" in headers["Cache-Control"]
            assert "script-src 'self'" in headers["Content-Security-Policy"]
        status, _, body = fetch(f"{server.base}/healthz")
        assert status == 503
        assert json.loads(body) == {"status": "unavailable"}
    finally:
        pg_cluster.start()

    # No restart of the portal: the broken connection is replaced at the next request.
    status, _, body = fetch(f"{server.base}/")
    assert status == 200, server.output()
    assert "Høje-Taastrup" in body
    status, _, body = fetch(f"{server.base}/healthz")
    assert (status, json.loads(body)) == (200, {"status": "ok"})
    # The outage left one structured line per failed request, not a stack trace.
    lines = [line for line in server.output().splitlines() if "database_unavailable" in line]
    assert len(lines) == 2
    assert json.loads(lines[0])["path"] == "/"


def _row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in tables
        }


def test_pg_dump_and_pg_restore_round_trip_everything_including_history(
    pg_cluster, production_database, tmp_path
):
    source = production_database["DATABASE_URL"]
    dump = tmp_path / "kapacitet.dump"
    # The steps of the README's "Backup and restore", against the private cluster.
    pg_cluster.client("pg_dump", "--format=custom", f"--file={dump}", "kapacitet")
    restored = pg_cluster.createdb("kapacitet_restored")
    pg_cluster.client("pg_restore", "--no-owner", "--exit-on-error", "-d", "kapacitet_restored",
                      str(dump))  # fmt: skip

    before, after = _row_counts(source), _row_counts(restored)
    assert after == before
    assert before["capacities_capacity"] > 0
    assert before["capacities_transition"] > before["capacities_capacity"]
    assert before["capacities_historicalcapacity"] > 0
    assert before["coverage_areas_designation"] > 0

    query = (
        "SELECT c.id, c.status, c.version, t.action, t.effective_date, u.username "
        "FROM capacities_capacity c JOIN capacities_transition t ON t.capacity_id = c.id "
        "LEFT JOIN auth_user u ON u.id = t.recorded_by_id ORDER BY c.id, t.id"
    )
    with psycopg.connect(source) as a, psycopg.connect(restored) as b:
        assert a.execute(query).fetchall() == b.execute(query).fetchall()

    # The restored database is a working portal: fully migrated, and new rows get fresh ids.
    env = {**production_database, "DATABASE_URL": restored}
    assert manage("migrate", "--check", env=env, check=False).returncode == 0
    shell = manage("shell", "-c", REGISTER_ONE_MORE, env=env)
    assert shell.stdout.strip().splitlines()[-1] == "registered", shell.stderr


# Sequences must be restored too, or the first new row collides with a restored one.
REGISTER_ONE_MORE = """
import datetime
from django.contrib.auth import get_user_model
from capacities import services
from capacities.models import Capacity, Transition
from coverage_areas.models import PlanningArea
last = Transition.objects.latest("id").id
user = get_user_model().objects.get(username="demo-loader")
capacity = services.register_capacity(
    by=user, on=datetime.date.today(), area=PlanningArea.objects.get(name="Herlev")
)
assert capacity.transitions.get().id > last
print("registered")
"""
