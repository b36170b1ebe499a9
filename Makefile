# Two commands for a newcomer: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint build install install-test renderer editor install-ecosystem js-deps clean bench release

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[mcp]'
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,mcp]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed renderer editor
install-test: $(VENV)/.installed-test renderer editor

## the npm packages that draw SVG/PNG exports where Graphviz's dot is missing (Node.js needed)
RENDERER := graph/exports/renderer
renderer: $(RENDERER)/node_modules/.installed
$(RENDERER)/node_modules/.installed: $(RENDERER)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix $(RENDERER) --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: svg and png exports need Graphviz (apt-get install graphviz)"; fi

## YASGUI (npm @zazuko/yasgui, pinned by the lock file) for the page's SPARQL editor: its built
## files are copied into the package's static folder, from where the server serves them (Node.js needed;
## no install scripts run, since only the prebuilt bundle is used)
EDITOR := service/editor
EDITOR_VENDOR := service/static/vendor
editor: $(EDITOR_VENDOR)/yasgui.min.js
$(EDITOR_VENDOR)/yasgui.min.js: $(EDITOR)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix $(EDITOR) --ignore-scripts --no-audit --no-fund --loglevel=error && mkdir -p $(EDITOR_VENDOR) && \
	  cp $(EDITOR)/node_modules/@zazuko/yasgui/build/yasgui.min.css $(EDITOR)/node_modules/@zazuko/yasgui/build/yasgui.min.js $(EDITOR_VENDOR)/; \
	else echo "npm not found: the page's SPARQL editor (YASGUI) needs Node.js and npm (apt-get install nodejs npm), then make install"; fi

## build the graph (into $$MSCKG_DATA_DIR, default ~/.local/share/msckg) and print its stats
build: install
	$(BIN)/msckg build
	$(BIN)/msckg stats

## build, then serve it at http://127.0.0.1:8000 (Ctrl-C stops)
run: build
	$(BIN)/msckg serve

## lint, then run the whole test suite (npm packages for the cytoscape.js round trip and the axe-core
## accessibility check, when npm is here)
test: lint js-deps install-ecosystem
	$(BIN)/python -m pytest

# mypy must see the folders as the msckg.* package they are installed as (pyproject's
# package-dir), so it reads them through a tree of links; its messages name the real files.
LINT_TREE := $(VENV)/lint-tree
## ruff (lint and format) over everything, mypy (strict, see pyproject) over the package
lint: install-test
	$(BIN)/ruff check --quiet .
	$(BIN)/ruff format --check --quiet .
	@mkdir -p $(LINT_TREE)/msckg
	@for dir in graph ontology service queries; do ln -sfn "$(CURDIR)/$$dir" $(LINT_TREE)/msckg/$$dir; done
	@ln -sf "$(CURDIR)/msckg/__init__.py" $(LINT_TREE)/msckg/__init__.py
	@MYPYPATH=$(LINT_TREE) $(BIN)/mypy -p msckg > $(VENV)/mypy.out; status=$$?; \
	  sed 's#^$(LINT_TREE)/msckg/\(graph\|ontology\|service\|queries\)/#\1/#; s#^$(LINT_TREE)/msckg/#msckg/#' $(VENV)/mypy.out; \
	  exit $$status

## the ecosystem validators (kgx, bmt, sssom, nanopub: pyproject's `ecosystem` extra) in a venv
## of their own, since they pin their own numpy, pandas and rdflib plugins; the tests run them
ECO_VENV ?= .venv-eco
$(ECO_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(ECO_VENV)
	$(ECO_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(ECO_VENV)/bin/python -m pip install --quiet -e '.[ecosystem]'
	touch $@
install-ecosystem: $(ECO_VENV)/.installed

js-deps:
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/js --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the cytoscape.js export test and the axe-core checks will be skipped"; fi

## the README's picture of the page's overview (docs/overview.png), taken by the browser test in
## headless Chromium over the shipped graph
screenshot: install-test
	MSCKG_SCREENSHOTS=docs $(BIN)/python -m pytest -q -p no:randomly tests/service/test_browser_workbench.py -k overview_draws

## benchmark msckg against the Oxigraph server and rdflib-endpoint (not part of `make test`;
## about 15 minutes with 1m): results in bench/out/, summarised by hand in bench/RESULTS.md
BENCH_SIZES ?= 10k,100k,1m
bench/.venv/.installed: bench/requirements.txt
	$(PYTHON) -m venv bench/.venv
	bench/.venv/bin/python -m pip install --quiet -r bench/requirements.txt
	touch $@

bench: install bench/.venv/.installed
	$(BIN)/python bench/run.py --sizes $(BENCH_SIZES)
	$(BIN)/python bench/loadtest.py --size 100k --clients 16 --seconds 60 --hostile-every 10
	$(BIN)/python bench/editorial.py --runs 3
	$(BIN)/python bench/report.py > bench/out/tables.md

## a release: make release VERSION=x.y.z [RELEASE_DIR=release] [CURATION=dir]; refuses on a QC
## ERROR (exit 1, naming the row), else writes $(RELEASE_DIR)/x.y.z/ (see README, Releases)
RELEASE_DIR ?= release
release: install
	@test -n "$(VERSION)" || { echo "usage: make release VERSION=x.y.z" >&2; exit 2; }
	$(BIN)/msckg release $(VERSION) --out $(RELEASE_DIR) $(if $(CURATION),--curation $(CURATION))

clean:
	rm -rf $(VENV) $(ECO_VENV) build dist *.egg-info .pytest_cache
