"""Monitoring family: interrupted-time-series level and slope changes, per site and pooled.

Studies simulated with `impleval.demo.simulate_monitoring` (the demo's data-generating process:
AR(1) waiting-time noise, Poisson counts with autocorrelated log-rate noise, nine sites with
staggered go-live, one no-change site, one comparison site, one short post period), at the demo's
length and shorter, with the planted changes or none. The pipeline's own fits
(`monitoring.stats.analyse.fit_all`, `models.estimates`, `models.pooled`) with the demo's
definition; the standard-error method is the configured one unless a comparison asks otherwise.
A held-out comparison checks the slope-change p-values against an independent reference fit
(statsmodels' exact maximum-likelihood regression with ARMA(1,1) errors).
"""

from __future__ import annotations

import copy
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from impleval.demo import simulate_monitoring as sim
from impleval.monitoring.settings import load_definition
from impleval.monitoring.stats.analyse import fit_all
from impleval.monitoring.stats.models import estimates, pooled, pooled_estimates
from validation.common import ALPHA, rate

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = {
    "demo": {"start": "2021-01-04"},  # five years, planted changes (counts: none)
    "short": {"start": "2023-01-02"},  # three years: shorter baselines
    "null": {"start": "2021-01-04", "null": True},  # no change anywhere
}
PARAMETERS = ("level_change", "slope_change")


def definition(se_method: str | None = None) -> dict:
    """The demo's monitoring definition (validated, defaults filled), optionally with another
    standard-error method."""
    d = load_definition(
        ROOT / "config/demo-study/monitoring.yaml", ROOT / "config/schema/monitoring.schema.yaml"
    )
    if se_method:
        d = copy.deepcopy(d)
        d["analysis"]["se_method"] = se_method
    return d


def replicate(scenario: str, seed: int, defn: dict) -> pd.DataFrame:
    """One simulated monitoring study through the pipeline's fits: one row per site (and pooled),
    outcome and parameter with estimate, interval, p and the planted value."""
    series, milestones, truth = sim.simulate(seed, **SCENARIOS[scenario])
    analysis = defn["analysis"]
    rows = []
    for outcome, fits in fit_all(series, milestones, defn).items():
        for fit in fits:
            for r in estimates(fit, analysis):
                if r["parameter"] in PARAMETERS:
                    planted = truth[fit.site][outcome][r["parameter"]]
                    rows.append({**r, "truth": planted})
        pool = pooled([f for f in fits if f.baseline != "refused"], analysis)
        if pool is not None:
            for r in pooled_estimates(pool, analysis):
                if r["parameter"] in PARAMETERS:
                    changes = [
                        truth[f.site][outcome][r["parameter"]]
                        for f in fits
                        if f.result is not None and "post" in f.X
                    ]
                    # A common change is only defined when every site has the same one.
                    same = len(set(changes)) == 1
                    rows.append({**r, "truth": changes[0] if same else np.nan})
    cols = ["site", "outcome", "parameter", "estimate", "ci_low", "ci_high", "p_value", "truth"]
    return pd.DataFrame(rows)[cols + ["baseline", "se_method"]].assign(scenario=scenario)


def summarise(results: pd.DataFrame, *, label: str = "") -> list[dict]:
    rows = []
    key = results["scenario"] + results["replicate"].astype(str)
    covered = (results["ci_low"] <= results["truth"]) & (results["truth"] <= results["ci_high"])
    reject = results["p_value"] < ALPHA
    site = results["site"] != "pooled"
    family = f"ITS{label}"

    def add(quantity, target, hits, sel, note=""):
        rows.append(
            {"family": family, "quantity": quantity, "target": target, **rate(hits[sel], key[sel])}
            | {"note": note}
        )

    for outcome in sorted(results["outcome"].unique()):
        out = results["outcome"] == outcome
        for parameter in PARAMETERS:
            par = out & (results["parameter"] == parameter)
            what = f"{outcome} {parameter.replace('_', ' ')}"
            for scenario in ("demo", "short"):
                sel = par & site & (results["scenario"] == scenario)
                if sel.any():
                    add(f"coverage, {what}, per site ({scenario})", "coverage", covered, sel)
            sel = par & ~site & results["truth"].notna()
            if sel.any():
                add(f"coverage, {what}, pooled", "coverage", covered, sel)
            null = par & site & (results["truth"] == 0)
            if null.any():
                add(f"type-I error, {what}, sites without a change", "type_i", reject, null)
            alt = par & site & (results["truth"] != 0) & results["truth"].notna()
            if alt.any():
                add(f"power, {what}, sites with a planted change", "power", reject, alt)
    return rows


def held_out(seeds: list[int]) -> pd.DataFrame:
    """Slope-change p-values at a held-out no-change series (Kongsberg's design, five years)
    from the fixed-window Newey–West errors, the default GLS and the reference fit."""
    from statsmodels.tsa.arima.model import ARIMA

    rows = []
    outcome = "median_wait_minutes"
    for seed in seeds:
        series, milestones, _ = sim.simulate(seed, null=True, sites=["kongsberg"])
        ps = {}
        for method in ("newey_west", "gls_arma11"):
            d = definition(method)
            d["outcomes"] = {outcome: d["outcomes"][outcome]}
            fit = fit_all(series, milestones, d)[outcome][0]
            est = {r["parameter"]: r for r in estimates(fit, d["analysis"])}
            ps[method] = est["slope_change"]["p_value"]
        y = fit.frame[outcome].to_numpy(dtype=float)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = ARIMA(y, exog=fit.X, order=(1, 0, 1), trend="n").fit()
        ps["reference"] = float(ref.pvalues["since"])
        rows.append({"seed": seed, **ps})
    return pd.DataFrame(rows)
