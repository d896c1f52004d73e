"""How long to keep monitoring: minimal detectable slope change by weeks after go-live."""

from __future__ import annotations

import pandas as pd

from impleval.config import label
from impleval.figures import OKABE_ITO
from impleval.monitoring.plots.common import empty_figure, pyplot


def precision_figure(precision: pd.DataFrame, definition: dict, site_labels: dict, language: str):
    """Minimal detectable slope change against post-go-live weeks; one panel per outcome."""
    plt = pyplot()
    lab = definition["labels"]
    outcomes = [o for o in definition["outcomes"] if o in set(precision["outcome"])]
    if not outcomes:
        return empty_figure(language)
    fig, axes = plt.subplots(1, len(outcomes), figsize=(5.2 * len(outcomes), 4.2), squeeze=False)
    sites = list(dict.fromkeys(precision["site"]))
    for j, outcome in enumerate(outcomes):
        ax = axes[0, j]
        for k, site in enumerate(sites):
            d = precision[(precision["site"] == site) & (precision["outcome"] == outcome)]
            if d.empty:
                continue
            colour, ls = OKABE_ITO[k % len(OKABE_ITO)], ["-", "--", ":"][k // len(OKABE_ITO) % 3]
            ax.plot(
                d["post_weeks"],
                d["min_detectable_slope"],
                ls,
                color=colour,
                lw=1.3,
                label=site_labels[site],
            )
            now = d[d["observed"].astype(bool)]
            if len(now):
                ax.plot(
                    now["post_weeks"].iloc[-1],
                    now["min_detectable_slope"].iloc[-1],
                    "o",
                    color=colour,
                    ms=5,
                )
        target = definition["outcomes"][outcome]["target_slope_change"]
        ax.axhline(target, color="black", lw=0.9, ls="-.")
        ax.set_yscale("log")
        ax.set_xlabel(label(lab, "post_weeks", language))
        ax.set_ylabel(label(lab, "min_detectable", language), fontsize=9)
        ax.set_title(
            label({"l": definition["outcomes"][outcome]["label"]}, "l", language),
            loc="left",
            fontsize=10,
        )
    axes[0, -1].legend(fontsize=7, frameon=False, loc="upper right")
    fig.tight_layout()
    alt = {
        "nb": (
            f"Linjediagram med logaritmisk y-akse: for hvert av {len(sites)} sykehus faller den "
            "minste påvisbare "
            "endringen i stigningstall jo flere uker etter oppstart som er fulgt. Et punkt "
            "markerer dagens "
            "antall uker, og en vannrett linje viser målet."
        ),
        "en": (
            f"Line chart with a logarithmic y axis: for each of {len(sites)} hospitals the "
            "minimal detectable "
            "slope change falls as more weeks after go-live are followed. A dot marks today's "
            "number of weeks "
            "and a horizontal line shows the target."
        ),
    }[language]
    return fig, alt
