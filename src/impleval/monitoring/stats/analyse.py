"""The monitoring branch's analysis: canonical series + milestones → result tables.

One call per run (`analyse`), returning every table the branch writes; the pieces live in
`models` (fits, estimates, diagnostics) and `precision` (monitoring length). The tables hold ids,
codes and numbers only (no labels, no sentences): `model` is the configured model id with a
boolean `pooled`, diagnostics carry each series' `frequency`, and the sites table says why a site
is flagged through `n_pre`, `n_post` and `baseline` (the report words it).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from impleval.monitoring.settings import go_live_kind, primary_outcome
from impleval.monitoring.stats.design import go_live_dates
from impleval.monitoring.stats.models import (
    CROSSCHECK_TOLERANCE_SE,
    SiteFit,
    diagnostics,
    estimates,
    fit_site,
    fitted_table,
    pooled,
    pooled_estimates,
)
from impleval.monitoring.stats.precision import precision_curve, weeks_needed
from impleval.privacy.suppress import ALL, additive_groups, suppress_table


def site_catalogue(organisation: dict) -> pd.DataFrame:
    """Every site of the organisation with its trust and region."""
    trusts = {t["id"]: t for t in organisation["trusts"]}
    return pd.DataFrame(
        [
            {"site": s["id"], "trust": s["trust"], "region": trusts[s["trust"]]["region"]}
            for s in organisation["sites"]
        ]
    )


def fit_all(
    series: pd.DataFrame, milestones: pd.DataFrame, definition: dict
) -> dict[str, list[SiteFit]]:
    """Per outcome, one fit per site with data (sorted by site id); see ``models.fit_site``."""
    analysis = definition["analysis"]
    go_live = go_live_dates(milestones, go_live_kind(definition))
    fits: dict[str, list[SiteFit]] = {}
    for outcome, spec in definition["outcomes"].items():
        if outcome not in series:
            continue
        fits[outcome] = [
            fit_site(group, outcome, spec["model"], go_live.get(site), analysis)
            for site, group in series.groupby("site", sort=True)
        ]
    return fits


def analyse(
    series: pd.DataFrame,
    milestones: pd.DataFrame,
    definition: dict,
    organisation: dict,
    *,
    min_cell: int,
) -> dict[str, pd.DataFrame]:
    """The monitoring analysis: canonical series and milestones → every result table of the branch.

    Parameters
    ----------
    series, milestones : pandas.DataFrame
        The canonical monitoring tables (docs/data/monitoring.md).
    definition : dict
        The validated monitoring.yaml.
    organisation : dict
        organisation.yaml (sites, trusts, regions).
    min_cell : int
        Small-cell threshold of the observed values (cases per period).

    Returns
    -------
    dict of pandas.DataFrame
        its_estimates, its_fitted, its_diagnostics, monitoring_precision, monitoring_weeks_needed,
        monitoring_sites (each with its columns also when it has no rows).
    """
    analysis = definition["analysis"]
    fits = fit_all(series, milestones, definition)
    est_rows, diag_rows, fitted, curves, needed = [], [], [], [], []
    for outcome, site_fits in fits.items():
        spec = definition["outcomes"][outcome]
        count_col = spec.get("small_cell_count")
        for fit in site_fits:
            est_rows += [
                {**r, "model": fit.kind, "pooled": False} for r in estimates(fit, analysis)
            ]
            frequency = fit.frame["frequency"].iloc[0] if len(fit.frame) else None
            diag_rows.append(
                {
                    **diagnostics(fit, analysis),
                    "model": fit.kind,
                    "frequency": frequency,
                    "crosscheck_tolerance_se": CROSSCHECK_TOLERANCE_SE,
                }
            )
            n = fit.frame[count_col] if count_col in fit.frame else None
            fitted.append(fitted_table(fit, n))
            curve = precision_curve(fit, analysis)
            if len(curve):
                curves.append(curve)
                slope = float(fit.result.params["since"])
                needed.append(weeks_needed(curve, fit, slope, spec["target_slope_change"]))
        pool = pooled([f for f in site_fits if f.baseline != "refused"], analysis)
        if pool is not None:
            est_rows += [
                {**r, "model": pool.kind, "pooled": True} for r in pooled_estimates(pool, analysis)
            ]
    its_fitted = pd.concat(fitted, ignore_index=True) if fitted else pd.DataFrame(columns=FITTED)
    # Sites nest in trusts and regions: a printed total over sites (a pooled series) would make
    # the sites of each period one additive group; additive_groups finds those relations (none
    # while only single sites are printed), suppress_table protects them.
    catalogue = site_catalogue(organisation)
    hierarchy = {
        "site": ("trust", dict(zip(catalogue["site"], catalogue["trust"], strict=True))),
        "trust": ("region", dict(zip(catalogue["trust"], catalogue["region"], strict=True))),
    }
    cells = its_fitted[["site"]].assign(trust=ALL, region=ALL)
    its_fitted = suppress_table(
        its_fitted,
        n_col="n",
        value_cols=["observed"],
        min_cell=min_cell,
        margins=additive_groups(
            cells,
            ["site", "trust", "region"],
            within=its_fitted[["outcome", "week_start"]],
            hierarchy=hierarchy,
        ),
    )
    return {
        "its_estimates": pd.DataFrame(est_rows, columns=_columns(est_rows, ESTIMATE_COLUMNS)),
        "its_fitted": its_fitted,
        "its_diagnostics": pd.DataFrame(diag_rows, columns=_columns(diag_rows, DIAGNOSTIC_COLUMNS)),
        "monitoring_precision": (
            pd.concat(curves, ignore_index=True)
            if curves
            else pd.DataFrame(columns=PRECISION_COLUMNS)
        ),
        "monitoring_weeks_needed": pd.DataFrame(needed, columns=_columns(needed, NEEDED_COLUMNS)),
        "monitoring_sites": sites_table(series, milestones, fits, definition, organisation),
    }


# Columns of tables that may have no rows (a study with no intervention site, no data yet).
ESTIMATE_COLUMNS = [
    "site",
    "outcome",
    "parameter",
    "horizon_weeks",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "p_value",
    "n_pre",
    "n_post",
    "model",
    "scale",
    "baseline",
    "pooled",
    "se_method",
    "hac_bandwidth",
]
DIAGNOSTIC_COLUMNS = [
    "site",
    "outcome",
    "model",
    "n",
    "baseline",
    "se_method",
    "hac_bandwidth",
    "frequency",
    "crosscheck_tolerance_se",
]
PRECISION_COLUMNS = [
    "site",
    "outcome",
    "post_weeks",
    "se_slope",
    "slope_ci_width",
    "min_detectable_slope",
    "observed",
]
FITTED = ["site", "outcome", "week_start", "observed", "n", "fitted", "counterfactual"]
NEEDED_COLUMNS = [
    "site",
    "outcome",
    "post_weeks_now",
    "min_detectable_slope_now",
    "target_slope_change",
    "weeks_to_target",
    "extra_weeks_to_target",
    "slope_change_estimate",
    "weeks_to_detect_estimate",
    "extra_weeks_to_detect_estimate",
    "max_post_weeks",
]


def _columns(rows: list[dict], fallback: list[str]) -> list[str]:
    """Columns in the order the rows give them (union over rows), or `fallback` without rows."""
    if not rows:
        return list(fallback)
    return list(dict.fromkeys(k for r in rows for k in r))


def sites_table(series, milestones, fits, definition, organisation) -> pd.DataFrame:
    """Every organisation site: role, period covered, pre/post counts, baseline adequacy.

    The pre/post counts and the baseline come from the primary outcome's fit (the first outcome
    with data when the study names no primary outcome)."""
    primary = primary_outcome(definition, present=fits)
    catalogue = site_catalogue(organisation)
    go_live = go_live_dates(milestones, go_live_kind(definition))
    by_site = {f.site: f for f in fits.get(primary, [])}
    rows = []
    for site, trust, region in catalogue.itertuples(index=False):
        data = series[series["site"] == site]
        fit = by_site.get(site)
        if data.empty:
            role, baseline = "no_data", "not_applicable"
        elif site not in go_live:
            role, baseline = "comparison", "not_applicable"
        else:
            role = "intervention"
            baseline = fit.baseline if fit else "refused"
        rows.append(
            {
                "site": site,
                "trust": trust,
                "region": region,
                "role": role,
                "go_live": go_live.get(site, pd.NaT),
                "first_period": data["period_start"].min() if len(data) else pd.NaT,
                "last_period": data["period_start"].max() if len(data) else pd.NaT,
                "frequency": data["frequency"].iloc[0] if len(data) else None,
                "n_pre": fit.n_pre if fit and role == "intervention" else np.nan,
                "n_post": fit.n_post if fit and role == "intervention" else np.nan,
                "baseline": baseline,
            }
        )
    out = pd.DataFrame(rows)
    for col in ("go_live", "first_period", "last_period"):
        out[col] = pd.to_datetime(out[col]).dt.strftime("%Y-%m-%d")
    return out
