"""Saving figures: SVG + PNG + a JSON sidecar with caption and alt text, deterministically.

Matplotlib is imported lazily by the callers' plotting modules; importing this module costs only
what `savefig` needs.
"""

from __future__ import annotations

import os
from pathlib import Path

from impleval.outputs import atomic_path, write_json

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
OKABE_ITO = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
]
# Diverging pair for Likert bars (disagree ↔ agree), also colour-blind safe.
DIVERGING_5 = ["#B2182B", "#EF8A62", "#D9D9D9", "#67A9CF", "#2166AC"]
NOT_RELEVANT_GREY = "#8C8C8C"


def use_report_style() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "svg.hashsalt": "impleval",  # stable SVG ids → identical files run to run
            "svg.fonttype": "path",
            "figure.dpi": 100,
            "savefig.dpi": 150,
            "savefig.bbox": "tight",
            "font.size": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.prop_cycle": matplotlib.cycler(color=OKABE_ITO),
        }
    )


def save_figure(
    fig,
    svg: str | os.PathLike,
    png: str | os.PathLike,
    meta: str | os.PathLike,
    *,
    caption: str,
    alt: str,
) -> None:
    """Write one figure as SVG and PNG plus a JSON sidecar beside them: caption, alt text, and
    the smallest font size used and the PNG's dpi (so a check can compute how large the
    smallest text appears at the width the report shows the image)."""
    import matplotlib.pyplot as plt

    if not caption.strip() or not alt.strip():
        raise ValueError(f"figure {Path(svg).name} needs both a caption and alt text")
    with atomic_path(svg) as tmp:
        fig.savefig(tmp, format="svg", metadata={"Date": None, "Creator": None})
    dpi = float(plt.rcParams["savefig.dpi"]) if plt.rcParams["savefig.dpi"] != "figure" else fig.dpi
    with atomic_path(png) as tmp:
        fig.savefig(tmp, format="png", metadata={"Software": None}, dpi=dpi)
    facts = {
        "caption": caption,
        "alt": alt,
        "svg": Path(svg).name,
        "png": Path(png).name,
        "min_font_pt": min_font_size(fig),
        "dpi": dpi,
    }
    write_json(facts, meta)
    plt.close(fig)


def min_font_size(fig) -> float | None:
    """Smallest font size (pt) of any visible, non-empty text in the figure."""
    from matplotlib.text import Text

    sizes = [
        t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()
    ]
    return float(min(sizes)) if sizes else None


def save_named(fig, output, name: str, *, caption: str, alt: str) -> None:
    """Save figure `name` to the rule's named outputs `<name>_svg`, `<name>_png`, `<name>_json`
    (the names `figure_paths()` in workflow/rules/common.smk gives them)."""
    save_figure(
        fig,
        output[f"{name}_svg"],
        output[f"{name}_png"],
        output[f"{name}_json"],
        caption=caption,
        alt=alt,
    )
