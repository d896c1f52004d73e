"""The stakeholder-benefit matrix: effects (grouped by stakeholder) × stage, share of interviews."""

from __future__ import annotations

import numpy as np
import pandas as pd

from impleval import fmt
from impleval.figures import WIDTH_IN, localise_numbers, shorten
from impleval.interviews.plots.common import annotated_heatmap
from impleval.interviews.settings import ALL, StudyDefs, text_label

CAPTIONS = {
    "caption": {
        "nb": (
            "Gevinster og utfordringer for hver aktørgruppe: andel intervjuer i hver fase som tar "
            "opp effekten (tall i prosent). Utfordringer er merket (!). Celler med færre enn "
            "{min_cell} intervjuer i nevneren er skjult."
        ),
        "en": (
            "Benefits and challenges for each stakeholder group: share of interviews at each stage "
            "that raise the effect (numbers in per cent). Challenges are marked (!). Cells with "
            "fewer than {min_cell} interviews in the denominator are suppressed."
        ),
    },
    "alt": {
        "nb": (
            "Varmekart med {n} effekter for {n_groups} aktørgrupper i rader og fasene pluss alle "
            "faser i kolonner. Oftest nevnt samlet: {top} ({top_share})."
        ),
        "en": (
            "Heatmap with {n} effects for {n_groups} stakeholder groups in rows and the stages "
            "plus "
            "all stages in columns. Most often raised overall: {top} ({top_share})."
        ),
    },
}


def plot_stakeholders(table: pd.DataFrame, defs: StudyDefs, settings, *, language, min_cell):
    import matplotlib.pyplot as plt

    L = language
    effects = table[table["theme"] != ALL]
    keys = list(
        dict.fromkeys(zip(effects["stakeholder"], effects["theme"], effects["kind"], strict=True))
    )
    stages = [*defs.stages, ALL]
    share = np.full((len(keys), len(stages)), np.nan)
    supp = np.zeros_like(share, dtype=bool)
    for r in effects.itertuples(index=False):
        i = keys.index((r.stakeholder, r.theme, r.kind))
        j = stages.index(r.stage)
        share[i, j] = r.share
        supp[i, j] = bool(r.suppressed)
    texts = [[fmt.integer(100 * x, L) if np.isfinite(x) else "" for x in row] for row in share]
    row_labels = []
    for group, theme, kind in keys:
        mark = " (!)" if kind == "challenge" else ""
        row_labels.append(
            shorten(f"{defs.lab('stakeholder', group, L)}: {defs.lab('theme', theme, L)}", 56)
            + mark
        )
    col_labels = [defs.lab("stage", s, L) for s in defs.stages] + [
        text_label(settings, "all_stages", L)
    ]
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 0.32 * len(keys) + 1.8), layout="constrained")
    annotated_heatmap(
        ax,
        share,
        supp,
        row_labels=row_labels,
        col_labels=col_labels,
        texts=texts,
        suppressed_text=f"<{min_cell}",
        colorbar_label=f"{text_label(settings, 'share_of_interviews', L)} (%)",
        fig=fig,
    )
    fig.axes[-1].set_yticks(
        [0, 0.25, 0.5, 0.75, 1], [fmt.integer(x, L) for x in (0, 25, 50, 75, 100)]
    )
    ax.axvline(len(defs.stages) - 0.5, color="white", linewidth=2)
    # Separate the stakeholder groups with a thin line.
    groups = [k[0] for k in keys]
    for i in range(1, len(groups)):
        if groups[i] != groups[i - 1]:
            ax.axhline(i - 0.5, color="white", linewidth=2)
    overall = share[:, -1]
    if np.isfinite(overall).any():
        i = int(np.nanargmax(overall))
        top, top_share = row_labels[i], fmt.percent(overall[i], 0, L)
    else:
        top, top_share = "–", "–"
    alt = CAPTIONS["alt"][L].format(
        n=len(keys), n_groups=len(dict.fromkeys(groups)), top=top, top_share=top_share
    )
    localise_numbers(fig, L)
    return fig, CAPTIONS["caption"][L].format(min_cell=min_cell), alt
