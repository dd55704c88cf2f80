# Two entry points on a fresh machine: `make run` and `make test`; `make dist` builds the
# self-contained app (dist/corpusdesk/) and its tarball, and `make test` checks them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test
STAMP_DIST := $(VENV)/.installed-dist
export QT_QPA_PLATFORM_TEST ?= offscreen

.PHONY: run test lint typecheck unit dist dist-test screenshot bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(STAMP_RUN)

$(STAMP_DIST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,dist]'
	touch $@ $(STAMP_TEST) $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/corpusdesk

lint: $(STAMP_TEST)
	$(BIN)/ruff check corpusdesk tests benchmarks packaging
	$(BIN)/ruff format --check corpusdesk tests benchmarks packaging

typecheck: $(STAMP_TEST)
	$(BIN)/mypy

unit: $(STAMP_TEST)
	QT_QPA_PLATFORM=$(QT_QPA_PLATFORM_TEST) $(BIN)/python -m pytest --ignore=tests/dist

# The packaged app, built and then run from outside the source tree with a clean environment.
dist: $(STAMP_DIST)
	$(BIN)/python packaging/build_dist.py

dist-test: dist
	$(BIN)/python -m pytest tests/dist

test: lint typecheck unit dist-test

screenshot: $(STAMP_TEST)
	QT_QPA_PLATFORM=$(QT_QPA_PLATFORM_TEST) $(BIN)/python packaging/screenshot.py resources/screenshot.png

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
