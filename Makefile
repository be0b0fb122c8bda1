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

## make run: install, then run the portal's main job as far as it exists today.
run: install
	$(BIN)/portal datasets list
	$(BIN)/portal datasets show evacuation_space
	$(BIN)/portal localgov lookup 272248

## make test: install test dependencies, bring up CKAN, run everything.
test: install-test
	bash scripts/test.sh

lint: install-test
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
