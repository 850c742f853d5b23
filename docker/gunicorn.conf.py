"""gunicorn's settings for the portal, read from the environment (see README, "Container")."""

import os

bind = os.environ.get("BIND", "0.0.0.0:8000")
# Two sync workers per container by default; scale with more containers behind the proxy.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 20
# Recycle workers now and then so that a slow leak never becomes an outage.
max_requests = 2000
max_requests_jitter = 200
# The proxy in front logs every request; set ACCESS_LOG=1 to log them here as well.
accesslog = "-" if os.environ.get("ACCESS_LOG") == "1" else None
errorlog = "-"
# Heartbeat files in memory: a container's disk may be slow overlay storage.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"
