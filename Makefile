# The two commands: `make run` and `make test`. Each creates .venv when missing and installs the project into it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test lint models bench chromium clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

chromium:
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || \
	  ( (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null) \
	    || echo "chromium could not be installed: the browser tests will be skipped" )

lint: install
	$(VENV)/bin/ruff check .

test: install chromium lint
	$(PY) -m pytest -q -p no:cacheprovider

run: install
	$(VENV)/bin/chitieu ingest corpus/data
	$(VENV)/bin/chitieu serve --host 127.0.0.1 --port 8000

models: install
	$(PY) -m models.train

bench: install
	$(VENV)/bin/chitieu bench all

clean:
	rm -rf var/index
