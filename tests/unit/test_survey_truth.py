"""The analysis recovers the demo study's planted truth
(data/raw/survey/synthetic_truth-survey.json).

Planted region differences are detected with CIs covering the population values, the planted
null scales are not flagged after multiplicity adjustment, and the region difference in trust in
the AI (planted through profession mix only) vanishes once profession is in the model.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

from impleval.config import load_yaml
from impleval.survey.settings import validate_settings
from impleval.survey.stats.analyse import analyse_survey

REPO = Path(__file__).resolve().parents[2]
RAW = REPO / "data/raw/survey"
TRUTH = RAW / "synthetic_truth-survey.json"


@functools.lru_cache(maxsize=1)
def demo_results():
    """Prepare the committed demo export and analyse it (region comparisons; fewer resamples)."""
    from impleval.survey.io.prepare import prepare, read_export
    from impleval.survey.settings import load_study

    instrument = load_study(
        REPO / "config/demo-study/survey.yaml",
        REPO / "config/demo-study/organisation.yaml",
        REPO / "config/schema/survey.schema.yaml",
    )
    export = read_export(
        {
            "format": "nettskjema_wide",
            "report": RAW / "synthetic_nettskjema-data-report.csv",
            "codebook": RAW / "synthetic_nettskjema-codebook.json",
        },
        instrument,
    )
    prepared = prepare(export, instrument, on_hit="redact")
    settings = validate_settings(
        load_yaml(REPO / "config/demo-study/survey-analysis.yaml"),
        REPO / "config/schema/survey-analysis.schema.yaml",
    )
    settings["group_vars"] = [g for g in settings["group_vars"] if g["name"] in ("region", "role")]
    settings["bootstrap"].update(n_boot=199, n_boot_omega=30)
    res = analyse_survey(
        prepared.respondents, prepared.responses, settings, min_cell=5, seed=20230829
    )
    return prepared, settings, res


@pytest.fixture(scope="module")
def demo():
    if not TRUTH.exists():
        pytest.skip("demo survey export not generated")
    return demo_results()


@pytest.fixture(scope="module")
def truth():
    return json.loads(TRUTH.read_text(encoding="utf-8"))


def _pair(res, scale, a, b):
    rows = res.pairwise[
        (res.pairwise["outcome"] == scale)
        & (res.pairwise["group_var"] == "region")
        & (res.pairwise["group_a"] == a)
        & (res.pairwise["group_b"] == b)
    ]
    assert len(rows) == 1, (scale, a, b)
    return rows.iloc[0]


def _omnibus(res, scale):
    rows = res.omnibus[
        (res.omnibus["outcome"] == scale)
        & (res.omnibus["group_var"] == "region")
        & (res.omnibus["test"] == "welch_anova")
    ]
    return rows.iloc[0]


def test_planted_pairs_covered_by_hedges_g_intervals(demo, truth):
    _, _, res = demo
    pop = truth["population"]["scales"]
    for scale, pairs in truth["planted_pairs"].items():
        for pair in pairs:
            a, b = pair.split("-")
            row = _pair(res, scale, a, b)
            g = pop[scale]["pairs"][pair]["hedges_g"]
            assert row["es_ci_low"] <= g <= row["es_ci_high"], (scale, pair, g, row["effect_size"])


def test_planted_differences_detected(demo, truth):
    _, _, res = demo
    pop = truth["population"]["scales"]
    for scale in truth["planted_pairs"]:
        largest = max(abs(v["hedges_g"]) for v in pop[scale]["pairs"].values())
        if largest < 0.3:  # ~100–250 per region: only moderate effects have reasonable power
            continue
        assert _omnibus(res, scale)["p_adjusted"] < 0.05, scale
    # The largest planted contrast is significant on its own (Games–Howell).
    assert _pair(res, "coherence", "hso", "nord")["p_adjusted"] < 0.05


def test_planted_nulls_not_flagged(demo, truth):
    _, _, res = demo
    for scale in truth["null_scales"]:
        assert _omnibus(res, scale)["p_adjusted"] >= 0.05, scale
        pairs = res.pairwise[
            (res.pairwise["outcome"] == scale) & (res.pairwise["group_var"] == "region")
        ]
        assert (pairs["p_adjusted"] >= 0.05).all(), scale


def test_scale_means_cover_population_means(demo, truth):
    _, _, res = demo
    summary = res.group_summary
    misses, total = 0, 0
    for scale, spec in truth["population"]["scales"].items():
        for region, mean in spec["mean_by_region"].items():
            row = summary[
                (summary["outcome"] == scale)
                & (summary["group_var"] == "region")
                & (summary["group"] == region)
            ].iloc[0]
            half = 1.96 * row["sd"] / row["n"] ** 0.5
            misses += not (row["mean"] - half <= mean <= row["mean"] + half)
            total += 1
    assert misses <= 2, f"{misses} of {total} region means outside their 95% intervals"


def test_confounded_region_effect_vanishes_after_adjustment(demo, truth):
    _, settings, res = demo
    scale = truth["confounded_scale"]
    items = settings["scales"][scale]["items"]
    joint = res.ordinal[res.ordinal["outcome"].isin(items) & (res.ordinal["variable"] == "region")]
    joint = joint.drop_duplicates(["outcome", "model"]).set_index(["model", "outcome"])
    # Adjusted for profession: no item's region effect survives the BH family.
    assert (joint.loc["adjusted", "joint_p_adjusted"] >= 0.05).all()
    # ... although the regions do differ before adjustment (the planted confounding).
    assert (joint.loc["unadjusted", "joint_p"] < 0.05).any()
    # Profession carries the effect.
    role = res.ordinal[res.ordinal["outcome"].isin(items) & (res.ordinal["variable"] == "role")]
    assert (role.drop_duplicates("outcome")["joint_p"] < 0.001).all()


def test_planted_scales_still_differ_after_adjustment(demo):
    _, settings, res = demo
    adjusted = res.ordinal[
        (res.ordinal["model"] == "adjusted") & (res.ordinal["variable"] == "region")
    ]
    adjusted = adjusted.drop_duplicates("outcome").set_index("outcome")["joint_p_adjusted"]
    for scale in ("coherence", "collective_action"):
        items = settings["scales"][scale]["items"]
        assert (adjusted.reindex(items) < 0.05).mean() >= 0.5, scale
