"""Monitoring branch (docs/architecture.md): interrupted time series per site with staggered
go-live. `io/` (aggregates and milestones → canonical tables), `stats/` (design, models,
precision, timeline data; `analyse` runs them), `plots/` (figures), `settings.py` (study
definition), `values.py` (report values), `steps.py` (one function per rule)."""
