"""The calibration study: run every family's replicates and summarise them in one table.

`run(plan)` is the whole study for a plan of replicate counts (`FULL` for `make validate`,
`REDUCED` for the test suite); `write_results` renders validation/RESULTS.md.
"""

from __future__ import annotations

import platform
import sys
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from validation import interviews as vi
from validation import monitoring as vm
from validation import survey as vs
from validation.common import ALPHA, COVERAGE_TARGET, TYPE_I_TARGET, jobs, run_replicates

SEED = 20240915


@dataclass(frozen=True)
class Plan:
    """Replicates per family and scenario."""

    survey: dict = field(default_factory=dict)
    interviews: int = 0
    interviews_small: int = 0  # studies with few double-coded interviews (κ family)
    monitoring: dict = field(default_factory=dict)
    monitoring_newey_west: dict = field(default_factory=dict)  # the previous default, compared
    held_out: int = 0


FULL = Plan(
    survey={"null": 600, "confounded": 500, "unconfounded": 300},
    interviews=2000,
    interviews_small=1000,
    monitoring={"demo": 300, "short": 200, "null": 200},
    monitoring_newey_west={"demo": 100, "short": 100},
    held_out=100,
)
REDUCED = Plan(
    survey={"null": 4, "confounded": 4, "unconfounded": 2},
    interviews=60,
    interviews_small=0,
    monitoring={"demo": 2, "short": 2, "null": 2},
    monitoring_newey_west={},
    held_out=0,
)


def run(plan: Plan, *, seed: int = SEED, n_jobs: int | None = None) -> dict:
    """Run the study; returns the summary table, the held-out comparison and run facts."""
    n_jobs = jobs() if n_jobs is None else n_jobs
    started = time.time()
    rows: list[dict] = []
    timings: dict[str, float] = {}
    cpu: dict[str, float] = {}

    if plan.survey:
        t = time.time()
        settings = vs.analysis_settings()
        parts = []
        for scenario, n in plan.survey.items():
            parts.append(
                run_replicates(
                    lambda i, s, sc=scenario: vs.replicate(sc, s, settings),
                    range(n),
                    master=seed,
                    family=f"survey/{scenario}",
                    n_jobs=n_jobs,
                )
            )
        cpu["survey"] = sum(p.attrs["cpu_seconds"] for p in parts)
        rows += vs.summarise(pd.concat(parts, ignore_index=True), vs.truths(settings))
        timings["survey"] = time.time() - t
        _progress("survey", timings["survey"])

    if plan.interviews:
        t = time.time()
        truth = vi.truth()
        res = run_replicates(
            lambda i, s: vi.replicate(s),
            range(plan.interviews),
            master=seed,
            family="interviews",
            n_jobs=n_jobs,
        )
        rows += vi.summarise(res, truth)
        cpu["interviews"] = res.attrs["cpu_seconds"]
        if plan.interviews_small:
            small = run_replicates(
                lambda i, s: vi.replicate(s, double_share=0.125),
                range(plan.interviews_small),
                master=seed,
                family="interviews/small",
                n_jobs=n_jobs,
            )
            rows += [
                r
                for r in vi.summarise(small, truth, label=" (fewer double-coded)")
                if r["family"].startswith("Cohen")
            ]
        timings["interviews"] = time.time() - t
        _progress("interviews", timings["interviews"])

    if plan.monitoring:
        t = time.time()
        defn = vm.definition()
        parts = [
            run_replicates(
                lambda i, s, sc=scenario: vm.replicate(sc, s, defn),
                range(n),
                master=seed,
                family=f"monitoring/{scenario}",
                n_jobs=n_jobs,
            )
            for scenario, n in plan.monitoring.items()
        ]
        cpu["monitoring"] = sum(p.attrs["cpu_seconds"] for p in parts)
        rows += vm.summarise(
            pd.concat(parts, ignore_index=True),
            label=f" ({defn['analysis']['se_method']}, default)",
        )
        if plan.monitoring_newey_west:
            old = vm.definition("newey_west")
            parts = [
                run_replicates(
                    lambda i, s, sc=scenario: vm.replicate(sc, s, old),
                    range(n),
                    master=seed,
                    family=f"monitoring/{scenario}",  # the same studies as the default's
                    n_jobs=n_jobs,
                )
                for scenario, n in plan.monitoring_newey_west.items()
            ]
            cpu["monitoring"] += sum(p.attrs["cpu_seconds"] for p in parts)
            rows += vm.summarise(
                pd.concat(parts, ignore_index=True), label=" (newey_west, previous default)"
            )
        timings["monitoring"] = time.time() - t
        _progress("monitoring", timings["monitoring"])

    held = pd.DataFrame()
    if plan.held_out:
        t = time.time()
        from validation.common import replicate_seed

        held = vm.held_out([replicate_seed(seed, "held_out", i) for i in range(plan.held_out)])
        timings["held_out"] = time.time() - t

    table = pd.DataFrame(rows)
    table["meets"] = [verdict(r) for r in table.to_dict("records")]
    return {
        "table": table,
        "held_out": held,
        "seed": seed,
        "plan": plan,
        "n_jobs": n_jobs,
        "seconds": time.time() - started,
        "timings": timings,
        "cpu": cpu,
    }


