"""Co-occurrence of themes within interviews: counts and the Jaccard index.

Jaccard = interviews mentioning both / interviews mentioning either. The small-cell rule applies
to the union (the number of interviews the cell is about).
"""

from __future__ import annotations

from itertools import combinations

import pandas as pd

COOCCURRENCE_COLUMNS = ["theme_a", "theme_b", "n_interviews", "n_either", "jaccard", "suppressed"]


def theme_cooccurrence(present: pd.DataFrame, themes: list[str]) -> pd.DataFrame:
    """One row per unordered pair of `themes` (a before b in the given order)."""
    x = present.reindex(columns=themes, fill_value=0).astype(bool)
    rows = []
    for a, b in combinations(themes, 2):
        both = int((x[a] & x[b]).sum())
        either = int((x[a] | x[b]).sum())
        rows.append(
            {
                "theme_a": a,
                "theme_b": b,
                "n_interviews": both,
                "n_either": either,
                "jaccard": both / either if either else float("nan"),
            }
        )
    return pd.DataFrame(rows, columns=COOCCURRENCE_COLUMNS[:-1])


def suppress_cooccurrence(table: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    from impleval.privacy.suppress import apply_small_cell_rule

    out = apply_small_cell_rule(
        table, n_col="n_either", value_cols=["n_interviews", "jaccard"], min_cell=min_cell
    )
    return out[COOCCURRENCE_COLUMNS].reset_index(drop=True)
