"""Helpers for tests that run the portal the way production does: in a separate process with
production settings, on a private PostgreSQL cluster they may stop and start."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.pg_cluster import PrivateCluster, find_bindir, free_port

REPO = Path(__file__).resolve().parents[2]
PRODUCTION_SECRET = "kap-prod-test-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ"


def production_env(**overrides: str) -> dict[str, str]:
    """The environment of a production start: no DEBUG, and none of the test-only relaxations."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECURE_SSL_REDIRECT", "STATIC_COLLECTED", "DATABASE_URL"}
        and not key.startswith(("PYTEST_", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="capacity_portal.settings",
        SECRET_KEY=PRODUCTION_SECRET,
        ALLOWED_HOSTS="kapacitet.example.dk",
    )
    env.update(overrides)
    return env


def manage(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=check,
    )


# What the TLS-terminating proxy in front of the portal adds to every request.
PROXY_HEADERS = {"Host": "kapacitet.example.dk", "X-Forwarded-Proto": "https"}


def fetch(url: str, *, timeout: float = 10) -> tuple[int, dict[str, str], str]:
    """GET through the (simulated) proxy, without raising on 4xx/5xx: (status, headers, body)."""
    request = urllib.request.Request(url, headers=PROXY_HEADERS)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture(scope="module")
def pg_cluster() -> Iterator[PrivateCluster]:
    """A private PostgreSQL cluster. In CI a machine without the server binaries fails."""
    if find_bindir() is None:
        message = "PostgreSQL server binaries (initdb, pg_ctl) are needed for this test"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the PostgreSQL failure tests: {message}")
        pytest.skip(f"{message}; install postgresql or set CI_PGBIN")
    with PrivateCluster.create() as cluster:
        yield cluster


class Server:
    """gunicorn serving the portal, as the container's entrypoint starts it."""

    def __init__(self, env: dict[str, str], workers: int = 1) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        (REPO / "test-artifacts").mkdir(exist_ok=True)
        self.log = open(REPO / "test-artifacts" / f"gunicorn-{self.port}.log", "w+")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "capacity_portal.wsgi:application",
                "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
                "--timeout", "30", "--graceful-timeout", "5",
            ],
            cwd=REPO,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.wait_until_up()

    def wait_until_up(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.output()}")
            try:
                fetch(f"{self.base}/healthz", timeout=2)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {seconds} s: {self.output()}")

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()[-4000:]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture(scope="module")
def redis_server() -> Iterator[str]:
    """A private redis-server on loopback: redis://127.0.0.1:PORT/0. A failure in CI if
    the binary is missing (CI installs it), a skip elsewhere."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the scale-out test: redis-server is not installed")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


class Staff:
    """An editor's browser against one server, through the simulated HTTPS proxy: cookies
    (Secure, so kept by hand over loopback HTTP), CSRF tokens, forms."""

    def __init__(self, base: str) -> None:
        self.base, self.cookies = base, {}

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        headers = {**PROXY_HEADERS, "Origin": f"https://{PROXY_HEADERS['Host']}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            data = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers.get("Location", ""), response.read().decode()

    def log_in(self, username: str, password: str, admin: str = "/admin/") -> None:
        self.request(f"{admin}login/")
        status, location, body = self.request(
            f"{admin}login/?next={admin}", {"username": username, "password": password}
        )
        assert status == 302 and location == admin, body[-2000:]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
