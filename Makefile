# The one entry point: `make run` starts the whole site, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test lint audit audit-offline lock sbom pin-base-image format prepare install install-dev messages bench clean

# honcho (Procfile.dev) is a development tool: it is in the development lock only, never in the image.
run: install-dev prepare
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
	$(PY) manage.py seed_council_quarter

test: install-dev
	$(PY) -m pytest

# Speed and memory targets at volume on PostgreSQL, measured (not asserted in unit tests); writes
# docs/performance.md. DATABASE_URL defaults to the local samhandling_bench, seeded once and reused.
# wrk drives the pages under saturation: installed with apt when missing and run as root.
bench: install-dev
	@command -v wrk >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then apt-get install -y wrk || { apt-get update && apt-get install -y wrk; }; \
		else echo "make bench needs wrk: install it as root (apt-get install -y wrk)," \
			"or leave out the saturation and middleware steps with BENCH_STEPS." >&2; exit 1; fi; }
	$(PY) -m bench.run

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint
	$(VENV)/bin/hadolint Dockerfile
	$(VENV)/bin/bandit -q -r avvik samhandling -x avvik/migrations --severity-level high
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy avvik samhandling

# Known vulnerabilities in the locked requirements (requirements-dev.txt holds the runtime ones
# too). Needs the PyPI JSON API; --strict fails rather than passing when a package could not be
# checked, and --disable-pip reads the hashed pins as they are instead of resolving them again.
# With AUDIT_DB set (an OSV snapshot), `make audit` runs the offline check below instead.
audit: install-dev
ifdef AUDIT_DB
	@$(MAKE) --no-print-directory audit-offline
else
	$(VENV)/bin/pip-audit --strict --require-hashes --disable-pip --progress-spinner off -r requirements-dev.txt
endif

# The same question without network, against a snapshot of OSV's PyPI advisories: AUDIT_DB is
# the export all.zip or a directory of its JSON files (docs/deploy.md, "Supply chain"). Fails on
# a snapshot older than AUDIT_MAX_AGE_DAYS.
AUDIT_MAX_AGE_DAYS ?= 31
audit-offline: install
	@test -n "$(AUDIT_DB)" || { echo "Set AUDIT_DB to an OSV snapshot: make audit-offline AUDIT_DB=/path/to/all.zip"; exit 2; }
	$(PY) -m avvik.operations.osv_audit --db "$(AUDIT_DB)" --max-age-days $(AUDIT_MAX_AGE_DAYS) \
		requirements.txt requirements-dev.txt

# Regenerate the lock files from the hand-edited lists (requirements.in, requirements-dev.in):
# every package, transitive ones too, pinned with the hashes of all its published files. Pins
# that still fit are kept; `make lock LOCK_ARGS=--upgrade` (or `--upgrade-package NAME`) moves
# them on. The index comes from pip's own configuration and is not written into the files.
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet --generate-hashes \
	--allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links$(if $(LOCK_ARGS), $(LOCK_ARGS))
lock: install-dev
	$(PIP_COMPILE) --output-file requirements.txt requirements.in
	$(PIP_COMPILE) --output-file requirements-dev.txt requirements-dev.in

# A CycloneDX SBOM of what the image installs: every package of the runtime lock file, with its
# version, package URL and hashes. SOURCE_DATE_EPOCH, when set, becomes its timestamp.
SBOM ?= sbom.cdx.json
sbom: install-dev
	$(VENV)/bin/cyclonedx-py requirements requirements.txt --pyproject pyproject.toml \
		--output-format JSON --output-reproducible --output-file $(SBOM)

# Pin the Dockerfile's base image to the digest the registry gives for its tag (needs docker with
# buildx and access to the registry). Run again after changing the tag.
pin-base-image:
	@tag=$$(sed -n 's/^ARG PYTHON_IMAGE=\([^@]*\).*/\1/p' Dockerfile); \
	digest=$$(docker buildx imagetools inspect "$$tag" --format '{{json .Manifest}}' \
		| $(PYTHON) -c 'import json, sys; print(json.load(sys.stdin)["digest"])') \
		|| { echo "Could not ask the registry for the digest of $$tag."; exit 1; }; \
	case "$$digest" in sha256:*) ;; *) echo "The registry gave no digest for $$tag."; exit 1;; esac; \
	sed -i "s|^ARG PYTHON_IMAGE=.*|ARG PYTHON_IMAGE=$$tag@$$digest|" Dockerfile; \
	grep '^ARG PYTHON_IMAGE=' Dockerfile

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

# Installs come from the lock files only, each file checked against its hash. The stamps follow
# the lock files, so `make lock` (or a pulled change to them) installs again on the next target.
$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --require-hashes -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.txt
	@touch $(VENV)/.runtime $@

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache $(SBOM)
