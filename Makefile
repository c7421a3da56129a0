# One task runner for developers and CI (.ci/run calls `make venv` and `make test`).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
STAMP := $(VENV)/.installed
# The AsyncAPI parser that `make lint` checks docs/asyncapi.yaml with (pinned by its lock file).
ASYNCAPI := tools/asyncapi
ASYNCAPI_STAMP := $(ASYNCAPI)/node_modules/.installed
PORT ?= 8000
PYTEST_ARGS ?=
# pytest-xdist workers: one more than the cores, at most 4 (each has a Redis database of its
# own, config/test_workers.py): many tests wait on a browser, a server or storage, and a core
# would idle meanwhile. PYTEST_ARGS=-n0 (or PYTEST_WORKERS=0) runs the suite in one process.
PYTEST_WORKERS ?= $(shell python3 -c 'import os; print(min(4, (os.cpu_count() or 1) + 1))')

.PHONY: help venv run test lint bench

help:
	@echo "make venv    create $(VENV) (Python >= 3.12) and install the project with its dev tools"
	@echo "make run     migrate, collect static files, seed the demo, serve http://127.0.0.1:$(PORT)/"
	@echo "make test    run the test suite in parallel (PYTEST_ARGS='-k name' to select, -n0: one process)"
	@echo "make lint    ruff format --check, ruff check, the import contracts (lint-imports), the API schema"
	@echo "             and the AsyncAPI document of the readiness sockets (docs/asyncapi.yaml)"
	@echo "make bench   run every benchmark in bench/"

venv: $(STAMP)

# Re-installs only when pyproject.toml changed. Django 6 needs Python >= 3.12: the
# interpreter is pyenv's choice for .python-version if it is recent enough, else
# python3.13 or python3.12 on PATH, else python3; an existing venv on an older
# Python is replaced.
$(STAMP): pyproject.toml
	@ok() { "$$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; }; \
	if [[ -x $(VENV)/bin/python ]] && ! ok $(VENV)/bin/python; then \
		echo "$(VENV) uses $$($(VENV)/bin/python --version); recreating it"; rm -rf $(VENV); \
	fi; \
	if [[ ! -x $(VENV)/bin/python ]]; then \
		python=""; \
		for candidate in "$$(pyenv which python3 2>/dev/null || true)" \
				"$$(command -v python3.13 || true)" "$$(command -v python3.12 || true)" \
				"$$(command -v python3 || true)"; do \
			if [[ -n $$candidate ]] && ok "$$candidate"; then python=$$candidate; break; fi; \
		done; \
		if [[ -z $$python ]]; then \
			echo "error: Python >= 3.12 not found (Django 6 needs it). Install it, e.g." >&2; \
			echo "  pyenv install 3.13 (see .python-version), or Python 3.12+ from your distribution" >&2; \
			exit 1; \
		fi; \
		echo "creating $(VENV) with $$python ($$("$$python" --version))"; \
		"$$python" -m venv $(VENV); \
	fi
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

run: venv
	PORT=$(PORT) bin/run

# var/ holds the SQLite test database; a fresh clone has none.
test: venv
	@mkdir -p var
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --maxprocesses 4 $(PYTEST_ARGS)

# Re-installs only when the lock file changed; no install scripts (the parser needs none).
$(ASYNCAPI_STAMP): $(ASYNCAPI)/package-lock.json
	@command -v npm >/dev/null || { echo "error: npm not found: install Node.js (>= 18) and npm" >&2; exit 1; }
	cd $(ASYNCAPI) && npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

# The API schema is generated from the code, warnings are errors, and an independent
# validator reads it. A fresh clone has no settings: DEBUG=true stands for the secret key, and
# VAR_DIR is a throw-away directory so nothing is written into the checkout.
lint: venv $(ASYNCAPI_STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	DEBUG=true VAR_DIR="$$tmp" $(VENV)/bin/python manage.py spectacular \
		--file "$$tmp/schema.yaml" --validate --fail-on-warn; \
	$(VENV)/bin/openapi-spec-validator "$$tmp/schema.yaml"
	node $(ASYNCAPI)/check.mjs docs/asyncapi.yaml

bench: venv
	@shopt -s nullglob; scripts=(bench/*.py); \
	if (( $${#scripts[@]} == 0 )); then echo "no benchmark in bench/" >&2; exit 1; fi; \
	for script in "$${scripts[@]}"; do echo "== $$script"; $(VENV)/bin/python "$$script"; done
