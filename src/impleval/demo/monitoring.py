"""SYNTHETIC weekly monitoring aggregates and milestones (`python -m impleval.demo --only
monitoring`).

Waiting-time magnitudes are invented: no public Norwegian figures exist (study notes), so levels,
planted changes and noise are arbitrary but plausible in shape. Go-live dates of the Vestre Viken
sites are the public ones; the other regions' dates are invented. Examination counts carry no
planted change. The aggregates file is written as a Norwegian Excel re-save (`;`, decimal comma,
dd.mm.yyyy) to exercise the importer; the milestones file is plain ISO CSV.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
from dateutil.easter import easter

from impleval.demo.files import write_json

SEED = 20230829
START, END = "2021-01-04", "2025-12-29"  # Mondays: 2021-W01 … 2025-W53
AR_PHI = 0.4  # AR(1) coefficient of the waiting-time noise (per week)
WAIT_SD = 3.0  # innovation standard deviation, minutes
COUNT_AR_SD = 0.05  # AR(1) log-scale multiplicative noise on counts (over-dispersion)
PRE_SLOPE = 0.02  # minutes per week: demand growth before AI, the same at every site

# site: baseline median wait (min), weekly examinations, planted level change (min) and slope
# change (min/week). Hallingdal has no change at all; Haukeland's post period is short (warning).
SITES = {
    "baerum": (75.0, 180, -10.0, -0.10),
    "kongsberg": (60.0, 70, -7.0, -0.06),
    "drammen": (85.0, 220, -9.0, -0.08),
    "ringerike": (65.0, 90, -6.0, -0.05),
    "hallingdal": (45.0, 9, 0.0, 0.0),
    "ahus_nordbyhagen": (90.0, 300, None, None),  # comparison series: no go-live
    "haukeland": (80.0, 260, -8.0, -0.05),
    "stolav_trondheim": (70.0, 240, -7.0, -0.06),
    "unn_tromso": (70.0, 150, -8.0, -0.04),
}
# Vestre Viken dates are public (news); the rest are invented for the demo.
MILESTONES = {
    "baerum": {
        "procurement_start": "2020-09-01",
        "validation": "2023-03-01",
        "go_live": "2023-08-29",
        "post_implementation": "2025-01-01",
    },
    "kongsberg": {
        "procurement_start": "2020-09-01",
        "validation": "2023-05-02",
        "go_live": "2023-10-18",
        "post_implementation": "2025-01-01",
    },
    "drammen": {
        "procurement_start": "2020-09-01",
        "validation": "2023-05-02",
        "go_live": "2023-11-13",
        "post_implementation": "2025-01-01",
    },
    "ringerike": {
        "procurement_start": "2020-09-01",
        "validation": "2023-05-02",
        "go_live": "2023-12-11",
        "post_implementation": "2025-01-01",
    },
    "hallingdal": {
        "procurement_start": "2020-09-01",
        "validation": "2023-05-02",
        "go_live": "2023-12-12",
        "post_implementation": "2025-01-01",
    },
    "ahus_nordbyhagen": {"procurement_start": "2024-09-02"},
    "haukeland": {
        "procurement_start": "2024-03-01",
        "validation": "2025-05-05",
        "go_live": "2025-10-20",
    },
    "stolav_trondheim": {
        "procurement_start": "2023-06-01",
        "validation": "2024-10-01",
        "go_live": "2025-03-10",
        "post_implementation": "2025-09-01",
    },
    "unn_tromso": {
        "procurement_start": "2022-09-01",
        "validation": "2023-11-01",
        "go_live": "2024-04-15",
        "post_implementation": "2025-04-01",
    },
}


def _season(weeks: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Winter peak (icy roads: more fractures), July fellesferie, Easter week indicators.

    A week belongs to the month of its Thursday (the ISO 8601 rule)."""
    thursday = weeks + pd.Timedelta(days=3)
    doy = thursday.day_of_year.to_numpy()
    winter = np.cos(2 * np.pi * (doy - 15) / 365.25)
    july = (thursday.month == 7).astype(float)
    easter_week = np.zeros(len(weeks))
    for i, w in enumerate(weeks):
        e = pd.Timestamp(easter(w.year))
        easter_week[i] = float(
            w <= e - pd.Timedelta(days=3) <= w + pd.Timedelta(days=6)
            or w <= e + pd.Timedelta(days=1) <= w + pd.Timedelta(days=6)
        )
    return winter, july, easter_week


def _ar1(rng: np.random.Generator, n: int, phi: float, sd: float) -> np.ndarray:
    e = rng.normal(0.0, sd, n)
    out = np.empty(n)
    out[0] = e[0] / np.sqrt(1 - phi**2)
    for t in range(1, n):
        out[t] = phi * out[t - 1] + e[t]
    return out


def go_live_monday(date: str) -> pd.Timestamp:
    """Monday of the go-live week: that week is the first post-implementation week."""
    d = pd.Timestamp(date)
    return d - pd.Timedelta(days=d.weekday())


