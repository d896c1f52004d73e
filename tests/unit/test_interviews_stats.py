"""Interview statistics on small simulated canonical tables (impleval.interviews.stats_*)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests

from impleval.demo.simulate_interviews import simulate, simulated_defs
from impleval.errors import InputError
from impleval.interviews.settings import analysis_settings
from impleval.interviews.stats.analyse import analyse
from impleval.interviews.stats.cooccurrence import theme_cooccurrence
from impleval.interviews.stats.prevalence import code_prevalence, presence
from impleval.interviews.stats.quotes import _tiebreak, coarsen_attribution, select_quotes
from impleval.interviews.stats.stage import (
    cramers_v_corrected,
    shape_of,
    theme_groups,
    theme_stage_tests,
    trend_test,
)
from impleval.interviews.stats.stakeholders import stakeholder_benefits
from impleval.interviews.values import interview_values

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
    path.write_text(
        "stage_tests: {adjust: magic}\nagreement: {kappa_target: 2}\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as err:
        analysis_settings(path, SCHEMA)
    assert len(err.value.problems) == 2 and "a.yaml" in str(err.value)


def test_prevalence_counts_interviews_not_segments(frames):
    segments, documents = frames
    defs = simulated_defs()
    prev = code_prevalence(segments, documents, defs, coder="coder_1", breakdowns=[[], ["stage"]])
    prim = segments[segments["coder"] == "coder_1"]
    row = prev[(prev["code"] == "Task shifting") & (prev["stage"] == "all")].iloc[0]
    assert (
        row["n_interviews"]
        == prim.loc[prim["code_path"] == "Task shifting", "interview_id"].nunique()
    )
    assert row["n_segments"] == (prim["code_path"] == "Task shifting").sum()
    assert row["n_interviews_total"] == len(documents)  # interviews without the code still count
    by_stage = prev[(prev["code"] == "Task shifting") & (prev["stage"] != "all")]
    assert by_stage["n_interviews"].sum() == row["n_interviews"]
    assert list(by_stage["stage"]) == defs.stages


def test_prevalence_denominator_includes_uncoded_interviews():
    segs, docs = simulate(n_per_stage=5, seed=3)
    extra = pd.DataFrame(
        [
            dict(
                interview_id="I999",
                stage="procurement",
                region="hso",
                trust="t",
                role="manager",
                double_coded=False,
            )
        ]
    )
    prev = code_prevalence(
        segs, pd.concat([docs, extra]), simulated_defs(), coder="coder_1", breakdowns=[[]]
    )
    assert (prev["n_interviews_total"] == len(docs) + 1).all()


def test_prevalence_small_cells_suppressed(tables):
    prev = tables["code_prevalence"]
    small = prev[prev["suppressed"]]
    assert small["share"].isna().all() and small["n_interviews"].isna().all()
    visible = prev[~prev["suppressed"]]
    assert (visible["n_interviews_total"] >= 5).all()
    assert set(prev.columns) >= {
        "code",
        "theme",
        "stage",
        "region",
        "role",
        "n_interviews",
        "n_interviews_total",
        "share",
        "n_segments",
        "suppressed",
    }


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
    assert (
        trend.loc["dialogue_procurement", "significant"]
        and trend.loc["dialogue_procurement", "effect_size"] < 0
    )
    assert (
        trend.loc["task_shifting", "significant"] and trend.loc["task_shifting", "effect_size"] > 0
    )
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
    assert (
        ch["n_interviews"]
        == prim.loc[prim["code_path"].str.contains("False positives"), "interview_id"].nunique()
    )
    any_row = sh[
        (sh["stakeholder"] == "patients") & (sh["theme"] == "all") & (sh["stage"] == "all")
    ].iloc[0]
    assert any_row["n_interviews_total"] == len(documents)


def test_quotes_rule_reproducible_and_attribution(frames):
    segments, documents = frames
    kw = dict(coder="coder_1", per_theme=2, min_chars=10, max_chars=400, one_per_interview=True)
    q1 = select_quotes(segments, ["task_shifting"], seed=1, **kw)
    q2 = select_quotes(segments.sample(frac=1, random_state=5), ["task_shifting"], seed=1, **kw)
    pd.testing.assert_frame_equal(q1.reset_index(drop=True), q2.reset_index(drop=True))
    assert q1["interview_id"].is_unique and len(q1) == 2
    coarse = coarsen_attribution(q1, documents, min_cell=10_000)
    assert (coarse["role"] == "all").all() and (coarse["region"] == "all").all()


@pytest.mark.parametrize("one_per_interview", [True, False])
def test_quotes_are_the_k_shortest_eligible(frames, one_per_interview):
    """Each theme's quotes are its k shortest eligible segments under the configured rule."""
    segments, _ = frames
    k, lo, hi = 3, 40, 220
    themes = ["task_shifting", "trust_in_ai", "dialogue_procurement", "challenge_ortho_false_pos"]
    q = select_quotes(
        segments,
        themes,
        coder="coder_1",
        per_theme=k,
        min_chars=lo,
        max_chars=hi,
        one_per_interview=one_per_interview,
        seed=1,
    )
    s = segments[segments["coder"] == "coder_1"].copy()
    s["quote"] = s["text"].astype(str).str.split().str.join(" ")
    s["length"] = s["quote"].str.len()
    eligible = s[s["length"].between(lo, hi)]
    assert len(eligible) < len(s)  # the length window really excludes something here
    for theme in themes:
        got = q[q["theme"] == theme]
        cand = eligible[eligible["theme"] == theme]
        assert len(got) == k and got["quote"].isin(set(cand["quote"])).all(), theme
        assert got["quote"].is_unique and (not one_per_interview or got["interview_id"].is_unique)
        # Nothing left out is shorter than the longest quote taken unless the rule forbids it
        # (its interview or its words are already quoted).
        taken = set(got["interview_id"]) if one_per_interview else set()
        left = cand[~cand["interview_id"].isin(taken) & ~cand["quote"].isin(set(got["quote"]))]
        assert (left["length"] >= got["quote"].str.len().max()).all(), theme
        # The same rule written out: shortest first, ties by the seeded hash, greedy skips.
        order = cand.assign(
            h=[
                _tiebreak(1, i, p)
                for i, p in zip(cand["interview_id"], cand["position"], strict=True)
            ]
        )
        used_i, used_q, ref = set(), set(), []
        for _, r in order.sort_values(["length", "h"]).iterrows():
            if (one_per_interview and r["interview_id"] in used_i) or r["quote"] in used_q:
                continue
            used_i.add(r["interview_id"]), used_q.add(r["quote"]), ref.append(r["quote"])
        assert got["quote"].tolist() == ref[:k], theme


