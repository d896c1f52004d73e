"""Respondent characteristics and response rates: counts, shares, and small cells that cannot be
recovered from the printed totals."""

import pandas as pd

from impleval.survey.stats.characteristics import characteristics, response_rates

ORG = {
    "trusts": [
        {"id": "a", "region": "r1"},
        {"id": "b", "region": "r1"},
        {"id": "c", "region": "r2"},
        {"id": "d", "region": "r2"},
    ]
}


def submissions(per_trust: dict[str, tuple[int, int]], missing_trust: int = 0) -> pd.DataFrame:
    rows = []
    for trust, (analysed, excluded) in per_trust.items():
        rows += [{"trust": trust, "excluded_at": ""}] * analysed
        rows += [{"trust": trust, "excluded_at": "too_fast"}] * excluded
    rows += [{"trust": "", "excluded_at": "out_of_scope_role"}] * missing_trust
    return pd.DataFrame(rows)


def test_rates_per_trust_region_and_total():
    invited = {
        "trusts": {
            "a": {"invited": 100},
            "b": {"invited": 50},
            "c": {"invited": 40},
            "d": {"invited": 20},
        }
    }
    subs = submissions({"a": (40, 10), "b": (20, 5), "c": (10, 2), "d": (9, 1)}, missing_trust=3)
    table = response_rates(subs, invited, ORG, min_cell=5).set_index(["variable", "level"])
    assert table.loc[("trust", "a"), "response_rate"] == 0.5
    assert table.loc[("trust", "a"), "completion_rate"] == 0.8
    assert table.loc[("region", "r1"), "n_invited"] == 150
    assert table.loc[("region", "r1"), "n_received"] == 75
    # The total counts every submission, also those without a trust.
    assert table.loc[("all", "all"), "n_received"] == 100
    assert not table["suppressed"].any()


def test_a_small_trust_is_hidden_with_a_complement_in_its_region():
    invited = {
        "trusts": {
            "a": {"invited": 100},
            "b": {"invited": 10},
            "c": {"invited": 40},
            "d": {"invited": 20},
        }
    }
    subs = submissions({"a": (40, 10), "b": (2, 1), "c": (10, 2), "d": (9, 1)})
    table = response_rates(subs, invited, ORG, min_cell=5)
    hidden = table[table["suppressed"]]
    assert "b" in set(hidden["level"])
    # b's region r1 = a + b: a alone visible with r1 visible would give b away.
    r1 = table[(table["level"].isin(["a", "b", "r1"]))]
    assert r1["suppressed"].sum() >= 2
    assert hidden["n_received"].isna().all() and hidden["response_rate"].isna().all()


def test_characteristics_count_and_nest_trusts_in_regions():
    respondents = pd.DataFrame(
        {
            "region": ["r1"] * 12 + ["r2"] * 8,
            "trust": ["a"] * 9 + ["b"] * 3 + ["c"] * 8,
            "role": ["x", "y"] * 10,
        }
    )
    nested = {"trust": ("region", {"a": "r1", "b": "r1", "c": "r2"})}
    table = characteristics(
        respondents,
        ["region", "trust", "role"],
        by="region",
        cross=["role"],
        nested=nested,
        min_cell=5,
    )
    one_way = table[table["by"] == "all"].set_index(["variable", "level"])
    assert one_way.loc[("region", "all"), "n"] == 20
    assert bool(one_way.loc[("trust", "b"), "suppressed"])
    # b is hidden; a alone is r1 − b: a (or r1) must be hidden too.
    assert bool(one_way.loc[("trust", "a"), "suppressed"]) or bool(
        one_way.loc[("region", "r1"), "suppressed"]
    )
