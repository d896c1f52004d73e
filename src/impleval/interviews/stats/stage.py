"""Change of each theme across the ordered stages: trend test and chi-square, with effect sizes.

Unit: interviews (mentions the theme or not) by the primary coder. One row per theme and test;
p values are adjusted within families declared in config (`stage_tests.families`): by default one
family per test kind and theme group (process themes apart from stakeholder effects), so the
report's "k of the n process themes" is adjusted over exactly those n themes.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.contingency_tables import Table
from statsmodels.stats.multitest import multipletests

from impleval.effect_sizes import cramers_v_corrected

STAGE_TEST_COLUMNS = [
    "theme",
    "test",
    "statistic",
    "df",
    "p_value",
    "p_adjusted",
    "effect_size",
    "effect_size_name",
    "n_interviews",
    "direction",
    "significant",
]


def stage_table(present: pd.Series, stage: pd.Series, stages: list[str]) -> np.ndarray:
    """2 × k table: row 0 mentions, row 1 does not; columns the stages in order."""
    yes = present.groupby(stage).sum().reindex(stages, fill_value=0).to_numpy()
    n = stage.value_counts().reindex(stages, fill_value=0).to_numpy()
    return np.vstack([yes, n - yes]).astype(int)


def trend_test(table: np.ndarray) -> dict:
    """Cochran–Armitage test for a trend in proportions across ordered columns (scores 0..k-1).

    statsmodels has no function of that name; `Table.test_ordinal_association` is the
    linear-by-linear (Mantel) association test, which for a 2 × k table is the Cochran–Armitage
    test with the permutation variance: statistic (N−1)·r² instead of N·r². We report its z and
    the signed correlation r between stage score and mention as the effect size.
    """
    table = table[:, table.sum(axis=0) > 0]  # stages without interviews carry no information
    n = table.sum()
    if table.shape[1] < 2 or min(table.sum(axis=1)) == 0:
        return {"statistic": math.nan, "df": 1, "p_value": math.nan, "effect_size": math.nan}
    res = Table(table.T).test_ordinal_association()  # rows: stages (scores 0..k-1); cols: yes/no
    # With columns (yes, no) scored (0, 1) a rising share of "yes" gives a negative z: flip it.
    z = -float(res.zscore)
    r = z / math.sqrt(n - 1)
    return {"statistic": z * z, "df": 1, "p_value": float(res.pvalue), "effect_size": r}


def chi_square_test(table: np.ndarray, *, resamples: int, seed: int) -> dict:
    """Pearson chi-square on 2 × k; Fisher–Freeman–Halton (seeded Monte Carlo) when sparse."""
    table = table[:, table.sum(axis=0) > 0]
    if table.shape[1] < 2 or min(table.sum(axis=1)) == 0:
        return {
            "test": "chi_square",
            "statistic": math.nan,
            "df": math.nan,
            "p_value": math.nan,
            "effect_size": math.nan,
        }
    res = stats.chi2_contingency(table, correction=False)
    out = {
        "test": "chi_square",
        "statistic": float(res.statistic),
        "df": int(res.dof),
        "p_value": float(res.pvalue),
        "effect_size": cramers_v_corrected(res.statistic, table),
    }
    if (res.expected_freq < 5).any():
        method = stats.MonteCarloMethod(n_resamples=resamples, rng=np.random.default_rng(seed))
        out["test"] = "fisher_freeman_halton"
        out["p_value"] = float(stats.fisher_exact(table, method=method).pvalue)
    return out


def shape_of(shares: np.ndarray) -> str:
    """Descriptive shape of the stage profile: up, down, flat, or peak (an interior stage stands
    out more above both ends than the ends differ: a rise-and-fall a linear trend test misses)."""
    first, last = shares[0], shares[-1]
    top = int(np.argmax(shares))
    if 0 < top < len(shares) - 1 and shares[top] - max(first, last) > abs(last - first):
        return "peak"
    return "up" if last > first else "down" if last < first else "flat"


def adjust(p: pd.Series, method: str) -> pd.Series:
    ok = p.notna()
    out = pd.Series(np.nan, index=p.index)
    if method == "none":
        out[ok] = p[ok]
    elif ok.any():
        out[ok] = multipletests(p[ok].to_numpy(), method=method)[1]
    return out


def theme_stage_tests(
    present: pd.DataFrame,
    stage: pd.Series,
    stages: list[str],
    themes: list[str],
    *,
    tests: list[str],
    adjust_method: str,
    alpha: float,
    resamples: int,
    seed: int,
    groups: dict[str, str] | None = None,
) -> pd.DataFrame:
    """One row per theme and test. `present`: interview × theme 0/1; `stage`: same index.

    `groups` (theme -> group, e.g. process/stakeholder): p values are adjusted within each test
    kind × group. None: one family per test kind across all themes."""
    rows = []
    for ti, theme in enumerate(themes):
        col = present[theme] if theme in present else pd.Series(0, index=present.index)
        table = stage_table(col, stage, stages)
        direction = shape_of(table[0] / np.maximum(table.sum(axis=0), 1))
        for test in tests:
            if test == "trend":
                res = {"test": "cochran_armitage", **trend_test(table)}
                name = "r"
            else:
                # Seed per theme so adding a theme does not change another theme's Monte Carlo p.
                res = chi_square_test(table, resamples=resamples, seed=seed + ti)
                name = "cramers_v_corrected"
            rows.append(
                {
                    "theme": theme,
                    **res,
                    "effect_size_name": name,
                    "n_interviews": int(table.sum()),
                    "direction": direction,
                }
            )
    out = pd.DataFrame(rows)
    group = out["theme"].map(groups).fillna("") if groups is not None else ""
    family = out["effect_size_name"] + "|" + group  # test kind (trend / chi-square) × theme group
    out["p_adjusted"] = np.nan
    for fam in family.unique():
        idx = family == fam
        out.loc[idx, "p_adjusted"] = adjust(out.loc[idx, "p_value"], adjust_method).to_numpy()
    out["significant"] = out["p_adjusted"] < alpha
    return out[STAGE_TEST_COLUMNS]


def theme_groups(themes: list[str], process: list[str], families: str) -> dict[str, str] | None:
    """The `groups` argument of `theme_stage_tests` for `stage_tests.families` in config:
    `theme_group` adjusts process themes and stakeholder effects separately, `all_themes`
    together."""
    if families == "all_themes":
        return None
    return {t: "process" if t in process else "stakeholder" for t in themes}