def simulate(
    seed: int = SEED,
    *,
    sites: dict | None = None,
    milestones: dict | None = None,
    start: str = START,
    end: str = END,
) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Weekly aggregates, milestones (site, milestone, date) and the planted truth.

    `sites` (id → baseline wait, weekly examinations, level change, slope change; None changes for
    a comparison site) and `milestones` (id → kind → date; the kind `go_live` is the
    interruption) default to the demo's; other studies' test data pass their own and rename
    columns and kinds when they write the files (tests/studies/screening/build.py)."""
    sites = SITES if sites is None else sites
    milestones = MILESTONES if milestones is None else milestones
    rng = np.random.default_rng(seed)
    weeks = pd.date_range(start, end, freq="W-MON")
    t = np.arange(len(weeks), dtype=float)
    winter, july, easter_week = _season(weeks)
    rows, truth = [], {}
    for site, (base, n_base, level, slope) in sites.items():
        wait = base + PRE_SLOPE * t + 5.0 * winter + 6.0 * july + 4.0 * easter_week
        wait = wait + _ar1(rng, len(t), AR_PHI, WAIT_SD)
        go = milestones[site].get("go_live")
        if go is not None:
            post = (weeks >= go_live_monday(go)).astype(float)
            since = np.where(post > 0, (weeks - go_live_monday(go)).days / 7, 0.0)
            wait = wait + level * post + slope * since
        log_mu = np.log(n_base) + 0.20 * winter - 0.10 * july + 0.10 * easter_week
        counts = rng.poisson(np.exp(log_mu + _ar1(rng, len(t), 0.5, COUNT_AR_SD)))
        rows.append(
            pd.DataFrame(
                {
                    "site": site,
                    "week_start": weeks,
                    "n_examinations": counts,
                    "median_wait_minutes": np.round(np.maximum(wait, 5.0), 1),
                }
            )
        )
        truth[site] = {
            "go_live": go,
            "go_live_week_start": None if go is None else str(go_live_monday(go).date()),
            "median_wait_minutes": {
                "level_change": level,
                "slope_change": slope,
                "pre_slope": None if go is None else PRE_SLOPE,
                "baseline_level": base,
            },
            "n_examinations": {
                "level_change_log": 0.0,
                "slope_change_log": 0.0,
                "weekly_mean": n_base,
            },
        }
    aggregates = pd.concat(rows, ignore_index=True)
    milestone_table = pd.DataFrame(
        [(site, kind, date) for site, ms in milestones.items() for kind, date in ms.items()],
        columns=["site", "milestone", "date"],
    )
    meta = {
        "note": (
            "SYNTHETIC data. Waiting-time magnitudes, planted effects and noise are arbitrary: "
            "no public Norwegian waiting-time figures exist. Vestre Viken go-live dates are the "
            "public ones; other dates are invented."
        ),
        "seed": seed,
        "weeks": {"first": start, "last": end, "n": len(weeks)},
        "week_convention": (
            "a site's go-live week (Monday on or before the go-live date) is the first post week"
        ),
        "no_change_site": next(
            (k for k, v in sites.items() if v[2] == 0 and v[3] == 0 and "go_live" in milestones[k]),
            None,
        ),
        "comparison_sites": [k for k in sites if "go_live" not in milestones[k]],
        "short_post_site": max(
            (k for k in sites if "go_live" in milestones[k]),
            key=lambda k: milestones[k]["go_live"],
        ),
        "noise": {
            "wait_ar1_phi": AR_PHI,
            "wait_innovation_sd_minutes": WAIT_SD,
            "count_log_ar1_phi": 0.5,
            "count_log_innovation_sd": COUNT_AR_SD,
        },
        "season": {
            "winter_cos_amplitude_minutes": 5.0,
            "july_minutes": 6.0,
            "easter_minutes": 4.0,
            "pre_slope_minutes_per_week": PRE_SLOPE,
        },
        "sites": truth,
    }
    return aggregates, milestone_table, meta


def norwegian_csv(df: pd.DataFrame) -> bytes:
    """As Excel in a Norwegian locale saves CSV: `;` separator, decimal comma, dd.mm.yyyy, CRLF."""
    out = df.copy()
    out["week_start"] = out["week_start"].dt.strftime("%d.%m.%Y")
    out["median_wait_minutes"] = out["median_wait_minutes"].map(
        lambda x: f"{x:.1f}".replace(".", ",")
    )
    buf = io.StringIO()
    out.to_csv(buf, sep=";", index=False, lineterminator="\r\n")
    return buf.getvalue().encode("utf-8")


def generate(out_dir, study: dict | None = None, seed: int = SEED) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    aggregates, milestones, meta = simulate(seed)
    known = {s["id"] for s in (study or {}).get("organisation", {}).get("sites", [])}
    unknown = set(SITES) - known if known else set()
    if unknown:
        raise ValueError(f"demo sites missing from organisation.yaml: {sorted(unknown)}")
    (out / "synthetic_weekly-aggregates.csv").write_bytes(norwegian_csv(aggregates))
    (out / "synthetic_milestones.csv").write_text(
        milestones.to_csv(index=False, lineterminator="\n"), encoding="utf-8"
    )
    write_json(meta, out / "synthetic_truth-monitoring.json")
