"""Disclosure by subtraction (issue 16): small cells stay hidden across hierarchies (region ⊃ trust
⊃ site) and every printed margin. The property tests build random hierarchies with tiny groups,
print them the way the pipeline does, and check with their OWN linear system of printed totals
(not the one the library derives) that no hidden cell can be pinned down: min and max of every
hidden cell over the non-negative solutions (scipy linprog) differ by at least min_cell."""

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from impleval.privacy.suppress import (
    ALL,
    Margin,
    additive_groups,
    breakdown_cells,
    exposed_cells,
    nesting,
    protect,
    suppress_table,
)

# --- the independent check ----------------------------------------------------------------------


def feasible_interval(values, hidden, equations, cell):
    """[min, max] of `cell` given the visible values and `equations` (total, parts) that hold."""
    idx = {h: i for i, h in enumerate(np.flatnonzero(hidden))}
    rows, rhs = [], []
    for total, parts in equations:
        members = [(total, 1.0), *((p, -1.0) for p in parts)]
        if not any(hidden[p] for p, _ in members):
            continue
        row, b = np.zeros(len(idx)), 0.0
        for p, sign in members:
            if hidden[p]:
                row[idx[p]] += sign
            else:
                b -= sign * values[p]
        rows.append(row)
        rhs.append(b)
    c = np.zeros(len(idx))
    c[idx[cell]] = 1
    out = []
    for sign in (1, -1):
        res = linprog(
            sign * c,
            A_eq=np.array(rows) if rows else None,
            b_eq=np.array(rhs) if rows else None,
            bounds=(0, None),
            method="highs",
        )
        assert res.status in (0, 3), res.message  # the truth is a solution: never infeasible
        out.append(np.inf if res.status == 3 else sign * res.fun)
    return out[0], out[1]


def assert_nothing_recoverable(values, hidden, equations, min_cell):
    values = np.asarray(values, dtype=float)
    for cell in np.flatnonzero(hidden):
        lo, hi = feasible_interval(values, hidden, equations, cell)
        assert lo <= values[cell] <= hi
        assert hi - lo >= min_cell, f"cell {cell} (value {values[cell]}) pinned to [{lo}, {hi}]"
    visible = values[~hidden]
    assert not ((visible > 0) & (visible < min_cell)).any()


# --- random hierarchies printed as breakdowns (the survey group summary) -------------------------

tiny_or_not = st.one_of(st.integers(0, 4), st.integers(0, 4), st.integers(5, 60))


@st.composite
def hierarchies(draw):
    """(site counts by role, site → trust, trust → region): 2-4 regions, 1-4 trusts each, 1-3
    sites each, 1-3 roles, many tiny cells."""
    n_roles = draw(st.integers(1, 3))
    site_trust, trust_region, counts = {}, {}, {}
    for r in range(draw(st.integers(2, 4))):
        for t in range(draw(st.integers(1, 4))):
            trust = f"t{r}{t}"
            trust_region[trust] = f"r{r}"
            for s in range(draw(st.integers(1, 3))):
                site = f"s{r}{t}{s}"
                site_trust[site] = trust
                for k in range(n_roles):
                    counts[(site, f"role{k}")] = draw(tiny_or_not)
    return counts, site_trust, trust_region


