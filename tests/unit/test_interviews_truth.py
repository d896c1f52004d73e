"""The demo study's planted truth is recovered, and the three QDA formats give identical tables.

The demo interviews (data/raw/interviews, or generated into a temporary folder when absent) are
imported
from MAXQDA, QualCoder and REFI-QDA, and analysed with the study's settings (fewer bootstrap
resamples to keep the test quick).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from impleval.config import load_yaml
from impleval.interviews.settings import analysis_settings, study_defs
from impleval.interviews.stats.analyse import analyse

ROOT = Path(__file__).resolve().parents[2]
FORMATS = {
    "maxqda": {
        "segments": "synthetic_maxqda-coded-segments.xlsx",
        "document_variables": "synthetic_maxqda-document-variables.xlsx",
    },
    "qualcoder": {"qualcoder_project": "synthetic_qualcoder.qda/data.qda"},
    "refi_qda": {"refi_project": "synthetic_refi.qdpx"},
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from impleval.demo import interviews as demo_interviews

    config = load_yaml(ROOT / "config/config.yaml")
    study = {name: load_yaml(ROOT / path) for name, path in config["study"].items()}
    out = ROOT / "data/raw/interviews"
    if not (out / "synthetic_truth-interviews.json").exists():  # a checkout without demo exports
        out = tmp_path_factory.mktemp("interviews")
        demo_interviews.generate(out, study)
    truth = json.loads((out / "synthetic_truth-interviews.json").read_text(encoding="utf-8"))
    return out, study, truth, config


@pytest.fixture(scope="module")
def results(demo):
    from impleval.interviews.io.prepare import prepare_interviews

    out, study, _, config = demo
    settings = analysis_settings(
        ROOT / config["study"]["interviews_analysis"],
        ROOT / "config/schema/interviews-analysis.schema.yaml",
    )
    settings["agreement"]["n_boot"] = 200
    settings["stage_tests"]["fisher_resamples"] = 999
    defs = study_defs(study["interviews"], study["organisation"])
    tables = {}
    for fmt, files in FORMATS.items():
        paths = {key: str(out / name) for key, name in files.items()}
        segments, documents, _ = prepare_interviews(
            fmt, paths, study["interviews"], study["organisation"]
        )
        tables[fmt] = analyse(
            segments, documents, defs, settings, min_cell=config["min_cell"], seed=config["seed"]
        )
    return tables


def test_formats_give_identical_tables(results):
    reference = results["maxqda"]
    for fmt in ("qualcoder", "refi_qda"):
        for name, df in reference.items():
            pd.testing.assert_frame_equal(df, results[fmt][name], obj=f"{fmt}:{name}")


def test_planted_trends_recovered(demo, results):
    _, _, truth, _ = demo
    tests = results["maxqda"]["theme_stage_tests"]
    trend = tests[tests["test"] == "cochran_armitage"].set_index("theme")
    chi = tests[tests["effect_size_name"] == "cramers_v_corrected"].set_index("theme")
    for theme, kind in truth["trend_themes"].items():
        if kind == "rising":
            assert trend.loc[theme, "significant"] and trend.loc[theme, "effect_size"] > 0, theme
        elif kind == "falling":
            assert trend.loc[theme, "significant"] and trend.loc[theme, "effect_size"] < 0, theme
        else:  # a peak: the omnibus chi-square finds it even where a linear trend does not
            assert chi.loc[theme, "significant"], theme
    for theme in truth["null_themes"]:
        assert not trend.loc[theme, "significant"], theme
        assert not chi.loc[theme, "significant"], theme


def test_planted_agreement_recovered(demo, results):
    _, _, truth, _ = demo
    agr = results["maxqda"]["intercoder_agreement"]
    per_theme = agr[agr["code"] != "all"].set_index("theme")
    assert (per_theme["n_units"] == truth["n_double_coded"]).all()
    low = truth["low_agreement_themes"]
    high = [t for t in truth["agreement"] if t not in low]
    # Every planted low-agreement code falls short of the κ target; the typical high code meets it.
    assert (per_theme.loc[low, "kappa"] < 0.8).all()
    assert per_theme.loc[high, "kappa"].median() >= 0.8
    assert per_theme.loc[low, "kappa"].max() < per_theme.loc[high, "kappa"].median()
    # The pooled κ sits near the simulated expectation of the planted agreement.
    expected = [
        v["expected_kappa_simulated_mean"]
        for v in truth["agreement"].values()
        if v.get("expected_kappa_simulated_mean") is not None
    ]
    pooled = agr[agr["code"] == "all"].iloc[0]
    assert abs(pooled["kappa"] - sum(expected) / len(expected)) < 0.15


def test_stakeholder_structure(demo, results):
    _, _, truth, _ = demo
    sh = results["maxqda"]["stakeholder_benefits"]
    planted = {
        (v["stakeholder"], v["theme"], v["kind"]) for v in truth["stakeholder_benefits"].values()
    }
    rebuilt = set(zip(sh["stakeholder"], sh["theme"], sh["kind"], strict=True)) - {
        (g, "all", "all") for g in sh["stakeholder"]
    }
    assert rebuilt == planted
