"""The engines a benchmark run serves from: PostgreSQL, Redis and gunicorn, all on loopback,
each started for the run and stopped after it unless the environment names one to use."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
SECRET = "bench-only-not-a-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answered on 127.0.0.1:{port} within {seconds} s")


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
    pgbin, port = bins[-1], free_port()
    folder = Path(tempfile.mkdtemp(prefix="bench-pg-"))
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_pg:
        shutil.chown(folder, "postgres")
    run = lambda *args: subprocess.run(as_pg + list(args), check=True, capture_output=True)  # noqa: E731
    run(str(pgbin / "initdb"), "-D", str(folder / "data"), "-A", "trust", "-U", "postgres")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    data, log = str(folder / "data"), str(folder / "log")
    run(str(pgbin / "pg_ctl"), "-D", data, "-l", log, "-w", "-o", options, "start")
    try:
        yield lambda name: f"postgres://postgres@127.0.0.1:{port}/{name}"
    finally:
        run(str(pgbin / "pg_ctl"), "-D", data, "-m", "fast", "stop")
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def redis():
    """Yield a redis:// URL: BENCH_REDIS_URL, or a private redis-server on a free port."""
    given = os.environ.get("BENCH_REDIS_URL")
    if given:
        yield given
        return
    binary = shutil.which("redis-server")
    if not binary:
        sys.exit("make bench with Redis needs redis-server: install it or set BENCH_REDIS_URL.")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def recreate_database(url: str) -> None:
    import psycopg

    name = urllib.parse.urlparse(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def portal_env(database_url: str, cache_url: str = "", root: Path = ROOT) -> dict[str, str]:
    """Production settings, as the container runs them, on loopback without TLS, for the
    checkout at `root` (this one, or the one `make bench` compares it with)."""
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "capacity_portal.settings",
        "PYTHONPATH": str(root),
        "PORTAL_ROOT": str(root),
    }
    env.pop("CACHE_URL", None)
    if cache_url:
        env["CACHE_URL"] = cache_url
    return env


def django(env: dict, code: str) -> str:
    """Run code with Django set up, in the checkout the environment is for; the last line it
    prints."""
    result = subprocess.run(
        [PY, "-c", "import django; django.setup()\n" + code],
        env=env,
        cwd=env.get("PORTAL_ROOT", ROOT),
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(result.stderr[-3000:])
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


@contextmanager
def gunicorn(app: str, env: dict, workers: int = 2):
    port = free_port()
    command = [PY, "-m", "gunicorn", app, "--workers", str(workers)]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    process = subprocess.Popen(command, env=env, cwd=env.get("PORTAL_ROOT", ROOT))
    try:
        _wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)
