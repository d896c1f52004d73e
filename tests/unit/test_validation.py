"""The calibration study, reduced (few replicates, wide tolerances): every family runs through
the pipeline's own statistics, the summary has every row with finite rates, and what cannot be
wrong even with few replicates is not (validation/RESULTS.md has the full study)."""

import numpy as np
import pytest

from validation import interviews as vi
from validation import survey as vs
from validation.common import rate, replicate_seed
from validation.study import REDUCED, markdown, run

pytestmark = pytest.mark.validation


@pytest.fixture(scope="module")
def study():
    return run(REDUCED, n_jobs=1)


def test_every_family_is_summarised(study):
    table = study["table"]
    families = set(table["family"])
    for family in (
        "scale omnibus (Welch)",
        "item screen (Kruskal–Wallis)",
        "adjusted region test (scale level)",
        "rule: explained / persists",
        "ordinal odds ratios",
        "stage trend (Cochran–Armitage)",
        "Cohen's κ",
    ):
        assert family in families, family
    assert any(f.startswith("ITS") for f in families)
    assert table["estimate"].notna().all() and (table["n"] > 0).all()
    assert ((table["low"] <= table["estimate"]) & (table["estimate"] <= table["high"])).all()


def test_wide_tolerances(study):
    """Few replicates: only gross miscalibration fails here (the targets are for the full run)."""
    t = study["table"]
    coverage = t[t["target"] == "coverage"]
    coverage = coverage[~coverage["quantity"].str.contains("null items")]  # ε² ≥ 0, see RESULTS
    assert (coverage["estimate"] >= 0.6).all(), coverage[["quantity", "estimate"]]
    type_i = t[t["target"].isin(["type_i", "type_i_max", "fwer"])]
    assert (type_i["estimate"] <= 0.3).all(), type_i[["quantity", "estimate"]]


def test_results_markdown(study):
    text = markdown(study)
    assert "Master seed" in text and "| family | quantity |" in text


def test_truths_from_the_plant():
    settings = vs.analysis_settings()
    null, conf = vs.SCENARIOS["null"], vs.SCENARIOS["confounded"]
    assert vs.marginal_null(null, "trust_in_ai") and vs.adjusted_null(null, "trust_in_ai")
    assert not vs.marginal_null(conf, "trust_in_ai") and vs.adjusted_null(conf, "trust_in_ai")
    assert not vs.adjusted_null(conf, "coherence")
    assert vs.population_epsilon2(null, "coherence") == pytest.approx(0, abs=1e-12)
    assert vs.population_epsilon2(conf, "coherence") > 0.005
    ors = vs.pseudo_true_odds_ratios(null, "trust_in_ai", settings)
    region = [v for k, v in ors.items() if "region[" in k]
    np.testing.assert_allclose(region, 1.0, atol=1e-4)  # no region effect: OR 1 in both models
    assert ors["adjusted|role[radiologist]"] < 0.5  # professions differ on trust in the AI
    kappa = vi.truth()
    assert all(0 < k["kappa"] < 1 for k in kappa.values())


def test_rates_and_seeds():
    import pandas as pd

    hits = pd.Series([1, 0, 0, 0, 1, 0])
    one = rate(hits, pd.Series(range(6)))
    assert one["estimate"] == pytest.approx(1 / 3) and one["low"] < 1 / 3 < one["high"]
    clustered = rate(hits, pd.Series([0, 0, 1, 1, 2, 2]))
    assert clustered["replicates"] == 3 and clustered["n"] == 6
    assert replicate_seed(1, "a", 0) == replicate_seed(1, "a", 0) != replicate_seed(1, "b", 0)
