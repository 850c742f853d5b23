"""A private, throw-away PostgreSQL cluster on loopback, for tests and benchmarks that stop
and start the database (never the shared server).

    with PrivateCluster.create() as cluster:
        cluster.createdb("kap")
        url = cluster.url("kap")
        cluster.stop(); cluster.start()

Run as root (CI, containers), the server runs as the `postgres` user through `runuser`.
The binaries come from CI_PGBIN, `pg_config --bindir`, or the newest /usr/lib/postgresql/*/bin.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def find_bindir() -> Path | None:
    candidates = [os.environ.get("CI_PGBIN", "")]
    if shutil.which("pg_config"):
        result = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        candidates.append(result.stdout.strip())
    candidates += sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True
    )
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").exists():
            return Path(candidate)
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateCluster:
    def __init__(self, bindir: Path, root: Path, port: int) -> None:
        self.bindir, self.root, self.port = bindir, root, port
        self.data = root / "data"
        self.running = False

    @classmethod
    def create(cls, bindir: Path | None = None) -> PrivateCluster:
        bindir = bindir or find_bindir()
        if bindir is None:
            raise FileNotFoundError("PostgreSQL server binaries (initdb, pg_ctl) not found")
        root = Path(tempfile.mkdtemp(prefix="kap-pg-"))
        cluster = cls(bindir, root, free_port())
        if os.geteuid() == 0:
            shutil.chown(root, user="postgres")
        cluster._as_server(
            "initdb", "-D", str(cluster.data), "-A", "trust", "-U", "postgres",
            "--encoding=UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        cluster.start()
        return cluster

    def _as_server(self, program: str, *args: str) -> None:
        command = [str(self.bindir / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c max_connections=50"
        )
        self._as_server(
            "pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-w", "-o", options,
            "start",
        )  # fmt: skip
        self.running = True

    def stop(self) -> None:
        self._as_server("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        self.running = False

    def destroy(self) -> None:
        if self.running:
            with contextlib.suppress(subprocess.CalledProcessError):
                self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def client(self, program: str, *args: str) -> subprocess.CompletedProcess:
        """Run a client program (createdb, pg_dump, pg_restore, psql) against this cluster."""
        command = [
            str(self.bindir / program), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
            *args,
        ]  # fmt: skip
        return subprocess.run(command, check=True, capture_output=True, text=True, timeout=300)

    def createdb(self, name: str) -> str:
        self.client("createdb", name)
        return self.url(name)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def __enter__(self) -> PrivateCluster:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.destroy()
