"""Implementation timeline: milestones per site, sites grouped by region."""

from __future__ import annotations

import pandas as pd

from impleval.config import label
from impleval.figures import (
    NOT_RELEVANT_GREY,
    OKABE_ITO,
    WIDTH_IN,
    fix_date_ticks,
    localise_numbers,
    shorten,
)
from impleval.monitoring.plots.common import MARKERS, pyplot
from impleval.monitoring.settings import go_live_kind


def timeline_figure(timeline: pd.DataFrame, definition: dict, language: str):
    plt = pyplot()
    kinds = definition["milestones"]["kinds"]
    kind_labels = definition["milestones"].get("labels", {})
    sites = timeline.drop_duplicates("site")
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 0.4 * len(sites) + 1.6), layout="constrained")
    for row in sites.itertuples(index=False):
        dates = timeline.loc[(timeline["site"] == row.site) & timeline["date"].notna(), "date"]
        if len(dates) > 1:
            ax.plot(
                [dates.min(), dates.max()],
                [row.y, row.y],
                color=NOT_RELEVANT_GREY,
                lw=1.5,
                zorder=1,
            )
    for k, kind in enumerate(kinds):
        d = timeline[timeline["milestone"] == kind]
        ax.scatter(
            d["date"],
            d["y"],
            marker=MARKERS[k % len(MARKERS)],
            color=OKABE_ITO[k % len(OKABE_ITO)],
            s=50,
            zorder=2,
            label=label(kind_labels, kind, language),
        )
    ax.set_yticks(sites["y"])
    ax.set_yticklabels(
        [shorten(f"{r.site_label} – {r.region_label}", 48) for r in sites.itertuples(index=False)]
    )
    ax.tick_params(axis="y", length=0)
    for _, group in sites.groupby("region_order"):
        ax.axhline(group["y"].min() - 0.5, color="#DDDDDD", lw=0.8)
    ax.grid(axis="x", color="#EDEDED", lw=0.8)
    ax.set_axisbelow(True)
    fig.legend(loc="outside upper center", ncol=min(len(kinds), 4), frameon=False)
    localise_numbers(fig, language)
    fix_date_ticks(ax.xaxis)
    n_go = int(timeline.loc[timeline["milestone"] == go_live_kind(definition), "site"].nunique())
    first, last = timeline["date"].min(), timeline["date"].max()
    names = [label(kind_labels, kind, language) for kind in kinds]
    shown = ", ".join(names[:-1]) + (f" {AND[language]} " if len(names) > 1 else "") + names[-1]
    alt = {
        "nb": (
            f"Tidslinje med én rad per sted ({len(sites)} steder, gruppert etter region) fra "
            f"{first:%Y} til {last:%Y}. Symbolene viser {shown.lower()}. {n_go} steder har "
            "tatt løsningen i bruk."
        ),
        "en": (
            f"Timeline with one row per site ({len(sites)} sites, grouped by region) from "
            f"{first:%Y} to {last:%Y}. Symbols mark {shown.lower()}. {n_go} sites have gone live."
        ),
    }[language]
    return fig, alt


AND = {"nb": "og", "en": "and"}
