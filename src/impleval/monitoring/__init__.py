"""Post-implementation monitoring: interrupted time series per site with staggered go-live.

Modules: `io` (import and validate aggregates and milestones), `design` (segmented-regression
design matrix), `models` (per-site and pooled fits, estimates, diagnostics, cross-check),
`precision` (how long to keep monitoring), `timeline` (milestones for the timeline figure),
`values` (numbers quoted in the report), `plots` (figures).
"""
