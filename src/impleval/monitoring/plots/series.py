"""Per-site interrupted time series: observed values, fitted lines and the go-live.

Observed values suppressed by the small-cell rule are NA in the tables and are never drawn.
"""

from __future__ import annotations

import pandas as pd

from impleval.config import label
from impleval.figures import (
    FONT_TITLE,
    NOT_RELEVANT_GREY,
    OKABE_ITO,
    WIDTH_IN,
    chars_per_line,
    fix_date_ticks,
    localise_numbers,
    wrap,
)
from impleval.monitoring.plots.common import pyplot
from impleval.monitoring.settings import go_live_kind


def series_figure(
    fitted: pd.DataFrame, sites: pd.DataFrame, definition: dict, site_labels: dict, language: str
):
    """Rows: sites (intervention by go-live, then comparison); columns: outcomes."""
    plt = pyplot()
    lab = definition["labels"]
    kind = go_live_kind(definition)
    go_live_label = label(definition["milestones"].get("labels", {}), kind, language)
    outcomes = [o for o in definition["outcomes"] if o in set(fitted["outcome"])]
    order = sites[sites["role"] != "no_data"].sort_values(
        ["role", "go_live", "site"], ascending=[False, True, True]
    )
    order = order[order["site"].isin(set(fitted["site"]))]
    n = len(order)
    fig, axes = plt.subplots(
        n,
        len(outcomes),
        figsize=(WIDTH_IN, 1.75 * n + 0.9),
        squeeze=False,
        sharex=True,
        layout="constrained",
    )
    for i, row in enumerate(order.itertuples(index=False)):
        for j, outcome in enumerate(outcomes):
            ax = axes[i, j]
            d = fitted[(fitted["site"] == row.site) & (fitted["outcome"] == outcome)]
            ax.plot(
                d["week_start"],
                d["observed"],
                ".",
                ms=3.5,
                color=NOT_RELEVANT_GREY,
                label=label(lab, "observed", language),
            )
            ax.plot(
                d["week_start"],
                d["fitted"],
                "-",
                lw=1.5,
                color=OKABE_ITO[0],
                label=label(lab, "fitted", language),
            )
            ax.plot(
                d["week_start"],
                d["counterfactual"],
                "--",
                lw=1.5,
                color=OKABE_ITO[5],
                label=label(lab, "counterfactual", language),
            )
            if isinstance(row.go_live, str):
                ax.axvline(
                    pd.Timestamp(row.go_live),
                    color="black",
                    ls=":",
                    lw=1,
                    label=go_live_label,
                )
            title = site_labels[row.site]
            if row.role == "comparison":
                title += f" ({label(lab, 'comparison', language)})"
            elif row.baseline == "warn":
                title += f" ({label(lab, 'baseline_warning', language)})"
            width = chars_per_line(WIDTH_IN / len(outcomes) - 0.8, FONT_TITLE)
            ax.set_title(wrap(title, width), loc="left")
            ax.set_ylabel(_unit(definition, outcome, language))
            if i == 0:
                ax.annotate(
                    label({"l": definition["outcomes"][outcome]["label"]}, "l", language),
                    xy=(0.5, 1.32),
                    xycoords="axes fraction",
                    ha="center",
                    fontsize=FONT_TITLE,
                    weight="bold",
                )
    handles, names = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside upper center", ncol=4, frameon=False)
    localise_numbers(fig, language)
    fix_date_ticks(axes[0, 0].xaxis)  # shared by every panel
    intervention = order[order["role"] == "intervention"]
    monthly = set(order["frequency"].dropna()) == {"monthly"}
    every = {
        "nb": "månedlige" if monthly else "ukentlige",
        "en": "monthly" if monthly else "weekly",
    }
    alt = {
        "nb": (
            f"{n} små diagrammer, ett per sted og utfall, med {every['nb']} verdier fra "
            f"{fitted['week_start'].min():%Y} til {fitted['week_start'].max():%Y}. "
            f"{len(intervention)} steder har en oppstartsdato markert med loddrett linje; etter "
            "den viser en stiplet linje hva modellen forventer uten tiltaket."
        ),
        "en": (
            f"{n} small charts, one per site and outcome, with {every['en']} values from "
            f"{fitted['week_start'].min():%Y} to {fitted['week_start'].max():%Y}. "
            f"{len(intervention)} sites have a go-live date marked by a vertical line; after "
            "it a dashed line shows what the model expects without the intervention."
        ),
    }[language]
    return fig, alt


def _unit(definition: dict, outcome: str, language: str) -> str:
    """The y axis of one outcome: its unit (monitoring.yaml; counts are per period, which the
    column heading and caption say)."""
    spec = definition["outcomes"][outcome]
    return label({"u": spec.get("unit", {"nb": ""})}, "u", language)
