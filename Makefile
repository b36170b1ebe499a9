# Two commands for a newcomer: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test build install install-test js-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## build the graph (into $$MSCKG_DATA_DIR, default ~/.local/share/msckg) and print its stats
build: install
	$(BIN)/msckg build
	$(BIN)/msckg stats

## build, then serve it at http://127.0.0.1:8000 (Ctrl-C stops)
run: build
	$(BIN)/msckg serve

## run the whole test suite (npm packages for the cytoscape.js round trip, when npm is here)
test: install-test js-deps
	$(BIN)/python -m pytest

js-deps:
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/js --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the cytoscape.js export test will be skipped"; fi

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
