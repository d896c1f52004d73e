"""A small, made-up monitoring study and its results tables, for the report section's tests.

Not the demo: other site and outcome ids, labels and units (a continuous outcome in hours and a
count), three sites that go live and one comparison site. `default_case()` gives a consistent
set of tables; tests change rows with the helpers and build a `ReportContext` with
`case.context(tmp_path, language)`. Tables are written as CSV and read back, as in a real run.
"""

from __future__ import annotations

import copy
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from impleval.report.context import Prose, ReportContext, Results, Study
from impleval.report.text import load_phrases
from tests.unit.report_fixtures import CSV_DOWNLOAD

REPO = Path(__file__).resolve().parents[2]
PHRASES = REPO / "report" / "phrases"
NAN = math.nan

ORGANISATION = {
    "regions": [{"id": "rx", "label": {"nb": "Region X", "en": "Region X"}}],
    "trusts": [{"id": "tx", "region": "rx", "label": "Foretak X"}],
    "sites": [
        {"id": "st_nord", "trust": "tx", "label": "Nordli klinikk"},
        {"id": "st_sor", "trust": "tx", "label": "Sørvik sjukehus"},
        {"id": "st_vest", "trust": "tx", "label": "Vestby behandlingssenter"},
        {"id": "st_ost", "trust": "tx", "label": "Østmo lokalsykehus"},
    ],
}

OUTCOMES = {
    # Declared first but not primary: the report must put the primary one first.
    "referrals_n": {
        "model": "quasi_poisson",
        "target_slope_change": 0.002,
        "label": {"nb": "Henvisninger per periode", "en": "Referrals per period"},
        "unit": {"nb": "henvisninger", "en": "referrals"},
    },
    "turnaround_h": {
        "model": "ols_hac",
        "target_slope_change": 0.05,
        "label": {"nb": "Svartid for beskrivelse", "en": "Report turnaround time"},
        "unit": {"nb": "timer", "en": "hours"},
    },
}

ANALYSIS = {
    "seasonality": "fourier",
    "fourier_harmonics": 1,
    "july_holiday": True,
    "easter": False,
    "hac_maxlags": 4,
    "horizons_weeks": [13, 39],
    "phase_in_weeks": 0,
    "alpha": 0.05,
    "baseline": {"warn_below": 12, "refuse_below": 3},
    "diagnostics_lags": [3, 6],
    "precision": {"max_post_weeks": 104, "power": 0.9},
}

# Every id and code the section must never print.
RAW = [
    "st_nord",
    "st_sor",
    "st_vest",
    "st_ost",
    "referrals_n",
    "turnaround_h",
    "level_change",
    "slope_change",
    "effect_at_horizon",
    "relative_effect",
    "not_applicable",
    "no_data",
    "log_rate_ratio",
    "ols_hac",
    "quasi_poisson",
    "newey_west",
    "hac_panel",
    "gls_ar1",
]
# Codes and missing-value words, as whole words ('None of the sites' is English, not a leak).
RAW_WORDS = [r"ok", r"warn", r"refused", r"nan", r"NaN", r"None(?! of)", r"True", r"False", r"inf"]
FIGURES = ("implementation_timeline", "its_series", "its_forest", "monitoring_precision")


def estimate_rows(
    site: str,
    outcome: str,
    *,
    level,
    slope,
    horizons: dict,
    scale: str,
    n_pre=100,
    n_post=60,
    baseline="ok",
) -> list[dict]:
    """its_estimates rows of one site (or 'pooled') and outcome; each effect is (est, lo, hi)."""

    def row(parameter, values, horizon=NAN):
        est, lo, hi = values
        return {
            "site": site,
            "outcome": outcome,
            "parameter": parameter,
            "horizon_weeks": horizon,
            "estimate": est,
            "se": (hi - lo) / 3.92,
            "ci_low": lo,
            "ci_high": hi,
            "p_value": 0.01,
            "n_pre": n_pre,
            "n_post": n_post,
            "model": "text the report must not print",
            "scale": scale,
            "baseline": baseline,
        }

    rows = [
        row("level_change", level),
        row("slope_change", slope),
        row("pre_slope", (0.0, -0.01, 0.01)),
        row("post_slope", (0.0, -0.01, 0.01)),
    ]
    for h, values in horizons.items():
        rows.append(row("effect_at_horizon", values, h))
        rows.append(row("relative_effect", values, h))
    return rows


