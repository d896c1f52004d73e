"""Small-cell suppression: primary, secondary, cross-tabs, figure groups."""

import numpy as np
import pandas as pd
import pytest

from impleval.privacy.suppress import apply_small_cell_rule, suppress_crosstab, visible_groups


def region_table(ns, all_n=None):
    groups = ["hso", "vest", "midt", "nord"][: len(ns)]
    n = list(ns) + [all_n if all_n is not None else sum(ns)]
    return pd.DataFrame(
        {
            "outcome": "q1",
            "group_var": "region",
            "group": groups + ["all"],
            "n": n,
            "k": [x // 2 for x in n],
            "pct": [50.0] * len(n),
        }
    )


def test_primary_and_secondary_suppression_with_margin_row():
    out = apply_small_cell_rule(
        region_table([40, 3, 12, 8]),
        n_col="n",
        value_cols=["k", "pct"],
        min_cell=5,
        secondary_by=[["outcome", "group_var"]],
    )
    assert out["suppressed"].tolist() == [False, True, False, True, False]
    assert out["n"].isna().tolist() == [False, True, False, True, False]
    assert out["pct"].isna().tolist() == [False, True, False, True, False]
    assert str(out["n"].dtype) == "Int64"  # counts stay integers


def test_without_secondary_only_primary():
    out = apply_small_cell_rule(
        region_table([40, 3, 12, 8]), n_col="n", value_cols=["pct"], min_cell=5
    )
    assert out["suppressed"].tolist() == [False, True, False, False, False]


def test_two_small_cells_whose_sum_is_small_get_a_third():
    out = apply_small_cell_rule(
        region_table([1, 2, 30, 40]),
        n_col="n",
        value_cols=["pct"],
        min_cell=5,
        secondary_by=[["outcome", "group_var"]],
    )
    assert out["suppressed"].tolist() == [True, True, True, False, False]


def test_nothing_small_nothing_suppressed_and_input_untouched():
    df = region_table([10, 20, 30, 40])
    before = df.copy()
    out = apply_small_cell_rule(
        df, n_col="n", value_cols=["pct"], min_cell=5, secondary_by=[["outcome"]]
    )
    assert not out["suppressed"].any()
    pd.testing.assert_frame_equal(df, before)


def test_existing_suppressed_flag_is_kept():
    df = region_table([10, 20, 30, 40]).assign(suppressed=[False, True, False, False, False])
    out = apply_small_cell_rule(
        df, n_col="n", value_cols=["pct"], min_cell=5, secondary_by=[["outcome"]]
    )
    assert out["suppressed"].sum() == 2


def test_missing_column_raises():
    with pytest.raises(KeyError):
        apply_small_cell_rule(region_table([10]), n_col="n", value_cols=["nope"], min_cell=5)


def test_crosstab_rows_and_columns_protected():
    counts = pd.DataFrame(
        [[10, 2, 7], [8, 9, 12], [0, 6, 3]], index=list("abc"), columns=list("xyz")
    )
    table, mask = suppress_crosstab(counts, 5)
    assert mask.loc["a", "y"] and mask.loc["c", "z"]
    assert mask.sum().sum() == 4
    assert table.loc["all", "all"] == 57
    assert pd.isna(table.loc["a", "y"])
    assert table.loc["c", "x"] == 0  # zeros are not small cells unless asked


def test_visible_groups_keeps_order():
    assert visible_groups({"nord": 3, "hso": 5, "vest": 10, "midt": np.nan}, 5) == ["hso", "vest"]
