# MotCua: `make run` sets up and serves the demo; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup lint format clean messages worker

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

setup: $(VENV)/.installed var/secret_key
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py setup_demo

# The background worker (notifications) runs beside the web server and stops with it.
run: setup
	@echo "MotCua: http://$(HOST):$(PORT)/  (Ctrl+C to stop; the task worker runs alongside)"
	$(BIN)/python manage.py db_worker --queue-name '*' & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT) --noreload

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
