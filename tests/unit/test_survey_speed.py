"""The fast paths of the survey statistics (issue 18) against the library calls and the loops
they replace: same numbers to rounding (1e-12 unless stated), same random streams.

Each test builds the reference the slow way (pingouin, scikit-posthocs, statsmodels on raw
observations, pandas pivot/crosstab, one factor fit per resample) on simulated data with ties,
small groups, missing answers and groups left out, and compares.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
import scikit_posthocs as sp
from scipy import stats

from impleval.survey.settings import GroupVar, group_vars
from impleval.survey.stats import compare as cmp
from impleval.survey.stats import effects as fx
from impleval.survey.stats.analyse import respondent_frame
from impleval.survey.stats.descriptives import describe, group_summary
from impleval.survey.stats.patterns import unique_rows
from impleval.survey.stats.reliability import (
    omega_uls_batch,
    omega_uls_fast,
    omega_with_ci,
    resample_correlations,
)
from impleval.survey.stats.scores import wide_not_substantive, wide_scores, wide_tables

REGION = GroupVar("region", "a", ("a", "b", "c", "d", "e"))


def _frame(seed: int = 0, n: int = 300) -> pd.DataFrame:
    """Respondents with a group (one tiny group, some missing), a 5-point item with ties and
    missing answers, and a continuous score."""
    rng = np.random.default_rng(seed)
    group = rng.choice(["a", "b", "c", "d", "e"], size=n, p=[0.3, 0.3, 0.25, 0.14, 0.01])
    group = pd.Series(group, dtype="str").mask(rng.random(n) < 0.05)
    shift = group.map({"a": 0, "b": 0.4, "c": -0.3, "d": 0.8, "e": 0}).fillna(0).to_numpy()
    item = np.clip(np.round(3 + shift + rng.normal(0, 1.2, n)), 1, 5)
    item[rng.random(n) < 0.1] = np.nan
    score = 3 + shift + rng.normal(0, 0.8, n)
    return pd.DataFrame(
        {"group__region": group, "item": item, "score": score, "nr": rng.random(n) < 0.15}
    )


@pytest.fixture(params=["str", "category"])
def frame(request):
    df = _frame()
    return df.astype({"group__region": request.param})


def _reference_groups(df, outcome, gv, min_cell):
    """The kept groups and their answers, the pandas way (the replaced `usable`)."""
    sub = df.loc[df[outcome].notna() & df[gv.column].notna(), [gv.column, outcome]]
    keep = cmp.kept_groups(sub[gv.column].astype(str).value_counts(), gv, min_cell)
    sub = sub[sub[gv.column].astype(str).isin(keep)].assign(
        **{gv.column: lambda d: d[gv.column].astype(str)}
    )
    return sub, keep


# --- grouping ---------------------------------------------------------------------------------


def test_split_matches_boolean_selection(frame):
    part = cmp.split(frame, "item", REGION, 5)
    sub, keep = _reference_groups(frame, "item", REGION, 5)
    assert part.groups == keep
    assert "e" not in keep  # the tiny group is left out (and one more as its complement)
    for g, values in zip(part.groups, part.values, strict=True):
        np.testing.assert_array_equal(values, sub.loc[sub[REGION.column] == g, "item"])
    levels, counts = part.level_counts()
    np.testing.assert_array_equal(levels, np.unique(sub["item"]))
    np.testing.assert_array_equal(counts, fx.level_counts(part.values, levels))


def test_split_level_counts_and_crosstab_with_many_groups_and_text():
    """split, level_counts and crosstab against the sorting route (np.unique, stable argsort of
    int64 keys, pd.crosstab) with 300 groups (16-bit sort keys), groups of one respondent, missing
    answers and text values with an empty string and mixed case."""
    rng = np.random.default_rng(11)
    n = 3000
    names = [f"g{i:03d}" for i in range(300)]
    group = rng.choice(names, n).astype(object)
    group[rng.random(n) < 0.03] = None
    group[:2] = ["solo", "other"]  # two groups of one respondent each
    answers = np.round(rng.normal(3, 1, n)) + 0.5 * (rng.random(n) < 0.1)
    answers[rng.random(n) < 0.1] = np.nan
    text = rng.choice(["Yes", "no", "", "yes", "Ja"], n).astype(object)
    df = pd.DataFrame({"group__many": group, "y": answers, "t": text})
    df["group__many"] = df["group__many"].astype("category")
    gv = GroupVar("many", "g000", ())
    part = cmp.split(df, "y", gv, 5)
    ok = df["y"].notna() & df["group__many"].notna()
    codes, names_of = cmp.group_codes(df, gv)
    position = {g: i for i, g in enumerate(part.groups)}
    key = np.array([position.get(names_of[c], -1) if c >= 0 else -1 for c in codes])
    rows = np.flatnonzero(ok.to_numpy() & (key >= 0))
    rows = rows[np.argsort(key[rows].astype(np.int64), kind="stable")]
    np.testing.assert_array_equal(part.answers, df["y"].to_numpy()[rows])
    assert not {"solo", "other"} & set(part.groups) and len(part.groups) > 255
    levels, counts = part.level_counts()
    np.testing.assert_array_equal(levels, np.unique(part.answers))
    np.testing.assert_array_equal(counts, fx.level_counts(part.values, levels))
    kept = part.groups[:40]
    table = cmp.crosstab(codes, names_of, df["t"].to_numpy(), kept)
    sub = df[df["group__many"].astype(str).isin(kept)]
    ref = pd.crosstab(sub["group__many"].astype(str), sub["t"])
    np.testing.assert_array_equal(table.to_numpy(), ref.to_numpy())
    assert list(table.index) == list(ref.index) and list(table.columns) == list(ref.columns)


def test_group_codes_of_text_and_numbers():
    df = pd.DataFrame({"group__region": pd.Series([1, "1", None, "b"], dtype=object)})
    codes, names = cmp.group_codes(df, REGION)
    assert names == ["1", "b"]
    assert [names[c] if c >= 0 else None for c in codes] == ["1", "1", None, "b"]


def test_crosstab_matches_pandas(frame):
    codes, names = cmp.group_codes(frame, REGION)
    keep = ["a", "c", "b"]
    ours = cmp.crosstab(codes, names, frame["nr"].to_numpy(), keep)
    sub = frame[frame[REGION.column].isin(keep)]
    ref = pd.crosstab(sub[REGION.column].astype(str), sub["nr"])
    np.testing.assert_array_equal(ours.to_numpy(), ref.to_numpy())
    assert list(ours.index) == list(ref.index) and list(ours.columns) == list(ref.columns)


# --- omnibus and pairwise tests ----------------------------------------------------------------


def test_kruskal_matches_pingouin_and_scipy(frame):
    row = cmp.kruskal_item(
        frame, "item", REGION, min_cell=5, n_boot=99, ci_level=0.95, rng=np.random.default_rng(1)
    )
    sub, keep = _reference_groups(frame, "item", REGION, 5)
    ref = pg.kruskal(data=sub, dv="item", between=REGION.column).iloc[0]
    assert row["statistic"] == pytest.approx(ref["H"], rel=1e-12)
    assert row["p_value"] == pytest.approx(ref["p_unc"], rel=1e-10)
    assert row["df1"] == ref["ddof1"] and row["n"] == len(sub) and row["n_groups"] == len(keep)
    h = stats.kruskal(*[sub.loc[sub[REGION.column] == g, "item"] for g in keep]).statistic
    assert row["statistic"] == pytest.approx(h, rel=1e-12)
    # The bootstrap interval draws the same stream as before: multinomial counts per kept group.
    samples = [sub.loc[sub[REGION.column] == g, "item"].to_numpy() for g in keep]
    counts = fx.level_counts(samples, np.unique(sub["item"]))
    low, high = fx.epsilon_squared_ci(
        counts, n_boot=99, ci_level=0.95, rng=np.random.default_rng(1)
    )
    assert (row["es_ci_low"], row["es_ci_high"]) == (low, high)


def test_a_shared_split_gives_the_same_rows(frame):
    """analyse splits an outcome once for the omnibus test and its pairwise follow-up: the rows
    equal those of each test splitting on its own."""
    item, score = cmp.split(frame, "item", REGION, 5), cmp.split(frame, "score", REGION, 5)
    kw = {"min_cell": 5, "n_boot": 49, "ci_level": 0.95}
    assert cmp.kruskal_item(
        frame, "item", REGION, **kw, rng=np.random.default_rng(1), part=item
    ) == cmp.kruskal_item(frame, "item", REGION, **kw, rng=np.random.default_rng(1))
    for test, outcome, part in (
        (cmp.dunn_item, "item", item),
        (cmp.welch_scale, "score", score),
        (cmp.games_howell_scale, "score", score),
    ):
        shared = test(frame, outcome, REGION, min_cell=5, ci_level=0.95, part=part)
        assert shared == test(frame, outcome, REGION, min_cell=5, ci_level=0.95)


def test_kruskal_of_a_single_answer_is_undefined():
    df = pd.DataFrame({"group__region": ["a"] * 6 + ["b"] * 6, "item": [3.0] * 12})
    row = cmp.kruskal_item(
        df, "item", REGION, min_cell=5, n_boot=9, ci_level=0.95, rng=np.random.default_rng(0)
    )
    assert np.isnan(row["statistic"]) and np.isnan(row["p_value"])


def test_dunn_matches_scikit_posthocs_and_cliffs_delta_matches_raw_ranks(frame):
    rows = cmp.dunn_item(frame, "item", REGION, min_cell=5, ci_level=0.9)
    sub, keep = _reference_groups(frame, "item", REGION, 5)
    p = sp.posthoc_dunn(sub, val_col="item", group_col=REGION.column, p_adjust=None)
    assert len(rows) == len(keep) * (len(keep) - 1) // 2
    for row in rows:
        a = sub.loc[sub[REGION.column] == row["group_a"], "item"].to_numpy()
        b = sub.loc[sub[REGION.column] == row["group_b"], "item"].to_numpy()
        assert row["p_value"] == pytest.approx(p.loc[row["group_a"], row["group_b"]], rel=1e-10)
        # z > 0 when a ranks higher: the sign of a's mean rank minus b's.
        ranks = stats.rankdata(sub["item"])
        mean_a = ranks[(sub[REGION.column] == row["group_a"]).to_numpy()].mean()
        mean_b = ranks[(sub[REGION.column] == row["group_b"]).to_numpy()].mean()
        assert np.sign(row["statistic"]) == np.sign(mean_a - mean_b)
        ref = fx.cliffs_delta(a, b, 0.9)
        got = (row["effect_size"], row["es_ci_low"], row["es_ci_high"])
        np.testing.assert_allclose(got, ref, rtol=0, atol=1e-12)
        assert (row["n_a"], row["n_b"]) == (len(a), len(b))


def test_cliffs_delta_from_counts_on_unequal_levels():
    rng = np.random.default_rng(5)
    for _ in range(20):
        a, b = rng.integers(0, 11, rng.integers(5, 40)), rng.integers(2, 8, rng.integers(5, 40))
        levels = np.unique(np.concatenate([a, b]))
        counts = fx.level_counts([a, b], levels)
        got = fx.cliffs_delta_from_counts(counts[0], counts[1], 0.95)
        np.testing.assert_allclose(got, fx.cliffs_delta(a, b, 0.95), rtol=0, atol=1e-12)


def test_welch_matches_pingouin(frame):
    row = cmp.welch_scale(frame, "score", REGION, min_cell=5, ci_level=0.95)
    sub, _ = _reference_groups(frame, "score", REGION, 5)
    ref = pg.welch_anova(data=sub, dv="score", between=REGION.column).iloc[0]
    assert row["statistic"] == pytest.approx(ref["F"], rel=1e-12)
    assert row["df2"] == pytest.approx(ref["ddof2"], rel=1e-12)
    assert row["df1"] == ref["ddof1"]
    assert row["p_value"] == pytest.approx(ref["p_unc"], rel=1e-9)


def test_games_howell_matches_pingouin_on_the_respondent_rows(frame):
    rows = cmp.games_howell_scale(frame, "score", REGION, min_cell=5, ci_level=0.95)
    sub, keep = _reference_groups(frame, "score", REGION, 5)
    ref = pg.pairwise_gameshowell(data=sub, dv="score", between=REGION.column, effsize="hedges")
    assert [(r["group_a"], r["group_b"]) for r in rows] == [
        (a, b) for i, a in enumerate(keep) for b in keep[i + 1 :]
    ]
    for row in rows:
        hit = ref[(ref["A"] == row["group_a"]) & (ref["B"] == row["group_b"])]
        sign = 1.0
        if hit.empty:  # pingouin orders pairs alphabetically: the row is flipped
            hit, sign = ref[(ref["A"] == row["group_b"]) & (ref["B"] == row["group_a"])], -1.0
        hit = hit.iloc[0]
        assert row["statistic"] == pytest.approx(sign * hit["T"], rel=1e-12)
        assert row["effect_size"] == pytest.approx(sign * hit["hedges"], rel=1e-12)
        assert row["p_value"] == pytest.approx(hit["pval"], rel=1e-12)
        means = sub.groupby(REGION.column)["score"].mean()
        assert row["mean_diff"] == pytest.approx(
            means[row["group_a"]] - means[row["group_b"]], abs=1e-12
        )


def test_not_relevant_and_categorical_match_pandas_crosstab(frame):
    flags = pd.DataFrame({"item": frame["nr"]})
    row = cmp.not_relevant_item(
        frame, flags, "item", REGION, min_cell=5, n_resamples=99, rng=np.random.default_rng(2)
    )
    answered = frame["item"].notna() | frame["nr"]
    sub = frame[answered & frame[REGION.column].notna()]
    keep = cmp.kept_groups(sub[REGION.column].astype(str).value_counts(), REGION, 5)
    sub = sub[sub[REGION.column].astype(str).isin(keep)]
    table = pd.crosstab(sub[REGION.column].astype(str), sub["nr"])
    test, chi2, dof, p = cmp.contingency_test(table, n_resamples=99, rng=np.random.default_rng(2))
    assert (row["test"], row["statistic"], row["df1"], row["p_value"], row["n"]) == (
        f"{test}_not_relevant",
        chi2,
        dof,
        p,
        len(sub),
    )
    training = frame.assign(item=np.where(frame["score"] > 3, "yes", "no")).astype({"item": "str"})
    training.loc[training.index[:7], "item"] = ""
    row = cmp.categorical_item(
        training, "item", REGION, min_cell=5, n_resamples=99, rng=np.random.default_rng(3)
    )
    sub = training[(training["item"] != "") & training[REGION.column].notna()]
    keep = cmp.kept_groups(sub[REGION.column].astype(str).value_counts(), REGION, 5)
    sub = sub[sub[REGION.column].astype(str).isin(keep)]
    table = pd.crosstab(sub[REGION.column].astype(str), sub["item"].astype(str))
    ref = cmp.contingency_test(table, n_resamples=99, rng=np.random.default_rng(3))
    assert (row["test"], row["statistic"], row["df1"], row["p_value"]) == ref
    assert row["n"] == len(sub)


# --- descriptives and wide tables ---------------------------------------------------------------


@pytest.mark.parametrize("missing_role", [False, True])
def test_group_summary_matches_masks_over_the_frame(small, missing_role):
    """Every row described from its own mask; the `all` rows are shared between variables only
    where they hold the same respondents (not when some respondents lack a role)."""
    respondents, responses, settings = small
    data, flags, _ = respondent_frame(respondents, responses, settings)
    gvs = group_vars(settings)
    if missing_role:
        data = data.copy()
        data.loc[data.index[::7], "group__role"] = np.nan
    cuts = {"agree_min": 4, "disagree_max": 2}
    outcomes = [("CO1", "item", cuts), ("coherence", "scale", cuts)]
    table = group_summary(data, flags, outcomes, gvs, min_cell=1)
    for outcome, kind, _ in outcomes:
        for gv in gvs:
            groups = data[gv.column].astype("string")
            for group in gv.order(groups.dropna().unique()) + ["all"]:
                mask = groups.notna() if group == "all" else (groups == group).fillna(False)
                nr = flags.loc[mask, outcome] if kind == "item" else None
                ref = describe(data.loc[mask, outcome], nr, cuts)
                got = table[
                    (table["outcome"] == outcome)
                    & (table["group_var"] == gv.name)
                    & (table["group"] == group)
                ].iloc[0]
                assert not got["suppressed"]
                for key, value in ref.items():
                    assert got[key] == pytest.approx(value, rel=1e-15, nan_ok=True), (group, key)


def test_margins_nest_on_the_distinct_level_combinations(small):
    """descriptives._margins finds the nesting on one row per combination of levels: the same
    additive relations as from every respondent's row."""
    from impleval.privacy.suppress import additive_groups, breakdown_cells, nesting
    from impleval.survey.stats.descriptives import _margins

    respondents, responses, settings = small
    data, flags, _ = respondent_frame(respondents, responses, settings)
    gvs = group_vars(settings)
    names = [gv.name for gv in gvs]
    cuts = {"agree_min": 4, "disagree_max": 2}
    table = group_summary(data, flags, [("CO1", "item", cuts)], gvs, min_cell=1)
    every_row = pd.DataFrame({gv.name: data[gv.column].astype("string") for gv in gvs})
    cells = breakdown_cells(table, variable="group_var", level="group", variables=names)
    want = additive_groups(cells, names, hierarchy=nesting(every_row, names))
    assert nesting(every_row, names)  # trust within region: a nesting to find
    assert _margins(table, data, gvs) == want


