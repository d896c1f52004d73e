"""Interview families: the stage trend test (Cochran–Armitage) and Cohen's κ intervals.

A study of 80 interviews (20 per stage), a quarter double-coded, simulated with
`impleval.demo.simulate_interviews`: three themes with the same presence probability in every
stage (nulls for the trend test, at low, middle and high prevalence) and three with a planted rise
or fall. The second coder copies each decision of the first with probability `AGREEMENT`, so
every code's population κ is known in closed form (`simulate_interviews.true_kappa`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from impleval.demo import simulate_interviews as sim
from impleval.interviews.stats.agreement import agreement_row, double_coded_presence
from impleval.interviews.stats.stage import theme_stage_tests
from validation.common import ALPHA, rate

N_PER_STAGE = 20
DOUBLE_SHARE = 0.25
AGREEMENT = 0.9
CODES = {
    "Flat > Rare": ("flat_rare", [0.15, 0.15, 0.15, 0.15]),
    "Flat > Middle": ("flat_middle", [0.45, 0.45, 0.45, 0.45]),
    "Flat > Common": ("flat_common", [0.7, 0.7, 0.7, 0.7]),
    "Rise > Strong": ("rise_strong", [0.1, 0.25, 0.6, 0.85]),
    "Rise > Moderate": ("rise_moderate", [0.1, 0.3, 0.5, 0.7]),
    "Fall > Moderate": ("fall_moderate", [0.6, 0.45, 0.3, 0.2]),
}


def replicate(seed: int, *, double_share: float = DOUBLE_SHARE) -> pd.DataFrame:
    """One simulated interview study through the stage tests and the agreement statistics."""
    segments, documents = sim.simulate(
        N_PER_STAGE, double_share=double_share, agreement=AGREEMENT, seed=seed, codes=CODES
    )
    themes = [theme for theme, _ in CODES.values()]
    primary = segments[segments["coder"] == "coder_1"]
    present = (
        primary.drop_duplicates(["interview_id", "theme"])
        .assign(one=1)
        .pivot_table(index="interview_id", columns="theme", values="one", fill_value=0)
        .reindex(index=documents["interview_id"], columns=themes, fill_value=0)
    )
    stage = documents.set_index("interview_id")["stage"]
    tests = theme_stage_tests(
        present,
        stage,
        sim.STAGES,
        themes,
        tests=["trend"],
        adjust_method="fdr_bh",
        alpha=ALPHA,
        resamples=99,
        seed=seed,
    )
    rows = [
        ("trend", r.theme, q, float(getattr(r, q)))
        for r in tests.itertuples()
        for q in ("p_value", "p_adjusted")
    ]
    first, second = double_coded_presence(segments, documents, list(CODES), ("coder_1", "coder_2"))
    rng = np.random.default_rng(seed)
    for code in CODES:
        if len(first) == 0:
            continue
        res = agreement_row(
            first[code].to_numpy(), second[code].to_numpy(), level=0.95, n_boot=0, rng=rng
        )
        for q in ("kappa", "kappa_ci_low", "kappa_ci_high", "n_units"):
            rows.append(("kappa", CODES[code][0], q, float(res[q])))
    return pd.DataFrame(rows, columns=["family", "theme", "quantity", "value"])


def truth() -> dict:
    """Per theme: whether its stage profile is flat, and its population κ."""
    return {
        theme: {
            "flat": len(set(probs)) == 1,
            "kappa": sim.true_kappa(float(np.mean(probs)), AGREEMENT),
        }
        for theme, probs in CODES.values()
    }


def summarise(results: pd.DataFrame, truths: dict, *, label: str = "") -> list[dict]:
    rows = []
    key = results["replicate"]

    def wide(family):
        sub = results[results["family"] == family]
        return sub.pivot_table(
            index=["replicate", "theme"], columns="quantity", values="value", aggfunc="first"
        ).reset_index()

    def add(family, quantity, target, hits, replicate, note=""):
        rows.append(
            {"family": family, "quantity": quantity, "target": target, **rate(hits, replicate)}
            | {"note": note}
        )

    w = wide("trend")
    flat = w["theme"].map(lambda t: truths[t]["flat"])
    add(
        "stage trend (Cochran–Armitage)",
        "type-I error, each flat theme (p < α)",
        "type_i",
        (w["p_value"] < ALPHA)[flat],
        w["replicate"][flat],
    )
    add(
        "stage trend (Cochran–Armitage)",
        "power at the planted trends (BH p < α)",
        "power",
        (w["p_adjusted"] < ALPHA)[~flat],
        w["replicate"][~flat],
    )
    w = wide("kappa")
    true = w["theme"].map(lambda t: truths[t]["kappa"])
    defined = w["kappa_ci_low"].notna()
    cover = (w["kappa_ci_low"] <= true) & (true <= w["kappa_ci_high"])
    units = int(w["n_units"].median()) if len(w) else 0
    add(
        f"Cohen's κ{label}",
        f"coverage of the 95 % κ interval ({units} double-coded, median)",
        "coverage",
        cover[defined],
        w["replicate"][defined],
        note=f"κ undefined (one category) in {int((~defined).sum())} of {len(w)}",
    )
    del key
    return rows
