# The project's commands. `make run` and `make test` are all a newcomer needs (see README).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run demo test test-fast lint format worker bench browser clean

$(STAMP): requirements.txt requirements-dev.txt package.json package-lock.json
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	npm ci --no-audit --no-fund --silent
	touch $(STAMP)

install: $(STAMP)

## Install everything, create the database, load the demo program and start the app; without
## REDIS_URL a Celery worker starts beside the dev server (embedded broker) and Ctrl-C stops both.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver_with_worker $(HOST):$(PORT)

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --reset

## Debian's Chromium for the end-to-end tests (Playwright cannot download browsers here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Install Debian's chromium (sudo apt-get install chromium) to run the browser tests."; fi; }

## Install everything and run the whole suite: lint, migrations check, unit, integration and browser tests.
test: install browser lint
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=residency.settings.production SECRET_KEY=check-deploy-$$(date +%s)-only-for-the-deploy-check-not-a-real-secret \
	  REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} $(PY) manage.py check --deploy --fail-level WARNING
	$(PY) -m pytest

test-fast: install
	$(PY) -m pytest -m "not e2e and not integration" -x -q

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## A Celery worker (with beat) for the default and solver queues, on REDIS_URL (or on the
## embedded broker when it is empty, if you run the dev server without `make run`).
worker: install
	$(VENV)/bin/celery -A residency worker --beat -Q default,solver -l info --concurrency 2

## Benchmarks: the scheduler at 50-400 residents, compliance, mentor pairing, the grid page.
bench: install
	$(PY) -m bench.scheduler
	$(PY) -m bench.compliance
	$(PY) -m bench.pairing
	$(PY) -m bench.pages

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3
