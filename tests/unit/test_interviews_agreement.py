"""Inter-coder agreement: κ cross-checked against independent implementations, α, PABAK, CIs."""

from __future__ import annotations

import math

import krippendorff
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from impleval.interviews.stats.agreement import (
    agreement_row,
    alpha_binary,
    alpha_flag,
    double_coded_presence,
    intercoder_agreement,
    kappa_flag,
)


def direct_kappa(a, b):
    """Cohen's κ from its definition: (p_o − p_e) / (1 − p_e)."""
    a, b = np.asarray(a), np.asarray(b)
    po = np.mean(a == b)
    pe = a.mean() * b.mean() + (1 - a.mean()) * (1 - b.mean())
    return (po - pe) / (1 - pe)


@pytest.mark.parametrize("seed", range(6))
def test_kappa_matches_sklearn_and_formula(seed):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 2, 30)
    b = np.where(rng.random(30) < 0.8, a, 1 - a)
    row = agreement_row(a, b, level=0.95, n_boot=0, rng=rng)
    assert row["kappa"] == pytest.approx(cohen_kappa_score(a, b))
    assert row["kappa"] == pytest.approx(direct_kappa(a, b))
    assert row["pabak"] == pytest.approx(2 * np.mean(a == b) - 1)
    assert row["kappa_ci_low"] <= row["kappa"] <= row["kappa_ci_high"]


@pytest.mark.parametrize("seed", range(6))
def test_alpha_closed_form_matches_krippendorff(seed):
    rng = np.random.default_rng(100 + seed)
    a = rng.integers(0, 2, 25)
    b = np.where(rng.random(25) < 0.75, a, 1 - a)
    expected = krippendorff.alpha(
        reliability_data=np.vstack([a, b]), level_of_measurement="nominal"
    )
    assert alpha_binary(a, b)[0] == pytest.approx(expected)


def test_kappa_paradox_reported_with_pabak():
    # Rare code: high raw agreement, low κ; PABAK and prevalence show why.
    a = np.array([0] * 18 + [1, 0])
    b = np.array([0] * 18 + [0, 1])
    row = agreement_row(a, b, level=0.95, n_boot=0, rng=np.random.default_rng(0))
    assert row["pct_agreement"] == 0.9 and row["pabak"] == pytest.approx(0.8)
    assert row["kappa"] < 0 and row["prevalence"] == pytest.approx(0.05)


def test_undefined_when_code_never_used():
    a = b = np.zeros(10, dtype=int)
    row = agreement_row(a, b, level=0.95, n_boot=50, rng=np.random.default_rng(0))
    assert math.isnan(row["kappa"]) and math.isnan(row["krippendorff_alpha"])
    assert row["pct_agreement"] == 1.0
    assert kappa_flag(row["kappa"], 0.8) == "undefined"


def test_bootstrap_ci_seeded_and_contains_estimate():
    rng = np.random.default_rng(4)
    a = rng.integers(0, 2, 40)
    b = np.where(rng.random(40) < 0.85, a, 1 - a)
    r1 = agreement_row(a, b, level=0.95, n_boot=300, rng=np.random.default_rng(9))
    r2 = agreement_row(a, b, level=0.95, n_boot=300, rng=np.random.default_rng(9))
    assert r1 == r2
    assert r1["alpha_ci_low"] <= r1["krippendorff_alpha"] <= r1["alpha_ci_high"]


def test_flags():
    assert kappa_flag(0.85, 0.8) == "meets_target" and kappa_flag(0.7, 0.8) == "below_target"
    assert alpha_flag(0.9, 0.8, 0.667) == "reliable"
    assert alpha_flag(0.7, 0.8, 0.667) == "tentative"
    assert alpha_flag(0.5, 0.8, 0.667) == "unreliable"


def test_double_coded_presence_and_table():
    segs = pd.DataFrame(
        {
            "interview_id": ["I1", "I1", "I2", "I2", "I3"],
            "code_path": ["x", "x", "x", "y", "y"],
            "coder": ["c1", "c2", "c1", "c2", "c1"],
        }
    )
    docs = pd.DataFrame({"interview_id": ["I1", "I2", "I3"], "double_coded": [True, True, False]})
    first, second = double_coded_presence(segs, docs, ["x", "y"], ("c1", "c2"))
    assert first.index.tolist() == ["I1", "I2"]  # only double-coded interviews are units
    assert first.to_numpy().tolist() == [[1, 0], [1, 0]]
    assert second.to_numpy().tolist() == [[1, 0], [0, 1]]
    table = intercoder_agreement(first, second, {"x": "tx", "y": "ty"}, n_boot=20, seed=1)
    assert table["code"].tolist() == ["x", "y", "all"]
    assert table.loc[2, "n_units"] == 4 and table.loc[2, "unit"] == "interview_x_code"
    assert table.loc[0, "pct_agreement"] == 0.5


def test_third_coder_does_not_create_units():
    """Units are interviews coded by both configured coders; a third coder's interview is no
    unit."""
    segs = pd.DataFrame(
        {
            "interview_id": ["I1", "I1", "I2", "I2", "I3", "I3"],
            "code_path": ["x", "x", "y", "y", "x", "y"],
            "coder": ["c1", "c2", "c1", "c2", "c1", "c3"],
        }
    )
    docs = pd.DataFrame({"interview_id": ["I1", "I2", "I3"], "double_coded": [True, True, True]})
    first, second = double_coded_presence(segs, docs, ["x", "y"], ("c1", "c2"))
    assert first.index.tolist() == second.index.tolist() == ["I1", "I2"]
    assert (second.sum(axis=1) > 0).all()  # no all-zero unit for the second coder
