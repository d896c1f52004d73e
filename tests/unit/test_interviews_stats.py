"""Interview statistics on small simulated canonical tables (impleval.interviews.stats_*)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from impleval.errors import InputError
from impleval.interviews.quotes import coarsen_attribution, select_quotes
from impleval.interviews.stats_analyse import analyse
from impleval.interviews.stats_cooccurrence import theme_cooccurrence
from impleval.interviews.stats_prevalence import code_prevalence, presence
from impleval.interviews.stats_simulate import simulate, simulated_defs
from impleval.interviews.stats_stage import cramers_v_corrected, shape_of, trend_test
from impleval.interviews.stats_stakeholders import stakeholder_benefits
from impleval.interviews.stats_study import analysis_settings

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "config/demo-study/interviews-analysis.yaml"
SCHEMA = ROOT / "config/schema/interviews-analysis.schema.yaml"


@pytest.fixture(scope="module")
def frames():
    return simulate(n_per_stage=20, seed=2)


@pytest.fixture(scope="module")
def settings():
    s = analysis_settings(SETTINGS, SCHEMA)
    s["agreement"]["n_boot"] = 200  # fast unit tests
    s["stage_tests"]["fisher_resamples"] = 499
    return s


@pytest.fixture(scope="module")
def tables(frames, settings):
    segments, documents = frames
    return analyse(segments, documents, simulated_defs(), settings, min_cell=5, seed=7)


def test_settings_defaults_filled(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("primary_coder: c1\n", encoding="utf-8")
    s = analysis_settings(path, SCHEMA)
    assert s["agreement"]["kappa_target"] == 0.80 and s["stage_tests"]["adjust"] == "fdr_bh"
    assert s["quotes"]["per_theme"] == 2


def test_settings_errors_listed(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("stage_tests: {adjust: magic}\nagreement: {kappa_target: 2}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        analysis_settings(path, SCHEMA)
    assert len(err.value.problems) == 2 and "a.yaml" in str(err.value)


def test_prevalence_counts_interviews_not_segments(frames):
    segments, documents = frames
    defs = simulated_defs()
    prev = code_prevalence(segments, documents, defs, coder="coder_1", breakdowns=[[], ["stage"]])
    prim = segments[segments["coder"] == "coder_1"]
    row = prev[(prev["code"] == "Task shifting") & (prev["stage"] == "all")].iloc[0]
    assert row["n_interviews"] == prim.loc[prim["code_path"] == "Task shifting", "interview_id"].nunique()
    assert row["n_segments"] == (prim["code_path"] == "Task shifting").sum()
    assert row["n_interviews_total"] == len(documents)  # interviews without the code still count
    by_stage = prev[(prev["code"] == "Task shifting") & (prev["stage"] != "all")]
    assert by_stage["n_interviews"].sum() == row["n_interviews"]
    assert list(by_stage["stage"]) == defs.stages


def test_prevalence_denominator_includes_uncoded_interviews():
    segs, docs = simulate(n_per_stage=5, seed=3)
    extra = pd.DataFrame([dict(interview_id="I999", stage="procurement", region="hso", trust="t",
                               role="manager", double_coded=False)])
    prev = code_prevalence(segs, pd.concat([docs, extra]), simulated_defs(), coder="coder_1", breakdowns=[[]])
    assert (prev["n_interviews_total"] == len(docs) + 1).all()


def test_prevalence_small_cells_suppressed(tables):
    prev = tables["code_prevalence"]
    small = prev[prev["suppressed"]]
    assert small["share"].isna().all() and small["n_interviews"].isna().all()
    visible = prev[~prev["suppressed"]]
    assert (visible["n_interviews_total"] >= 5).all()
    assert set(prev.columns) >= {"code", "theme", "stage", "region", "role", "n_interviews",
                                 "n_interviews_total", "share", "n_segments", "suppressed"}


def test_trend_test_matches_hand_cochran_armitage():
    table = np.array([[3, 8, 15, 19], [18, 13, 6, 2]])
    res = trend_test(table)
    x = np.arange(4)
    yes, n = table[0], table.sum(axis=0)
    big_n = n.sum()
    p = yes.sum() / big_n
    t = (x * (yes - n * p)).sum()
    var = p * (1 - p) * ((n * x**2).sum() - (n * x).sum() ** 2 / big_n)
    z_ca = t / np.sqrt(var)
    # statsmodels' linear-by-linear statistic is (N-1)/N times the classic CA chi-square.
    assert res["statistic"] == pytest.approx(z_ca**2 * (big_n - 1) / big_n)
    assert res["effect_size"] > 0  # rising share → positive r


def test_cramers_v_corrected_bounds():
    table = np.array([[10, 0], [0, 10]])
    assert 0.8 < cramers_v_corrected(20.0, table) <= 1.0
    assert cramers_v_corrected(0.0, np.array([[5, 5], [5, 5]])) == 0.0


def test_shape_of():
    assert shape_of(np.array([0.1, 0.8, 0.3, 0.1])) == "peak"
    assert shape_of(np.array([0.1, 0.3, 0.6, 0.8])) == "up"
    assert shape_of(np.array([0.8, 0.4, 0.2, 0.1])) == "down"


def test_stage_tests_find_planted_trends(tables):
    t = tables["theme_stage_tests"]
    trend = t[t["test"] == "cochran_armitage"].set_index("theme")
    assert trend.loc["dialogue_procurement", "significant"] and trend.loc["dialogue_procurement", "effect_size"] < 0
    assert trend.loc["task_shifting", "significant"] and trend.loc["task_shifting", "effect_size"] > 0
    assert not trend.loc["trust_in_ai", "significant"]
    assert (t["p_adjusted"] >= t["p_value"] - 1e-12).all()


def test_cooccurrence_jaccard():
    present = pd.DataFrame({"a": [1, 1, 0, 0], "b": [1, 0, 1, 0], "c": [0, 0, 0, 0]})
    out = theme_cooccurrence(present, ["a", "b", "c"]).set_index(["theme_a", "theme_b"])
    assert out.loc[("a", "b"), "n_interviews"] == 1
    assert out.loc[("a", "b"), "jaccard"] == pytest.approx(1 / 3)
    assert out.loc[("b", "c"), "jaccard"] == 0 and out.loc[("b", "c"), "n_either"] == 2


def test_presence_is_per_interview(frames):
    segments, documents = frames
    p = presence(segments[segments["coder"] == "coder_1"], documents, "theme")
    assert len(p) == len(documents) and set(np.unique(p.to_numpy())) <= {0, 1}


def test_stakeholder_table(frames):
    segments, documents = frames
    sh = stakeholder_benefits(segments, documents, simulated_defs(), coder="coder_1")
    assert set(sh["stakeholder"]) == {"patients", "orthopaedists"}
    ch = sh[(sh["kind"] == "challenge") & (sh["stage"] == "all")].iloc[0]
    prim = segments[segments["coder"] == "coder_1"]
    assert ch["n_interviews"] == prim.loc[prim["code_path"].str.contains("False positives"), "interview_id"].nunique()
    any_row = sh[(sh["stakeholder"] == "patients") & (sh["theme"] == "all") & (sh["stage"] == "all")].iloc[0]
    assert any_row["n_interviews_total"] == len(documents)


def test_quotes_rule_reproducible_and_attribution(frames):
    segments, documents = frames
    kw = dict(coder="coder_1", per_theme=2, min_chars=10, max_chars=400, one_per_interview=True)
    q1 = select_quotes(segments, ["task_shifting"], seed=1, **kw)
    q2 = select_quotes(segments.sample(frac=1, random_state=5), ["task_shifting"], seed=1, **kw)
    pd.testing.assert_frame_equal(q1.reset_index(drop=True), q2.reset_index(drop=True))
    assert q1["interview_id"].is_unique and len(q1) == 2
    assert (q1["quote"].str.len() <= q1["quote"].str.len().max()).all()
    coarse = coarsen_attribution(q1, documents, min_cell=10_000)
    assert (coarse["role"] == "all").all() and (coarse["region"] == "all").all()


def test_quotes_have_only_role_and_region(tables):
    assert list(tables["quotes"].columns)[:4] == ["theme", "quote", "role", "region"]
    assert "trust" not in tables["quotes"].columns and "stage" not in tables["quotes"].columns


def test_quotes_pass_deid_gate(frames, settings):
    segments, documents = frames
    segments = segments.copy()
    segments.loc[segments.index[0], "text"] = "Ring meg på 912 34 567 om dette, det gjelder oppgaveglidning."
    bad_theme = segments.loc[segments.index[0], "theme"]
    s = {**settings, "quotes": {**settings["quotes"], "min_chars": 10, "max_chars": 80, "per_theme": 50}}
    with pytest.raises(InputError) as err:
        analyse(segments, documents, simulated_defs(), s, min_cell=5, seed=7)
    assert "912" not in str(err.value)
    out = analyse(segments, documents, simulated_defs(), s, min_cell=5, seed=7, on_hit="redact")
    assert not out["quotes"]["quote"].str.contains("912 34 567").any()
    assert bad_theme in set(out["quotes"]["theme"])


def test_analysis_is_deterministic(frames, settings, tables):
    segments, documents = frames
    again = analyse(segments, documents, simulated_defs(), settings, min_cell=5, seed=7)
    for name, df in tables.items():
        pd.testing.assert_frame_equal(df, again[name])


def test_agreement_disabled(frames, settings):
    segments, documents = frames
    s = {**settings, "agreement": {**settings["agreement"], "enabled": False}}
    out = analyse(segments, documents, simulated_defs(), s, min_cell=5, seed=7)
    assert out["intercoder_agreement"].empty and "kappa" in out["intercoder_agreement"].columns


def test_missing_canonical_column(frames, settings):
    segments, documents = frames
    with pytest.raises(InputError, match="theme"):
        analyse(segments.drop(columns=["theme"]), documents, simulated_defs(), settings, min_cell=5, seed=7)
