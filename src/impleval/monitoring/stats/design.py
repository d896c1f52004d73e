"""Segmented-regression design matrix for one site's series.

Y_t = b0 + b1*time + b2*post + b3*since + season + e_t (methods.md). `time` and `since` are in
weeks whatever the series frequency, so slopes and horizons are per week. A period is post when
its midpoint falls on or after the go-live date (a Tuesday go-live makes that week the first post
week); `since` is 0 in the first post period. An optional phase-in window after go-live is dropped
and the post period then starts after it.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from dateutil.easter import easter

DAYS_PER_WEEK = 7.0


def period_days(frequency: str, starts: pd.Series) -> np.ndarray:
    """Days per period: the month's length for monthly series, 7 for weekly ones."""
    if frequency == "monthly":
        return starts.dt.days_in_month.to_numpy(dtype=float)
    return np.full(len(starts), DAYS_PER_WEEK)


def midpoints(frequency: str, starts: pd.Series) -> pd.Series:
    """Midpoint of each period (a period is post when its midpoint is on or after go-live)."""
    return starts + pd.to_timedelta(period_days(frequency, starts) / 2, unit="D")


@lru_cache(maxsize=64)
def _easter_span(year: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    sunday = pd.Timestamp(easter(year))
    return sunday - pd.Timedelta(days=3), sunday + pd.Timedelta(
        days=1
    )  # Maundy Thursday..Easter Monday


def easter_indicator(frequency: str, starts: pd.Series) -> np.ndarray:
    """1 for periods overlapping Maundy Thursday..Easter Monday (Norwegian public holidays),
    else 0."""
    ends = starts + pd.to_timedelta(period_days(frequency, starts), unit="D")
    out = np.zeros(len(starts))
    for i, (s, e) in enumerate(zip(starts, ends, strict=True)):
        first, last = _easter_span(s.year)
        out[i] = float(s <= last and first < e)
    return out


def first_post_start(
    frequency: str, starts: pd.Series, go_live: pd.Timestamp
) -> pd.Timestamp | None:
    """Start of the first period whose midpoint falls on or after `go_live` (None: no such
    period)."""
    mids = midpoints(frequency, starts)
    post = starts[mids >= go_live]
    return None if post.empty else post.min()


def season_terms(frequency: str, starts: pd.Series, analysis: dict) -> pd.DataFrame:
    r"""Seasonal terms of the design (config: analysis.seasonality): Fourier pairs of the year
    plus a July holiday indicator, or month dummies; and an Easter indicator.

    Notes
    -----
    For harmonics :math:`h = 1..H` and the day of year :math:`d` of the period's midpoint,
    :math:`\sin(2\pi h d / 365.25)` and :math:`\cos(2\pi h d / 365.25)`.

    References
    ----------
    .. [1] Bernal, J. L., Cummins, S., & Gasparrini, A. (2017). Interrupted time series
       regression for the evaluation of public health interventions: a tutorial. International
       Journal of Epidemiology, 46(1), 348-355.
    """
    mids = midpoints(frequency, starts)
    terms = {}
    if analysis.get("seasonality", "fourier") == "months":
        for m in range(2, 13):
            terms[f"month_{m:02d}"] = (mids.dt.month == m).astype(float).to_numpy()
    else:
        doy = mids.dt.day_of_year.to_numpy(dtype=float)
        for k in range(1, int(analysis.get("fourier_harmonics", 2)) + 1):
            terms[f"sin{k}"] = np.sin(2 * np.pi * k * doy / 365.25)
            terms[f"cos{k}"] = np.cos(2 * np.pi * k * doy / 365.25)
        if analysis.get("july_holiday", True):
            terms["july"] = (mids.dt.month == 7).astype(float).to_numpy()
    if analysis.get("easter", True):
        terms["easter"] = easter_indicator(frequency, starts)
    return pd.DataFrame(terms, index=starts.index)


def build_design(
    starts: pd.Series,
    frequency: str,
    analysis: dict,
    *,
    origin: pd.Timestamp,
    post_start: pd.Timestamp | None,
) -> pd.DataFrame:
    r"""Segmented-regression design matrix.

    Parameters
    ----------
    starts : pandas.Series
        Period starts.
    frequency : str
        "weekly" or "monthly".
    analysis : dict
        monitoring.yaml → analysis (season, phase-in).
    origin : pandas.Timestamp
        The date of time = 0.
    post_start : pandas.Timestamp or None
        First post period (None: comparison series, no post/since columns).

    Returns
    -------
    pandas.DataFrame
        Columns const, time, [post, since], seasonal terms.

    Notes
    -----
    :math:`Y_t = \beta_0 + \beta_1\,\mathrm{time}_t + \beta_2\,\mathrm{post}_t
    + \beta_3\,\mathrm{since}_t + \mathrm{season}_t + \varepsilon_t`, with time and since in
    weeks whatever the frequency, so slopes are per week; since is 0 in the first post period.

    References
    ----------
    .. [1] Wagner, A. K., Soumerai, S. B., Zhang, F., & Ross-Degnan, D. (2002). Segmented
       regression analysis of interrupted time series studies in medication use research. Journal
       of Clinical Pharmacy and Therapeutics, 27(4), 299-309.
    """
    X = pd.DataFrame(
        {"const": 1.0, "time": (starts - origin).dt.days.to_numpy() / DAYS_PER_WEEK},
        index=starts.index,
    )
    if post_start is not None:
        X["post"] = (starts >= post_start).astype(float).to_numpy()
        X["since"] = X["post"] * (starts - post_start).dt.days.to_numpy() / DAYS_PER_WEEK
    return X.join(season_terms(frequency, starts, analysis))


def drop_degenerate(
    X: pd.DataFrame, keep: tuple[str, ...] = ("const", "time", "post", "since")
) -> pd.DataFrame:
    """Drop seasonal columns that are constant or make X rank-deficient (short series, no
    Easter)."""
    cols = [c for c in X.columns if c in keep or X[c].std() > 0]
    X = X[cols]
    while np.linalg.matrix_rank(X.to_numpy()) < X.shape[1]:
        droppable = [c for c in X.columns if c not in keep]
        if not droppable:
            break
        X = X.drop(columns=droppable[-1])
    return X


def site_frame(
    series: pd.DataFrame, outcome: str, go_live: pd.Timestamp | None, analysis: dict
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Timestamp | None]:
    """One site's non-missing rows of `outcome`, its design matrix, and the post-period start.

    Rows inside the phase-in window are dropped."""
    frame = series.dropna(subset=[outcome]).sort_values("period_start").reset_index(drop=True)
    frequency = frame["frequency"].iloc[0] if len(frame) else "weekly"
    post_start = None
    if go_live is not None and len(frame):
        post_start = first_post_start(frequency, frame["period_start"], go_live)
        phase_in = int(analysis.get("phase_in_weeks", 0))
        if post_start is not None and phase_in > 0:
            window_end = post_start + pd.Timedelta(weeks=phase_in)
            inside = (frame["period_start"] >= post_start) & (frame["period_start"] < window_end)
            frame = frame[~inside].reset_index(drop=True)
            rest = frame["period_start"][frame["period_start"] >= window_end]
            post_start = None if rest.empty else rest.min()
    origin = frame["period_start"].min() if len(frame) else pd.Timestamp("2000-01-03")
    X = build_design(
        frame["period_start"], frequency, analysis, origin=origin, post_start=post_start
    )
    return frame, X, post_start


def go_live_dates(milestones: pd.DataFrame, kind: str) -> dict[str, pd.Timestamp]:
    """Site → go-live date from the canonical milestones table; `kind` is the study's go-live
    milestone (monitoring.yaml → milestones.go_live)."""
    rows = milestones[milestones["milestone"] == kind]
    return dict(zip(rows["site"], rows["date"], strict=True))
