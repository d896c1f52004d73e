"""likert_shares counts on codes (issue: 100× respondents): the same table, floats to the bit, as
the merge and the boolean selection per block, group and score it replaces."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from impleval.privacy.suppress import visible_groups
from impleval.survey.plots.likert import likert_shares


def _per_selection(responses, respondents, blocks, group_var, min_cell, levels=None):
    """likert_shares as it was: a merge, then a selection per block × group and per score."""
    item_block = {i: b for b, items in blocks.items() for i in items}
    df = responses[responses["item"].isin(item_block)].merge(
        respondents[["respondent_id", group_var]], on="respondent_id"
    )
    df["block"] = df["item"].map(item_block)
    df["nr"] = df["not_relevant"].astype(bool) | df["dont_know"].astype(bool)
    df = df[df["score"].notna() | df["nr"]]
    keep = visible_groups(respondents[group_var].value_counts().to_dict(), min_cell)
    df = df[df[group_var].isin(keep)]

    def seen(block):
        scores = df.loc[df["block"] == block, "score"].dropna()
        return [] if scores.empty else list(range(int(scores.min()), int(scores.max()) + 1))

    rows = []
    for (block, group), sub in df.groupby(["block", group_var], sort=False):
        scores = sub["score"].dropna()
        row = {"block": block, "group": group, "n": len(scores), "nr_share": sub["nr"].mean()}
        for k in (levels or {}).get(block) or seen(block):
            row[f"s{k}"] = (scores == k).mean() if len(scores) else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def _survey(seed: int, n: int = 900):
    """Respondents in groups (one tiny, some without a group) and their answers to six items in
    random order: 1-5 and 0-10 scores, not relevant and don't know, skipped items, answers from an
    id that is no respondent, and an item in no block."""
    rng = np.random.default_rng(seed)
    ids = [f"R{i:05d}" for i in range(n)]
    group = rng.choice(
        ["nord", "vest", "midt", "hso", "tiny"], size=n, p=[0.3, 0.3, 0.2, 0.19, 0.01]
    )
    group = pd.Series(group, dtype="str").mask(rng.random(n) < 0.03)
    respondents = pd.DataFrame({"respondent_id": pd.Series(ids, dtype="str"), "region": group})
    items = ["A1", "A2", "B1", "B2", "C1", "X9"]
    rid = np.repeat([*ids, "R99999"], len(items))
    item = np.tile(items, n + 1)
    top = np.where(np.isin(item, ["C1"]), 10, 5)
    score = rng.integers(1, top + 1).astype(float)
    nr = rng.random(len(item)) < 0.08
    dk = ~nr & (rng.random(len(item)) < 0.05)
    score[nr | dk | (rng.random(len(item)) < 0.1)] = np.nan
    order = rng.permutation(len(item))
    responses = pd.DataFrame(
        {
            "respondent_id": pd.Series(rid[order], dtype="str"),
            "item": pd.Series(item[order], dtype="str"),
            "score": score[order],
            "not_relevant": nr[order],
            "dont_know": dk[order],
        }
    )
    return respondents, responses


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shares_equal_the_selection_per_block_and_group(seed):
    respondents, responses = _survey(seed)
    blocks = {"a": ["A1", "A2"], "b": ["B1", "B2"], "c": ["C1"]}
    # Block c has no levels given: the scores seen (0-10 here, 1-10 observed) make its columns.
    for levels in ({"a": [1, 2, 3, 4, 5], "b": [1, 2, 3, 4, 5]}, None):
        got = likert_shares(responses, respondents, blocks, "region", 10, levels)
        want = _per_selection(responses, respondents, blocks, "region", 10, levels)
        pd.testing.assert_frame_equal(got, want, check_exact=True)
        assert "tiny" not in set(got["group"]) and got["group"].notna().all()


def test_a_group_with_only_not_relevant_answers_has_no_shares():
    respondents = pd.DataFrame({"respondent_id": ["R1", "R2", "R3"], "region": ["a", "a", "b"]})
    responses = pd.DataFrame(
        {
            "respondent_id": ["R1", "R2", "R3", "R3"],
            "item": ["I1", "I1", "I1", "I2"],
            "score": [2.0, 4.0, np.nan, np.nan],
            "not_relevant": [False, False, True, False],
            "dont_know": [False, False, False, True],
        }
    )
    got = likert_shares(responses, respondents, {"blk": ["I1", "I2"]}, "region", 1)
    want = _per_selection(responses, respondents, {"blk": ["I1", "I2"]}, "region", 1)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert got.loc[got["group"] == "b", ["n", "nr_share"]].values.tolist() == [[0, 1.0]]
    assert got.loc[got["group"] == "b", "s3"].isna().all()
