# Set-up and the everyday commands (README.md). On a fresh machine with Python 3.11:
#   make report   → .venv with pinned dependencies, then the whole pipeline → the HTML report
#   make test     → the test suite in the same environment
# Every target runs inside .venv without activating it; to type `snakemake …` yourself, run
# `source .venv/bin/activate` once per shell. `make report CORES=2` uses two cores (default 4).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.impleval-installed
CORES ?= 4
# Snakemake runs notebook jobs with the `papermill` (and --edit-notebook with the `jupyter`) found
# on PATH: make it the venv's, as `source .venv/bin/activate` does.
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: venv report notebooks test lint benchmark validate demo-data snakemake-report clean recover

# The lock is the whole environment (scripts/dev/lock_dependencies.py), so pip installs exactly
# it and resolves nothing again (--no-deps); tests/unit/test_environment.py runs `pip check`.
$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

# The environment alone (then `source .venv/bin/activate`).
venv: $(STAMP)

# The whole pipeline; notebooks are synced first, so an edit of either file of a pair runs.
report: $(STAMP) notebooks
	$(BIN)/snakemake --cores $(CORES)
	@echo "Report: $$(ls -t results/report/*.html | head -n 1)"

# Each researcher's notebook X.py.ipynb is paired with X.py (notebooks/jupytext.toml): after
# editing either, this brings the other up to date (the newer file wins).
notebooks: $(STAMP)
	$(BIN)/jupytext --sync notebooks/*.py

test: $(STAMP)
	$(BIN)/pytest

# The same four checks run in the test suite (tests/unit/test_workflow_static.py), so CI runs them.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/snakemake --lint
	$(BIN)/snakefmt --check Snakefile workflow/rules/

benchmark: $(STAMP)
	$(BIN)/python benchmarks/run_benchmarks.py --config tests/studies/screening/config.yaml

# The calibration study of the decision rules (issue 15): simulated studies with planted nulls and
# effects through the pipeline's statistics → validation/RESULTS.md. 2 worker processes
# (VALIDATION_JOBS); the reduced version runs in the test suite (tests/unit/test_validation.py).
validate: $(STAMP)
	$(BIN)/python -m validation

demo-data: $(STAMP)
	$(BIN)/python -m impleval.demo

snakemake-report: $(STAMP)
	$(BIN)/snakemake --report results/snakemake-report.html

# After an interrupted run (killed, power loss): remove the stale lock, then rerun the jobs whose
# outputs were left incomplete and everything after them. Only when no other Snakemake runs here.
recover:
	$(BIN)/snakemake --unlock
	$(BIN)/snakemake --cores $(CORES) --rerun-incomplete

clean:
	rm -rf results logs .snakemake
