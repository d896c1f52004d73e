"""Box plots of scale scores by group (groups below min_cell for a scale are not drawn)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from impleval.figures import OKABE_ITO, use_report_style
from impleval.privacy.suppress import visible_groups
from impleval.survey.plots.common import TEXT, decimal_comma


def scale_distributions(
    scores: pd.DataFrame,
    scales: list[str],
    scale_labels: dict,
    group_var: str,
    groups: list[str],
    group_labels: dict,
    min_cell: int,
    language: str,
):
    """Box plots of scale scores by group (groups below min_cell for that scale not drawn)."""
    use_report_style()
    import matplotlib.pyplot as plt

    ncol = 3
    nrow = int(np.ceil(len(scales) / ncol))
    fig, axes = plt.subplots(nrow, ncol, figsize=(10, 3 * nrow), sharey=True, squeeze=False)
    for ax, scale in zip(axes.ravel(), scales, strict=False):
        data = {g: scores.loc[scores[group_var] == g, scale].dropna().to_numpy() for g in groups}
        shown = visible_groups({g: len(v) for g, v in data.items()}, min_cell)
        bp = ax.boxplot(
            [data[g] for g in shown],
            patch_artist=True,
            widths=0.6,
            medianprops={"color": "black"},
            flierprops={"markersize": 2},
        )
        for patch, g in zip(bp["boxes"], shown, strict=True):
            patch.set_facecolor(OKABE_ITO[groups.index(g) % 8])
            patch.set_alpha(0.8)
        ax.set_xticks(
            range(1, len(shown) + 1),
            [group_labels.get(g, g) for g in shown],
            rotation=30,
            ha="right",
            fontsize=8,
        )
        ax.set_title(scale_labels.get(scale, scale), fontsize=9)
        decimal_comma(ax.yaxis, language)
    for ax in axes.ravel()[len(scales) :]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel(TEXT[language]["score"])
    fig.tight_layout()
    return fig
