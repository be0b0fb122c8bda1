# The two commands of the README: `make run` and `make test`.
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin

.PHONY: run test install install-test lint clean map bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall when pyproject.toml changes; the stamp files keep repeat runs fast.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --disable-pip-version-check -e . 2>&1 | { grep -v "is ignored:" || true; }
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q --disable-pip-version-check -e '.[test]' 2>&1 | { grep -v "is ignored:" || true; }
	touch $@

# JavaScript from npm (maps for the pages, axe-core for the accessibility tests), pinned by
# package-lock.json and bundled into portal/web/static: nothing is loaded from a CDN.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The maps' script and styles (Leaflet + markercluster, portal/web/js) bundled by esbuild into
# portal/web/static/map/, which the pages load from /static/map/. Built, not committed (the
# folder's .gitignore): every `make run` and `make test` rebuilds it when its sources change.
MAP_BUNDLE := portal/web/static/map/map.js
MAP_SOURCES := $(wildcard portal/web/js/*.js portal/web/js/*.css)
$(MAP_BUNDLE): $(MAP_SOURCES) $(NODE_STAMP)
	node_modules/.bin/esbuild portal/web/js/map.js --bundle --minify --format=iife \
	  --target=es2019 --outdir=portal/web/static/map --entry-names=[name] \
	  --asset-names=images/[name] --loader:.png=file --legal-comments=eof --log-level=warning
	cp node_modules/leaflet/LICENSE portal/web/static/map/LICENSE-leaflet.txt
	cp node_modules/leaflet.markercluster/MIT-LICENCE.txt portal/web/static/map/LICENSE-leaflet.markercluster.txt
map: $(MAP_BUNDLE)

install: $(VENV)/.installed $(NODE_STAMP) $(MAP_BUNDLE)
install-test: $(VENV)/.installed-test $(NODE_STAMP) $(MAP_BUNDLE)

## make run: install, build the demo catalogue from the bundled samples, serve the portal.
# The demo goes to the embedded catalogue unless PORTAL_CATALOGUE says otherwise; datasets
# that fail validation are published too, marked 要修正, as a city would see them.
export PORTAL_CATALOGUE ?= embedded
HOST ?= 127.0.0.1
PORT ?= 8000
# Two demo accounts of 焼津市 (222127), made or reset on every run; demo passwords, demo only.
DEMO_ORG ?= 222127
DEMO_EDITOR ?= demo-editor
DEMO_EDITOR_PASSWORD ?= demo-editor-pass
DEMO_APPROVER ?= demo-approver
DEMO_APPROVER_PASSWORD ?= demo-approver-pass
run: install
	$(BIN)/portal publish --allow-invalid pipelines/*.yaml
	@printf '%s\n' '$(DEMO_EDITOR_PASSWORD)' | $(BIN)/portal users add $(DEMO_EDITOR) --org $(DEMO_ORG) --role editor --display-name '焼津市 担当者（デモ）' --password-stdin --exist-ok
	@printf '%s\n' '$(DEMO_APPROVER_PASSWORD)' | $(BIN)/portal users add $(DEMO_APPROVER) --org $(DEMO_ORG) --role approver --display-name '焼津市 承認者（デモ）' --password-stdin --exist-ok
	@echo
	@echo "  sign in:  http://$(HOST):$(PORT)/login   (焼津市 $(DEMO_ORG); demo accounts, demo passwords: for trying the portal only)"
	@echo "            editor 担当者:   $(DEMO_EDITOR) / $(DEMO_EDITOR_PASSWORD)"
	@echo "            approver 承認者: $(DEMO_APPROVER) / $(DEMO_APPROVER_PASSWORD)"
	@echo "  portal:   http://$(HOST):$(PORT)/"
	@echo "  API:      http://$(HOST):$(PORT)/docs  (OpenAPI), http://$(HOST):$(PORT)/api/v1/datasets"
	@echo "  CKAN API: http://$(HOST):$(PORT)/api/3/action/package_list   WAPI: http://$(HOST):$(PORT)/wapi/api/list"
	@echo
	$(BIN)/portal serve --host $(HOST) --port $(PORT) --with-worker

## make test: install test dependencies, bring up CKAN, run everything.
test: install-test
	bash scripts/test.sh

## make bench: every benchmark of bench/ with CKAN and PostgreSQL up; writes bench/REPORT.md.
# BENCH_ARGS go to bench/report.py, e.g. make bench BENCH_ARGS="--only load,national".
bench: install-test
	bash scripts/bench.sh $(BENCH_ARGS)

lint: install-test
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
