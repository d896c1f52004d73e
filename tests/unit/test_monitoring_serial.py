"""Standard errors under serial correlation (monitoring/stats/serial.py) and the configured
standard-error methods of the site and pooled models: every hand-written piece against an
independent computation."""

import copy
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import linalg

from impleval.demo import monitoring as demo
from impleval.demo.simulate_monitoring import simulate
from impleval.monitoring.settings import load_definition
from impleval.monitoring.stats import serial
from impleval.monitoring.stats.analyse import analyse, fit_all
from impleval.monitoring.stats.models import SE_METHODS, estimates, pooled, pooled_estimates
from impleval.monitoring.stats.precision import precision_curve

ROOT = Path(__file__).resolve().parents[2]
DEFINITION = load_definition(
    ROOT / "config" / "demo-study" / "monitoring.yaml",
    ROOT / "config" / "schema" / "monitoring.schema.yaml",
)
PRIMARY = DEFINITION["primary_outcome"]


def _definition(method: str) -> dict:
    d = copy.deepcopy(DEFINITION)
    d["analysis"]["se_method"] = method
    return d


@pytest.fixture(scope="module")
def study():
    return simulate(7)


def _ar_series(n, rho, share, seed):
    rng = np.random.default_rng(seed)
    e = rng.normal(size=n)
    a = np.empty(n)
    a[0] = e[0] / np.sqrt(1 - rho**2)
    for t in range(1, n):
        a[t] = rho * a[t - 1] + e[t]
    a *= np.sqrt(share * (1 - rho**2))
    return a + np.sqrt(1 - share) * rng.normal(size=n)


@pytest.mark.parametrize(
    "kind, rho, share", [("ar1", 0.6, 1.0), ("arma11", 0.5, 0.4), ("arma11", -0.3, 0.8)]
)
def test_whitening_is_the_inverse_cholesky_factor(kind, rho, share):
    """W R Wᵀ = I with W lower triangular, and log det R, against the dense Toeplitz matrix."""
    model = serial.ErrorModel(kind, rho, share)
    n = 40
    lags = rho ** np.arange(n) * (share if kind == "arma11" else 1.0)
    lags[0] = 1.0
    R = linalg.toeplitz(lags)
    whiten, logdet = model.factor(n)
    W = whiten(np.eye(n))
    np.testing.assert_allclose(W @ R @ W.T, np.eye(n), atol=1e-12)
    assert np.abs(np.triu(W, 1)).max() == 0
    assert logdet == pytest.approx(np.linalg.slogdet(R)[1], abs=1e-10)


def test_gls_equals_statsmodels_gls_with_the_estimated_correlation():
    """Given the REML error model, the estimates and covariance are those of statsmodels' GLS with
    the dense correlation matrix (an independent implementation of the whitening)."""
    n = 150
    X = pd.DataFrame({"const": 1.0, "t": np.arange(n) / 10, "post": (np.arange(n) > 90) * 1.0})
    y = X.to_numpy() @ [5.0, 0.3, -1.0] + _ar_series(n, 0.5, 0.6, 1)
    fit = serial.gls(y, X, kind="arma11")
    model = fit.errors[0]
    R = linalg.toeplitz(model.correlation(n))
    ref = sm.GLS(y, X, sigma=R).fit()
    np.testing.assert_allclose(fit.result.params, ref.params, rtol=1e-9)
    np.testing.assert_allclose(fit.result.bse, ref.bse, rtol=1e-8)


def test_reml_recovers_the_error_model_on_long_series():
    """On long simulated series the REML estimates are near the planted (ρ, share)."""
    n = 4000
    X = np.column_stack([np.ones(n), np.arange(n) / n])
    for rho, share in [(0.4, 1.0), (0.6, 0.5)]:
        y = X @ [1.0, 2.0] + _ar_series(n, rho, share, 11)
        m = serial.reml(y, X, "arma11")
        assert m.rho == pytest.approx(rho, abs=0.06)
        assert m.share == pytest.approx(share, abs=0.08)
        assert serial.reml(y, X, "ar1").rho == pytest.approx(rho * share, abs=0.08)


