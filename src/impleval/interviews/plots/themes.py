"""Theme figures: theme × stage heatmap, trajectories of the leading themes, co-occurrence matrix.

Each function takes result tables as read from results/tables (suppressed cells already NA) and
returns (figure, caption, alt text) in the report language.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from impleval import fmt
from impleval.figures import (
    FONT_SMALL,
    LINESTYLES,
    MARKERS,
    OKABE_ITO,
    WIDTH_IN,
    label_line_ends,
    localise_numbers,
    number_formatter,
    shorten,
    wrap,
)
from impleval.interviews.plots.common import annotated_heatmap
from impleval.interviews.settings import ALL, StudyDefs, text_label

CAPTIONS = {
    "heatmap": {
        "nb": (
            "Andel intervjuer som nevner hvert tema, etter fase (én koder per intervju). Celler "
            "der færre enn {min_cell} intervjuer ligger i nevneren, er skjult."
        ),
        "en": (
            "Share of interviews that mention each theme, by stage (one coder per interview). "
            "Cells with fewer than {min_cell} interviews in the denominator are suppressed."
        ),
    },
    "heatmap_alt": {
        "nb": (
            "Varmekart med {n_themes} temaer i rader og {n_stages} faser i kolonner; fargen og "
            "tallet "
            "viser prosentandelen intervjuer som nevner temaet. Høyest er {top} i fasen "
            "{top_stage} "
            "({top_share})."
        ),
        "en": (
            "Heatmap with {n_themes} themes in rows and {n_stages} stages in columns; colour and "
            "number give the percentage of interviews mentioning the theme. Highest is {top} at "
            "the {top_stage} stage ({top_share})."
        ),
    },
    "trajectories": {
        "nb": "Andel intervjuer som nevner de {n} mest framtredende temaene, fra fase til fase.",
        "en": "Share of interviews mentioning the {n} leading themes, from stage to stage.",
    },
    "trajectories_alt": {
        "nb": "Linjediagram over {n_stages} faser med én linje per tema: {lines}.",
        "en": "Line chart over {n_stages} stages with one line per theme: {lines}.",
    },
    "cooccurrence": {
        "nb": (
            "Samforekomst av temaer i samme intervju: Jaccard-indeks (farge) og antall intervjuer "
            "som nevner begge (tall). Kolonnene er nummerert som radene. Par der færre enn "
            "{min_cell} intervjuer nevner ett av temaene, er skjult."
        ),
        "en": (
            "Co-occurrence of themes within interviews: Jaccard index (colour) and the number of "
            "interviews mentioning both (number). Columns are numbered as the rows. Pairs with "
            "fewer than {min_cell} interviews mentioning either theme are suppressed."
        ),
    },
    "cooccurrence_alt": {
        "nb": (
            "Trekantmatrise for {n} temaer. Sterkest samforekomst: {a} og {b} (Jaccard {j}, "
            "{count} "
            "intervjuer)."
        ),
        "en": (
            "Triangular matrix of {n} themes. Strongest co-occurrence: {a} and {b} (Jaccard {j}, "
            "{count} interviews)."
        ),
    },
}


def _cap(key: str, language: str, **kw) -> str:
    return CAPTIONS[key][language].format(**kw)


def theme_stage_shares(prevalence: pd.DataFrame, themes: list[str], stages: list[str]):
    """(share matrix, suppressed matrix) of themes × stages from the theme-level, all-region
    rows."""
    t = prevalence[
        (prevalence["code"] == ALL) & (prevalence["region"] == ALL) & (prevalence["role"] == ALL)
    ]
    t = t[t["stage"].isin(stages) & t["theme"].isin(themes)]
    share = t.pivot(index="theme", columns="stage", values="share").reindex(
        index=themes, columns=stages
    )
    supp = t.pivot(index="theme", columns="stage", values="suppressed").reindex(
        index=themes, columns=stages
    )
    return share.astype(float), supp.fillna(False).astype(bool)


def plot_theme_heatmap(prevalence, defs: StudyDefs, settings, *, language, min_cell):
    import matplotlib.pyplot as plt

    L = language
    themes = [t for t in defs.process_themes if t in set(prevalence["theme"])]
    share, supp = theme_stage_shares(prevalence, themes, defs.stages)
    texts = [
        [fmt.integer(100 * x, L) if np.isfinite(x) else "" for x in row] for row in share.to_numpy()
    ]
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 0.36 * len(themes) + 1.6), layout="constrained")
    annotated_heatmap(
        ax,
        share.to_numpy(),
        supp.to_numpy(),
        row_labels=[shorten(defs.lab("theme", t, L), 44) for t in themes],
        col_labels=[defs.lab("stage", s, L) for s in defs.stages],
        texts=texts,
        suppressed_text=f"<{min_cell}",
        colorbar_label=f"{text_label(settings, 'share_of_interviews', L)} (%)",
        fig=fig,
    )
    fig.axes[-1].set_yticks(
        [0, 0.25, 0.5, 0.75, 1], [fmt.integer(x, L) for x in (0, 25, 50, 75, 100)]
    )
    ax.set_xlabel(text_label(settings, "stage", L))
    stacked = share.stack().dropna()
    top_theme, top_stage = stacked.idxmax() if len(stacked) else ("–", defs.stages[0])
    alt = _cap(
        "heatmap_alt",
        L,
        n_themes=len(themes),
        n_stages=len(defs.stages),
        top=defs.lab("theme", top_theme, L),
        top_stage=defs.lab("stage", top_stage, L),
        top_share=fmt.percent(stacked.max() if len(stacked) else None, 0, L),
    )
    localise_numbers(fig, L)
    return fig, _cap("heatmap", L, min_cell=min_cell), alt


def leading_themes(share: pd.DataFrame, n: int) -> list[str]:
    """The n themes with the highest share in any stage (ties by name for stability)."""
    peak = share.max(axis=1).dropna()
    order = sorted(peak.index, key=lambda t: (-peak[t], t))
    return order[:n]


def plot_theme_trajectories(prevalence, defs: StudyDefs, settings, *, language, min_cell):
    import matplotlib.pyplot as plt

    L = language
    themes = [t for t in defs.process_themes if t in set(prevalence["theme"])]
    share, _ = theme_stage_shares(prevalence, themes, defs.stages)
    lead = leading_themes(share, settings["trajectories"]["n_themes"])
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 4.6), layout="constrained")
    x = np.arange(len(defs.stages))
    lines, ends_at = [], []
    for i, theme in enumerate(lead):
        y = share.loc[theme].to_numpy(
            dtype=float
        )  # suppressed stages are NaN: a gap, never a point
        colour = OKABE_ITO[i % len(OKABE_ITO)]
        ax.plot(
            x,
            100 * y,
            marker=MARKERS[i % len(MARKERS)],
            color=colour,
            linestyle=LINESTYLES[i % len(LINESTYLES)],
            label=defs.lab("theme", theme, L),
        )
        ends = [fmt.percent(v, 0, L) for v in (y[0], y[-1])]
        lines.append(f"{defs.lab('theme', theme, L)} {ends[0]} → {ends[1]}")
        finite = np.flatnonzero(np.isfinite(y))
        if len(finite):
            label = wrap(defs.lab("theme", theme, L), 24, max_lines=2)
            style = LINESTYLES[i % len(LINESTYLES)]
            ends_at.append((x[finite[-1]], 100 * y[finite[-1]], label, colour, style))
    ax.set_xticks(x, [defs.lab("stage", s, L) for s in defs.stages])
    ax.set_xlim(-0.25, len(x) - 0.75)
    ax.set_ylim(-4, 104)  # a share of 0 or 100 % shows whole
    ax.set_yticks([0, 20, 40, 60, 80, 100])
    ax.yaxis.set_major_formatter(number_formatter(L))
    ax.set_ylabel(f"{text_label(settings, 'share_of_interviews', L)} (%)")
    ax.set_xlabel(text_label(settings, "stage", L))
    label_line_ends(ax, ends_at, fontsize=FONT_SMALL)  # direct labels instead of a legend
    ax.grid(axis="y", color="#E5E5E5", linewidth=0.8)
    caption = _cap("trajectories", L, n=len(lead))
    alt = _cap("trajectories_alt", L, n_stages=len(defs.stages), lines="; ".join(lines))
    localise_numbers(fig, L)
    return fig, caption, alt


def plot_cooccurrence(cooc: pd.DataFrame, defs: StudyDefs, settings, *, language, min_cell):
    import matplotlib.pyplot as plt

    L = language
    themes = [t for t in defs.process_themes if t in set(cooc["theme_a"]) | set(cooc["theme_b"])]
    k = len(themes)
    pos = {t: i for i, t in enumerate(themes)}
    jac = np.full((k, k), np.nan)
    supp = np.zeros((k, k), dtype=bool)
    texts = [["" for _ in range(k)] for _ in range(k)]
    for row in cooc.itertuples(index=False):
        if row.theme_a not in pos or row.theme_b not in pos:
            continue
        i, j = sorted((pos[row.theme_a], pos[row.theme_b]), reverse=True)  # lower triangle
        jac[i, j] = row.jaccard
        supp[i, j] = bool(row.suppressed)
        if not supp[i, j] and pd.notna(row.n_interviews):
            texts[i][j] = fmt.integer(row.n_interviews, L)
    # Rows named in full and numbered; columns by number only, so the matrix fits the page.
    labels = [f"{shorten(defs.lab('theme', t, L), 34)} ({i})" for i, t in enumerate(themes, 1)]
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 0.34 * k + 1.6), layout="constrained")
    vmax = float(np.nanmax(jac)) if np.isfinite(jac).any() else 1.0
    annotated_heatmap(
        ax,
        jac,
        supp,
        row_labels=labels,
        col_labels=[str(i) for i in range(1, k + 1)],
        texts=texts,
        vmin=0,
        vmax=max(vmax, 0.05),
        suppressed_text=f"<{min_cell}",
        colorbar_label=text_label(settings, "jaccard", L),
        fig=fig,
        col_rotation=0,
    )
    from matplotlib.ticker import FuncFormatter

    fig.axes[-1].yaxis.set_major_formatter(FuncFormatter(lambda x, _pos: fmt.number(x, 1, L)))
    visible = cooc[~cooc["suppressed"].astype(bool)].dropna(subset=["jaccard"])
    if len(visible):
        top = visible.sort_values(
            ["jaccard", "theme_a", "theme_b"], ascending=[False, True, True]
        ).iloc[0]
        alt = _cap(
            "cooccurrence_alt",
            L,
            n=k,
            a=defs.lab("theme", top["theme_a"], L),
            b=defs.lab("theme", top["theme_b"], L),
            j=fmt.number(top["jaccard"], 2, L),
            count=fmt.integer(top["n_interviews"], L),
        )
    else:
        alt = _cap("cooccurrence_alt", L, n=k, a="–", b="–", j="–", count="–")
    localise_numbers(fig, L)
    return fig, _cap("cooccurrence", L, min_cell=min_cell), alt
