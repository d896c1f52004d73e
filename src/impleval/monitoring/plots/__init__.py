"""Monitoring figures, one module per figure; `figures.monitoring_figures` assembles them."""
