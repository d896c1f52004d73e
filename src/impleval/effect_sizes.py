"""Effect sizes shared by the survey and interview analyses."""

from __future__ import annotations

import numpy as np


def cramers_v_corrected(chi2: float, table: np.ndarray) -> float:
    """Bias-corrected Cramér's V (Bergsma 2013). Written by hand: scipy.stats.contingency.association
    has only the uncorrected V, which is biased upwards in small tables."""
    n = table.sum()
    r, k = table.shape
    phi2 = max(0.0, chi2 / n - (k - 1) * (r - 1) / (n - 1))
    r_c = r - (r - 1) ** 2 / (n - 1)
    k_c = k - (k - 1) ** 2 / (n - 1)
    denom = min(k_c - 1, r_c - 1)
    return float(np.sqrt(phi2 / denom)) if denom > 0 else float("nan")
