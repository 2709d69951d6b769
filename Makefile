# Two commands do all the set-up on a fresh Debian machine with Python 3.11:
#   make demo   set up, then screen a sample dossier and print its report
#   make test   set up, then the whole test suite (ruff, mypy --strict, pytest)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := samples/organization-complete

.PHONY: setup system demo test lint pytest docs samples bench eval-real bench-batch batch-demo serve clean

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

# Includes tests/test_browser.py (Playwright on the chromium of system-deps); it starts and stops its own
# redis-server, `intake worker` and `intake serve` on loopback, as tests/test_api.py does.
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

# Issue 13: the gate at scale.
#   make batch-demo   screen every sample with `intake batch` (twice: the second run skips them all)
#   make serve        the API on 127.0.0.1:8000 with one queue worker and a throwaway Redis (Ctrl-C stops all)
#   make bench-batch  the batch and queue benchmark (starts its own Redis)
SAMPLE_TRUST := --trust samples/trust/intake-test-root.pem --crl samples/trust/intake-test-ca.crl --crl samples/trust/intake-test-root.crl --at 2026-11-20T12:00:00+05:00

batch-demo: setup
	$(BIN)/intake batch samples/ --out intake-reports $(SAMPLE_TRUST); test $$? -ne 2
	$(BIN)/intake batch samples/ --out intake-reports $(SAMPLE_TRUST); test $$? -ne 2

serve: setup
	./scripts/with-redis.sh sh -c '$(BIN)/intake worker --processes 1 & worker=$$!; trap "kill $$worker" EXIT; $(BIN)/intake serve'

bench-batch: setup
	$(BIN)/python bench/bench_batch.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
