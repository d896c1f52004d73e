"""Survey branch (docs/architecture.md): `io/` (export → canonical tables), `stats/` (statistics),
`plots/` (figures), `settings.py` (study definitions), `values.py` (report values), `steps.py`
(one function per rule). Canonical tables: docs/data/survey.md."""
