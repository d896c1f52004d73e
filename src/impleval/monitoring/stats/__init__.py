"""Monitoring statistics: segmented-regression design, per-site and pooled models, precision;
`analyse.analyse` runs them all."""