def test_wide_tables_match_pivot(small):
    _, responses, _ = small
    ref = responses.pivot(index="respondent_id", columns="item", values="score").astype(float)
    ref.columns.name = None
    pd.testing.assert_frame_equal(wide_scores(responses), ref)
    flag = responses["not_relevant"] | responses["dont_know"]
    ref_flags = responses.assign(f=flag).pivot(index="respondent_id", columns="item", values="f")
    ref_flags.columns.name = None
    pd.testing.assert_frame_equal(wide_not_substantive(responses), ref_flags.astype(bool))
    with pytest.raises(ValueError, match="duplicate"):
        wide_tables(pd.concat([responses, responses.head(1)]))


# --- reliability ----------------------------------------------------------------------------------


def _items(n: int, k: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    factor = rng.normal(size=(n, 1))
    return np.clip(np.round(3 + factor + rng.normal(0, 1, (n, k))), 1, 5)


def test_unique_rows_equal_numpy_unique_rows():
    """patterns.unique_rows = np.unique(x, axis=0, return_inverse=True): the same sorted
    patterns and the same numbering, for 0/1 dummies, other values, one row, one column and a
    pattern held by one row only."""
    rng = np.random.default_rng(4)
    cases = [
        (rng.random((300, 5)) < 0.2).astype(float),
        rng.integers(-2, 3, (200, 3)) * 0.5,  # negative and fractional values
        np.array([[1.0, 0.0, 1.0]]),  # one row
        (rng.random((50, 1)) < 0.5).astype(float),  # one column
    ]
    single = (rng.random((100, 4)) < 0.3).astype(float)
    single[single.sum(axis=1) == 4] = 0.0
    single[17] = 1.0  # the only all-ones row: a pattern of its own
    cases.append(single)
    cases.append(_items(500, 6, 1))  # answer patterns of a scale (reliability bootstrap)
    for x in cases:
        patterns, pattern_of = unique_rows(x)
        want, want_of = np.unique(x, axis=0, return_inverse=True)
        np.testing.assert_array_equal(patterns, want)
        np.testing.assert_array_equal(pattern_of, np.asarray(want_of).ravel())
    patterns, pattern_of = unique_rows(np.empty((0, 2)))
    assert patterns.shape == (0, 2) and pattern_of.shape == (0,)


def test_omega_batch_equals_one_fit_per_matrix():
    rng = np.random.default_rng(0)
    corrs = [np.corrcoef(_items(40, k, s), rowvar=False) for s, k in enumerate([3, 3, 4, 7, 7])]
    corrs.append(np.eye(3) * 0.5 + 0.5)  # singular: every item the same
    for k in (3, 4, 7):
        group = [c for c in corrs if len(c) == k]
        got = omega_uls_batch(np.stack(group))
        np.testing.assert_allclose(got, [omega_uls_fast(c) for c in group], rtol=0, atol=1e-12)
    assert omega_uls_batch(np.empty((0, 3, 3))).shape == (0,)
    assert rng is not None


def test_resample_correlations_equal_corrcoef_of_the_resampled_rows():
    items = _items(12, 4, 3)  # small: some resamples have a constant item
    items[:, 3] = np.where(np.arange(12) < 10, 2.0, 4.0)
    ref_rng, rng = np.random.default_rng(9), np.random.default_rng(9)
    got = resample_correlations(items, rng, 300, chunk=50)
    n_constant = 0
    for b in range(300):
        with np.errstate(invalid="ignore", divide="ignore"):
            ref = np.corrcoef(items[ref_rng.integers(0, 12, 12)], rowvar=False)
        if not np.isfinite(ref).all():
            n_constant += 1
            assert np.isnan(got[b]).all()
        else:
            np.testing.assert_allclose(got[b], ref, rtol=0, atol=1e-12)
    assert n_constant > 0  # the case was exercised
    assert rng.random() == ref_rng.random()  # both streams advanced alike


def test_omega_interval_equals_the_per_resample_loop():
    items = _items(150, 5, 4)

    def reference(rng, n_boot=60):
        boot = np.empty(n_boot)
        for b in range(n_boot):
            with np.errstate(invalid="ignore", divide="ignore"):
                corr = np.corrcoef(items[rng.integers(0, len(items), len(items))], rowvar=False)
            boot[b] = omega_uls_fast(corr) if np.isfinite(corr).all() else np.nan
        return np.quantile(boot[np.isfinite(boot)], [0.025, 0.975])

    omega, low, high = omega_with_ci(items, n_boot=60, ci_level=0.95, rng=np.random.default_rng(8))
    np.testing.assert_allclose([low, high], reference(np.random.default_rng(8)), atol=1e-12)
    assert low < omega < high


def test_ordinal_models_same_on_categorical_and_text_groups_with_a_left_out_level(small):
    from impleval.survey.stats.analyse import ordinal_models

    respondents, responses, settings = small
    respondents = respondents.copy()
    respondents.loc[respondents.index[:3], "region"] = "tiny"  # left out, with a complement
    data, _, _ = respondent_frame(respondents, responses, settings)
    gvs = group_vars(settings)
    assert isinstance(data["group__region"].dtype, pd.CategoricalDtype)
    text = data.astype({g.column: "str" for g in gvs})
    got = ordinal_models(data, settings, gvs, min_cell=5)
    ref = ordinal_models(text, settings, gvs, min_cell=5)
    assert len(got) and "tiny" not in set(got["level"])
    pd.testing.assert_frame_equal(got, ref)


def test_text_levels_keeps_text_categoricals_and_converts_the_rest():
    """The ordinal models take text levels: a categorical of text categories passes as it is
    (no per-row conversion), numeric categories and object columns become text."""
    from impleval.survey.stats.analyse import text_levels

    df = pd.DataFrame(
        {
            "text": pd.Categorical(["b", "a", "b"], categories=["a", "b", "unused"]),
            "number": pd.Categorical([1, 2, 1]),
            "object": pd.Series([1, "x", 2], dtype=object),
        }
    )
    out = text_levels(df, ["text", "number", "object"])
    assert out["text"].dtype == df["text"].dtype
    assert list(out["number"]) == ["1", "2", "1"] and list(out["object"]) == ["1", "x", "2"]
    assert text_levels(df, ["text"]) is df


@pytest.mark.parametrize("dtype", ["str", object, "category"])
def test_design_equals_get_dummies(dtype):
    """ordinal.design = the Categorical + get_dummies route written out: same columns, same
    order, same 0/1 values, for text, object and categorical predictors, a reference absent from
    the data and a variable with the reference only (a guard for any faster rewrite)."""
    from impleval.survey.stats.ordinal import design

    def reference(df, variables, references):
        parts = []
        for var in variables:
            levels = [references[var]] + sorted(set(df[var]) - {references[var]})
            cat = pd.Categorical(df[var], categories=levels)
            dummies = pd.get_dummies(cat, prefix=var, prefix_sep="[", dtype=float).iloc[:, 1:]
            dummies.columns = [f"{c}]" for c in dummies.columns]
            parts.append(dummies.set_axis(df.index))
        return pd.concat(parts, axis=1) if parts else pd.DataFrame(index=df.index)

    rng = np.random.default_rng(3)
    df = pd.DataFrame(
        {
            "region": rng.choice(["hso", "vest", "midt", "nord"], 200),
            "role": rng.choice(["radiographer", "radiologist", "other"], 200),
            "only": ["x"] * 200,
        },
        index=rng.permutation(1000)[:200],
    ).astype(dtype)
    references = {"region": "hso", "role": "nurse", "only": "x"}  # `nurse` absent
    for variables in (["region"], ["region", "role"], ["role", "only"], ["only"], []):
        pd.testing.assert_frame_equal(
            design(df, variables, references), reference(df, variables, references)
        )
    if dtype == "category":  # rows of a level left out: its category stays, unused
        left = df.assign(region=df["region"].cat.add_categories("tiny"))
        left = left[left["region"] != "vest"]
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no deprecated recoding into fewer categories
            got = design(left, ["region", "role"], references)
        want = reference(left.astype(str), ["region", "role"], references)
        pd.testing.assert_frame_equal(got, want)
