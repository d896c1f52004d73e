# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make report   → .venv with pinned dependencies, then the whole pipeline → the HTML report
#   make test     → the test suite in the same environment
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.impleval-installed
CORES ?= 4
REPORT := results/report/impleval-report.html
# Snakemake runs `script:` and `notebook:` jobs with the first python on PATH: make it the venv's.
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: report test lint benchmark validate demo-data snakemake-report clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

report: $(STAMP)
	$(BIN)/snakemake --cores $(CORES)
	@echo "Report: $(REPORT)"

test: $(STAMP)
	$(BIN)/pytest

# The same four checks run in the test suite (tests/unit/test_workflow_static.py), so CI runs them.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/snakemake --lint
	$(BIN)/snakefmt --check Snakefile workflow/rules/

benchmark: $(STAMP)
	$(BIN)/python benchmarks/run_benchmarks.py

# The calibration study of the decision rules (issue 15): simulated studies with planted nulls and
# effects through the pipeline's statistics → validation/RESULTS.md. 2 worker processes
# (VALIDATION_JOBS); the reduced version runs in the test suite (tests/unit/test_validation.py).
validate: $(STAMP)
	$(BIN)/python -m validation

demo-data: $(STAMP)
	$(BIN)/python -m impleval.demo

snakemake-report: $(STAMP)
	$(BIN)/snakemake --report results/snakemake-report.html

clean:
	rm -rf results logs .snakemake