def test_coarsening_is_per_role_across_the_quote_bank():
    """A role with one large and one small region cell loses the region in every quote."""
    documents = pd.DataFrame(
        {
            "interview_id": [f"i{j}" for j in range(20)],
            "role": ["nurse"] * 8 + ["manager"] * 6 + ["manager"] + ["porter"] * 5,
            "region": ["vest"] * 4 + ["nord"] * 4 + ["vest"] * 6 + ["midt"] + ["vest"] * 5,
        }
    )
    quotes = pd.DataFrame(
        {
            "interview_id": ["i0", "i4", "i8", "i9", "i14", "i15"],
            "theme": ["a"] * 6,
            "quote": list("uvwxyz"),
            "role": ["nurse", "nurse", "manager", "manager", "manager", "porter"],
            "region": ["vest", "nord", "vest", "vest", "midt", "vest"],
        }
    )
    out = coarsen_attribution(quotes, documents, min_cell=4).set_index("interview_id")
    # nurse: both region cells (4, 4) reach min_cell -> role and region kept.
    assert list(out.loc[["i0", "i4"], "region"]) == ["vest", "nord"]
    # manager: vest has 6, midt only 1 -> no manager quote names a region, not even the vest ones,
    # so the midt quote cannot be told apart from the others.
    managers = out[out["role"] == "manager"]
    assert len(managers) == 3 and (managers["region"] == "all").all()
    # porter: 5 interviews in one region cell -> kept.
    assert out.loc["i15", "region"] == "vest"
    # min_cell above a role's total: role and region both withheld.
    out = coarsen_attribution(quotes, documents, min_cell=6).set_index("interview_id")
    assert out.loc["i15", ["role", "region"]].tolist() == ["all", "all"]
    assert (out.loc[["i0", "i4"], "region"] == "all").all() and (
        out.loc[["i0", "i4"], "role"] == "nurse"
    ).all()
    assert (out.loc[["i8", "i9", "i14"], "role"] == "manager").all()


