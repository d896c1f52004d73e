"""Agreement per code: Cohen's κ and Krippendorff's α with CIs, threshold lines from config."""

from __future__ import annotations

import numpy as np
import pandas as pd

from impleval import fmt
from impleval.figures import FONT_SMALL, OKABE_ITO, WIDTH_IN, localise_numbers
from impleval.interviews.settings import ALL, StudyDefs, code_label, text_label

CAPTIONS = {
    "caption": {
        "nb": (
            "Samsvar mellom to kodere per kode på {n} dobbeltkodede intervjuer: Cohens κ med "
            "{level} konfidensintervall og Krippendorffs α med bootstrap-intervall. Linjene viser "
            "målet (κ og α ≥ {target}) og grensen for foreløpige konklusjoner (α ≥ {tentative})."
        ),
        "en": (
            "Agreement between two coders per code on {n} double-coded interviews: Cohen's κ with "
            "{level} confidence interval and Krippendorff's α with bootstrap interval. Lines mark "
            "the target (κ and α ≥ {target}) and the bar for tentative conclusions (α ≥ "
            "{tentative})."
        ),
    },
    "alt": {
        "nb": (
            "Punktdiagram med én rad per kode ({n_codes} koder) og en samlet rad. {n_meet} koder "
            "når "
            "målet for κ; lavest er {low} (κ = {low_k}). Samlet κ er {pooled}."
        ),
        "en": (
            "Dot plot with one row per code ({n_codes} codes) and a pooled row. {n_meet} codes "
            "reach "
            "the κ target; the lowest is {low} (κ = {low_k}). Pooled κ is {pooled}."
        ),
    },
    "disabled": {
        "nb": "Samsvar mellom kodere er ikke beregnet i denne studien (se metodekapittelet).",
        "en": "Inter-coder agreement is not computed in this study (see the methods chapter).",
    },
    "pooled": {"nb": "Alle koder samlet", "en": "All codes pooled"},
    "undefined": {
        "nb": "ikke definert (koden er ikke brukt)",
        "en": "undefined (code not applied)",
    },
}


def plot_agreement(agreement: pd.DataFrame, defs: StudyDefs, settings, *, language, min_cell):
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    L = language
    a = settings["agreement"]
    if not a["enabled"] or agreement.empty:
        fig, ax = plt.subplots(figsize=(WIDTH_IN, 1.2))
        ax.axis("off")
        text = CAPTIONS["disabled"][L]
        ax.text(0.5, 0.5, text, ha="center", va="center", wrap=True)
        return fig, text, text
    codes = agreement[agreement["code"] != ALL]
    pooled = agreement[agreement["code"] == ALL]
    rows = pd.concat([codes, pooled], ignore_index=True)
    labels = [code_label(defs, c, L) for c in codes["code"]] + [CAPTIONS["pooled"][L]]
    y = np.arange(len(rows))[::-1].astype(float)
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 0.27 * len(rows) + 1.6), layout="constrained")
    for col, lo, hi, off, colour, marker, name in (
        (
            "kappa",
            "kappa_ci_low",
            "kappa_ci_high",
            0.15,
            OKABE_ITO[0],
            "o",
            text_label(settings, "kappa", L),
        ),
        (
            "krippendorff_alpha",
            "alpha_ci_low",
            "alpha_ci_high",
            -0.15,
            OKABE_ITO[1],
            "s",
            text_label(settings, "alpha", L),
        ),
    ):
        est = rows[col].to_numpy(dtype=float)
        err = np.vstack(
            [est - rows[lo].to_numpy(dtype=float), rows[hi].to_numpy(dtype=float) - est]
        )
        ax.errorbar(
            est,
            y + off,
            xerr=np.where(np.isfinite(err), err, 0),
            fmt=marker,
            color=colour,
            markersize=5,
            elinewidth=1.2,
            capsize=2.5,
            label=name,
        )
    ax.axvline(a["kappa_target"], color="black", linestyle="--", linewidth=1.0)
    ax.axvline(a["alpha_tentative"], color="#595959", linestyle=":", linewidth=1.2)
    ax.text(
        a["kappa_target"],
        len(rows) - 0.2,
        f" {text_label(settings, 'target', L)}",
        fontsize=FONT_SMALL,
        va="bottom",
    )
    ax.text(
        a["alpha_tentative"],
        len(rows) - 0.2,
        f"{text_label(settings, 'tentative', L)} ",
        fontsize=FONT_SMALL,
        ha="right",
        va="bottom",
    )
    ax.axhline(0.5, color="#BFBFBF", linewidth=0.8)
    ax.set_yticks(y, labels)
    ax.tick_params(axis="y", length=0)
    lowest = np.nanmin(rows[["kappa_ci_low", "alpha_ci_low"]].to_numpy(dtype=float), initial=0)
    ax.set_xlim(min(-0.2, float(lowest) - 0.05), 1.06)  # every interval and the κ = 1 markers
    ax.set_ylim(-0.6, len(rows) + 0.4)
    ax.set_xlabel(f"{text_label(settings, 'kappa', L)} / {text_label(settings, 'alpha', L)}")
    for yi, k in zip(y, rows["kappa"].to_numpy(dtype=float), strict=False):
        if not np.isfinite(k):  # κ undefined when neither coder varied: say so, not a blank row
            ax.text(
                0.0, yi, CAPTIONS["undefined"][L], fontsize=FONT_SMALL, va="center", color="#4D4D4D"
            )
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: fmt.number(x, 1, L)))
    fig.legend(frameon=False, loc="outside upper center", ncol=2)
    n_units = int(codes["n_units"].max()) if len(codes) else 0
    caption = CAPTIONS["caption"][L].format(
        n=n_units,
        level=fmt.percent(a["ci_level"], 0, L),
        target=fmt.number(a["kappa_target"], 2, L),
        tentative=fmt.number(a["alpha_tentative"], 3, L),
    )
    low = codes.dropna(subset=["kappa"]).sort_values("kappa")
    alt = CAPTIONS["alt"][L].format(
        n_codes=len(codes),
        n_meet=int((codes["kappa_flag"] == "meets_target").sum()),
        low=code_label(defs, low.iloc[0]["code"], L) if len(low) else "–",
        low_k=fmt.number(low.iloc[0]["kappa"], 2, L) if len(low) else "–",
        pooled=fmt.number(pooled["kappa"].iloc[0], 2, L) if len(pooled) else "–",
    )
    localise_numbers(fig, L)
    return fig, caption, alt