def printed_breakdowns(counts, site_trust, trust_region, variables):
    """Rows (variable, level, n) as the group summary prints them, and the true equations."""
    people = []
    for (site, role), n in counts.items():
        trust = site_trust[site]
        people.append(
            {"site": site, "trust": trust, "region": trust_region[trust], "role": role, "n": n}
        )
    people = pd.DataFrame(people)
    rows = []
    for var in variables:
        for level, n in people.groupby(var)["n"].sum().items():
            rows.append((var, level, n))
        rows.append((var, ALL, people["n"].sum()))
    table = pd.DataFrame(rows, columns=["variable", "level", "n"])
    pos = {
        (v, lv): i for i, (v, lv) in enumerate(zip(table["variable"], table["level"], strict=True))
    }
    equations = []
    alls = [pos[(v, ALL)] for v in variables]
    equations += [(alls[0], (a,)) for a in alls[1:]]  # the grand total printed per variable
    for var in variables:
        levels = [pos[(var, lv)] for lv in people[var].unique()]
        equations.append((pos[(var, ALL)], tuple(levels)))
    parent = {"site": ("trust", site_trust), "trust": ("region", trust_region)}
    for child, (par, mapping) in parent.items():
        if child in variables and par in variables:
            for p in set(mapping.values()):
                kids = [pos[(child, c)] for c in mapping if mapping[c] == p and (child, c) in pos]
                equations.append((pos[(par, p)], tuple(kids)))
    if {"site", "region"} <= set(variables) and "trust" not in variables:
        for r in set(trust_region.values()):
            kids = [pos[("site", s)] for s, t in site_trust.items() if trust_region[t] == r]
            equations.append((pos[("region", r)], tuple(kids)))
    return table, people, equations


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    hierarchies(),
    st.sampled_from(
        [
            ["region", "trust"],
            ["region", "trust", "role"],
            ["region", "trust", "site"],
            ["region", "site", "role"],
            ["trust", "site"],
        ]
    ),
    st.integers(3, 6),
)
@example(  # one trust per region: each region's cell equals its trust's (found by CI)
    data=(
        {("s000", "role0"): 0, ("s100", "role0"): 5},
        {"s000": "t00", "s100": "t10"},
        {"t00": "r0", "t10": "r1"},
    ),
    variables=["region", "trust"],
    min_cell=3,
)
def test_no_hidden_cell_is_recoverable_across_the_hierarchy(data, variables, min_cell):
    counts, site_trust, trust_region = data
    table, people, equations = printed_breakdowns(counts, site_trust, trust_region, variables)
    cells = breakdown_cells(table, variable="variable", level="level", variables=variables)
    margins = additive_groups(cells, variables, hierarchy=nesting(people, variables))
    out = suppress_table(table, n_col="n", value_cols=[], min_cell=min_cell, margins=margins)
    hidden = out["suppressed"].to_numpy(bool)
    assert_nothing_recoverable(table["n"].to_numpy(), hidden, equations, min_cell)


# --- random cubes with margins (interview prevalence: stage × region × role) ---------------------


@st.composite
def cubes(draw):
    dims = {"stage": draw(st.integers(2, 3)), "region": draw(st.integers(2, 4)), "role": 2}
    inner = {
        key: draw(tiny_or_not) for key in itertools.product(*(range(k) for k in dims.values()))
    }
    printed = draw(
        st.sampled_from(
            [
                [(), ("stage",), ("region",), ("role",), ("stage", "region")],
                [(), ("stage",), ("region",), ("role",), ("stage", "region"), ("stage", "role")],
                [(), ("stage",), ("region",), ("stage", "region"), ("stage", "region", "role")],
            ]
        )
    )
    return dims, inner, printed


def printed_cube(dims, inner, printed):
    names = list(dims)
    rows = []
    for fixed in printed:
        for levels in itertools.product(*(range(dims[d]) for d in fixed)):
            cell = dict.fromkeys(names, ALL)
            cell.update({d: str(lv) for d, lv in zip(fixed, levels, strict=True)})
            n = sum(
                v
                for key, v in inner.items()
                if all(str(key[names.index(d)]) == cell[d] for d in fixed)
            )
            rows.append({**cell, "n": n})
    table = pd.DataFrame(rows)
    keyed = {tuple(r[d] for d in names): i for i, r in table.iterrows()}
    equations = []
    for cell, i in keyed.items():
        for k, d in enumerate(names):
            if cell[k] != ALL:
                continue
            parts = [
                keyed[c]
                for c in keyed
                if c[k] != ALL and all(c[e] == cell[e] for e in range(len(names)) if e != k)
            ]
            if parts and len(parts) == dims[d]:
                equations.append((i, tuple(parts)))
    return table, equations


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cubes(), st.integers(3, 6))
def test_no_hidden_cell_is_recoverable_in_a_cube_with_margins(cube, min_cell):
    dims, inner, printed = cube
    table, equations = printed_cube(dims, inner, printed)
    margins = additive_groups(table, list(dims))
    out = suppress_table(table, n_col="n", value_cols=[], min_cell=min_cell, margins=margins)
    assert_nothing_recoverable(
        table["n"].to_numpy(), out["suppressed"].to_numpy(bool), equations, min_cell
    )


