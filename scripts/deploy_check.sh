#!/usr/bin/env bash
# Deploy checks, run by CI after the tests and runnable by hand:
#   1. `manage.py check --deploy` with production settings reports nothing;
#   2. the container's entrypoint, run outside a container, migrates, collects static files and
#      starts gunicorn on loopback; the container's HEALTHCHECK script gets 200 from /healthz
#      and the home page answers 200 through the (simulated) HTTPS proxy; then it is stopped.
# DATABASE_URL selects the database (CI: a fresh database on its private PostgreSQL);
# without it, a throw-away SQLite file.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-$PWD/.venv/bin/python}
WORK=$(mktemp -d /tmp/deploy-check.XXXXXX)
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID"
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# Production: none of the development or test relaxations.
unset DEBUG SECURE_SSL_REDIRECT STATIC_COLLECTED SECURE_COOKIES
export SECRET_KEY
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
export ALLOWED_HOSTS=kapacitet.example.dk
export CSRF_TRUSTED_ORIGINS=https://kapacitet.example.dk
export DATABASE_URL=${DATABASE_URL:-sqlite:///$WORK/db.sqlite3}
export STATIC_ROOT=$WORK/static MEDIA_ROOT=$WORK/media

echo "--- manage.py check --deploy"
"$PY" manage.py check --deploy --fail-level WARNING

echo "--- docker/entrypoint.sh serve (migrate, collectstatic, gunicorn) outside a container"
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export BIND=127.0.0.1:$PORT
MIGRATE_ON_START=1 COLLECTSTATIC_ON_START=1 PYTHON=$PY WEB_CONCURRENCY=2 \
    docker/entrypoint.sh serve >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

for _ in $(seq 1 120); do
    if "$PY" docker/healthcheck.py 2>/dev/null; then
        break
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        cat "$WORK/server.log"
        echo "deploy check: the entrypoint exited before /healthz answered" >&2
        exit 1
    fi
    sleep 0.5
done
if ! "$PY" docker/healthcheck.py; then
    cat "$WORK/server.log"
    echo "deploy check: /healthz did not answer 200 within 60 s" >&2
    exit 1
fi
echo "/healthz: 200"

"$PY" - "$PORT" <<'PYTHON'
import sys, urllib.request
port = sys.argv[1]
headers = {"Host": "kapacitet.example.dk", "X-Forwarded-Proto": "https"}
for path in ("/", "/static/portal/site.css"):
    with urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers), timeout=10) as r:
        assert r.status == 200, (path, r.status)
        print(f"{path}: {r.status}")
# Plain HTTP (no proxy header) is sent to HTTPS.
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
opener = urllib.request.build_opener(NoRedirect)
try:
    opener.open(urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": headers["Host"]}), timeout=10)
    raise SystemExit("plain HTTP was not redirected")
except urllib.error.HTTPError as error:
    assert error.code == 301 and error.headers["Location"] == "https://kapacitet.example.dk/", error
    print("plain HTTP: 301 to https")
PYTHON

kill -TERM "$SERVER_PID"
wait "$SERVER_PID" || { echo "deploy check: gunicorn did not stop cleanly" >&2; exit 1; }
SERVER_PID=""
echo "--- deploy checks passed"
