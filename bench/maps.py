"""`make bench` (part): the weight and render time of the pages that draw maps.

In one process, on a throwaway SQLite database with the demo data (so it needs no server), with
the page cache off so that every request renders the page: for each page with a map, the size
of the HTML, of its inline SVG and of both gzipped, and the median and 90th-percentile render
time over --runs requests (after two warm-up requests). Also the map-building function alone.
The table goes to stdout and bench/maps.md (not committed).

    python bench/maps.py [--runs 30]
"""

from __future__ import annotations

import argparse
import gzip
import logging
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)
PAGES = {
    "home (today's map)": "/",
    "threatened areas (three maps)": "/laegedaekningstruede-omraader/",
    "threatened areas, 2023": "/laegedaekningstruede-omraader/?year=2023",
    "area page, Indre By (locator)": "/omraader/indre-by/",
    "area page, Bornholm (locator)": "/omraader/bornholm/",
    "area search, 2800": "/omraader/?q=2800",
}


def _setup(folder: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "capacity_portal.settings",
            "DATABASE_URL": f"sqlite:///{folder}/bench-maps.sqlite3",
            "CACHE_URL": "dummy://",
            "SECRET_KEY": "bench-only-not-a-secret",
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
            "STATIC_COLLECTED": "0",
            "DEBUG": "0",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # The demo loader logs every transition; the measurements are what this prints.
    logging.disable(logging.INFO)
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", stdout=quiet)


def _timed(run, runs: int) -> tuple[float, float]:
    for _ in range(2):
        run()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[max(int(len(times) * 0.9) - 1, 0)]


def measure(runs: int) -> list[str]:
    from django.test import Client

    from coverage_areas.status import load_rounds
    from coverage_areas.tree import AreaTree
    from portal import clock
    from portal.maps import status_map

    client = Client()
    rows = [
        "| page | HTML | inline SVG | HTML gzipped | median ms | p90 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, path in PAGES.items():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        html = response.content
        svg = sum(len(m.encode()) for m in SVG.findall(html.decode()))
        median, p90 = _timed(lambda path=path: client.get(path), runs)
        rows.append(
            f"| {name} | {len(html) / 1024:.1f} KB | {svg / 1024:.1f} KB "
            f"| {len(gzip.compress(html)) / 1024:.1f} KB | {median:.1f} | {p90:.1f} |"
        )
    tree, rounds = AreaTree.load(), load_rounds()
    median, p90 = _timed(lambda: status_map(tree, rounds, clock.today(), title="bench"), runs)
    rows.append(f"| status_map() alone, 38 areas | | | | {median:.1f} | {p90:.1f} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        _setup(folder)
        rows = measure(args.runs)
    text = "# Map pages: weight and render time\n\n" + "\n".join(rows) + "\n"
    (ROOT / "bench" / "maps.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
