"""Effect sizes shared by the survey and interview analyses."""

from __future__ import annotations

import numpy as np


def cramers_v_corrected(chi2: float, table: np.ndarray) -> float:
    r"""Bias-corrected Cramér's V of a contingency table.

    Written by hand: ``scipy.stats.contingency.association`` has only the uncorrected V, which
    is biased upwards in small tables.

    Parameters
    ----------
    chi2 : float
        Pearson's chi-square statistic of `table` (without continuity correction).
    table : numpy.ndarray
        The r × k table of counts the statistic was computed from.

    Returns
    -------
    float
        The corrected V in [0, 1]; NaN when the corrected table has fewer than two rows or
        columns.

    Notes
    -----
    With :math:`n` the total count, :math:`\varphi^2 = \chi^2 / n` and

    .. math::

        \tilde\varphi^2 = \max\left(0, \varphi^2 - \frac{(k-1)(r-1)}{n-1}\right), \quad
        \tilde r = r - \frac{(r-1)^2}{n-1}, \quad \tilde k = k - \frac{(k-1)^2}{n-1},

        \tilde V = \sqrt{\tilde\varphi^2 / \min(\tilde k - 1, \tilde r - 1)}.

    References
    ----------
    .. [1] Bergsma, W. (2013). A bias-correction for Cramér's V and Tschuprow's T. Journal of the
       Korean Statistical Society, 42(3), 323-328. https://doi.org/10.1016/j.jkss.2012.10.002
    """
    n = table.sum()
    r, k = table.shape
    phi2 = max(0.0, chi2 / n - (k - 1) * (r - 1) / (n - 1))
    r_c = r - (r - 1) ** 2 / (n - 1)
    k_c = k - (k - 1) ** 2 / (n - 1)
    denom = min(k_c - 1, r_c - 1)
    return float(np.sqrt(phi2 / denom)) if denom > 0 else float("nan")
