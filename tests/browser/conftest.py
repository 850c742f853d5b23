"""Browser tests: the real Chromium (Debian's /usr/bin/chromium) driven by Playwright against
Django's live server with the demo data.

Without Chromium they are skipped with one line saying how to enable them; in CI (CI=true) a
missing browser is a failure, never a skip. On failure each test leaves a screenshot and the
page's HTML under test-artifacts/.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run in a
# thread with a running loop unless told that this is deliberate (the tests' own queries).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Without the background-networking flags Chromium keeps trying to reach Google's hosts,
# which this kind of closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOW_TO_ENABLE = (
    f"browser tests need Chromium at {CHROMIUM}: install it (apt-get install chromium) "
    "or point CHROMIUM at a Chromium binary"
)


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None


def pytest_collection_modifyitems(config, items):
    if chromium_available() or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason=HOW_TO_ENABLE)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser(_serialized_contents):
    if not chromium_available():
        pytest.fail(f"CI must run the browser tests, but {HOW_TO_ENABLE}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def _serialized_contents(django_db_setup, django_db_blocker) -> dict[str, str]:
    from django.db import connections

    return {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


@pytest.fixture
def _keep_serialized_contents(_serialized_contents):
    # Django keeps the database's content from after the migrations on the connection object,
    # to restore it after a transactional test. Once Playwright runs, Django's (context-local)
    # connections are new objects without it, and the staff groups made by the migrations
    # would be gone for the tests that follow; hand the content to the current objects.
    from django.db import connections

    for alias, contents in _serialized_contents.items():
        if not hasattr(connections[alias], "_test_serialized_contents"):
            connections[alias]._test_serialized_contents = contents


@pytest.fixture
def demo_site(
    _keep_serialized_contents, transactional_db, django_db_serialized_rollback, live_server
):
    """The live server's URL, with the region's demo data loaded. The live server needs
    committed data, so the database is emptied afterwards; serialized rollback puts back what
    the migrations made (the staff groups) for the tests that follow."""
    from capacities import demo
    from capacities.demo_recent import SEED_DAY

    demo.load(today=SEED_DAY)
    return live_server.url


@pytest.fixture
def live_demo_site(
    _keep_serialized_contents, transactional_db, django_db_serialized_rollback, live_server
):
    """As `demo_site`, with the illustrative continuation up to today, as `make run` loads it."""
    from capacities import demo

    demo.load()
    return live_server.url


def _artifact_name(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid)[-150:]


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = _artifact_name(request.node.nodeid)
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
            (ARTIFACTS / f"{name}.html").write_text(page.content(), encoding="utf-8")
        except Exception as error:  # the page may be gone; the test's own failure matters more
            print(f"Could not save browser artifacts: {error}")
    context.close()


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.1 A and AA rules) on the page; return its violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            "resultTypes": ["violations"],
        },
    )
    return results.response["violations"]


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:5])
        for v in violations
    )