def test_quotes_have_only_role_and_region(tables):
    assert list(tables["quotes"].columns)[:4] == ["theme", "quote", "role", "region"]
    assert "trust" not in tables["quotes"].columns and "stage" not in tables["quotes"].columns


def test_quotes_pass_deid_gate(frames, settings):
    segments, documents = frames
    segments = segments.copy()
    segments.loc[segments.index[0], "text"] = (
        "Ring meg på 912 34 567 om dette, det gjelder oppgaveglidning."
    )
    bad_theme = segments.loc[segments.index[0], "theme"]
    s = {
        **settings,
        "quotes": {**settings["quotes"], "min_chars": 10, "max_chars": 80, "per_theme": 50},
    }
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
        analyse(
            segments.drop(columns=["theme"]),
            documents,
            simulated_defs(),
            settings,
            min_cell=5,
            seed=7,
        )


def test_stage_test_families_by_theme_group():
    """With groups, process themes and stakeholder effects are adjusted as separate families."""
    rng = np.random.default_rng(3)
    stages = ["s0", "s1", "s2", "s3"]
    stage = pd.Series(np.repeat(stages, 15), index=[f"i{j}" for j in range(60)])
    score = stage.map({s: k for k, s in enumerate(stages)}).to_numpy()
    present = pd.DataFrame(
        {f"t{j}": (rng.random(60) < 0.2 + 0.05 * j * score / 3).astype(int) for j in range(6)},
        index=stage.index,
    )
    themes = list(present.columns)
    groups = theme_groups(themes, themes[:2], "theme_group")
    assert groups == {"t0": "process", "t1": "process", **{t: "stakeholder" for t in themes[2:]}}
    assert theme_groups(themes, themes[:2], "all_themes") is None
    kw = dict(
        tests=["trend", "chi_square"], adjust_method="fdr_bh", alpha=0.05, resamples=99, seed=1
    )
    split = theme_stage_tests(present, stage, stages, themes, groups=groups, **kw)
    pooled = theme_stage_tests(present, stage, stages, themes, **kw)
    pd.testing.assert_series_equal(split["p_value"], pooled["p_value"])
    for name, rows in split.groupby("effect_size_name"):
        proc = rows[rows["theme"].isin(themes[:2])]
        assert np.allclose(proc["p_adjusted"], multipletests(proc["p_value"], method="fdr_bh")[1])
        other = pooled[pooled["effect_size_name"] == name]
        assert np.allclose(other["p_adjusted"], multipletests(other["p_value"], method="fdr_bh")[1])
    assert not np.allclose(split["p_adjusted"], pooled["p_adjusted"])