@dataclass
class Case:
    sites: list[dict]
    estimates: list[dict]
    diagnostics: list[dict]
    needed: list[dict]
    outcomes: dict = field(default_factory=lambda: copy.deepcopy(OUTCOMES))
    primary: str | None = "turnaround_h"
    analysis: dict = field(default_factory=lambda: copy.deepcopy(ANALYSIS))
    organisation: dict = field(default_factory=lambda: copy.deepcopy(ORGANISATION))
    figures: tuple[str, ...] = FIGURES
    intervention: dict | None = field(
        default_factory=lambda: {"nb": "Beskrivelsesstøtte", "en": "Reporting support"}
    )
    monitoring: bool = True

    # --- edits ---------------------------------------------------------------------------
    def set_estimate(self, site, outcome, parameter, est, lo, hi, horizon=None):
        for r in self.estimates:
            if (r["site"], r["outcome"], r["parameter"]) == (site, outcome, parameter) and (
                horizon is None or r["horizon_weeks"] == horizon
            ):
                r.update(estimate=est, ci_low=lo, ci_high=hi)
                return
        raise KeyError((site, outcome, parameter, horizon))

    def set_needed(self, site, outcome, **values):
        """Change a weeks-needed row; short names as in `needed_row` (to_target, extra, …)."""
        names = {
            "now": "post_weeks_now",
            "detectable": "min_detectable_slope_now",
            "target": "target_slope_change",
            "to_target": "weeks_to_target",
            "extra": "extra_weeks_to_target",
        }
        for r in self.needed:
            if (r["site"], r["outcome"]) == (site, outcome):
                r.update({names.get(k, k): v for k, v in values.items()})
                return
        raise KeyError((site, outcome))

    def site(self, sid) -> dict:
        return next(s for s in self.sites if s["site"] == sid)

    def drop_site(self, sid):
        """Remove a site from every table and from the organisation."""
        self.sites = [s for s in self.sites if s["site"] != sid]
        self.estimates = [r for r in self.estimates if r["site"] != sid]
        self.diagnostics = [r for r in self.diagnostics if r["site"] != sid]
        self.needed = [r for r in self.needed if r["site"] != sid]
        self.organisation["sites"] = [s for s in self.organisation["sites"] if s["id"] != sid]

    # --- context -------------------------------------------------------------------------
    def definition(self) -> dict:
        out = {
            "outcomes": self.outcomes,
            "analysis": self.analysis,
            "columns": {"site": "site", "period": ["week_start"], "allowed": ["site", "x"]},
            "milestones": {"kinds": ["go_live"]},
            "labels": {},
        }
        if self.primary is not None:
            out["primary_outcome"] = self.primary
        return out

    def context(self, tmp_path: Path, language: str = "nb") -> ReportContext:
        tables, figures = tmp_path / "tables", tmp_path / "figures"
        tables.mkdir(parents=True, exist_ok=True)
        figures.mkdir(parents=True, exist_ok=True)
        for name, rows in (
            ("monitoring_sites", self.sites),
            ("its_estimates", self.estimates),
            ("its_diagnostics", self.diagnostics),
            ("monitoring_weeks_needed", self.needed),
        ):
            pd.DataFrame(rows).to_csv(tables / f"{name}.csv", index=False)
        for name in self.figures:
            (figures / f"{name}.json").write_text(
                json.dumps(
                    {"caption": f"Caption of {name}.", "alt": "Alt text.", "png": f"{name}.png"}
                )
            )
        report = {"intervention": self.intervention} if self.intervention else {}
        study = Study(
            organisation=self.organisation,
            report=report,
            monitoring=self.definition() if self.monitoring else None,
            settings={"min_cell": 5},
        )
        return ReportContext(
            language=language,
            phrases=load_phrases(PHRASES, language),
            study=study,
            results=Results(tables, {}, figures),
            prose=Prose(None, language),
        )


def site_row(site, role, go_live, n_pre, n_post, baseline, frequency="weekly") -> dict:
    return {
        "site": site,
        "trust": "tx",
        "region": "rx",
        "role": role,
        "go_live": go_live,
        "first_period": "2022-01-03",
        "last_period": "2025-06-30",
        "frequency": frequency,
        "n_pre": n_pre,
        "n_post": n_post,
        "baseline": baseline,
        "message": "english text",
    }


def diagnostics_row(
    site, outcome, *, lb=(0.2, 0.3), baseline="ok", crosscheck=True, hac_maxlags=4
) -> dict:
    row = {
        "site": site,
        "outcome": outcome,
        "model": "text",
        "n": 160,
        "baseline": baseline,
        "hac_maxlags": hac_maxlags,
        "ar1_rho": 0.21,
        "durbin_watson": 1.58,
        "ljung_box_p_lag3": lb[0],
        "ljung_box_p_lag6": lb[1],
        "breusch_godfrey_p": 0.3,
        "dispersion": NAN,
        "crosscheck_method": "GLSAR AR(1)",
        "crosscheck_agrees": crosscheck if baseline != "not_applicable" else NAN,
    }
    return row


