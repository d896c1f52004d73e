"""Shared pieces of the monitoring figures: site markers and a lazily imported pyplot."""

from __future__ import annotations

MARKERS = ["o", "s", "D", "^", "v", "P", "X", "*"]


def pyplot():
    """matplotlib.pyplot, imported when a figure is drawn (not when the module is)."""
    import matplotlib.pyplot as plt

    return plt
