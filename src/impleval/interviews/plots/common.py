"""Shared drawing helpers for the interview figures: an annotated share heatmap with suppression."""

from __future__ import annotations

import numpy as np

from impleval.figures import FONT_SMALL, NOT_RELEVANT_GREY

CMAP = "cividis"  # sequential and readable with colour-vision deficiencies and in greyscale
SUPPRESSED_FACE = "#D9D9D9"


def text_colour(value: float, vmin: float, vmax: float) -> str:
    """Black on the light end of cividis, white on the dark end."""
    frac = (value - vmin) / (vmax - vmin) if vmax > vmin else 0.0
    return "black" if frac > 0.55 else "white"


def annotated_heatmap(
    ax,
    values: np.ndarray,
    suppressed: np.ndarray,
    *,
    row_labels,
    col_labels,
    texts,
    vmin: float = 0.0,
    vmax: float = 1.0,
    suppressed_text: str = "",
    colorbar_label: str = "",
    fig=None,
    fontsize: float = FONT_SMALL,
    col_rotation: float = 30,
):
    """Draw `values` (NaN = empty) with `texts` in cells; suppressed cells hatched grey."""
    masked = np.ma.masked_invalid(np.where(suppressed, np.nan, values))
    im = ax.imshow(masked, cmap=CMAP, vmin=vmin, vmax=vmax, aspect="auto")
    n_rows, n_cols = values.shape
    for i in range(n_rows):
        for j in range(n_cols):
            if suppressed[i, j]:
                ax.add_patch(_hatched(ax, j, i))
                ax.text(
                    j,
                    i,
                    suppressed_text,
                    ha="center",
                    va="center",
                    fontsize=fontsize,
                    color="black",
                )
            elif np.isfinite(values[i, j]):
                ax.text(
                    j,
                    i,
                    texts[i][j],
                    ha="center",
                    va="center",
                    fontsize=fontsize,
                    color=text_colour(values[i, j], vmin, vmax),
                )
    ax.set_xticks(
        range(n_cols),
        col_labels,
        rotation=col_rotation,
        ha="right" if col_rotation else "center",
        rotation_mode="anchor",
    )
    ax.set_yticks(range(n_rows), row_labels)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    if fig is not None:
        cbar = fig.colorbar(im, ax=ax, fraction=0.05, pad=0.03, shrink=0.9)
        cbar.set_label(colorbar_label)
    return im


def _hatched(ax, x, y):
    from matplotlib.patches import Rectangle

    return Rectangle(
        (x - 0.5, y - 0.5),
        1,
        1,
        facecolor=SUPPRESSED_FACE,
        edgecolor=NOT_RELEVANT_GREY,
        hatch="///",
        linewidth=0,
    )
