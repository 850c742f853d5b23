"""The apps are layered: each may import only from the apps below it (README, "Architecture").
Imports are read from the source, those inside functions included (a hidden import is still a
dependency), so an upward import fails here before it becomes a cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

REPO = Path(settings.BASE_DIR)

# Bottom to top. An app may import the apps before it in this list, and no others.
LAYERS = ["common", "coverage_areas", "shortage", "capacities", "memos", "portal", "alerts"]
SITE = "capacity_portal"  # settings and root urls: they import the apps, no app imports them


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def project_imports(app: str) -> list[tuple[str, int, str]]:
    """(file, line, imported project package) for every import in the app's code."""
    known = set(LAYERS) | {SITE}
    rows = []
    for path in sorted((REPO / app).rglob("*.py")):
        for line, module in imported_modules(path):
            top = module.split(".")[0]
            if top in known and top != app:
                rows.append((str(path.relative_to(REPO)), line, top))
    return rows


def test_every_local_app_has_its_place_in_the_layers():
    from django.apps import apps

    local = {
        Path(config.path).relative_to(REPO).parts[0]
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(REPO) and "site-packages" not in config.path
    }
    assert local == set(LAYERS)


@pytest.mark.parametrize("app", LAYERS)
def test_an_app_imports_only_the_apps_below_it(app):
    below = set(LAYERS[: LAYERS.index(app)])
    upward = [
        f"{file}:{line} imports {target}"
        for file, line, target in project_imports(app)
        if target not in below
    ]
    assert upward == []


def test_the_check_reads_imports_inside_functions_too(tmp_path):
    source = tmp_path / "module.py"
    source.write_text("def f():\n    from alerts.mail import notify\n    import portal.cache\n")
    assert imported_modules(source) == [(2, "alerts.mail"), (3, "portal.cache")]
