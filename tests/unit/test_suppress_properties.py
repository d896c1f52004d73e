"""Property tests: after suppression no visible cell is below min_cell and no suppressed cell can
be recovered (or narrowed below min_cell) from a visible total minus visible cells."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from impleval.privacy.suppress import apply_small_cell_rule, suppress_crosstab

small_biased = st.one_of(st.integers(0, 6), st.integers(0, 40))


@st.composite
def grouped_tables(draw):
    rows = []
    for outcome in ["q1", "q2"][: draw(st.integers(1, 2))]:
        for group_var in ["region", "role"][: draw(st.integers(1, 2))]:
            ns = draw(st.lists(small_biased, min_size=1, max_size=6))
            for i, n in enumerate(ns):
                rows.append((outcome, group_var, f"g{i}", n))
            rows.append((outcome, group_var, "all", sum(ns)))
    df = pd.DataFrame(rows, columns=["outcome", "group_var", "group", "n"])
    df["k"] = df["n"] // 3
    df["pct"] = np.where(df["n"] > 0, 100 * df["k"] / df["n"].where(df["n"] > 0, 1), np.nan)
    return df


def _check_group(inner_n, inner_hidden, margin_n, margin_hidden, min_cell):
    if margin_hidden:
        return
    n_hidden = int(np.sum(inner_hidden))
    assert n_hidden != 1, "a lone suppressed cell is recoverable from the margin"
    recovered = margin_n - np.sum(inner_n[~inner_hidden])
    assert recovered == 0 or recovered >= min_cell, f"margin minus visible cells = {recovered}"


@settings(max_examples=100, deadline=None)
@given(grouped_tables(), st.integers(1, 6))
def test_small_cell_invariant_on_random_grouped_tables(df, min_cell):
    out = apply_small_cell_rule(
        df,
        n_col="n",
        value_cols=["k", "pct"],
        min_cell=min_cell,
        secondary_by=[["outcome", "group_var"]],
    )
    hidden = out["suppressed"].to_numpy(dtype=bool)
    # Marked, never silently blanked; nothing visible below min_cell; visible rows unchanged.
    assert (out["n"].isna().to_numpy() == hidden).all()
    assert out.loc[hidden, ["k", "pct"]].isna().all().all()
    assert (df.loc[~hidden, "n"] >= min_cell).all()
    assert (out.loc[~hidden, "n"].astype(int).to_numpy() == df.loc[~hidden, "n"].to_numpy()).all()
    for _, idx in df.groupby(["outcome", "group_var"]).groups.items():
        part = df.loc[idx]
        is_margin = (part["group"] == "all").to_numpy()
        n = part["n"].to_numpy()
        h = hidden[df.index.get_indexer(idx)]
        _check_group(n[~is_margin], h[~is_margin], n[is_margin][0], h[is_margin][0], min_cell)
        # Numerators: margin count minus visible counts must not expose a lone hidden row either.
        assert int(np.sum(h[~is_margin])) != 1 or h[is_margin][0]


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda r: st.integers(1, 5).flatmap(
            lambda c: st.lists(
                st.lists(small_biased, min_size=c, max_size=c), min_size=r, max_size=r
            )
        )
    ),
    st.integers(2, 6),
)
def test_crosstab_invariant_on_random_tables(cells, min_cell):
    counts = pd.DataFrame(cells)
    table, mask = suppress_crosstab(counts, min_cell)
    values = counts.to_numpy()
    full = np.zeros((values.shape[0] + 1, values.shape[1] + 1))
    full[:-1, :-1] = values
    full[:-1, -1] = values.sum(axis=1)
    full[-1, :] = full[:-1, :].sum(axis=0)
    m = mask.to_numpy()
    visible = full[~m]
    assert not ((visible > 0) & (visible < min_cell)).any()
    assert (table.to_numpy()[~m].astype(float) == visible).all()
    for r in range(full.shape[0]):
        _check_group(full[r, :-1], m[r, :-1], full[r, -1], m[r, -1], min_cell)
    for c in range(full.shape[1]):
        _check_group(full[:-1, c], m[:-1, c], full[-1, c], m[-1, c], min_cell)
