"""Segmented regression per site and outcome, pooled estimate, diagnostics and cross-check.

Continuous outcomes (`ols_hac`): a linear model; counts (`quasi_poisson`): a Poisson GLM
(quasi-likelihood: the Pearson dispersion is estimated) with a log(days) offset for monthly
series. How the standard errors allow for serial correlation is `analysis.se_method`:
- `gls_arma11` (default): feasible GLS with ARMA(1,1) errors per series (an AR(1) process plus
  independent noise, REML; for counts quasi-likelihood with that working correlation),
  `serial.gls`; `gls_ar1`: the same with AR(1) errors;
- `newey_west`: the estimates above without GLS (OLS / GLM) and Newey–West errors with the fixed
  lag window `hac_maxlags` (monthly series: a quarter of it);
- `newey_west_auto`: Newey–West with the Newey–West (1994) data-driven window;
- `andrews`: quadratic-spectral HAC with Andrews' (1991) AR(1) plug-in bandwidth.
The method is calibrated by simulation (validation/RESULTS.md, docs/methods/monitoring.md).
Effects are contrasts of the coefficients via `res.t_test`. Cross-check: statsmodels' GLSAR with
iterated AR(1) errors must agree with the point estimates within a couple of standard errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.genmod import families
from statsmodels.genmod.generalized_linear_model import GLM
from statsmodels.regression.linear_model import GLSAR, OLS
from statsmodels.stats.diagnostic import acorr_breusch_godfrey, acorr_ljungbox
from statsmodels.stats.stattools import durbin_watson

from impleval.monitoring.stats import serial
from impleval.monitoring.stats.design import (
    DAYS_PER_WEEK,
    drop_degenerate,
    period_days,
    season_terms,
    site_frame,
)

PARAMETERS = [
    "level_change",
    "slope_change",
    "pre_slope",
    "post_slope",
    "effect_at_horizon",
    "relative_effect",
]
SCALE = {"ols_hac": "difference", "quasi_poisson": "log_rate_ratio"}
CROSSCHECK_TOLERANCE_SE = (
    2.0  # |main − GLSAR| in main standard errors that still counts as agreement
)
SE_METHODS = ("gls_arma11", "gls_ar1", "newey_west", "newey_west_auto", "andrews")
GLS_ERRORS = {"gls_arma11": "arma11", "gls_ar1": "ar1"}  # se_method → serial.ErrorModel kind
DEFAULT_SE_METHOD = "gls_arma11"
POOLED_HAC = "hac_panel"  # the pooled model's errors under the Newey–West methods


@dataclass
class SiteFit:
    site: str
    outcome: str
    kind: str
    frame: pd.DataFrame
    X: pd.DataFrame
    post_start: pd.Timestamp | None
    result: object = None
    offset: np.ndarray | None = None
    n_pre: int = 0
    n_post: int = 0
    baseline: str = "ok"
    message: str = ""
    extra: dict = field(default_factory=dict)
    se_method: str = ""
    hac_bandwidth: float = np.nan  # lag window / bandwidth in periods (HAC methods)
    errors: serial.ErrorModel | None = None  # the error correlation (GLS methods)


def maxlags(analysis: dict, frequency: str) -> int:
    """Newey–West lags for a series: config analysis.hac_maxlags (weekly), a quarter of it
    (at least 1) for monthly series."""
    lags = int(analysis.get("hac_maxlags", 4))
    return max(1, round(lags / 4)) if frequency == "monthly" else lags


def se_method(analysis: dict) -> str:
    """The configured standard-error method (analysis.se_method, default ``gls_arma11``)."""
    method = analysis.get("se_method", DEFAULT_SE_METHOD)
    if method not in SE_METHODS:
        raise ValueError(f"analysis.se_method must be one of {SE_METHODS}, not {method!r}")
    return method


def baseline_status(n_pre: int, n_post: int, baseline: dict) -> tuple[str, str]:
    """Whether a site's series is long enough on both sides of go-live.

    Parameters
    ----------
    n_pre, n_post : int
        Periods before and after go-live.
    baseline : dict
        analysis.baseline (refuse_below, warn_below).

    Returns
    -------
    (str, str)
        "ok", "warn" or "refused", and the message shown in the sites table.

    References
    ----------
    .. [1] Penfold, R. B., & Zhang, F. (2013). Use of interrupted time series analysis in
       evaluating health care quality improvements. Academic Pediatrics, 13(6), S38-S44.
    """
    short = min(n_pre, n_post)
    if short < baseline["refuse_below"]:
        return "refused", (
            f"{n_pre} periods before and {n_post} after go-live: fewer than "
            f"{baseline['refuse_below']}, not modelled"
        )
    if short < baseline["warn_below"]:
        return "warn", (
            f"{n_pre} periods before and {n_post} after go-live: fewer than "
            f"{baseline['warn_below']}, estimates are uncertain"
        )
    return "ok", ""


def _interest(X: pd.DataFrame) -> list[int]:
    """Columns whose score series choose a data-driven bandwidth: the level and slope change when
    present (the parameters the report is about), else every non-constant column."""
    cols = [c for c in ("post", "since") if c in X] or [c for c in X if c != "const"]
    return [list(X.columns).index(c) for c in cols]


def _fit(y: np.ndarray, X: pd.DataFrame, kind: str, offset, analysis: dict, frequency: str):
    """Fit one series with the configured standard errors: (result, method, bandwidth, error
    model)."""
    method = se_method(analysis)
    if method in GLS_ERRORS:
        family = "poisson" if kind == "quasi_poisson" else "gaussian"
        gls = serial.gls(y, X, kind=GLS_ERRORS[method], family=family, offset=offset)
        return gls.result, method, np.nan, gls.errors[0]

    def model():
        if kind == "quasi_poisson":
            return GLM(y, X, family=families.Poisson(), offset=offset)
        return OLS(y, X)

    if method == "newey_west":
        lags = maxlags(analysis, frequency)
        return model().fit(cov_type="HAC", cov_kwds={"maxlags": lags}), method, float(lags), None
    plain = model().fit()
    resid = y - np.asarray(plain.fittedvalues)
    scores = X.to_numpy(dtype=float)[:, _interest(X)] * resid[:, None]
    if method == "newey_west_auto":
        bandwidth, lags = serial.newey_west_1994_lag(scores)
        cov = {"maxlags": lags}
        bandwidth = float(lags)
    else:  # andrews: quadratic-spectral kernel, every lag weighted by k(j / S_T)
        bandwidth = serial.andrews_bandwidth(scores)
        cov = {"maxlags": len(y) - 1, "kernel": serial.qs_weights(bandwidth)}
    return model().fit(cov_type="HAC", cov_kwds=cov), method, bandwidth, None


def fit_site(series: pd.DataFrame, outcome: str, kind: str, go_live, analysis: dict) -> SiteFit:
    """Fit one site's segmented regression; comparison sites (no go-live) get trend + season only.

    Parameters
    ----------
    series : pandas.DataFrame
        The site's canonical series.
    outcome : str
        Outcome column.
    kind : str
        "ols_hac" (OLS, Newey–West errors) or "quasi_poisson" (Poisson GLM with HAC errors, a
        log(days) offset for monthly series).
    go_live : pandas.Timestamp or None
        The site's go-live date.
    analysis : dict
        monitoring.yaml → analysis.

    Returns
    -------
    SiteFit
        Data, design, result (None when the baseline is refused) and baseline status.

    References
    ----------
    .. [1] Wagner, A. K., Soumerai, S. B., Zhang, F., & Ross-Degnan, D. (2002). Segmented
       regression analysis of interrupted time series studies in medication use research. Journal
       of Clinical Pharmacy and Therapeutics, 27(4), 299-309.
    .. [2] Bernal, J. L., Cummins, S., & Gasparrini, A. (2017). Interrupted time series
       regression for the evaluation of public health interventions: a tutorial. International
       Journal of Epidemiology, 46(1), 348-355.
    .. [3] Newey, W. K., & West, K. D. (1987). A simple, positive semi-definite,
       heteroskedasticity and autocorrelation consistent covariance matrix. Econometrica, 55(3),
       703-708.
    """
    site = series["site"].iloc[0]
    frame, X, post_start = site_frame(series, outcome, go_live, analysis)
    fit = SiteFit(site, outcome, kind, frame, X, post_start)
    if len(frame) == 0:
        fit.baseline, fit.message = "refused", "no data"
        return fit
    frequency = frame["frequency"].iloc[0]
    if go_live is not None:
        post = X["post"].to_numpy() if "post" in X else np.zeros(len(X))
        fit.n_post, fit.n_pre = int(post.sum()), int(len(X) - post.sum())
        fit.baseline, fit.message = baseline_status(fit.n_pre, fit.n_post, analysis["baseline"])
        if fit.baseline == "refused":
            return fit
    else:
        fit.n_pre, fit.baseline, fit.message = (
            len(frame),
            "not_applicable",
            "comparison series (no go-live)",
        )
    fit.X = X = drop_degenerate(X)
    if frequency == "monthly" and kind == "quasi_poisson":
        fit.offset = np.log(period_days(frequency, frame["period_start"]))
    fit.result, fit.se_method, fit.hac_bandwidth, fit.errors = _fit(
        frame[outcome].to_numpy(dtype=float), X, kind, fit.offset, analysis, frequency
    )
    return fit


def _contrast(X: pd.DataFrame, **weights) -> np.ndarray:
    r = np.zeros(X.shape[1])
    for name, w in weights.items():
        r[list(X.columns).index(name)] = w
    return r


def _row(fit: SiteFit, parameter: str, horizon, est, se, low, high, p) -> dict:
    return {
        "site": fit.site,
        "outcome": fit.outcome,
        "parameter": parameter,
        "horizon_weeks": horizon,
        "estimate": float(est),
        "se": float(se),
        "ci_low": float(low),
        "ci_high": float(high),
        "p_value": float(p),
        "n_pre": fit.n_pre,
        "n_post": fit.n_post,
        "model": fit.kind,
        "pooled": fit.site == "pooled",
        "se_method": fit.se_method,
        "hac_bandwidth": fit.hac_bandwidth,
        "scale": SCALE[fit.kind],
        "baseline": fit.baseline,
    }


def _tt(fit: SiteFit, r: np.ndarray, alpha: float):
    tt = fit.result.t_test(r)
    low, high = np.asarray(tt.conf_int(alpha=alpha)).ravel()
    return (
        float(np.squeeze(tt.effect)),
        float(np.squeeze(tt.sd)),
        low,
        high,
        float(np.squeeze(tt.pvalue)),
    )


def estimates(fit: SiteFit, analysis: dict) -> list[dict]:
    r"""Level and slope change, pre/post slope, effect and relative effect at each horizon.

    Parameters
    ----------
    fit : SiteFit
        A fitted site.
    analysis : dict
        monitoring.yaml → analysis (alpha, horizons).

    Returns
    -------
    list of dict
        its_estimates rows (estimate, se, CI, p per parameter and horizon).

    Notes
    -----
    Effects are linear contrasts of the coefficients (``res.t_test``): at :math:`h` weeks after
    go-live the effect is :math:`\beta_2 + \beta_3 h` (a difference, or a log rate ratio for
    counts). The relative effect is :math:`e^{\hat\theta} - 1` for counts; for continuous outcomes
    the effect divided by the counterfactual level at that horizon (seasonal terms at their mean),
    with its SE by the delta method.

    References
    ----------
    .. [1] Wagner, A. K., Soumerai, S. B., Zhang, F., & Ross-Degnan, D. (2002). Segmented
       regression analysis of interrupted time series studies in medication use research. Journal
       of Clinical Pharmacy and Therapeutics, 27(4), 299-309.
    """
    if fit.result is None or "post" not in fit.X:
        return []
    X, alpha = fit.X, analysis["alpha"]
    rows = [
        _row(fit, "level_change", None, *_tt(fit, _contrast(X, post=1), alpha)),
        _row(fit, "slope_change", None, *_tt(fit, _contrast(X, since=1), alpha)),
        _row(fit, "pre_slope", None, *_tt(fit, _contrast(X, time=1), alpha)),
        _row(fit, "post_slope", None, *_tt(fit, _contrast(X, time=1, since=1), alpha)),
    ]
    z = stats.norm.ppf(1 - alpha / 2)
    for h in analysis["horizons_weeks"]:
        effect = _tt(fit, _contrast(X, post=1, since=h), alpha)
        rows.append(_row(fit, "effect_at_horizon", h, *effect))
        rows.append(_row(fit, "relative_effect", h, *_relative(fit, h, effect, z)))
    return rows


def _relative(fit: SiteFit, h: float, effect, z: float):
    """Effect relative to the counterfactual at horizon h (seasonal terms at their mean)."""
    est, se, low, high, p = effect
    if (
        fit.kind == "quasi_poisson"
    ):  # exp(log rate ratio) − 1, CI transformed, SE by the delta method
        return np.expm1(est), np.exp(est) * se, np.expm1(low), np.expm1(high), p
    X, beta, cov = fit.X, fit.result.params.to_numpy(), np.asarray(fit.result.cov_params())
    t_h = float(X.loc[X["post"] == 1, "time"].min()) + h
    g_c = X.mean().to_numpy().copy()
    g_c[list(X.columns).index("time")] = t_h
    for name in ("post", "since"):
        g_c[list(X.columns).index(name)] = 0.0
    g_e = _contrast(X, post=1, since=h)
    c, e = g_c @ beta, g_e @ beta
    grad = (g_e * c - e * g_c) / c**2
    rse = float(np.sqrt(grad @ cov @ grad))
    return e / c, rse, e / c - z * rse, e / c + z * rse, p


def fitted_table(fit: SiteFit, small_cell: pd.Series | None) -> pd.DataFrame:
    """Observed, fitted and (post period) counterfactual values per period, with the small-cell
    count `n` beside them for suppression.
    """
    frame = fit.frame
    out = pd.DataFrame(
        {
            "site": fit.site,
            "outcome": fit.outcome,
            "week_start": frame["period_start"],
            "observed": frame[fit.outcome].to_numpy(dtype=float),
        }
    )
    out["n"] = np.nan if small_cell is None else small_cell.to_numpy(dtype=float)
    if fit.result is None:
        out["fitted"] = out["counterfactual"] = np.nan
        return out
    out["fitted"] = fitted_mean(fit)
    out["counterfactual"] = np.nan
    if "post" in fit.X:
        Xc = fit.X.copy()
        Xc[["post", "since"]] = 0.0
        cf = fitted_mean(fit, Xc)
        post = fit.X["post"].to_numpy() == 1
        out.loc[post, "counterfactual"] = cf[post]
    return out


def fitted_mean(fit: SiteFit, X: pd.DataFrame | None = None) -> np.ndarray:
    """The model's mean at design `X` (default: the fit's own): Xβ, or exp(Xβ + offset) for
    counts. Computed from the coefficients, so it is the same for every standard-error method."""
    X = fit.X if X is None else X
    eta = X.to_numpy(dtype=float) @ np.asarray(fit.result.params, dtype=float)
    if fit.kind == "quasi_poisson":
        return np.exp(eta + (0.0 if fit.offset is None else fit.offset))
    return eta


def residuals(fit: SiteFit) -> np.ndarray:
    """Residuals of a fit, y minus the fitted mean (not the GLS-whitened ones): Pearson residuals
    for the Poisson model, raw residuals for the linear model."""
    y = fit.frame[fit.outcome].to_numpy(dtype=float)
    mu = fitted_mean(fit)
    return (y - mu) / np.sqrt(mu) if fit.kind == "quasi_poisson" else y - mu


def dispersion(fit: SiteFit) -> float:
    """Pearson dispersion of a count model, sum of squared Pearson residuals / (n − p)."""
    r = residuals(fit)
    return float(np.sum(r * r) / (len(r) - fit.X.shape[1]))


def ar1(resid: np.ndarray) -> float:
    r"""Lag-1 autocorrelation of residuals, :math:`\sum_t r_t r_{t-1} / \sum_t r_t^2` (centred)."""
    r = resid - resid.mean()
    return float(np.sum(r[1:] * r[:-1]) / np.sum(r * r))


def crosscheck(fit: SiteFit) -> dict:
    """GLSAR (feasible GLS with iterated AR(1) errors) point estimates, an independent estimator
    that must agree with the OLS point estimates within a couple of standard errors (log scale
    for counts, approximate).

    References
    ----------
    .. [1] Cochrane, D., & Orcutt, G. H. (1949). Application of least squares regression to
       relationships containing auto-correlated error terms. Journal of the American Statistical
       Association, 44(245), 32-61.
    """
    y = fit.frame[fit.outcome].to_numpy(dtype=float)
    method = "glsar_ar1"
    if fit.kind == "quasi_poisson":
        y, method = np.log(y + 0.5), "glsar_ar1_log"  # on log(count + 0.5)
    res = GLSAR(y, fit.X, rho=1).iterative_fit(maxiter=20)
    out = {"crosscheck_method": method}
    worst = 0.0
    ci = res.conf_int()
    for name, col in (("level_change", "post"), ("slope_change", "since")):
        out[f"crosscheck_{name}"] = float(res.params[col])
        out[f"crosscheck_{name}_ci_low"], out[f"crosscheck_{name}_ci_high"] = map(
            float, ci.loc[col]
        )
        worst = max(worst, abs(res.params[col] - fit.result.params[col]) / fit.result.bse[col])
    out["crosscheck_diff_in_se"] = float(worst)
    out["crosscheck_agrees"] = bool(worst <= CROSSCHECK_TOLERANCE_SE)
    return out


def diagnostics(fit: SiteFit, analysis: dict) -> dict:
    """Residual diagnostics of one fit: AR(1) ρ, Durbin–Watson, Ljung–Box at the configured lags,
    Breusch–Godfrey (linear model), Pearson dispersion (Poisson), the standard-error method with
    its bandwidth or AR(1) coefficient, and the GLSAR cross-check.

    The residuals are y minus the fitted mean (they describe the series' autocorrelation whatever
    the method). For the GLS methods, `ar_rho` and `ar_share` are the error model's AR(1)
    coefficient and the AR(1) part's share of the error variance (1 for `gls_ar1`), and
    `innovation_ljung_box_p` is the Ljung–Box p of the whitened residuals at the first
    configured lag: small when the error model does not capture the dependence.

    References
    ----------
    .. [1] Ljung, G. M., & Box, G. E. P. (1978). On a measure of lack of fit in time series models.
       Biometrika, 65(2), 297-303.
    .. [2] Breusch, T. S. (1978). Testing for autocorrelation in dynamic linear models. Australian
       Economic Papers, 17(31), 334-355.
    """
    row = {
        "site": fit.site,
        "outcome": fit.outcome,
        "model": fit.kind,
        "n": len(fit.frame),
        "baseline": fit.baseline,
        "se_method": fit.se_method or None,
        "hac_bandwidth": fit.hac_bandwidth,
        "ar_order": 1 if fit.errors is not None else np.nan,
        "ar_rho": fit.errors.rho if fit.errors is not None else np.nan,
        "ar_share": fit.errors.share if fit.errors is not None else np.nan,
    }
    if fit.result is None:
        return row
    resid = residuals(fit)
    lags = list(analysis.get("diagnostics_lags", [4, 8]))
    usable = [lag for lag in lags if lag < len(resid) - 1]
    lb = acorr_ljungbox(resid, lags=usable) if usable else pd.DataFrame()
    row["ar1_rho"] = ar1(resid)
    row["durbin_watson"] = float(durbin_watson(resid))
    for lag in lags:
        row[f"ljung_box_p_lag{lag}"] = float(lb.loc[lag, "lb_pvalue"]) if lag in usable else np.nan
    if fit.kind == "ols_hac" and lags[0] < len(resid) - fit.X.shape[1]:
        # The auxiliary regression needs least-squares residuals: a plain OLS fit of the design.
        ols = OLS(fit.frame[fit.outcome].to_numpy(dtype=float), fit.X).fit()
        row["breusch_godfrey_p"] = float(
            acorr_breusch_godfrey(ols, nlags=lags[0], result_object=True).lmpval
        )
    else:
        row["breusch_godfrey_p"] = np.nan
    row["innovation_ljung_box_p"] = np.nan
    if fit.errors is not None and lags[0] < len(resid) - 1:
        white = np.asarray(fit.result.resid)
        row["innovation_ljung_box_p"] = float(
            acorr_ljungbox(white, lags=[lags[0]]).loc[lags[0], "lb_pvalue"]
        )
    row["dispersion"] = dispersion(fit) if fit.kind == "quasi_poisson" else np.nan
    if "post" in fit.X:
        row.update(crosscheck(fit))
    return row


def pooled(fits: list[SiteFit], analysis: dict) -> SiteFit | None:
    """Stacked model across sites: site intercepts and trends, common season, common level and slope
    change.

    Staggered go-live: each site's own post/since columns are stacked; comparison sites add
    information on season (post = since = 0). HAC errors within site ("hac-panel").

    Parameters
    ----------
    fits : list of SiteFit
        Fitted sites of one outcome (refused baselines excluded by the caller).
    analysis : dict
        monitoring.yaml → analysis.

    Returns
    -------
    SiteFit or None
        The pooled fit (site "pooled"); None when no intervention site was fitted.
    """
    usable = [f for f in fits if f.result is not None]
    treated = [f for f in usable if "post" in f.X]
    if not treated:
        return None
    kind, outcome = usable[0].kind, usable[0].outcome
    parts, ys, offsets = [], [], []
    origin = min(f.frame["period_start"].min() for f in usable)
    for f in usable:
        # Seasonal terms are rebuilt from each site's dates: a term dropped from one site's own
        # model as degenerate there (e.g. no Easter week in its series) is not zero for that site,
        # so filling it with 0 in the stack would be wrong. drop_degenerate below then removes
        # only the terms degenerate in the stacked frame.
        frequency = f.frame["frequency"].iloc[0]
        X = f.X[[c for c in ("const", "time", "post", "since") if c in f.X]].join(
            season_terms(frequency, f.frame["period_start"], analysis).loc[f.X.index]
        )
        X["time"] = (f.frame["period_start"] - origin).dt.days.to_numpy() / DAYS_PER_WEEK
        if "post" not in X:
            X["post"] = X["since"] = 0.0
        X = X.drop(columns=["const"])
        dummy = pd.get_dummies(pd.Series(f.site, index=X.index), dtype=float)
        for s in [g.site for g in usable]:
            X[f"site[{s}]"] = dummy[f.site] if s == f.site else 0.0
            X[f"trend[{s}]"] = X["time"] if s == f.site else 0.0
        parts.append(X.drop(columns=["time"]))
        ys.append(f.frame[outcome].to_numpy(dtype=float))
        offsets.append(f.offset if f.offset is not None else np.zeros(len(X)))
    X = pd.concat(parts, ignore_index=True)
    if X.isna().any().any():  # every part has the same columns now; a gap would be a bug
        raise ValueError(f"pooled design has missing values in {list(X.columns[X.isna().any()])}")
    X = drop_degenerate(
        X, keep=("post", "since") + tuple(c for c in X if c.startswith(("site[", "trend[")))
    )
    groups = np.repeat(np.arange(len(usable)), [len(p) for p in parts])
    y, offset = np.concatenate(ys), np.concatenate(offsets)
    method, bandwidth = se_method(analysis), np.nan
    if method in GLS_ERRORS:
        # Each site's series keeps its own error model (from its own fit) and noise level.
        family = "poisson" if kind == "quasi_poisson" else "gaussian"
        errors = [f.errors for f in usable]
        res = serial.gls(y, X, family=family, offset=offset, groups=groups, errors=errors).result
    else:
        method = POOLED_HAC
        lags = maxlags(analysis, usable[0].frame["frequency"].iloc[0])
        bandwidth = float(lags)
        cov = {"maxlags": lags, "groups": groups}
        if kind == "quasi_poisson":
            res = GLM(y, X, family=families.Poisson(), offset=offset).fit(
                cov_type="hac-panel", cov_kwds=cov
            )
        else:
            res = OLS(y, X).fit(cov_type="hac-panel", cov_kwds=cov)
    frame = pd.concat([f.frame for f in usable], ignore_index=True)
    fit = SiteFit("pooled", outcome, kind, frame, X, None, res, offset=offset)
    fit.se_method, fit.hac_bandwidth = method, bandwidth
    fit.n_post = int(X["post"].sum())
    fit.n_pre = int(len(X) - fit.n_post)
    fit.baseline = "ok"
    return fit


def pooled_estimates(fit: SiteFit, analysis: dict) -> list[dict]:
    """Level and slope change of the pooled model (its_estimates rows with site "pooled")."""
    X, alpha = fit.X, analysis["alpha"]
    rows = [
        _row(fit, "level_change", None, *_tt(fit, _contrast(X, post=1), alpha)),
        _row(fit, "slope_change", None, *_tt(fit, _contrast(X, since=1), alpha)),
    ]
    for h in analysis["horizons_weeks"]:
        effect = _tt(fit, _contrast(X, post=1, since=h), alpha)
        rows.append(_row(fit, "effect_at_horizon", h, *effect))
        if fit.kind == "quasi_poisson":
            rows.append(_row(fit, "relative_effect", h, *_relative(fit, h, effect, 0.0)))
    return rows
