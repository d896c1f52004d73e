"""Odds ratios of the proportional-odds models per item: unadjusted and adjusted, per region."""

from __future__ import annotations

import numpy as np
import pandas as pd

from impleval.figures import OKABE_ITO, use_report_style
from impleval.survey.plots.common import TEXT


def odds_ratios(
    ordinal: pd.DataFrame,
    items: list[str],
    group_var: str,
    reference: str,
    groups: list[str],
    group_labels: dict,
    language: str,
):
    """Region odds ratios per item, unadjusted vs adjusted for profession, one panel per region."""
    use_report_style()
    import matplotlib.pyplot as plt

    t = TEXT[language]
    rows = ordinal[(ordinal["variable"] == group_var) & ordinal["level"].isin(groups)]
    order = [i for i in items if i in set(rows["outcome"])]
    fig, axes = plt.subplots(
        1,
        max(1, len(groups)),
        figsize=(3.2 * max(1, len(groups)), 0.22 * len(order) + 1.5),
        sharey=True,
        squeeze=False,
    )
    for ax, group in zip(axes[0], groups, strict=False):
        for model, colour, shift in [
            ("unadjusted", OKABE_ITO[1], 0.15),
            ("adjusted", OKABE_ITO[0], -0.15),
        ]:
            g = (
                rows[(rows["level"] == group) & (rows["model"] == model)]
                .set_index("outcome")
                .reindex(order)
            )
            pos = -np.arange(len(order)) + shift
            ax.errorbar(
                g["odds_ratio"],
                pos,
                xerr=[g["odds_ratio"] - g["ci_low"], g["ci_high"] - g["odds_ratio"]],
                fmt="o" if model == "adjusted" else "s",
                ms=3,
                color=colour,
                elinewidth=0.9,
                label=t[model],
            )
        ax.axvline(1, color="black", linewidth=0.8)
        ax.set_xscale("log")
        ticks = [0.125, 0.25, 0.5, 1, 2, 4, 8]
        low, high = ax.get_xlim()
        ax.set_xticks([v for v in ticks if low <= v <= high], minor=False)
        ax.set_xticks([], minor=True)
        ax.xaxis.set_major_formatter(
            lambda v, _: f"{v:g}".replace(".", "," if language == "nb" else ".")
        )
        ax.set_title(group_labels.get(group, group), fontsize=9)
        ax.set_xlabel(t["or"].format(ref=group_labels.get(reference, reference)), fontsize=8)
    axes[0][0].set_yticks(-np.arange(len(order)), order, fontsize=7)
    axes[0][0].legend(frameon=False, fontsize=7, loc="lower left")
    fig.tight_layout()
    return fig
