"""Interview branch (docs/architecture.md): `io/` (QDA exports → canonical tables), `stats/`
(statistics), `plots/` (figures), `settings.py` (study definitions), `values.py` (report values),
`steps.py` (one function per rule). Canonical tables: docs/data/interviews.md."""
