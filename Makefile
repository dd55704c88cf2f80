# Two entry points on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test
export QT_QPA_PLATFORM_TEST ?= offscreen

.PHONY: run test lint typecheck unit screenshot bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/corpusdesk

lint: $(STAMP_TEST)
	$(BIN)/ruff check corpusdesk tests benchmarks packaging
	$(BIN)/ruff format --check corpusdesk tests benchmarks packaging

typecheck: $(STAMP_TEST)
	$(BIN)/mypy

unit: $(STAMP_TEST)
	QT_QPA_PLATFORM=$(QT_QPA_PLATFORM_TEST) $(BIN)/python -m pytest

test: lint typecheck unit

screenshot: $(STAMP_TEST)
	QT_QPA_PLATFORM=$(QT_QPA_PLATFORM_TEST) $(BIN)/python packaging/screenshot.py resources/screenshot.png

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
