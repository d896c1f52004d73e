"""Language-neutral facts of the monitoring analysis (results/values/monitoring.yml).

Ints, floats, ids, ISO dates and lists of ids: no formatting, no labels and no sentences (the
report words and formats them in its language). Everything comes from the result tables and the
study definition, so a fact quoted in the text cannot disagree with a table:

- `n_sites`, `n_intervention`, `n_comparison`: sites with data, with and without a go-live;
- `intervention_sites`, `comparison_sites`, `warn_sites`, `refused_sites`, `no_data_sites`: ids
  (warn/refused: a baseline shorter than `analysis.baseline` on either side of go-live);
- `first_period`, `last_period` (ISO dates) and `frequency` (`weekly`, `monthly` or `mixed`);
- `go_live_milestone` (the configured kind), `primary_outcome` (id or null), `outcomes` (ids);
- `crosscheck_tolerance_se`: how many standard errors the GLSAR cross-check may differ by;
- `pooled`: per outcome, the pooled model's `sites` (ids), `n_intervention`, `n_comparison`,
  `se_method` and `hac_bandwidth` (null when the outcome has no pooled model).
"""

from __future__ import annotations

import math

import pandas as pd

from impleval.monitoring.settings import go_live_kind, primary_outcome
from impleval.monitoring.stats.models import CROSSCHECK_TOLERANCE_SE, maxlags

POOLED_SE_DEFAULT = "hac_panel"  # Newey–West within site (models.pooled) unless the table says


def build_values(tables: dict[str, pd.DataFrame], definition: dict) -> dict:
    """The facts listed in the module docstring, as plain Python values."""
    sites = tables["monitoring_sites"]
    with_data = sites[sites["role"] != "no_data"]

    def ids(mask) -> list[str]:
        return [str(s) for s in sites.loc[mask, "site"]]

    intervention = sites["role"] == "intervention"
    frequencies = sorted(set(with_data["frequency"].dropna()))
    diag = tables["its_diagnostics"]
    present = sorted(set(diag["outcome"])) if len(diag) else []
    return {
        "n_sites": len(with_data),
        "n_intervention": int(intervention.sum()),
        "n_comparison": int((sites["role"] == "comparison").sum()),
        "intervention_sites": ids(intervention),
        "comparison_sites": ids(sites["role"] == "comparison"),
        "warn_sites": ids(intervention & (sites["baseline"] == "warn")),
        "refused_sites": ids(intervention & (sites["baseline"] == "refused")),
        "no_data_sites": ids(sites["role"] == "no_data"),
        "first_period": _first(with_data["first_period"], min),
        "last_period": _first(with_data["last_period"], max),
        "frequency": frequencies[0] if len(frequencies) == 1 else "mixed" if frequencies else None,
        "go_live_milestone": go_live_kind(definition),
        "primary_outcome": primary_outcome(definition, present=present or None),
        "outcomes": [o for o in definition["outcomes"] if o in present],
        "crosscheck_tolerance_se": float(CROSSCHECK_TOLERANCE_SE),
        "pooled": {
            o: _pooled(tables, definition, o) for o in definition["outcomes"] if o in present
        },
    }


def _first(dates: pd.Series, pick) -> str | None:
    known = [str(d) for d in dates.dropna() if str(d)]
    return pick(known) if known else None


def _pooled(tables: dict[str, pd.DataFrame], definition: dict, outcome: str) -> dict | None:
    """Who is in the pooled model of `outcome` and how its standard errors were computed.

    Its sites are those fitted for the outcome and not refused (models.pooled): intervention
    sites with an adequate baseline, and comparison sites (no go-live)."""
    est = tables["its_estimates"]
    rows = est[(est["outcome"] == outcome) & est["pooled"].astype(bool)] if len(est) else est
    if rows.empty:
        return None
    diag = tables["its_diagnostics"]
    fitted = diag[
        (diag["outcome"] == outcome) & diag["se_method"].notna() & (diag["baseline"] != "refused")
    ]
    comparison = fitted["baseline"] == "not_applicable"
    first = rows.iloc[0]
    method = first.get("se_method") if "se_method" in rows else None
    bandwidth = first.get("hac_bandwidth") if "hac_bandwidth" in rows else None
    if _missing(method):
        method = POOLED_SE_DEFAULT
    # Results written before se_method existed: the fixed Newey–West window. GLS has none.
    if _missing(bandwidth) and method in (POOLED_SE_DEFAULT, "newey_west"):
        frequency = fitted["frequency"].iloc[0] if len(fitted) else "weekly"
        bandwidth = maxlags(definition["analysis"], frequency)
    return {
        "sites": [str(s) for s in fitted["site"]],
        "n_intervention": int((~comparison).sum()),
        "n_comparison": int(comparison.sum()),
        "se_method": str(method),
        "hac_bandwidth": _number(bandwidth),
    }


def _number(x) -> int | float | None:
    if _missing(x):
        return None
    return int(x) if float(x).is_integer() else float(x)


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA
