# syntax=docker/dockerfile:1
# Kapacitetsportalen's image: gunicorn serving the portal as a non-root user.
# Build: docker build -t kapacitetsportalen .   Run: see compose.yaml and README, "Container".

# 1. Builder: the pinned requirements (pyproject.toml) in a virtual environment.
FROM python:3.11-slim-bookworm AS builder
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /venv
WORKDIR /src
COPY pyproject.toml ./
COPY scripts/requirements.py scripts/
RUN python scripts/requirements.py > requirements.txt \
 && /venv/bin/pip install --require-virtualenv -r requirements.txt

# 2. Runtime: the venv, the libraries WeasyPrint needs for the memo's PDF, and the code.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/venv/bin:$PATH \
    BIND=0.0.0.0:8000 \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fonts-dejavu-core fonts-liberation2 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 portal \
 && useradd --system --uid 10001 --gid portal --home-dir /app --shell /usr/sbin/nologin portal \
 && mkdir -p /data/media && chown portal:portal /data/media
COPY --from=builder /venv /venv
WORKDIR /app
# The code, listed rather than `COPY . .`, so that a developer's .venv, database or test
# artefacts never end up in the image. A new top-level app must be added here.
COPY manage.py pyproject.toml ./
COPY capacity_portal capacity_portal
COPY common common
COPY capacities capacities
COPY coverage_areas coverage_areas
COPY memos memos
COPY portal portal
COPY shortage shortage
COPY alerts alerts
COPY templates templates
COPY static static
COPY fixtures fixtures
COPY locale locale
COPY docker docker
# Static files are collected once, here, with hashed names; they need no database or secret.
RUN SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput --verbosity 0 \
 && python -m compileall -q capacity_portal capacities coverage_areas memos portal
USER portal
EXPOSE 8000
VOLUME ["/data/media"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "docker/healthcheck.py"]
ENTRYPOINT ["docker/entrypoint.sh"]
CMD ["serve"]
