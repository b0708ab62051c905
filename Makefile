# WEL in Ontwikkeling. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 8000
# Two test processes (pytest-xdist): the machines this runs on have two cores.
PYTEST_ARGS ?= -n 2

.DEFAULT_GOAL := help
.PHONY: help run test lint format check sysdeps install migrate demo messages lock bench worker clean load scan audit-deps

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

sysdeps: ## Install the system libraries WeasyPrint needs (Pango, HarfBuzz) when missing
	@if ldconfig -p | grep -q libpango-1.0 && ldconfig -p | grep -q libharfbuzz-subset; then :; \
	elif command -v apt-get >/dev/null; then \
		echo "Installing Pango and HarfBuzz for WeasyPrint (apt-get)..."; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null; \
	else \
		echo "Please install Pango and HarfBuzz (libpango-1.0-0, libpangoft2-1.0-0, libharfbuzz-subset0) for WeasyPrint."; exit 1; \
	fi

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (PYTHON=python3.11 make ...)")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	@rm -f $(VENV)/.installed-* && touch $@

# Node tools the tests use (package.json): a real OpenID provider and Spectral. Without npm the
# tests that need them skip (and fail under WEL_REQUIRE_SERVICES=1, as in CI).
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the OpenID provider and Spectral tests will skip"; fi

install: sysdeps $(STAMP) node_modules/.package-lock.json ## Create the virtualenv and install the pinned dependencies (Python, and the Node test tools)

migrate: install ## Apply database migrations
	$(BIN)/python manage.py migrate --noinput

demo: migrate ## Load the demo programme (idempotent)
	$(BIN)/python manage.py seed_demo

run: demo ## Start the site on http://127.0.0.1:8000 with demo data (SQLite, tasks in-process)
	@$(BIN)/python manage.py demo_logins
	@echo "The site: http://$(HOST):$(PORT)/"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install ## Run the whole test suite (uses DATABASE_URL / CELERY_BROKER_URL when set)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install ## Django checks: migrations in sync, deploy settings without warnings
	$(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=wel.settings.production SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))') ALLOWED_HOSTS=wel.example CACHE_URL=redis://127.0.0.1:6379/1 $(BIN)/python manage.py check --deploy --fail-level WARNING

messages: install ## Extract and compile the Dutch translations (needs gettext)
	$(BIN)/python manage.py makemessages -l nl --ignore=.venv --ignore=var --ignore=tests --ignore=node_modules --no-obsolete
	$(BIN)/python manage.py compilemessages -l nl --ignore=.venv

worker: install ## Start a Celery worker (needs CELERY_BROKER_URL)
	$(BIN)/celery -A wel worker -l info

bench: install ## Main pages over HTTP through gunicorn on 100,000 cases, against issue 12's targets (PostgreSQL DATABASE_URL; docs/benchmarks.md)
	$(BIN)/python -m tests.bench

load: install ## Load test: 25 users, 3 min, gunicorn+PostgreSQL+Redis on 127.0.0.1 (docs/benchmarks.md)
	$(BIN)/python -m tests.load.run

# Every app is scanned, new ones included: the whole tree but what is not our code.
SCAN_EXCLUDE := ./.venv,./var,./tests,./node_modules,./static,./locale,./locale_overrides
SCAN_ARGS ?=
scan: install ## Security lint of our code with bandit (every app); fails on any high-severity finding
	$(BIN)/bandit -q -r . -x '$(SCAN_EXCLUDE)' --severity-level high $(SCAN_ARGS)

PIP_AUDIT_VERSION ?= 2.10.1
audit-deps: ## Check the pinned dependencies for known vulnerabilities (pip-audit; needs internet)
	@test -x var/pip-audit/bin/pip-audit || ($(PYTHON) -m venv var/pip-audit && var/pip-audit/bin/pip install -q pip-audit==$(PIP_AUDIT_VERSION))
	var/pip-audit/bin/pip-audit --requirement requirements.lock --no-deps --disable-pip --strict --progress-spinner off

lock: ## Re-resolve the pinned dependencies from pyproject.toml
	rm -rf /tmp/wel-lock && $(PYTHON) -m venv /tmp/wel-lock
	/tmp/wel-lock/bin/pip install -q --upgrade pip && /tmp/wel-lock/bin/pip install -q ".[dev]"
	/tmp/wel-lock/bin/pip freeze --exclude-editable | grep -v '^wel' > requirements.lock

clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) var
