"""Structured log lines on stdout for the region's log collection."""

from __future__ import annotations

import io
import json
import logging

import pytest

from capacities import services
from capacities.models import Status
from capacity_portal.logging import JsonFormatter
from tests import factories
from tests.production.conftest import manage, production_env


@pytest.fixture
def json_lines():
    """What the transition logger writes, one parsed JSON object per line."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("capacities.transitions")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.setLevel(previous)


@pytest.mark.django_db
def test_each_transition_is_one_json_line_after_commit(
    json_lines, editor, django_capture_on_commit_callbacks
):
    capacity = factories.capacity(Status.AWAITING_POSTING, in_area="Høje-Taastrup")
    before = len(json_lines())
    with django_capture_on_commit_callbacks(execute=True):
        services.post_capacity(capacity, by=editor, on=factories.D(2024, 3, 1))
    [line] = json_lines()[before:]
    assert line["event"] == "transition"
    assert line["capacity"] == capacity.pk
    assert line["action"] == "post"
    assert (line["from"], line["to"]) == ("awaiting_posting", "posted")
    assert line["area"] == "Høje-Taastrup"
    assert line["effective_date"] == "2024-03-01"
    assert line["by"] == "editor"
    assert line["logger"] == "capacities.transitions" and line["level"] == "INFO"


@pytest.mark.django_db
def test_a_refused_transition_logs_nothing(json_lines, editor, django_capture_on_commit_callbacks):
    capacity = factories.capacity(Status.ACTIVE)
    before = len(json_lines())
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.TransitionError):
        services.post_capacity(capacity, by=editor, on=factories.D(2024, 3, 1))
    assert json_lines()[before:] == []


def test_the_formatter_keeps_exceptions_and_odd_values_on_one_line():
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.getLogger("x").makeRecord(
            "x", logging.ERROR, __file__, 1, "failed %s", ("once",), exc_info=True,
            extra={"fields": {"on": factories.D(2024, 10, 24)}, "status_code": 503},
        )  # fmt: skip
        record.exc_info = __import__("sys").exc_info()
    text = JsonFormatter().format(record)
    assert "\n" not in text
    line = json.loads(text)
    assert line["message"] == "failed once"
    assert line["on"] == "2024-10-24"
    assert line["status_code"] == 503
    assert "RuntimeError: boom" in line["exception"]


def test_production_logs_json_to_stdout():
    code = (
        "import logging; logging.getLogger('capacities.transitions')"
        ".info('transition', extra={'fields': {'capacity': 7, 'to': 'posted'}})"
    )
    result = manage("shell", "-c", code, env=production_env())
    line = json.loads(result.stdout.strip().splitlines()[-1])
    assert (line["message"], line["capacity"], line["to"]) == ("transition", 7, "posted")
