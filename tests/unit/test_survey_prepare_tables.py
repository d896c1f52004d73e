"""The canonical tables built from distinct values (issue: 100× respondents) equal the per-cell
construction they replace: same texts, scores and flags, same dtypes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from impleval.survey.io.prepare import canonical_responses, joined_comments
from impleval.survey.settings import DONT_KNOW, NOT_RELEVANT


def _kept(instrument, n: int, seed: int = 5) -> pd.DataFrame:
    """n validated submissions: every item answered with its codes or numbers, or skipped (a
    choice also with a code outside the instrument, which scores nothing)."""
    rng = np.random.default_rng(seed)
    data = {}
    for c in instrument.item_columns:
        if c.kind in ("linear", "number"):
            lo, hi = c.linear or (0, 10)
            options = [*(str(v) for v in range(lo, hi + 1)), ""]
        else:
            options = [*c.codes, "", "zz"]
        data[c.name] = rng.choice(np.array(options, dtype=object), size=n)
    return pd.DataFrame(data, dtype="str")


def _per_cell(kept: pd.DataFrame, ids: pd.Series, instrument) -> pd.DataFrame:
    """One Python object per cell, as the table was built before."""
    rows = []
    for i, rid in enumerate(ids):
        for c in instrument.item_columns:
            code = kept[c.name].iloc[i]
            if c.kind in ("linear", "number"):
                score, miss = (float(code) if code != "" else np.nan), None
            else:
                score, miss = c.codes.get(code, (None, None))
                score = np.nan if score is None else float(score)
            rows.append((rid, c.item, code, score, miss == NOT_RELEVANT, miss == DONT_KNOW))
    columns = ["respondent_id", "item", "code", "score", "not_relevant", "dont_know"]
    frame = pd.DataFrame({name: [r[j] for r in rows] for j, name in enumerate(columns)})
    return frame.astype({"respondent_id": str, "item": str, "code": str})


def test_canonical_responses_equal_the_per_cell_table(instrument):
    kept = _kept(instrument, 300)
    ids = pd.Series([f"R{i:05d}" for i in range(1, len(kept) + 1)])
    got = canonical_responses(kept, ids, instrument)
    pd.testing.assert_frame_equal(got, _per_cell(kept, ids, instrument), check_exact=True)
    assert got["not_relevant"].any() and got["score"].isna().any()
    assert got["code"].array._pa_array.type == pd.array(["x"], dtype="str")._pa_array.type


def test_joined_comments_skip_empty_texts():
    text = pd.DataFrame(
        {"c1": ["a", "", "", "x\ny"], "c2": ["b", "c", "", ""], "c3": ["", "d", "", "z"]},
        dtype="str",
    )
    assert joined_comments(text) == ["a\nb", "c\nd", "", "x\ny\nz"]
    assert joined_comments(text.iloc[:0]) == []
