# Kedja: `make demo` builds the demo region and serves it; `make test` runs the whole suite.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DB     ?= kedja-demo.db
VENDOR := src/kedja/web/static/vendor

.PHONY: demo test lint bench setup setup-dev assets clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

setup: $(VENV)/.installed
setup-dev: $(VENV)/.installed-dev

# Front-end assets (htmx, Vega, Vega-Lite, vega-embed; axe-core for the tests) come from the npm
# registry by the versions in package-lock.json; the app serves copies from $(VENDOR).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(VENDOR)/.copied: node_modules/.package-lock.json $(VENV)/.installed
	$(BIN)/python -c "from pathlib import Path; from kedja.web.assets import copy_vendor_files; copy_vendor_files(Path('node_modules'))"
	touch $@

assets: $(VENDOR)/.copied

demo: setup assets
	$(BIN)/kedja demo --db $(DB)

test: setup-dev assets
	$(BIN)/python -m pytest -q

lint: setup-dev
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: setup-dev
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) *.db *.db-wal *.db-shm .pytest_cache node_modules $(VENDOR) test-results