# --- the issue's case and the building blocks ----------------------------------------------------


def issue_table():
    """One region reduced to 3 respondents: all 466 = hso 245 + nord 116 + midt 102 + vest 3,
    nord = unn 94 + helgeland 22, midt = hmr 52 + stolav 50, vest = bergen 2 + fonna 1 (issue
    16's subtraction attack)."""
    rows = [
        ("region", "hso", 245),
        ("region", "nord", 116),
        ("region", "midt", 102),
        ("region", "vest", 3),
        ("region", ALL, 466),
        ("trust", "ous", 145),
        ("trust", "ahus", 100),
        ("trust", "unn", 94),
        ("trust", "helgeland", 22),
        ("trust", "hmr", 52),
        ("trust", "stolav", 50),
        ("trust", "bergen", 2),
        ("trust", "fonna", 1),
        ("trust", ALL, 466),
    ]
    return pd.DataFrame(rows, columns=["group_var", "group", "n"])


TOTALS = [(4, (0, 1, 2, 3)), (13, tuple(range(5, 13)))]  # regions and trusts add up to all
TRUST_REGION = {
    "ous": "hso",
    "ahus": "hso",
    "unn": "nord",
    "helgeland": "nord",
    "hmr": "midt",
    "stolav": "midt",
    "bergen": "vest",
    "fonna": "vest",
}


def test_issue_case_nothing_recoverable():
    table = issue_table()
    cells = breakdown_cells(
        table, variable="group_var", level="group", variables=["region", "trust"]
    )
    margins = additive_groups(
        cells, ["region", "trust"], hierarchy={"trust": ("region", TRUST_REGION)}
    )
    out = suppress_table(table, n_col="n", value_cols=[], min_cell=5, margins=margins)
    hidden = out["suppressed"].to_numpy(bool)
    pos = {g: i for i, g in enumerate(table["group"])}
    equations = [
        *TOTALS,
        (4, (13,)),
        *(
            (pos[r], tuple(pos[t] for t in TRUST_REGION if TRUST_REGION[t] == r))
            for r in ["hso", "nord", "midt", "vest"]
        ),
    ]
    assert_nothing_recoverable(table["n"].to_numpy(), hidden, equations, 5)
    # Without the hierarchy the old rule hid vest + midt and left hmr and stolav visible.
    assert hidden[pos["vest"]] and hidden[pos["bergen"]] and hidden[pos["fonna"]]
    assert hidden[pos["midt"]] and hidden[pos["hmr"]] or hidden[pos["stolav"]]


def test_the_old_per_breakdown_rule_is_recoverable_by_subtraction():
    """What issue 16 found: suppressing each breakdown on its own leaves vest = 466 − 245 − 116 −
    (52 + 50) = 3 for anyone with the trust rows."""
    from impleval.privacy.suppress import apply_small_cell_rule

    table = issue_table()
    old = apply_small_cell_rule(
        table, n_col="n", value_cols=[], min_cell=5, secondary_by=[["group_var"]]
    )
    hidden = old["suppressed"].to_numpy(bool)
    pos = {g: i for i, g in enumerate(table["group"])}
    equations = [
        *TOTALS,
        *(
            (pos[r], tuple(pos[t] for t in TRUST_REGION if TRUST_REGION[t] == r))
            for r in ["hso", "nord", "midt", "vest"]
        ),
    ]
    lo, hi = feasible_interval(table["n"].to_numpy(float), hidden, equations, pos["vest"])
    assert lo == hi == 3


