"""Simulated monitoring series in the canonical interim shape, from the demo generator's model,
for the calibration study (validation/) and tests.

The same data-generating process as the demo export (`impleval.demo.monitoring`): per site a
baseline, the demand trend, winter/July/Easter season, AR(1) noise on the waiting time, planted
level and slope changes at go-live, and Poisson counts with AR(1) log-scale noise and no change.
What can be varied here is what a calibration needs: the seed, the series' first and last week
(shorter series), the AR(1) coefficient, and whether the planted changes are set to zero (a null
study). The frames come out as `prepare_monitoring` writes them (period_start, frequency, dates
as timestamps), so the analysis runs on them without the importer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from impleval.demo import monitoring as demo


def simulate(
    seed: int,
    *,
    start: str = demo.START,
    end: str = demo.END,
    phi: float = demo.AR_PHI,
    null: bool = False,
    sites: list[str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """One simulated monitoring study.

    Parameters
    ----------
    seed : int
        Seed of the study's random stream.
    start, end : str
        First and last Monday of the weekly series (default: the demo's five years).
    phi : float
        AR(1) coefficient of the waiting-time noise (demo: 0.4).
    null : bool
        True: no level or slope change at any site (every site is a null for the tests).
    sites : list of str or None
        Sites to simulate (default: every demo site). A site whose go-live falls outside the
        window has no post period (the analysis refuses or treats it as a comparison).

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame, dict)
        The canonical series (site, period_start, frequency, n_examinations,
        median_wait_minutes), the milestones (site, milestone, date) and the truth per site:
        ``{site: {"median_wait_minutes": {"level_change", "slope_change"},
        "n_examinations": {"level_change", "slope_change"}}}`` (counts on the log scale).
    """
    rng = np.random.default_rng(seed)
    weeks = pd.date_range(start, end, freq="W-MON")
    t = np.arange(len(weeks), dtype=float)
    winter, july, easter_week = demo._season(weeks)
    chosen = list(demo.SITES) if sites is None else list(sites)
    rows, truth = [], {}
    for site in chosen:
        base, n_base, level, slope = demo.SITES[site]
        if null and level is not None:
            level, slope = 0.0, 0.0
        wait = base + demo.PRE_SLOPE * t + 5.0 * winter + 6.0 * july + 4.0 * easter_week
        wait = wait + demo._ar1(rng, len(t), phi, demo.WAIT_SD)
        go = demo.MILESTONES[site].get("go_live")
        if go is not None:
            monday = demo.go_live_monday(go)
            post = (weeks >= monday).astype(float)
            since = np.where(post > 0, (weeks - monday).days / 7, 0.0)
            wait = wait + level * post + slope * since
        log_mu = np.log(n_base) + 0.20 * winter - 0.10 * july + 0.10 * easter_week
        counts = rng.poisson(np.exp(log_mu + demo._ar1(rng, len(t), 0.5, demo.COUNT_AR_SD)))
        rows.append(
            pd.DataFrame(
                {
                    "site": site,
                    "period_start": weeks,
                    "frequency": "weekly",
                    "n_examinations": counts.astype(float),
                    "median_wait_minutes": np.round(np.maximum(wait, 5.0), 1),
                }
            )
        )
        truth[site] = {
            "median_wait_minutes": {"level_change": level, "slope_change": slope},
            "n_examinations": {"level_change": 0.0, "slope_change": 0.0},
        }
    series = pd.concat(rows, ignore_index=True)
    milestones = pd.DataFrame(
        [
            (site, kind, pd.Timestamp(date))
            for site in chosen
            for kind, date in demo.MILESTONES[site].items()
        ],
        columns=["site", "milestone", "date"],
    )
    return series, milestones, truth
