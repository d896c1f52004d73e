"""Monitoring import: aggregates and milestones → canonical tables, every problem at once."""
