"""The survey analysis computes Games–Howell, Hedges g's interval and Cronbach's α itself, with
pingouin's own operations (importing pingouin loads matplotlib and seaborn: ~0.9 s of CPU per
analysis job). These tests hold them to pingouin (the version pinned in requirements.lock) to the
last bit: any change of pingouin's formulas shows here."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pingouin as pg
import pytest

from impleval.survey.settings import GroupVar
from impleval.survey.stats import compare as cmp
from impleval.survey.stats import effects as fx
from impleval.survey.stats.reliability import cronbach_alpha

# Group names whose alphabetical order differs from the config order (pingouin orders a pair
# alphabetically, the analysis reference first): both orientations of a pair are exercised.
LEVELS = ("hso", "vest", "midt", "nord", "a_small")


def _frame(seed: int, sizes: list[int], discrete: bool) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    group = np.concatenate([[g] * n for g, n in zip(LEVELS, sizes, strict=False)])
    rng.shuffle(group)
    shift = {g: 0.3 * i for i, g in enumerate(LEVELS)}
    y = rng.normal(3, 1, len(group)) + np.array([shift[g] for g in group])
    if discrete:  # scale scores are means of a few 1–5 items: many ties
        y = np.round(y * 4) / 4
    return pd.DataFrame({"group__region": group, "y": y})


@pytest.mark.parametrize(
    ("seed", "sizes", "discrete"),
    [
        (1, [40, 35, 30, 25], False),
        (2, [120, 15, 60, 9], True),
        (3, [12, 11, 10, 9, 8], False),
        (4, [300, 280], True),
        (5, [6, 7, 50], False),
    ],
)
def test_games_howell_equals_pingouin(seed, sizes, discrete):
    df = _frame(seed, sizes, discrete)
    gv = GroupVar("region", "hso", LEVELS)
    rows = cmp.games_howell_scale(df, "y", gv, min_cell=5, ci_level=0.95)
    part = cmp.split(df, "y", gv, 5)
    assert [(r["group_a"], r["group_b"]) for r in rows] == list(
        itertools.combinations(part.groups, 2)
    )
    sub = pd.DataFrame(
        {"group": np.repeat(np.array(part.groups, dtype=object), part.sizes), "y": part.answers}
    )
    ref = pg.pairwise_gameshowell(data=sub, dv="y", between="group", effsize="hedges")
    ref = {(r.A, r.B): r for r in ref.itertuples(index=False)}
    assert len(ref) == len(rows)
    for row in rows:
        a, b = row["group_a"], row["group_b"]
        sign = 1.0
        if (a, b) not in ref:
            a, b, sign = b, a, -1.0
        r = ref[(a, b)]
        assert row["statistic"] == sign * r.T
        assert row["df"] == r.df
        assert row["p_value"] == r.pval
        assert row["effect_size"] == sign * r.hedges
        low, high = pg.compute_esci(
            stat=row["effect_size"],
            nx=row["n_a"],
            ny=row["n_b"],
            eftype="hedges",
            confidence=0.95,
            decimals=12,
        )
        assert (row["es_ci_low"], row["es_ci_high"]) == (low, high)


@pytest.mark.parametrize("ci", [0.9, 0.95, 0.99])
def test_hedges_g_ci_equals_pingouin(ci):
    rng = np.random.default_rng(7)
    for g, n_a, n_b in zip(
        rng.normal(0, 1, 200), rng.integers(3, 400, 200), rng.integers(3, 400, 200), strict=True
    ):
        ref = pg.compute_esci(
            stat=float(g), nx=int(n_a), ny=int(n_b), eftype="hedges", confidence=ci, decimals=12
        )
        assert fx.hedges_g_ci(float(g), int(n_a), int(n_b), ci) == (ref[0], ref[1])


@pytest.mark.parametrize(
    ("seed", "n", "k", "missing"), [(1, 50, 4, 0.0), (2, 600, 7, 0.1), (3, 12, 2, 0.05)]
)
def test_cronbach_alpha_equals_pingouin(seed, n, k, missing):
    rng = np.random.default_rng(seed)
    common = rng.normal(0, 1, (n, 1))
    items = pd.DataFrame(
        np.clip(np.round(3 + common + rng.normal(0, 1, (n, k))), 1, 5),
        columns=[f"I{j}" for j in range(k)],
    )
    items = items.mask(rng.random(items.shape) < missing)
    for ci in (0.9, 0.95):
        alpha, interval = cronbach_alpha(items, ci)
        ref_alpha, ref_interval = pg.cronbach_alpha(data=items, ci=ci, nan_policy="listwise")
        assert alpha == ref_alpha
        assert list(interval) == list(ref_interval)
