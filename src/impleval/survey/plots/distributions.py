"""Box plots of scale scores by group (groups below min_cell for a scale are not drawn):
horizontal boxes, one small panel per scale, two panels a row."""

from __future__ import annotations

import numpy as np
import pandas as pd

from impleval.figures import OKABE_ITO, WIDTH_IN, shorten, use_report_style
from impleval.privacy.suppress import visible_groups
from impleval.survey.plots.common import TEXT
from impleval.survey.settings import group_column

NCOL = 2


def scale_distributions(
    scores: pd.DataFrame,
    scales: list[str],
    scale_labels: dict,
    group_var: str,
    groups: list[str],
    group_labels: dict,
    min_cell: int,
    language: str,
    score_range: dict[str, tuple[float, float]] | None = None,
):
    """Box plots of scale scores by group (groups below min_cell for that scale not drawn).

    `score_range`: scale → (lowest, highest) possible score, for the axis and its label."""
    use_report_style()
    import matplotlib.pyplot as plt

    from impleval import fmt

    score_range = score_range or {}
    ncol = min(NCOL, max(1, len(scales)))
    nrow = int(np.ceil(len(scales) / ncol)) or 1
    panel_h = 0.3 * len(groups) + 1.0
    fig, axes = plt.subplots(
        nrow,
        ncol,
        figsize=(WIDTH_IN, panel_h * nrow + 0.3),
        sharey=True,
        squeeze=False,
        layout="constrained",
    )
    positions = {g: len(groups) - i for i, g in enumerate(groups)}  # first group on top
    drawn: set[str] = set()
    group = scores[group_column(group_var)]  # `group__<name>`: a scale may share the name
    for ax, scale in zip(axes.ravel(), scales, strict=False):
        data = {g: scores.loc[group == g, scale].dropna().to_numpy() for g in groups}
        shown = visible_groups({g: len(v) for g, v in data.items()}, min_cell)
        shown = [g for g in groups if g in shown]
        drawn.update(shown)
        if shown:
            bp = ax.boxplot(
                [data[g] for g in shown],
                positions=[positions[g] for g in shown],
                orientation="horizontal",
                patch_artist=True,
                widths=0.6,
                medianprops={"color": "black", "linewidth": 1.5},
                whiskerprops={"linewidth": 1.0},
                capprops={"linewidth": 1.0},
                flierprops={"markersize": 3, "markeredgewidth": 0.8},
            )
            for patch, g in zip(bp["boxes"], shown, strict=True):
                patch.set_facecolor(OKABE_ITO[groups.index(g) % len(OKABE_ITO)])
                patch.set_alpha(0.85)
        low, high = score_range.get(scale, (np.nan, np.nan))
        if not (np.isfinite(low) and np.isfinite(high)):
            values = scores[scale].dropna()
            low, high = (float(values.min()), float(values.max())) if len(values) else (0, 1)
        pad = 0.05 * (high - low or 1)
        ax.set_xlim(low - pad, high + pad)
        ax.set_title(shorten(scale_labels.get(scale, scale), 44), loc="left")
        ax.set_xlabel(
            TEXT[language]["score"].format(
                low=fmt.number(low, 0 if float(low).is_integer() else 1, language),
                high=fmt.number(high, 0 if float(high).is_integer() else 1, language),
            )
        )
        ax.grid(axis="x", color="#E5E5E5", lw=0.8)
        ax.set_axisbelow(True)
    for ax in axes.ravel()[len(scales) :]:
        ax.set_visible(False)
    named = [g for g in groups if g in drawn]  # a group drawn in no panel is not named
    axes[0, 0].set_yticks(
        [positions[g] for g in named], [shorten(group_labels.get(g, g), 30) for g in named]
    )
    axes[0, 0].set_ylim(0.4, len(groups) + 0.6)
    return fig
