# Orion — two commands: `make run` and `make test`. Everything else is set up on the way.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup migrate demo lint format bench messages clean-db

$(STAMP): requirements/base.txt requirements/dev.txt requirements/prod.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements/dev.txt -r requirements/prod.txt
	@touch $(STAMP)

setup: $(STAMP)

migrate: setup
	$(PY) manage.py migrate_schemas --shared --noinput -v 0
	$(PY) manage.py migrate_schemas --tenant --noinput -v 0
	$(PY) manage.py migrate_template

demo: migrate
	$(PY) manage.py load_demo

run: demo
	@$(PY) manage.py demo_urls --port $(PORT)
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	$(PY) -m pytest --ds=orion.settings.test -n 2 -q

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: migrate
	$(PY) bench/provisioning.py

messages: setup
	$(PY) manage.py makemessages -l fr -l de -l en --ignore=.venv --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv

clean-db:
	rm -rf .pgdata
