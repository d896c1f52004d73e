"""Co-occurrence of themes within interviews: counts and the Jaccard index.

Jaccard = interviews mentioning both / interviews mentioning either. The small-cell rule applies
to the union (the number of interviews the cell is about).
"""

from __future__ import annotations

from itertools import combinations

import pandas as pd

COOCCURRENCE_COLUMNS = ["theme_a", "theme_b", "n_interviews", "n_either", "jaccard", "suppressed"]


def theme_cooccurrence(present: pd.DataFrame, themes: list[str]) -> pd.DataFrame:
    r"""Co-occurrence of themes within interviews: one row per unordered pair (a before b in the
    given order).

    Parameters
    ----------
    present : pandas.DataFrame
        Interview × theme 0/1.
    themes : list of str
        Themes to pair.

    Returns
    -------
    pandas.DataFrame
        theme_a, theme_b, n_interviews (both), n_either, jaccard.

    Notes
    -----
    :math:`J(A, B) = |A \cap B| / |A \cup B|` over the sets of interviews mentioning each theme.

    References
    ----------
    .. [1] Jaccard, P. (1912). The distribution of the flora in the alpine zone. New Phytologist,
       11(2), 37-50.
    """
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
    """Small-cell rule on the union (``n_either``, the interviews a cell is about).

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`theme_cooccurrence`.
    min_cell : int
        Smallest union shown.

    Returns
    -------
    pandas.DataFrame
        The table with suppressed cells NA and ``suppressed`` set.

    References
    ----------
    .. [1] Hundepool, A., et al. (2012). Statistical Disclosure Control. Wiley.
    """
    from impleval.privacy.suppress import apply_small_cell_rule

    out = apply_small_cell_rule(
        table, n_col="n_either", value_cols=["n_interviews", "jaccard"], min_cell=min_cell
    )
    return out[COOCCURRENCE_COLUMNS].reset_index(drop=True)
