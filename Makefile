# MotCua: `make run` sets up and serves the demo; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# gunicorn sync workers for `make run`: BENCHMARKS.md found 2 per core best.
WORKERS ?= $(shell echo $$((2 * $$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN))))
# Static files that collectstatic copies (the project's and Django's admin, ninja's API docs).
STATIC_SOURCES := $(shell find motcua -path '*/static/*' -type f 2>/dev/null)

.PHONY: run dev test setup lint format clean messages worker

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	scripts/ensure_system_packages.sh
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

var/secret_key:
	mkdir -p var
	$(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	chmod 600 $@

# Static files for WhiteNoise, compressed once; collected again only when a source changes.
var/static/.collected: $(VENV)/.installed var/secret_key $(STATIC_SOURCES)
	$(BIN)/python manage.py collectstatic --noinput -v0
	touch $@

setup: $(VENV)/.installed var/secret_key var/static/.collected
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py setup_demo

# Where to serve: the settings derive the default public URL (QR codes, links) from these.
run dev setup worker: export MOTCUA_HOST = $(HOST)
run dev setup worker: export MOTCUA_PORT = $(PORT)

# As in production: gunicorn with $(WORKERS) workers, the task worker (notifications) beside it;
# Ctrl+C stops both (scripts/serve.sh).
run: setup
	@HOST=$(HOST) PORT=$(PORT) WORKERS=$(WORKERS) scripts/serve.sh run

# Development: runserver with auto-reload and debug pages, the task worker beside it.
dev: setup
	@HOST=$(HOST) PORT=$(PORT) scripts/serve.sh dev

worker: setup
	$(BIN)/python manage.py db_worker --queue-name '*'


test: $(VENV)/.installed-test
	scripts/test.sh

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(VENV)/.installed
	MOTCUA_DEBUG=1 $(BIN)/python manage.py makemessages -l vi --ignore=.venv --ignore=var
	MOTCUA_DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var *.egg-info