def test_additive_groups_of_breakdowns_with_nesting():
    table = issue_table()
    cells = breakdown_cells(
        table, variable="group_var", level="group", variables=["region", "trust"]
    )
    margins = additive_groups(
        cells, ["region", "trust"], hierarchy={"trust": ("region", TRUST_REGION)}
    )
    got = {(m.total, m.parts) for m in margins}
    assert (4, (0, 1, 2, 3)) in got  # regions add up to the total
    assert (4, tuple(range(5, 13))) in got  # so do the trusts
    assert (4, (13,)) in got  # the total printed twice is one cell
    assert (1, (7, 8)) in got and (2, (9, 10)) in got  # nord, midt = their trusts
    assert (3, (11, 12)) in got and (0, (5, 6)) in got
    assert len(got) == 7


def test_nesting_from_data_finds_the_closest_parent():
    df = pd.DataFrame(
        {
            "site": ["a", "b", "c", "d"],
            "trust": ["t1", "t1", "t2", "t3"],
            "region": ["r1", "r1", "r1", "r2"],
            "role": ["x", "y", "x", "y"],
        }
    )
    found = nesting(df, ["site", "trust", "region", "role"])
    assert found["site"][0] == "trust" and found["trust"] == (
        "region",
        {"t1": "r1", "t2": "r1", "t3": "r2"},
    )
    assert "region" not in found and "role" not in found


def test_sites_within_trusts_within_regions_without_printed_margins_need_no_complements():
    """The monitoring series print one row per site and period and no totals: primary only."""
    cells = pd.DataFrame({"site": ["a", "b", "c"]})
    assert additive_groups(cells, ["site"], within=pd.Series(["w1", "w1", "w1"])) == []
    # With a printed region total the sites of that region become one additive group.
    cells = pd.DataFrame({"site": ["a", "b", ALL], "region": ["r1", "r1", "r1"]})
    hierarchy = {"site": ("region", {"a": "r1", "b": "r1"})}
    assert additive_groups(cells, ["site", "region"], hierarchy=hierarchy) == [Margin(2, (0, 1))]


def test_audit_adds_complements_where_the_heuristic_leaves_a_cycle():
    """Three hidden cells in three two-cell relations: each pair's sum is printed, so every cell
    is determined (a + b, b + c, a + c) although each relation has two hidden cells."""
    values = np.array([3, 4, 3, 7, 7, 6, 17.0])
    margins = [Margin(3, (0, 1)), Margin(4, (1, 2)), Margin(5, (0, 2)), Margin(6, (0, 1, 2, 3))]
    primary = np.array([True, True, True, False, False, False, False])
    assert exposed_cells(values, primary, margins, 5) == [0, 1, 2]
    hidden = protect(values, primary, margins, 5)
    assert exposed_cells(values, hidden, margins, 5) == []
    equations = [(m.total, m.parts) for m in margins]
    assert_nothing_recoverable(values, hidden, equations, 5)


@pytest.mark.parametrize("min_cell", [3, 5])
def test_suppress_table_marks_rows_and_keeps_others(min_cell):
    table = issue_table().assign(mean=1.5)
    cells = breakdown_cells(
        table, variable="group_var", level="group", variables=["region", "trust"]
    )
    margins = additive_groups(
        cells, ["region", "trust"], hierarchy={"trust": ("region", TRUST_REGION)}
    )
    out = suppress_table(table, n_col="n", value_cols=["mean"], min_cell=min_cell, margins=margins)
    hidden = out["suppressed"].to_numpy(bool)
    assert out.loc[hidden, ["n", "mean"]].isna().all().all()
    assert (out.loc[~hidden, "n"].astype(int) == table.loc[~hidden, "n"]).all()
