"""Shared pieces of the monitoring figures: site markers and a lazily imported pyplot."""

from __future__ import annotations

MARKERS = ["o", "s", "D", "^", "v", "P", "X", "*"]


def pyplot():
    """matplotlib.pyplot, imported when a figure is drawn (not when the module is)."""
    import matplotlib.pyplot as plt

    return plt


NOTHING = {
    "nb": "Ingen estimater: ingen sted har en modellert oppstart ennå.",
    "en": "No estimates: no site has a modelled go-live yet.",
}


def empty_figure(language: str):
    """A small figure saying there is nothing to draw (no site with a modelled go-live), with the
    same sentence as its alt text: the plot job writes every declared figure."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 1.2))
    ax.axis("off")
    ax.text(0.5, 0.5, NOTHING[language], ha="center", va="center", fontsize=10)
    return fig, NOTHING[language]
