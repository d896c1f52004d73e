"""Standard errors under serial correlation: feasible GLS with AR(1) or ARMA(1,1) errors, and the
data-driven bandwidths of the Newey–West (HAC) estimator.

statsmodels fits the regressions (`OLS` on whitened data, `GLM`, the HAC sandwich with a given lag
window); what it lacks is written here, each piece small:
- GLS with the error correlation estimated by REML, per series of a stacked panel (statsmodels'
  `GLSAR` has one ρ for the whole sample, drops the first period and estimates ρ from
  least-squares residuals, which is biased at these lengths; its `ARIMA` with regressors has one
  series and maximum likelihood, and no quasi-Poisson), for Poisson means too (quasi-likelihood
  with an autocorrelated working correlation);
- Newey & West's (1994) and Andrews' (1991) automatic bandwidths, and the quadratic-spectral
  kernel weights (statsmodels' HAC has Bartlett and uniform kernels and no bandwidth selection).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import linalg, optimize
from statsmodels.genmod import families
from statsmodels.genmod.generalized_linear_model import GLM
from statsmodels.regression.linear_model import OLS

RHO_BOUND = 0.98  # |ρ| is clipped here: a unit root is not a stationary AR(1) error


def ar1_coefficient(resid: np.ndarray) -> float:
    r"""Least-squares AR(1) coefficient of a residual series,
    :math:`\sum_t r_t r_{t-1} / \sum_t r_{t-1}^2`, clipped to ±``RHO_BOUND``."""
    r = np.asarray(resid, dtype=float)
    if len(r) < 3:
        return 0.0
    denom = float(np.dot(r[:-1], r[:-1]))
    rho = float(np.dot(r[1:], r[:-1]) / denom) if denom > 0 else 0.0
    return float(np.clip(rho, -RHO_BOUND, RHO_BOUND))


def prais_winsten(values: np.ndarray, rho: float) -> np.ndarray:
    r"""Prais–Winsten transform of one series (rows of `values`, oldest first).

    Notes
    -----
    :math:`\tilde v_1 = \sqrt{1-\rho^2}\, v_1`, :math:`\tilde v_t = v_t - \rho v_{t-1}`: for
    AR(1) errors with coefficient :math:`\rho` the transformed errors are uncorrelated with equal
    variance, and the first period is kept (unlike Cochrane–Orcutt).

    References
    ----------
    .. [1] Prais, S. J., & Winsten, C. B. (1954). Trend estimators and serial correlation.
       Cowles Commission Discussion Paper 383.
    """
    v = np.asarray(values, dtype=float)
    out = v.copy()
    out[0] = math.sqrt(1 - rho * rho) * v[0]
    out[1:] = v[1:] - rho * v[:-1]
    return out


@dataclass(frozen=True)
class ErrorModel:
    r"""Correlation of a series' errors: AR(1), or AR(1) plus independent noise (ARMA(1,1)).

    ``kind = "ar1"``: :math:`\mathrm{corr}(u_t, u_{t-k}) = \rho^k`. ``kind = "arma11"``:
    :math:`u_t = a_t + \varepsilon_t` with :math:`a_t` AR(1) and :math:`\varepsilon_t` white
    noise, so :math:`\mathrm{corr}(u_t, u_{t-k}) = c\,\rho^k` for :math:`k \ge 1`, where
    :math:`c` (``share``) is the AR(1) part's share of the variance. This is an ARMA(1,1)
    process; it is what an aggregate series has when a persistent process is measured with
    sampling noise (a weekly count: Poisson noise around an autocorrelated rate; a weekly median
    over a finite number of examinations).
    """

    kind: str
    rho: float
    share: float = 1.0

    def correlation(self, n: int) -> np.ndarray:
        """First column of the n × n correlation matrix."""
        r = self.share * self.rho ** np.arange(n, dtype=float)
        r[0] = 1.0
        return r

    def factor(self, n: int):
        r"""(whiten, log det R): a function mapping rows (time order) to uncorrelated rows with
        unit variance, :math:`Wv` with :math:`WRW^\top = I` and :math:`W` lower triangular, and
        the log-determinant of the correlation matrix :math:`R`.

        Notes
        -----
        With :math:`\hat P` the Prais–Winsten transform scaled to unit variance (lower
        bidiagonal, :math:`\hat P R_{AR} \hat P^\top = I`) and :math:`R = (1-c)I + cR_{AR}`:
        :math:`N = \hat P R \hat P^\top = (1-c)\hat P\hat P^\top + cI` is tridiagonal, so with
        its banded Cholesky factor :math:`N = LL^\top`, :math:`W = L^{-1}\hat P` costs O(n), and
        :math:`\log\det R = \log\det N + (n-1)\log(1-\rho^2)`.
        """
        rho, c = self.rho, (1.0 if self.kind == "ar1" else self.share)
        s2 = 1 - rho * rho
        s = math.sqrt(s2)

        def unit_pw(v):
            v = np.asarray(v, dtype=float)
            out = v.copy()
            out[1:] = (v[1:] - rho * v[:-1]) / s
            return out

        if c >= 1.0 or n < 2:
            return unit_pw, (n - 1) * math.log(s2)
        diag = np.full(n, (1 + rho * rho) / s2)
        diag[0] = 1.0
        sub = np.full(n, -rho / s2)
        sub[0] = -rho / s
        band = np.vstack([(1 - c) * diag + c, (1 - c) * sub])
        band[1, -1] = 0.0
        chol = linalg.cholesky_banded(band, lower=True)
        logdet = 2.0 * float(np.log(chol[0]).sum()) + (n - 1) * math.log(s2)
        return (lambda v: linalg.solve_banded((1, 0), chol, unit_pw(v))), logdet


def _reml_objective(model: ErrorModel, y: np.ndarray, X: np.ndarray) -> float:
    n, p = X.shape
    whiten, logdet = model.factor(n)
    yt, Xt = whiten(y), whiten(X)
    beta = np.linalg.lstsq(Xt, yt, rcond=None)[0]
    rss = float(np.sum((yt - Xt @ beta) ** 2))
    xtx = np.linalg.slogdet(Xt.T @ Xt)[1]
    return 0.5 * ((n - p) * math.log(max(rss, 1e-300)) + logdet + xtx)


def reml(y: np.ndarray, X: np.ndarray, kind: str = "arma11") -> ErrorModel:
    r"""The error correlation of a linear model by restricted maximum likelihood (REML).

    The least-squares lag-1 autocorrelation of regression residuals is biased towards zero by
    about (p + 1 + 3ρ)/n (p regressors, n periods): at the lengths the studies have this made
    the GLS intervals too narrow. REML removes the part due to the estimated coefficients.

    Parameters
    ----------
    y : numpy.ndarray
        Outcome (or weighted working response), one series in time order.
    X : numpy.ndarray
        Design (same rows), full column rank.
    kind : str
        ``"ar1"`` or ``"arma11"`` (:class:`ErrorModel`).

    Returns
    -------
    ErrorModel
        :math:`\hat\rho` in ``[-RHO_BOUND, RHO_BOUND]`` and, for ARMA(1,1), the share
        :math:`\hat c` in [0, 1].

    Notes
    -----
    With :math:`R` the errors' correlation matrix, :math:`R = LL^\top`, :math:`\tilde y =
    L^{-1}y`, :math:`\tilde X = L^{-1}X` and RSS the residual sum of squares of :math:`\tilde y`
    on :math:`\tilde X`, the profile restricted log-likelihood is, up to a constant,
    :math:`-\tfrac12\{(n-p)\log \mathrm{RSS} + \log\det R + \log\det(\tilde X^\top\tilde X)\}`;
    it is maximised by bounded search (scalar for AR(1), L-BFGS-B over :math:`(\rho, c)`).

    References
    ----------
    .. [1] Cheang, W.-K., & Reinsel, G. C. (2000). Bias reduction of autoregressive estimates in
       time series regression model through restricted maximum likelihood. Journal of the
       American Statistical Association, 95(452), 1173-1184.
    .. [2] Harville, D. A. (1977). Maximum likelihood approaches to variance component
       estimation and to related problems. Journal of the American Statistical Association,
       72(358), 320-338.
    """
    y = np.asarray(y, dtype=float)
    X = np.asarray(X, dtype=float)
    n, p = X.shape
    if n - p < 4:
        return ErrorModel(kind, 0.0)
    if kind == "ar1":
        best = optimize.minimize_scalar(
            lambda r: _reml_objective(ErrorModel("ar1", r), y, X),
            bounds=(-RHO_BOUND, RHO_BOUND),
            method="bounded",
            options={"xatol": 1e-6},
        )
        return ErrorModel("ar1", float(best.x))
    # Start from the least-squares residuals' lag-1 and lag-2 autocorrelations (r1 = cρ,
    # r2 = cρ²), then search (ρ, c) on the box.
    e = y - X @ np.linalg.lstsq(X, y, rcond=None)[0]
    e = e - e.mean()
    r1, r2 = (float(np.dot(e[k:], e[:-k]) / np.dot(e, e)) for k in (1, 2))
    rho0, c0 = (r2 / r1, r1 * r1 / r2) if 0 < r2 < r1 else (r1, 1.0)
    start = np.clip([rho0, c0], [-RHO_BOUND, 0.0], [RHO_BOUND, 1.0])
    best = optimize.minimize(
        lambda v: _reml_objective(ErrorModel("arma11", v[0], v[1]), y, X),
        start,
        method="L-BFGS-B",
        bounds=[(-RHO_BOUND, RHO_BOUND), (0.0, 1.0)],
    )
    return ErrorModel("arma11", float(best.x[0]), float(best.x[1]))


@dataclass
class GLSFit:
    """A feasible-GLS fit: the statsmodels OLS result on the whitened data (its params, cov and
    t tests are those of the GLS estimator), the error model and the SD per series."""

    result: object
    errors: list[ErrorModel]
    sigma: np.ndarray
    iterations: int
    converged: bool


def _segments(groups: np.ndarray) -> list[slice]:
    """Contiguous runs of equal group labels (a stacked panel, each series in time order)."""
    groups = np.asarray(groups)
    cuts = np.flatnonzero(groups[1:] != groups[:-1]) + 1
    bounds = np.concatenate([[0], cuts, [len(groups)]])
    return [slice(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def gls(
    y: np.ndarray,
    X: pd.DataFrame,
    *,
    kind: str = "arma11",
    family: str = "gaussian",
    offset: np.ndarray | None = None,
    groups: np.ndarray | None = None,
    errors: list[ErrorModel] | None = None,
    max_iter: int = 100,
    tol: float = 1e-8,
) -> GLSFit:
    r"""Feasible GLS with AR(1) or ARMA(1,1) errors within each series.

    Parameters
    ----------
    y : numpy.ndarray
        Outcome, series stacked one after another, each in time order.
    X : pandas.DataFrame
        Design (same rows).
    kind : str
        ``"ar1"`` or ``"arma11"`` (:class:`ErrorModel`), estimated by REML (:func:`reml`).
    family : str
        ``"gaussian"`` (linear model) or ``"poisson"`` (log link; quasi-likelihood).
    offset : numpy.ndarray or None
        Offset of the Poisson linear predictor.
    groups : numpy.ndarray or None
        Series label per row (None: one series).
    errors : list of ErrorModel or None
        A fixed error model per series (e.g. each site's own, for the pooled model). None: one
        series, its error model estimated here.
    max_iter, tol : int, float
        Iteration limit and convergence tolerance.

    Returns
    -------
    GLSFit
        ``result`` is ``OLS(ỹ, X̃).fit()`` on the whitened, scale-weighted data: its params
        are the GLS estimates, its covariance :math:`s^2 (\tilde X^\top \tilde X)^{-1}` and its
        t tests use n − p degrees of freedom.

    Notes
    -----
    Gaussian: :math:`y = X\beta + u` with :math:`\mathrm{Cov}(u) = \sigma_g^2 R_g` within series
    g. :math:`R` is estimated by REML, each series is whitened (:math:`L^{-1}`, ``ErrorModel``)
    and divided by its SD :math:`\hat\sigma_g`, and OLS on the result is the feasible GLS
    estimator. Poisson: :math:`\mathrm{Var}(y) = \phi\,A^{1/2} R A^{1/2}` with :math:`A =
    \mathrm{diag}(\mu)` (quasi-likelihood with an autocorrelated working correlation of the
    Pearson residuals, Zeger 1988): each Fisher-scoring step is the GLS fit of the working
    response :math:`z = X\beta + (y-\mu)/\mu` with weights :math:`\mu`, whitened the same way;
    :math:`R` is estimated by REML on the working model of the independence fit and once more at
    the first GLS coefficients; the scale of the final fit is the dispersion :math:`\phi`.

    References
    ----------
    .. [1] Prais, S. J., & Winsten, C. B. (1954). Trend estimators and serial correlation.
       Cowles Commission Discussion Paper 383.
    .. [2] Zeger, S. L. (1988). A regression model for time series of counts. Biometrika, 75(4),
       621-629.
    .. [3] Cheang, W.-K., & Reinsel, G. C. (2000). Bias reduction of autoregressive estimates in
       time series regression model through restricted maximum likelihood. Journal of the
       American Statistical Association, 95(452), 1173-1184.
    """
    y = np.asarray(y, dtype=float)
    groups = np.zeros(len(y), dtype=int) if groups is None else np.asarray(groups)
    segments = _segments(groups)
    if errors is None and len(segments) > 1:
        raise ValueError("gls: pass each series' error model for a stacked panel")
    Xa = X.to_numpy(dtype=float)
    off = np.zeros(len(y)) if offset is None else np.asarray(offset, dtype=float)
    poisson = family == "poisson"
    estimate = errors is None
    if poisson and estimate:  # the independence fit, whose working model gives the first R
        beta = GLM(y, Xa, family=families.Poisson(), offset=off).fit().params
    elif poisson:  # a start for Fisher scoring (the pooled model: R is given)
        beta = np.linalg.lstsq(Xa, np.log(y + 0.5) - off, rcond=None)[0]
    else:
        beta = np.linalg.lstsq(Xa, y, rcond=None)[0]

    def working(beta):
        if not poisson:
            return np.ones(len(y)), y
        eta = Xa @ beta
        mu = np.exp(eta + off)
        return np.sqrt(mu), eta + (y - mu) / mu  # weights √μ, working response w/o offset

    if estimate:
        w, z = working(beta)
        errors = [reml(w * z, w[:, None] * Xa, kind)]
    sigma = np.ones(len(segments))
    converged, it = False, 0
    for it in range(1, max_iter + 1):  # noqa: B007 (the count is reported)
        w, z = working(beta)
        if estimate and poisson and it == 2:
            # Re-estimated once at the GLS coefficients (the working model moved from the
            # independence fit); later steps change it by far less than its standard error.
            errors = [reml(w * z, w[:, None] * Xa, kind)]
        yt, Xt = np.empty(len(y)), np.empty_like(Xa)
        for g, s in enumerate(segments):
            whiten = errors[g].factor(s.stop - s.start)[0]
            yt[s], Xt[s] = whiten(w[s] * z[s]), whiten(w[s, None] * Xa[s])
        # SD per series from the whitened residuals at the current β, so that series of
        # different noise levels are weighted by their precision (one series: no weighting).
        e = yt - Xt @ beta
        new_sigma = np.array([max(float(np.sqrt(np.mean(e[s] ** 2))), 1e-12) for s in segments])
        if len(segments) == 1:
            new_sigma[:] = 1.0
        scale = np.repeat(new_sigma, [s.stop - s.start for s in segments])
        yw, Xw = yt / scale, Xt / scale[:, None]
        new_beta = np.linalg.lstsq(Xw, yw, rcond=None)[0]
        change = max(
            np.max(np.abs(new_beta - beta)) / (1 + np.max(np.abs(beta))),
            np.max(np.abs(new_sigma - sigma) / sigma),
        )
        beta, sigma = new_beta, new_sigma
        if it > 1 and change < tol:
            converged = True
            break
    # The final weighted least squares through statsmodels: its params, covariance and t tests
    # are those of the GLS estimator (the loop above only iterates to the fixed point).
    res = OLS(yw, pd.DataFrame(Xw, columns=X.columns)).fit()
    return GLSFit(res, errors, sigma, it, converged)


def newey_west_1994_lag(scores: np.ndarray) -> tuple[float, int]:
    r"""Newey & West's (1994) automatic bandwidth for the Bartlett kernel.

    Parameters
    ----------
    scores : numpy.ndarray
        (T, k) score contributions :math:`x_{ta} \hat e_t` of the regressors of interest, in
        time order.

    Returns
    -------
    (float, int)
        The bandwidth :math:`\hat m` and the lag window used with statsmodels' Bartlett weights
        (:math:`\lfloor \hat m \rfloor`, at least 1).

    Notes
    -----
    With :math:`h_t = \sum_a x_{ta}\hat e_t`, :math:`\hat\sigma_j = T^{-1}\sum_t h_t h_{t-j}`,
    :math:`n = \lfloor 4 (T/100)^{2/9} \rfloor`, :math:`\hat s^{(0)} = \hat\sigma_0 + 2\sum_{j=1}^n
    \hat\sigma_j`, :math:`\hat s^{(1)} = 2\sum_{j=1}^n j\hat\sigma_j`:
    :math:`\hat m = 1.1447\,\{(\hat s^{(1)}/\hat s^{(0)})^2 T\}^{1/3}`.

    References
    ----------
    .. [1] Newey, W. K., & West, K. D. (1994). Automatic lag selection in covariance matrix
       estimation. Review of Economic Studies, 61(4), 631-653.
    """
    h = np.asarray(scores, dtype=float).sum(axis=1)
    h = h - h.mean()
    T = len(h)
    n = max(1, int(4 * (T / 100) ** (2 / 9)))
    sig = np.array([np.dot(h[j:], h[: T - j]) / T for j in range(n + 1)])
    s0 = sig[0] + 2 * sig[1:].sum()
    s1 = 2 * (np.arange(1, n + 1) * sig[1:]).sum()
    if s0 <= 0:
        return 1.0, 1
    m = 1.1447 * ((s1 / s0) ** 2 * T) ** (1 / 3)
    m = float(min(m, T - 1))
    return m, max(1, int(m))


def andrews_bandwidth(scores: np.ndarray) -> float:
    r"""Andrews' (1991) AR(1) plug-in bandwidth for the quadratic-spectral kernel.

    Parameters
    ----------
    scores : numpy.ndarray
        (T, k) score contributions of the regressors of interest, in time order.

    Returns
    -------
    float
        :math:`S_T = 1.3221\,(\hat\alpha(2)\,T)^{1/5}`.

    Notes
    -----
    Each column :math:`a` is fitted an AR(1) (:math:`\hat\rho_a`, innovation variance
    :math:`\hat\sigma_a^2`); :math:`\hat\alpha(2) = \sum_a 4\hat\rho_a^2\hat\sigma_a^4 /
    (1-\hat\rho_a)^8 \big/ \sum_a \hat\sigma_a^4/(1-\hat\rho_a)^4`.

    References
    ----------
    .. [1] Andrews, D. W. K. (1991). Heteroskedasticity and autocorrelation consistent covariance
       matrix estimation. Econometrica, 59(3), 817-858. (eq. 6.4)
    """
    v = np.asarray(scores, dtype=float)
    T = v.shape[0]
    num = den = 0.0
    for a in range(v.shape[1]):
        x = v[:, a] - v[:, a].mean()
        rho = ar1_coefficient(x)
        s2 = float(np.mean((x[1:] - rho * x[:-1]) ** 2))
        num += 4 * rho**2 * s2**2 / (1 - rho) ** 8
        den += s2**2 / (1 - rho) ** 4
    alpha2 = num / den if den > 0 else 0.0
    return float(min(1.3221 * (alpha2 * T) ** 0.2, T - 1))


def qs_weights(bandwidth: float):
    r"""Quadratic-spectral kernel weights for statsmodels' HAC (``cov_kwds={"kernel": ...}``).

    statsmodels calls the kernel with a lag window and expects one weight per lag 0..window; the
    QS kernel has unbounded support, so the window passed is the series length minus one.

    Notes
    -----
    :math:`k(x) = \frac{25}{12\pi^2x^2}\left(\frac{\sin(6\pi x/5)}{6\pi x/5} - \cos(6\pi x/5)
    \right)`, :math:`x = j / S_T`.
    """

    def weights(nlags: int) -> np.ndarray:
        j = np.arange(nlags + 1, dtype=float)
        x = j / bandwidth
        z = 6 * np.pi * x / 5
        with np.errstate(divide="ignore", invalid="ignore"):
            k = 25 / (12 * np.pi**2 * x**2) * (np.sin(z) / z - np.cos(z))
        k[0] = 1.0
        return k

    return weights
