"""How long to keep monitoring: precision of the slope change as post-go-live weeks accumulate.

Analytic, from the fitted model: the site's observed pre-period design is extended with k post
periods (k = 3 … max), and the variance of the slope-change estimator the analysis uses is
computed for each k under AR(1) errors. For GLS (`gls_ar1`) it is s²(X̃'X̃)⁻¹ with X̃ the
Prais–Winsten-whitened W½X and ρ, s² those of the fit; for the Newey–West methods (least-squares
estimates) the sandwich (X'WX)⁻¹ X'W½ Σ W½X (X'WX)⁻¹ with Σ an AR(1) correlation whose variance
and lag-1 correlation are estimated from the site's residuals (W = I for the linear model; W =
fitted means and Σ scaled by the Pearson dispersion for the Poisson model). Written by hand:
statsmodels has no prospective power for a segmented regression with autocorrelated errors.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from impleval.monitoring.stats.design import build_design
from impleval.monitoring.stats.models import SiteFit, ar1, dispersion, residuals

MIN_POST = 3


def _future_starts(fit: SiteFit, max_post_weeks: int) -> tuple[pd.Series, int]:
    """Observed pre-period starts followed by a complete post period up to `max_post_weeks`."""
    frame = fit.frame
    frequency = frame["frequency"].iloc[0]
    pre = frame.loc[fit.X["post"].to_numpy() == 0, "period_start"]
    if frequency == "monthly":
        post = pd.date_range(
            fit.post_start, periods=int(np.ceil(max_post_weeks / 4.348)), freq="MS"
        )
    else:
        post = pd.date_range(fit.post_start, periods=max_post_weeks, freq="7D")
    starts = pd.Series(pd.concat([pre, pd.Series(post)], ignore_index=True))
    return starts, len(pre)


def precision_curve(fit: SiteFit, analysis: dict) -> pd.DataFrame:
    r"""How the precision of the slope change grows as post-go-live weeks accumulate.

    Parameters
    ----------
    fit : SiteFit
        A fitted intervention site.
    analysis : dict
        monitoring.yaml → analysis (alpha, precision.power, precision.max_post_weeks).

    Returns
    -------
    pandas.DataFrame
        site, outcome, post_weeks, se_slope, slope_ci_width, min_detectable_slope, observed.

    Notes
    -----
    The site's observed pre-period design is extended with k post periods. GLS methods: the
    variance of the slope change is :math:`s^2 (\tilde X^\top \tilde X)^{-1}` with
    :math:`\tilde X = L^{-1} W^{1/2} X`, :math:`R = LL^\top` the fit's error correlation and
    :math:`s^2` its scale. Newey–West methods (least-squares estimates): the sandwich
    :math:`(X^\top W X)^{-1} X^\top W^{1/2} \Sigma W^{1/2} X (X^\top W X)^{-1}` with
    :math:`\Sigma_{ij} = \sigma^2 \rho^{|i-j|}` (AR(1) from the residuals). :math:`W = I` for
    the linear model, the fitted means for Poisson (:math:`\Sigma` scaled by the dispersion). The
    minimal detectable slope change is :math:`(z_{1-\alpha/2} + z_{power})\, SE`.

    References
    ----------
    .. [1] Zhang, F., Wagner, A. K., & Ross-Degnan, D. (2011). Simulation-based power calculation
       for designing interrupted time series analyses of health policy interventions. Journal of
       Clinical Epidemiology, 64(11), 1252-1261.
    """
    cols = [
        "site",
        "outcome",
        "post_weeks",
        "se_slope",
        "slope_ci_width",
        "min_detectable_slope",
        "observed",
    ]
    if fit.result is None or "post" not in fit.X or fit.post_start is None:
        return pd.DataFrame(columns=cols)
    prec = analysis["precision"]
    alpha, power = analysis["alpha"], prec["power"]
    z_a, z_b = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)
    frequency = fit.frame["frequency"].iloc[0]
    starts, n_pre = _future_starts(fit, int(prec["max_post_weeks"]))
    origin = fit.frame["period_start"].min()
    X_all = build_design(starts, frequency, analysis, origin=origin, post_start=fit.post_start)
    X_all = X_all.reindex(columns=fit.X.columns, fill_value=0.0).to_numpy()
    gls = fit.errors is not None
    resid = residuals(fit)
    rho = float(np.clip(ar1(resid), -0.95, 0.95))
    if fit.kind == "quasi_poisson":
        beta = fit.result.params.to_numpy()
        offset = (
            np.log(np.where(starts.dt.days_in_month > 0, starts.dt.days_in_month, 7))
            if frequency == "monthly"
            else np.zeros(len(starts))
        )
        w = np.exp(X_all @ beta + offset)
        scale = float(fit.result.scale) if gls else dispersion(fit)
    else:
        w = np.ones(len(starts))
        scale = float(fit.result.scale) if gls else float(np.var(resid, ddof=fit.X.shape[1]))
    j = list(fit.X.columns).index("since")
    Xs = np.sqrt(w)[:, None] * X_all
    p = X_all.shape[1]
    bread_inv, meat, lagged = np.zeros((p, p)), np.zeros((p, p)), np.zeros(p)
    # GLS: the whitening L⁻¹ is lower triangular, so the first m whitened rows depend on the
    # first m periods only and X̃'X̃ of a series of length m is the sum of their outer products.
    whitened = fit.errors.factor(len(starts))[0](Xs) if gls else None
    rows = []
    for t in range(len(starts)):
        x, xs = X_all[t], Xs[t]
        if gls:
            bread_inv += np.outer(whitened[t], whitened[t])
        else:
            # Least squares under AR(1) errors: accumulate X'WX and X'W½ R W½X one period at a
            # time: with R_ij = rho^|i-j| the new row adds x xᵀ + r xᵀ + x rᵀ where
            # r = Σ_{i<t} rho^(t-i) x_i, so each step costs O(p²), not O(n²p).
            bread_inv += w[t] * np.outer(x, x)
            meat += np.outer(xs, xs) + np.outer(lagged, xs) + np.outer(xs, lagged)
            lagged = rho * (lagged + xs)
        k = t + 1 - n_pre
        if k < MIN_POST:
            continue
        bread = np.linalg.pinv(bread_inv)
        var = bread[j, j] if gls else (bread @ meat @ bread)[j, j]
        se = float(np.sqrt(scale * var))
        weeks = (starts.iloc[t] - fit.post_start).days / 7 + (1 if frequency == "weekly" else 4.348)
        rows.append(
            (
                fit.site,
                fit.outcome,
                round(weeks, 1),
                se,
                2 * z_a * se,
                (z_a + z_b) * se,
                k <= fit.n_post,
            )
        )
    return pd.DataFrame(rows, columns=cols)


def weeks_needed(curve: pd.DataFrame, fit: SiteFit, slope_estimate: float, target: float) -> dict:
    """Post-go-live weeks at which the minimal detectable slope change reaches the configured
    target, and reaches the size of the current estimate; and how many more weeks that is.

    Parameters
    ----------
    curve : pandas.DataFrame
        The site's :func:`precision_curve`.
    fit : SiteFit
        The fitted site.
    slope_estimate : float
        The current slope-change estimate.
    target : float
        monitoring.yaml → outcomes → target_slope_change.

    Returns
    -------
    dict
        One monitoring_weeks_needed row.
    """
    observed = curve[curve["observed"]]
    now = float(observed["post_weeks"].max()) if len(observed) else 0.0

    def first_below(threshold: float):
        hit = curve[curve["min_detectable_slope"] <= threshold]
        return float(hit["post_weeks"].min()) if len(hit) else np.nan

    to_target, to_estimate = first_below(target), first_below(abs(slope_estimate))
    return {
        "site": fit.site,
        "outcome": fit.outcome,
        "post_weeks_now": now,
        "min_detectable_slope_now": float(observed["min_detectable_slope"].iloc[-1])
        if len(observed)
        else np.nan,
        "target_slope_change": target,
        "weeks_to_target": to_target,
        "extra_weeks_to_target": max(0.0, to_target - now) if not np.isnan(to_target) else np.nan,
        "slope_change_estimate": slope_estimate,
        "weeks_to_detect_estimate": to_estimate,
        "extra_weeks_to_detect_estimate": max(0.0, to_estimate - now)
        if not np.isnan(to_estimate)
        else np.nan,
        "max_post_weeks": float(curve["post_weeks"].max()) if len(curve) else np.nan,
    }