def test_values_are_language_neutral_facts(frames, settings, tables):
    """values/interviews.yml: ints and ids only, counted from the tables and canonical frames."""
    from impleval.interviews.stats.analyse import double_coded_units

    segments, documents = frames
    double = double_coded_units(segments, documents, settings)
    v = interview_values(tables, segments, documents, simulated_defs(), double, min_cell=5)
    agr = tables["intercoder_agreement"]
    assert v["n_interviews"] == len(documents)
    assert v["n_double_coded"] == int(agr.loc[agr["code"] != "all", "n_units"].max()) == len(double)
    assert v["n_quotes"] == len(tables["quotes"])
    assert v["n_unmapped_codes"] == 0 and v["quote_rule"] == "shortest"
    assert v["interviews_per_stage"] == {s: 20 for s in simulated_defs().stages}

    def leaves(obj):
        return [x for y in obj.values() for x in leaves(y)] if isinstance(obj, dict) else [obj]

    assert all(isinstance(x, int | str) and not isinstance(x, bool) for x in leaves(v))
    assert all(x in ("shortest",) for x in leaves(v) if isinstance(x, str))
    unmapped = segments.assign(
        theme=np.where(segments["code_path"] == "Trust in AI", "unmapped", segments["theme"])
    )
    again = interview_values(tables, unmapped, documents, simulated_defs(), double, min_cell=5)
    assert again["n_unmapped_codes"] == 1


def test_tables_hold_no_labels_or_sentences(tables):
    """Language-neutral results: no *_label columns and no attribution text in any table."""
    for name, df in tables.items():
        assert not [c for c in df.columns if c.endswith("_label")], name
    assert "attribution" not in tables["quotes"].columns


def test_informants_counts_margins_and_double_coding(frames, settings, tables):
    from impleval.interviews.stats.analyse import double_coded_units

    segments, documents = frames
    inf = tables["interview_informants"]
    assert list(inf.columns) == [
        "variable",
        "level",
        "by",
        "by_level",
        "n",
        "n_double_coded",
        "share",
        "suppressed",
    ]
    one_way = inf[inf["by"] == "all"].set_index(["variable", "level"])
    assert one_way.loc[("stage", "all"), "n"] == len(documents)
    assert [lvl for var, lvl in one_way.index if var == "stage"] == [
        *simulated_defs().stages,
        "all",
    ]
    double = set(double_coded_units(segments, documents, settings))
    assert one_way.loc[("stage", "all"), "n_double_coded"] == len(double)
    for region, n in documents["region"].value_counts().items():
        row = one_way.loc[("region", region)]
        assert row["suppressed"] or row["n"] == n
    assert set(
        map(tuple, inf.loc[inf["by"] != "all", ["variable", "by"]].drop_duplicates().values)
    ) == {
        ("stage", "region"),
        ("stage", "role"),
        ("region", "role"),
    }
    # Every visible cell of a crossing is the count of interviews with both values.
    cross = inf[(inf["by"] != "all") & (inf["level"] != "all") & ~inf["suppressed"]]
    for r in cross.itertuples():
        sel = documents[(documents[r.variable] == r.level) & (documents[r.by] == r.by_level)]
        assert r.n == len(sel) and r.n_double_coded == sel["interview_id"].isin(double).sum()


def test_informants_hide_small_cells_so_totals_do_not_reveal_them():
    """One region with 3 interviews: hidden, and no other printed count gives it away."""
    from impleval.interviews.stats.informants import interview_informants

    docs = pd.DataFrame(
        {
            "interview_id": [f"I{k:03d}" for k in range(1, 24)],
            "stage": ["procurement"] * 12 + ["implementation"] * 11,
            "region": ["hso"] * 10 + ["vest"] * 10 + ["nord"] * 3,
            "role": (["radiologist", "manager"] * 12)[:23],
        }
    )
    out = interview_informants(docs, simulated_defs(), {"I001", "I002"}, min_cell=5)
    one = out[(out["by"] == "all") & (out["variable"] == "region")].set_index("level")
    assert one.loc["nord", "suppressed"] and pd.isna(one.loc["nord", "n"])
    # Total minus the visible regions must not give nord: a complement is hidden too.
    assert one["suppressed"].sum() >= 2 or pd.isna(one.loc["all", "n"])
    for (_var, _by, _col), g in out.groupby(["variable", "by", "by_level"]):
        hidden = g[g["suppressed"]]
        assert len(hidden) != 1 or len(g) == 1, g
    shown = out[~out["suppressed"]]
    assert (shown["n"].astype(int).isin([0]) | (shown["n"] >= 5)).all()
