# The one entry point: `make run` starts the whole site, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test lint audit format prepare install install-dev messages bench clean

run: prepare
	@echo ""
	@echo "Samhandling runs at http://127.0.0.1:8000/  (Ctrl-C stops web, worker and beat)"
	@echo ""
	$(VENV)/bin/honcho --procfile Procfile.dev start

# Migrate and load demo data: quick when already done.
prepare: install
	$(PY) manage.py check --fail-level ERROR
	$(PY) manage.py prepare_local_database
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py seed_demo

test: install-dev
	$(PY) -m pytest

# Speed and memory targets at volume on PostgreSQL, measured (not asserted in unit tests); writes
# docs/performance.md. DATABASE_URL defaults to the local samhandling_bench, seeded once and reused.
bench: install-dev
	$(PY) -m bench.run

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint
	$(VENV)/bin/hadolint Dockerfile
	$(VENV)/bin/bandit -q -r avvik samhandling -x avvik/migrations --severity-level high
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy avvik samhandling

# Known vulnerabilities in the pinned requirements. Needs the PyPI JSON API (or OSV); --strict
# fails rather than passing when a package could not be checked.
audit: install-dev
	$(VENV)/bin/pip-audit --strict -r requirements.txt -r requirements-dev.txt

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Extract the strings to translate into locale/*/LC_MESSAGES/django.po, then compile.
messages: install-dev
	$(PY) manage.py makemessages --locale nb --locale nn --locale en --no-obsolete --no-location --ignore '.venv/*' --ignore 'staticfiles/*'
	$(PY) manage.py compilemessages --ignore '.venv/*'

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
		|| { echo "Samhandling needs Python 3.11 or newer ($(PYTHON) is older). Set PYTHON=python3.12 or similar."; exit 1; }
	@$(PYTHON) -m venv $(VENV) \
		|| { echo "Could not create a virtual environment. On Debian: sudo apt-get install python3-venv"; rm -rf $(VENV); exit 1; }
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $(VENV)/.runtime $@

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
