# First version: one stage, gunicorn on port 8000. Completed (multi-stage, non-root,
# healthcheck) with the production work.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
COPY scripts/requirements.py scripts/
RUN python scripts/requirements.py > /tmp/requirements.txt && pip install --no-cache-dir -r /tmp/requirements.txt
COPY . .
EXPOSE 8000
CMD ["gunicorn", "capacity_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2"]
