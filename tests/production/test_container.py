"""The image cannot be built here; these checks keep the Dockerfile in step with the code."""

from __future__ import annotations

import os
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

REPO = Path(settings.BASE_DIR)
DOCKERFILE = (REPO / "Dockerfile").read_text()


def copied() -> set[str]:
    runtime = DOCKERFILE.split("\nFROM ", 2)[2]  # the final stage
    return {
        part.rstrip("/")
        for line in re.findall(r"^COPY (?!--from)(.+)$", runtime, flags=re.M)
        for part in line.split()[:-1]
    }


def test_the_image_holds_every_app_of_the_project_and_its_shared_folders():
    local_apps = {
        Path(config.path).relative_to(REPO).parts[0]
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(REPO) and "site-packages" not in config.path
    }
    needed = local_apps | {"capacity_portal", "templates", "static", "docker", "manage.py"}
    needed |= {path.name for path in map(Path, settings.LOCALE_PATHS) if path.exists()}
    assert needed <= copied()


def test_the_image_runs_as_a_non_root_user_with_a_health_check_and_gunicorn():
    runtime = DOCKERFILE.split("\nFROM ", 2)[2]
    assert re.search(r"^USER portal$", runtime, flags=re.M)
    assert 'CMD ["python", "docker/healthcheck.py"]' in runtime
    assert 'ENTRYPOINT ["docker/entrypoint.sh"]' in runtime
    assert "collectstatic" in runtime
    assert "python:3.11-slim-bookworm" in runtime and "libpango-1.0-0" in runtime
    assert os.access(REPO / "docker" / "entrypoint.sh", os.X_OK)
