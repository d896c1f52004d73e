"""Forest plot of the pairwise effect sizes of each region against the reference region."""

from __future__ import annotations

import numpy as np
import pandas as pd

from impleval.figures import OKABE_ITO, use_report_style
from impleval.survey.plots.common import TEXT, decimal_comma


def forest(
    pairwise: pd.DataFrame,
    outcomes: list[str],
    outcome_labels: dict,
    group_var: str,
    reference: str,
    groups: list[str],
    group_labels: dict,
    language: str,
):
    """Effect sizes of each region vs the reference with CIs: scales (Hedges g), items (Cliff's δ).

    Drawn as region minus reference (positive: the region answers higher), the direction of the
    odds-ratio figure; survey_pairwise.csv holds group_a (the reference) minus group_b, so the
    estimate is negated and the interval ends swapped."""
    use_report_style()
    import matplotlib.pyplot as plt

    t = TEXT[language]
    rows = pairwise[
        (pairwise["group_var"] == group_var)
        & (pairwise["group_a"] == reference)
        & pairwise["group_b"].isin(groups)
    ].copy()
    rows["effect_size"], rows["es_ci_low"], rows["es_ci_high"] = (
        -rows["effect_size"],
        -rows["es_ci_high"],
        -rows["es_ci_low"],
    )
    panels = [("scale", t["g"]), ("item", t["delta"])]
    heights = [max(1, rows[rows["outcome_type"] == k]["outcome"].nunique()) for k, _ in panels]
    fig, axes = plt.subplots(1, 2, figsize=(10, 0.28 * max(heights) + 1.5))
    for ax, (kind, xlabel) in zip(axes, panels, strict=True):
        sub = rows[rows["outcome_type"] == kind]
        order = [o for o in outcomes if o in set(sub["outcome"])]
        for j, group in enumerate(groups):
            g = sub[sub["group_b"] == group].set_index("outcome").reindex(order)
            pos = -np.arange(len(order)) + ((len(groups) - 1) / 2 - j) * 0.2  # first group on top
            ax.errorbar(
                g["effect_size"],
                pos,
                xerr=[g["effect_size"] - g["es_ci_low"], g["es_ci_high"] - g["effect_size"]],
                fmt="o",
                ms=3.5,
                color=OKABE_ITO[j % 8],
                elinewidth=1,
                capsize=0,
                label=group_labels.get(group, group),
            )
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_yticks(-np.arange(len(order)), [outcome_labels.get(o, o) for o in order], fontsize=8)
        ax.set_xlabel(xlabel.format(ref=group_labels.get(reference, reference)))
        decimal_comma(ax.xaxis, language)
    axes[0].legend(frameon=False, fontsize=8, loc="best")
    fig.tight_layout()
    return fig
