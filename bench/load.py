"""Load generators: wrk when installed, else a small Python one (it measures less of the
server, since it competes with it for the same cores)."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
import urllib.parse
from http.client import HTTPConnection
from pathlib import Path

REPORTER = Path(__file__).resolve().parent / "report.lua"
# What every browser sends (report.lua sets the same for wrk).
BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate, br, zstd"}


def load(url: str, *, seconds: int, connections: int) -> dict:
    if shutil.which("wrk"):
        command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency"]
        result = subprocess.run(
            [*command, "-s", str(REPORTER), url], capture_output=True, text=True, check=True
        )
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        figures["tool"] = "wrk"
    else:
        figures = _python_load(url, seconds=seconds, connections=connections)
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


def _python_load(url: str, *, seconds: int, connections: int) -> dict:
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
            connection.request("GET", target, headers=BROWSER_HEADERS)
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