def needed_row(
    site, outcome, *, now=60.0, detectable=0.04, target=0.05, to_target=50.0, extra=0.0
) -> dict:
    return {
        "site": site,
        "outcome": outcome,
        "post_weeks_now": now,
        "min_detectable_slope_now": detectable,
        "target_slope_change": target,
        "weeks_to_target": to_target,
        "extra_weeks_to_target": extra,
        "slope_change_estimate": -0.06,
        "weeks_to_detect_estimate": 40.0,
        "extra_weeks_to_detect_estimate": 0.0,
        "max_post_weeks": 104.0,
    }


def default_case(frequency: str = "weekly") -> Case:
    """Nordli: clear fall; Sørvik: clear rise; Vestby: interval with zero; Østmo: comparison.
    Precision (turnaround): Nordli reached, Sørvik needs 10 more weeks, Vestby not within the
    maximum. Referrals: all three reached."""
    sites = [
        site_row("st_nord", "intervention", "2023-03-07", 60, 120, "ok", frequency),
        site_row("st_sor", "intervention", "2023-09-12", 86, 94, "ok", frequency),
        site_row("st_vest", "intervention", "2024-02-06", 107, 73, "ok", frequency),
        site_row("st_ost", "comparison", NAN, NAN, NAN, "not_applicable", frequency),
    ]
    est = []
    hz = {13: None, 39: None}
    spec = {
        "st_nord": ((-6.41234, -7.3, -5.55), (-0.0631, -0.0763, -0.0494)),
        "st_sor": ((3.2, 1.1, 5.3), (0.041, 0.012, 0.07)),
        "st_vest": ((-0.4, -2.7, 1.9), (-0.02, -0.05, 0.01)),
        "pooled": ((-2.1, -3.0, -1.2), (-0.03, -0.045, -0.015)),
    }
    for site, (level, slope) in spec.items():
        horizons = {
            h: (level[0] + slope[0] * h, level[1] + slope[1] * h, level[2] + slope[2] * h)
            for h in hz
        }
        est += estimate_rows(
            site, "turnaround_h", level=level, slope=slope, horizons=horizons, scale="difference"
        )
        est += estimate_rows(
            site,
            "referrals_n",
            level=(0.1, 0.02, 0.18),
            slope=(0.0002, -0.0004, 0.0008),
            horizons=dict.fromkeys(hz, (0.1, 0.01, 0.19)),
            scale="log_rate_ratio",
        )
    diag = []
    for outcome in ("turnaround_h", "referrals_n"):
        for s in ("st_nord", "st_sor", "st_vest"):
            diag.append(
                diagnostics_row(s, outcome, lb=(0.01, 0.2) if s == "st_nord" else (0.4, 0.5))
            )
        diag.append(diagnostics_row("st_ost", outcome, baseline="not_applicable"))
    needed = [
        needed_row("st_nord", "turnaround_h", now=120.0, to_target=90.0, extra=0.0),
        needed_row(
            "st_sor", "turnaround_h", now=94.0, detectable=0.06, to_target=104.0, extra=10.0
        ),
        needed_row("st_vest", "turnaround_h", now=73.0, detectable=0.09, to_target=NAN, extra=NAN),
    ]
    needed += [
        needed_row(
            s, "referrals_n", now=n, detectable=0.001, target=0.002, to_target=40.0, extra=0.0
        )
        for s, n in (("st_nord", 120.0), ("st_sor", 94.0), ("st_vest", 73.0))
    ]
    return Case(sites=sites, estimates=est, diagnostics=diag, needed=needed)


# --- checks ------------------------------------------------------------------------------
_ATTRIBUTES = re.compile(r"\{[#.][^}]*\}|\{download=[^}]*\}|\(data:[^)]*\)")


def visible(markdown: str) -> str:
    """The text a reader sees: without data URIs, element attributes and figure paths."""
    text = _ATTRIBUTES.sub("", CSV_DOWNLOAD.sub(r"\1", markdown))
    return re.sub(r"\]\(figures/[^)]*\)", "]", text)


def raw_leaks(markdown: str, extra: tuple[str, ...] = ()) -> list[str]:
    """Raw ids, codes, unfilled placeholders or missing-value words visible in `markdown`."""
    text = visible(markdown)
    found = [r for r in (*RAW, *extra) if r in text]
    found += [w for w in RAW_WORDS if re.search(rf"(?<![\w-]){w}(?![\w-])", text)]
    found += re.findall(r"\{[a-z_]+\}", text)
    return found
