"""Interview branch: importers for QDA exports (MAXQDA, QualCoder, REFI-QDA), the canonical
segment table (canonical.py, prepare.py) and the statistics on it (stats_*.py, agreement.py,
quotes.py, plots_*.py). Canonical tables: docs/data/interviews.md."""
