#!/bin/sh
# The container's entrypoint. CI runs this very script outside a container
# (scripts/deploy_check.sh), so the steps the image takes at start are tested.
#
#   entrypoint.sh            serve the portal with gunicorn (the image's default command)
#   entrypoint.sh migrate    apply the database migrations, then exit (compose's one-off step)
#   entrypoint.sh worker     send the queued mail (alerts, confirmation links) with retries
#   entrypoint.sh CMD ...    run anything else, e.g. `python manage.py createsuperuser`
#
# MIGRATE_ON_START=1 and COLLECTSTATIC_ON_START=1 add those steps before serving; the image
# collects static files at build time and compose migrates in its own step, so both are off.
set -eu

cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python}

manage() {
    "$PYTHON" manage.py "$@"
}

case "${1:-serve}" in
    serve)
        if [ "${MIGRATE_ON_START:-0}" = 1 ]; then
            manage migrate --noinput
        fi
        if [ "${COLLECTSTATIC_ON_START:-0}" = 1 ]; then
            manage collectstatic --noinput
        fi
        # Fail before gunicorn starts if the configuration is incomplete (a missing variable,
        # a bad value): a clear message once, instead of one per worker.
        manage check --deploy --fail-level ERROR >/dev/null
        exec "$PYTHON" -m gunicorn capacity_portal.wsgi:application --config docker/gunicorn.conf.py
        ;;
    migrate)
        manage migrate --noinput
        ;;
    worker)
        exec "$PYTHON" manage.py db_worker --no-reload --interval 2
        ;;
    *)
        exec "$@"
        ;;
esac
