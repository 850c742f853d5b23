"""Log lines for the region's log collection: one JSON object per line on stdout.

A record's `extra={"fields": {...}}` becomes top-level keys of its line, so
`log.info("transition", extra={"fields": {"capacity": 7, "to": "posted"}})` prints
`{"time": "…", "level": "INFO", "logger": "…", "message": "transition", "capacity": 7, …}`.

The audit line for a failed login lives here too. Its receiver is connected when this module
is imported, which Django does while configuring logging at start-up (settings.LOGGING names
the formatter below), so it is in place before the first request.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

# Attributes every LogRecord has; anything else a caller passed in `extra` is worth showing.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
_SKIPPED = {"fields", "request", "server_time"}

auth_log = logging.getLogger("capacity_portal.auth")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in _SKIPPED:
                entry[key] = value
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update(fields)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # Danish names stay readable; anything odd (a date, a lazy string) becomes text.
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """For people reading a terminal (DEBUG): the usual line, then the record's fields."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line += " " + " ".join(f"{key}={value}" for key, value in fields.items())
        return line


@receiver(user_login_failed, dispatch_uid="capacity_portal.log_login_failure")
def log_login_failure(
    sender: object, credentials: dict, request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Who tried which user name, from where, on which page; never the password."""
    fields = {
        "event": "login_failed",
        "username": credentials.get("username", ""),
        "ip": request.META.get("REMOTE_ADDR") if request is not None else None,
        "path": request.path if request is not None else None,
        "user_agent": request.headers.get("user-agent", "")[:200] if request is not None else "",
    }
    auth_log.warning("login failed", extra={"fields": fields})
