# Kapacitetsportalen: `make run` serves the portal, `make test` runs the tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev lint format messages bench screenshots load-test clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Dependencies are pinned in pyproject.toml; a stamp file reinstalls when it changes.
$(VENV)/.runtime: pyproject.toml | $(PY)
	$(PY) scripts/requirements.py > $(VENV)/requirements.txt
	$(PY) -m pip install --quiet -r $(VENV)/requirements.txt
	touch $@

$(VENV)/.dev: pyproject.toml $(VENV)/.runtime
	$(PY) scripts/requirements.py dev > $(VENV)/requirements-dev.txt
	$(PY) -m pip install --quiet -r $(VENV)/requirements-dev.txt
	touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

# Short output: the demo's summary, the demo logins and the address; the server's own lines
# follow (one per request). HOST and PORT choose the address: make run PORT=8080.
run: install
	@DEBUG=1 $(PY) manage.py migrate --noinput -v 0
	@DEBUG=1 LOG_LEVEL=WARNING $(PY) manage.py load_demo
	@DEBUG=1 LOG_LEVEL=WARNING $(PY) manage.py create_demo_staff
	@echo "Serving http://$(HOST):$(PORT)/ (staff: http://$(HOST):$(PORT)/admin/). What to try first: README.md, 'Try it'. Stop with Ctrl-C."
	@# The mail worker runs beside the development server and stops with it.
	@DEBUG=1 DEMO_DATA=1 LOG_LEVEL=WARNING $(PY) manage.py db_worker --no-reload --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 DEMO_DATA=1 $(PY) manage.py runserver --skip-checks $(HOST):$(PORT)

test: install-dev
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Rebuild the translation catalogues (needs GNU gettext); the compiled .mo files are committed
# so that a machine with only Python runs the portal in both languages.
messages: install-dev
	DEBUG=1 $(PY) manage.py makemessages --all --ignore=.venv --ignore=staticfiles
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

# Speed against the machine's ceiling at region and country size (PostgreSQL, gunicorn, wrk).
bench: install-dev
	$(PY) bench/run.py $(BENCH_ARGS)
	$(PY) bench/maps.py

# Public pages under load while editors run transitions, on a private PostgreSQL (about a
# minute); e.g. LOAD_ARGS="--seconds 60 --readers 16".
load-test: install
	$(PY) scripts/load_with_writes.py $(LOAD_ARGS)

# Pictures of the main pages for README, taken by the browser-test setup.
screenshots: install-dev
	$(PY) -m pytest -q -p no:cacheprovider tests/browser/screenshots.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-artifacts
