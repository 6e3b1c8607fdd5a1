# SourceBelt — the two commands are `make demo` and `make test`.
PYTHON ?= python3
DEMO_PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
export DJANGO_SETTINGS_MODULE := sourcebelt.settings

.PHONY: demo test install install-dev worker beat messages lint format stop-services clean load-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make demo: virtualenv, SQLite, demo data, development server on http://127.0.0.1:8000, tasks in-process.
## Another port: make demo DEMO_PORT=8001 (links in e-mail then use that port too).
## E-mail is written to files under var/mail/ (one file per message), not to the terminal.
DEMO_ENV := DEBUG=true DATABASE_URL= REDIS_URL= SITE_URL=http://127.0.0.1:$(DEMO_PORT)
demo: install
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py seed_demo
	$(DEMO_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(DEMO_PORT)

## make test: ruff, mypy, migrations check and pytest (in parallel, one process per core) against real PostgreSQL and Redis.
## Extra pytest arguments: make test ARGS="tests/test_settings.py -x"
test: install-dev
	scripts/run-tests $(ARGS)

## make worker: one Celery worker reading every queue (a single host). One kind of work, as on a host
## of its own: make worker QUEUES=imports (several: QUEUES=matching,insights), with that kind's
## recommended concurrency and prefetch (docs/workers.md); WORKER_OPTS="--concurrency=4" overrides them.
## The queues are named CELERY_QUEUE.kind (default sourcebelt.matching, ...), as in the settings.
WORK_KINDS := matching notifications translations imports insights periodic
QUEUES ?= $(WORK_KINDS)
CELERY_QUEUE ?= sourcebelt
comma := ,
empty :=
space := $(empty) $(empty)
worker_kinds = $(or $(strip $(subst $(comma),$(space),$(QUEUES))),$(WORK_KINDS))
WORKER_OPTS_matching := --concurrency=$(shell nproc 2>/dev/null || echo 2) --prefetch-multiplier=1
WORKER_OPTS_notifications := --concurrency=8 --prefetch-multiplier=1
WORKER_OPTS_translations := --concurrency=4 --prefetch-multiplier=1
WORKER_OPTS_imports := --concurrency=2 --prefetch-multiplier=1 --max-tasks-per-child=20
WORKER_OPTS_insights := --concurrency=1 --prefetch-multiplier=1
WORKER_OPTS_periodic := --concurrency=2 --prefetch-multiplier=1
WORKER_OPTS ?= $(if $(filter 1,$(words $(worker_kinds))),$(WORKER_OPTS_$(worker_kinds)))
worker_queues = $(subst $(space),$(comma),$(addprefix $(CELERY_QUEUE).,$(worker_kinds)))
worker_name = $(if $(filter-out $(worker_kinds),$(WORK_KINDS)),$(subst $(space),-,$(worker_kinds)),celery)

worker: install
	$(if $(filter-out $(WORK_KINDS),$(worker_kinds)),$(error QUEUES: unknown kind "$(filter-out $(WORK_KINDS),$(worker_kinds))"; the kinds are $(WORK_KINDS)))
	$(BIN)/celery -A sourcebelt worker -l info -Q $(worker_queues) -n $(worker_name)@%h $(WORKER_OPTS)

beat: install
	$(BIN)/celery -A sourcebelt beat -l info

messages: install-dev
	DEBUG=true $(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --ignore='.venv/*' --ignore='var/*'
	DEBUG=true $(BIN)/python manage.py makemessages -d djangojs -l zh_Hans --no-obsolete --ignore='.venv/*' --ignore='var/*' --ignore='static/vendor/*'
	DEBUG=true $(BIN)/python manage.py compilemessages --ignore='.venv/*'

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(BIN)/mypy

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## make load-test: bench/load_test.py against a primary and its streaming replica of their own
## (scripts/test-services replica), with LOAD_PRODUCTS generated products and the demo (made once).
LOAD_PRODUCTS ?= 100000
LOAD_ARGS ?=
load-test: install-dev
	@eval "$$(scripts/test-services replica)"; eval "$$(scripts/test-services)"; \
	$(BIN)/python bench/load_test.py --catalog $(LOAD_PRODUCTS) --redis-url "$$REDIS_URL" \
		--database-url "$${REPLICA_PRIMARY_URL%/*}/sb_load" --replica-url "$${DATABASE_REPLICA_URLS%/*}/sb_load" $(LOAD_ARGS)

## Stops the throwaway PostgreSQL and Redis that `make test` may have started, and the replication
## primary and replica of the scale-out tests (never the machine's own servers).
stop-services:
	scripts/stop-test-services

clean: stop-services
	rm -rf var/db.sqlite3 var/static var/test-services var/test-results
