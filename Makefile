# Two commands do all the set-up on a fresh Debian machine with Python 3.11:
#   make demo   set up, then screen a sample dossier and print its report
#   make test   set up, then the whole test suite (ruff, mypy --strict, pytest)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := samples/organization-complete

.PHONY: setup system demo test lint pytest docs samples bench eval-real clean

setup: system $(STAMP)

system:
	@PYTHON=$(PYTHON) ./scripts/system-deps.sh

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

demo: setup
	$(BIN)/intake check $(DEMO) $$($(BIN)/python -c "import json,sys; print(' '.join(json.load(open('$(DEMO)/expected.json'))['args']))")

test: setup lint pytest

lint:
	$(BIN)/ruff check intake tests samplegen bench
	$(BIN)/ruff format --check intake tests samplegen bench
	$(BIN)/mypy

pytest:
	$(BIN)/python -m pytest -q

docs: setup
	$(BIN)/python -m intake.docs

samples: setup
	$(BIN)/python -m samplegen

bench: setup
	$(BIN)/python bench/run.py

# Details (27.5) and scan flags (27.3) on the real-document set in ../shared/real-docs (absent: says so, exits 0).
eval-real: setup
	$(BIN)/python bench/real_docs.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