def _progress(family: str, seconds: float) -> None:
    print(f"validation: {family} done in {seconds / 60:.1f} min", file=sys.stderr, flush=True)


def verdict(row: dict) -> str:
    """'yes' / 'no' against the targets; '' for power (no target)."""
    est = row["estimate"]
    if not np.isfinite(est):
        return ""
    if row["target"] == "type_i":
        return "yes" if TYPE_I_TARGET[0] <= est <= TYPE_I_TARGET[1] else "no"
    if row["target"] in ("fwer", "type_i_max"):
        return "yes" if est <= TYPE_I_TARGET[1] else "no"
    if row["target"] == "coverage":
        return "yes" if est >= COVERAGE_TARGET else "no"
    return ""


TARGET_TEXT = {
    "type_i": "0.03–0.07",
    "fwer": "≤ 0.07",
    "type_i_max": "≤ 0.07",
    "coverage": "≥ 0.93",
    "power": "",
}


def _pct(x: float) -> str:
    return "–" if not np.isfinite(x) else f"{100 * x:.1f}"


def markdown(result: dict) -> str:
    """validation/RESULTS.md."""
    table = result["table"]
    plan = result["plan"]
    lines = [
        "# Calibration of the pipeline's decision rules",
        "",
        "Generated by `make validate` (`python -m validation`); do not edit by hand. Methods:",
        "validation/__init__.py and each family's module; what the report does with each family:",
        "docs/methods/*.md (Calibration sections).",
        "",
        f"- Master seed {result['seed']}; each replicate's seed is derived from it, the family "
        "and the replicate number (`validation.common.replicate_seed`).",
        f"- Replicates: survey {plan.survey}; interviews {plan.interviews} "
        f"(+ {plan.interviews_small} with fewer double-coded interviews); monitoring "
        f"{plan.monitoring} (Newey–West comparison {plan.monitoring_newey_west}); held-out "
        f"series {plan.held_out}.",
        f"- α = {ALPHA}; targets: type-I error within [{TYPE_I_TARGET[0]}, {TYPE_I_TARGET[1]}] "
        f"(family-wise rates and wrong statements: at most {TYPE_I_TARGET[1]}), coverage of "
        f"95 % intervals ≥ {COVERAGE_TARGET}.",
        "- Rates in per cent with the 95 % Monte Carlo interval; when one replicate gives several "
        "units (e.g. the null items of one survey) the interval is the cluster (replicate) one.",
        f"- Run: {result['seconds'] / 60:.1f} min wall clock with {result['n_jobs']} worker "
        f"processes on {platform.machine()} (Python {platform.python_version()}); "
        + ", ".join(f"{k} {v / 60:.1f} min" for k, v in result["timings"].items())
        + "; CPU time of the replicates: "
        + ", ".join(f"{k} {v / 60:.1f} min" for k, v in result.get("cpu", {}).items())
        + " (on a machine shared with other jobs the wall clock is longer than CPU / workers).",
        "",
        "| family | quantity | target | estimate % | MC 95 % interval | units | replicates "
        "| meets | note |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in table.to_dict("records"):
        lines.append(
            f"| {r['family']} | {r['quantity']} | {TARGET_TEXT[r['target']]} | "
            f"{_pct(r['estimate'])} | {_pct(r['low'])}–{_pct(r['high'])} | {r['n']} | "
            f"{r['replicates']} | {r['meets']} | {r.get('note', '')} |"
        )
    held = result["held_out"]
    if len(held):
        ref = held["reference"]
        lines += [
            "",
            "## Held-out series: slope-change p against a reference fit",
            "",
            f"{len(held)} simulated no-change series of Kongsberg's design (five years, AR(1) "
            "noise φ = 0.4), seeds from the stream `held_out`, never used above. Reference: "
            "statsmodels `ARIMA(order=(1, 0, 1))` with the same regressors (exact maximum "
            "likelihood, Kalman filter), an implementation independent of the pipeline's.",
            "",
            "| method | median abs. difference of p from the reference | rejects at α "
            "| reference rejects | decisions differ from the reference |",
            "|---|---|---|---|---|",
        ]
        for method in ("newey_west", "gls_arma11"):
            p = held[method]
            lines.append(
                f"| {method} | {np.median(np.abs(p - ref)):.3f} | "
                f"{100 * np.mean(p < ALPHA):.1f} % | {100 * np.mean(ref < ALPHA):.1f} % | "
                f"{100 * np.mean((p < ALPHA) != (ref < ALPHA)):.1f} % |"
            )
        worst = held.assign(gap=(held["newey_west"] - ref).abs()).sort_values("gap").iloc[-1]
        lines += [
            "",
            f"Largest disagreement of the fixed-window Newey–West p: {worst['newey_west']:.3f} "
            f"where the reference gives {worst['reference']:.3f} (GLS with ARMA(1,1) errors: "
            f"{worst['gls_arma11']:.3f}).",
        ]
    return "\n".join(lines) + "\n"