def test_reml_is_less_biased_than_the_residual_autocorrelation():
    """The reason for REML: over many short series with many regressors, the least-squares
    residuals' lag-1 autocorrelation is clearly biased towards 0, the REML ρ much less."""
    n, rho = 80, 0.5
    X = np.column_stack([np.ones(n), np.arange(n)] + [np.sin(np.arange(n) * k) for k in (1, 2)])
    ls, rm = [], []
    for seed in range(60):
        y = _ar_series(n, rho, 1.0, seed)
        resid = y - X @ np.linalg.lstsq(X, y, rcond=None)[0]
        ls.append(serial.ar1_coefficient(resid))
        rm.append(serial.reml(y, X, "ar1").rho)
    assert abs(np.mean(rm) - rho) < abs(np.mean(ls) - rho) / 2


def test_newey_west_1994_bandwidth_by_hand():
    rng = np.random.default_rng(5)
    h = _ar_series(200, 0.5, 1.0, 2)
    scores = np.column_stack([h, rng.normal(size=200) * 0])
    m, lags = serial.newey_west_1994_lag(scores)
    x = h - h.mean()
    T, n = 200, int(4 * (200 / 100) ** (2 / 9))
    sig = [x[j:] @ x[: T - j] / T for j in range(n + 1)]
    s0 = sig[0] + 2 * sum(sig[1:])
    s1 = 2 * sum(j * sig[j] for j in range(1, n + 1))
    assert m == pytest.approx(1.1447 * ((s1 / s0) ** 2 * T) ** (1 / 3))
    assert lags == int(m)


def test_andrews_bandwidth_by_hand_and_qs_weights():
    x = _ar_series(300, 0.6, 1.0, 4)
    bw = serial.andrews_bandwidth(x[:, None])
    z = x - x.mean()
    rho = z[1:] @ z[:-1] / (z[:-1] @ z[:-1])
    s2 = np.mean((z[1:] - rho * z[:-1]) ** 2)
    a2 = (4 * rho**2 * s2**2 / (1 - rho) ** 8) / (s2**2 / (1 - rho) ** 4)
    assert bw == pytest.approx(1.3221 * (a2 * 300) ** 0.2)
    w = serial.qs_weights(2.0)(10)
    x1 = 1 / 2.0
    z1 = 6 * np.pi * x1 / 5
    assert w[0] == 1.0 and w[1] == pytest.approx(
        25 / (12 * np.pi**2 * x1**2) * (np.sin(z1) / z1 - np.cos(z1))
    )


@pytest.mark.parametrize("method", SE_METHODS)
def test_every_method_fits_and_reports_itself(study, method):
    series, milestones, truth = study
    d = _definition(method)
    tables = analyse(series, milestones, d, _organisation(), min_cell=5)
    est, diag = tables["its_estimates"], tables["its_diagnostics"]
    assert set(est["se_method"].dropna()) <= {method, "hac_panel"}
    fitted = diag[diag["se_method"].notna()]
    assert (fitted["se_method"] == method).all()
    if method.startswith("gls"):
        assert fitted["hac_bandwidth"].isna().all() and (fitted["ar_order"] == 1).all()
        assert fitted["ar_rho"].between(-1, 1).all() and fitted["ar_share"].between(0, 1).all()
        assert set(est.loc[est["pooled"], "se_method"]) == {method}
    else:
        assert (fitted["hac_bandwidth"] > 0).all() and fitted["ar_rho"].isna().all()
        assert set(est.loc[est["pooled"], "se_method"]) == {"hac_panel"}
    if method == "newey_west":
        assert (fitted["hac_bandwidth"] == DEFINITION["analysis"]["hac_maxlags"]).all()
    assert est["model"].isin(["ols_hac", "quasi_poisson"]).all()
    level = est[(est["parameter"] == "level_change") & (est["outcome"] == PRIMARY)]
    assert (
        level["ci_low"].lt(level["estimate"]).all() and level["estimate"].lt(level["ci_high"]).all()
    )


def _organisation():
    from impleval.config import load_yaml

    return load_yaml(ROOT / "config" / "demo-study" / "organisation.yaml")


def test_newey_west_keeps_least_squares_estimates(study):
    series, milestones, _ = study
    fit = next(
        f
        for f in fit_all(series, milestones, _definition("newey_west"))[PRIMARY]
        if f.site == "baerum"
    )
    beta, *_ = np.linalg.lstsq(fit.X.to_numpy(), fit.frame[PRIMARY].to_numpy(), rcond=None)
    np.testing.assert_allclose(fit.result.params.to_numpy(), beta, rtol=1e-8, atol=1e-8)


