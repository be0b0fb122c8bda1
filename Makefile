# The two commands of the README: `make run` and `make test`.
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin

.PHONY: run test install install-test lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall when pyproject.toml changes; the stamp files keep repeat runs fast.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --disable-pip-version-check -e . 2>&1 | { grep -v "is ignored:" || true; }
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q --disable-pip-version-check -e '.[test]' 2>&1 | { grep -v "is ignored:" || true; }
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## make run: install, build the demo catalogue from the bundled samples, serve the portal.
# The demo goes to the embedded catalogue unless PORTAL_CATALOGUE says otherwise; datasets
# that fail validation are published too, marked 要修正, as a city would see them.
export PORTAL_CATALOGUE ?= embedded
HOST ?= 127.0.0.1
PORT ?= 8000
run: install
	$(BIN)/portal publish --allow-invalid pipelines/*.yaml
	@echo
	@echo "  portal:   http://$(HOST):$(PORT)/"
	@echo "  API:      http://$(HOST):$(PORT)/docs  (OpenAPI), http://$(HOST):$(PORT)/api/v1/datasets"
	@echo "  CKAN API: http://$(HOST):$(PORT)/api/3/action/package_list   WAPI: http://$(HOST):$(PORT)/wapi/api/list"
	@echo
	$(BIN)/portal serve --host $(HOST) --port $(PORT)

## make test: install test dependencies, bring up CKAN, run everything.
test: install-test
	bash scripts/test.sh

lint: install-test
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