def test_site_gls_agrees_with_exact_maximum_likelihood(study):
    """The default GLS against statsmodels' ARIMA(1, 0, 1) with regressors (exact ML by the Kalman
    filter): slope and level changes within a fifth of a standard error. The SEs are not smaller
    than ML's and at most 30 % larger: REML's error correlation is less biased towards zero than
    ML's, which is why ML intervals are too narrow at these lengths."""
    from statsmodels.tsa.arima.model import ARIMA

    series, milestones, _ = study
    d = _definition("gls_arma11")
    fit = next(f for f in fit_all(series, milestones, d)[PRIMARY] if f.site == "kongsberg")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = ARIMA(fit.frame[PRIMARY].to_numpy(), exog=fit.X, order=(1, 0, 1), trend="n").fit()
    for col in ("post", "since"):
        se = fit.result.bse[col]
        assert abs(fit.result.params[col] - ref.params[col]) < 0.2 * se
        assert 0.95 < se / ref.bse[col] < 1.3


def test_pooled_gls_weights_each_site_by_its_own_error_model(study):
    """The pooled GLS equals statsmodels' GLS with the block-diagonal covariance built from each
    site's error model and noise level."""
    series, milestones, _ = study
    d = _definition("gls_arma11")
    fits = [f for f in fit_all(series, milestones, d)[PRIMARY] if f.baseline != "refused"]
    pool = pooled(fits, d["analysis"])
    usable = [f for f in fits if f.result is not None]
    y = np.concatenate([f.frame[PRIMARY].to_numpy(dtype=float) for f in usable])
    blocks, start = [], 0
    groups = np.repeat(np.arange(len(usable)), [len(f.frame) for f in usable])
    fitted = serial.gls(y, pool.X, groups=groups, errors=[f.errors for f in usable], kind="arma11")
    for g, f in enumerate(usable):
        n = len(f.frame)
        blocks.append(fitted.sigma[g] ** 2 * linalg.toeplitz(f.errors.correlation(n)))
        start += n
    ref = sm.GLS(y, pool.X, sigma=linalg.block_diag(*blocks)).fit()
    np.testing.assert_allclose(pool.result.params, ref.params, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(pool.result.bse, ref.bse, rtol=1e-6)
    rows = {r["parameter"]: r for r in pooled_estimates(pool, d["analysis"])}
    assert rows["slope_change"]["se_method"] == "gls_arma11" and rows["slope_change"]["pooled"]


def test_precision_at_todays_length_is_the_reported_gls_se(study):
    """The precision curve uses the estimator the analysis reports: at today's post length its SE
    is the GLS SE of the slope change (same design up to the regular future weeks)."""
    series, milestones, _ = study
    fit = next(f for f in fit_all(series, milestones, DEFINITION)[PRIMARY] if f.site == "drammen")
    curve = precision_curve(fit, DEFINITION["analysis"])
    now = curve[curve["observed"]].iloc[-1]
    reported = {r["parameter"]: r for r in estimates(fit, DEFINITION["analysis"])}["slope_change"]
    assert now["se_slope"] == pytest.approx(reported["se"], rel=0.02)


def test_simulated_study_is_the_demo_generator():
    """simulate_monitoring with the demo's defaults draws the demo's numbers (same seed, same
    order of draws), so the calibration study runs on the demo's data-generating process."""
    series, _, truth = simulate(demo.SEED)
    aggregates, _, meta = demo.simulate(demo.SEED)
    np.testing.assert_array_equal(
        series["median_wait_minutes"].to_numpy(), aggregates["median_wait_minutes"].to_numpy()
    )
    np.testing.assert_array_equal(
        series["n_examinations"].to_numpy(), aggregates["n_examinations"].to_numpy()
    )
    for site, planted in truth.items():
        assert planted[PRIMARY]["level_change"] == meta["sites"][site][PRIMARY]["level_change"]
    null_series, _, null_truth = simulate(1, null=True, start="2023-01-02")
    assert null_series["period_start"].min() == pd.Timestamp("2023-01-02")
    assert {t[PRIMARY]["slope_change"] for t in null_truth.values()} <= {0.0, None}
