"""Pipeline benchmarks, reported as ratios to one bare import of the statistics stack.

Times, in one run on one machine (medians over repeats), first on the machine as it is, then
again while a CPU hog keeps one core busy (``--no-load`` skips that second pass):
  import      python -c "import pandas, scipy.stats, statsmodels.api, pingouin, matplotlib.pyplot"
  cold        full build from an empty results/ (and no .snakemake/)
  noop        rerun with nothing to do
  prose       rerun after editing one sentence of report prose
  raw_touch   rerun after touching one raw survey file (mtime only)
  raw_edit    rerun after changing one raw survey file's content
  survey_1x / survey_100x / survey_1000x
              the survey branch (prepare → analyse → plot) from an empty results/ on the demo
              study and on 100× and 1000× its respondents (data made by the demo generator in a
              temporary copy; 1000× in the first pass only): wall time and peak memory of the
              largest job
  --config FILE (repeatable)
              any other study: cold build and no-op rerun with `--configfile FILE`
Budgets (issue 18): cold ≤ 8×, no-op ≤ 1×, prose ≤ 2×, raw edit ≤ survey branch + report rerun
(and never more than a cold build), survey 100× ≤ 2× the 1× run with peak memory ≤ 1 GiB.
Writes the tables to stdout and to benchmarks/RESULTS.md (text below "## Other measurements"
is kept).

    .venv/bin/python benchmarks/run_benchmarks.py [--repeats 3] [--cold-repeats 2]
        [--skip-large] [--skip-huge] [--no-load] [--cores N] [--config FILE ...]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests.conftest import copy_repo, pipeline_env  # noqa: E402

BIN = Path(sys.executable).parent
CORES = str(os.cpu_count() or 1)  # what `snakemake` alone uses (profiles/default: cores: all)
IMPORT = "import pandas, scipy.stats, statsmodels.api, pingouin, matplotlib.pyplot"
KEPT_HEADING = "## Other measurements"
TARGETS = {"cold": 8, "noop": 1, "prose": 2, "survey_100x": 2, "peak_mib": 1024}
PROSE_FILE = "config/demo-study/prose/background.nb.md"
RAW_SURVEY = "data/raw/survey/synthetic_nettskjema-data-report.csv"
SURVEY_TARGETS = [
    "results/tables/survey_omnibus.csv",
    "results/tables/survey_ordinal.csv",
    "results/values/survey.yml",
    "results/figures/nb/survey_forest.png",
]
HOG = "while True:\n    pass"  # one busy core

# A fresh wrapper process per measurement, so RUSAGE_CHILDREN covers this command's jobs only:
# peak RSS of the largest process it ran, and the CPU seconds of all of them.
PEAK_WRAPPER = (
    "import resource, subprocess, sys; rc = subprocess.run(sys.argv[1:]).returncode; "
    "r = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print(r.ru_maxrss, r.ru_utime + r.ru_stime, file=sys.stderr); sys.exit(rc)"
)


ARGS = argparse.Namespace(cores=CORES)  # the command line, once parsed


@dataclass
class Run:
    seconds: float
    cpu: float
    peak_mib: int


@dataclass
class Row:
    what: str
    run: Run
    budget: str = ""
    met: bool | None = None


def timed(cmd: list[str], cwd: Path) -> Run:
    """Wall seconds, CPU seconds and peak RSS (MiB) of the largest process the command ran."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", PEAK_WRAPPER, *cmd],
        cwd=cwd,
        env=pipeline_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(cmd)}\n{proc.stderr[-3000:]}")
    peak_kib, cpu = proc.stderr.strip().splitlines()[-1].split()
    return Run(elapsed, float(cpu), int(peak_kib) // 1024)


def snakemake(work: Path, *args: str) -> Run:
    return timed([str(BIN / "snakemake"), "--cores", ARGS.cores, *args], work)


def clean(work: Path) -> None:
    shutil.rmtree(work / "results", ignore_errors=True)
    shutil.rmtree(work / ".snakemake", ignore_errors=True)


def median(runs: list[Run]) -> Run:
    """The run with the median wall time (its CPU and memory as measured with it)."""
    return sorted(runs, key=lambda r: r.seconds)[(len(runs) - 1) // 2]


def scaled_copy(tmp: Path, scale: int) -> Path:
    """A copy of the repository whose raw survey export has `scale` × the demo respondents."""
    work = copy_repo(tmp / f"survey-{scale}x")
    subprocess.run(
        [sys.executable, "-m", "impleval.demo", "--only", "survey", "--survey-scale", str(scale)],
        cwd=work,
        env=pipeline_env(),
        check=True,
        capture_output=True,
    )
    return work


def survey_branch(work: Path) -> Run:
    clean(work)
    return snakemake(work, *SURVEY_TARGETS)


def measure(
    work: Path, scaled: dict[int, Path], configs: list[Path], args, *, huge: bool
) -> tuple[float, list[Row]]:
    """One pass over every measurement; returns the bare-import time and the table rows."""
    base = median([timed([sys.executable, "-c", IMPORT], work) for _ in range(args.repeats)])
    rows = [Row("bare import of the statistics stack", base)]

    cold = []
    for _ in range(args.cold_repeats):
        clean(work)
        cold.append(snakemake(work))
    cold = median(cold)
    rows.append(Row("cold full build", cold, f"≤ {TARGETS['cold']}×"))

    noop = median([snakemake(work) for _ in range(args.repeats)])
    rows.append(Row("no-op rerun", noop, f"≤ {TARGETS['noop']}×"))

    prose = work / PROSE_FILE
    original = prose.read_text(encoding="utf-8")
    prose_runs = []
    for i in range(args.repeats):
        prose.write_text(original + f"\nEn ekstra setning for måling nummer {i}.\n", "utf-8")
        prose_runs.append(snakemake(work))
    prose.write_text(original, encoding="utf-8")
    snakemake(work)
    prose_run = median(prose_runs)
    rows.append(Row("rerun after a prose-only edit", prose_run, f"≤ {TARGETS['prose']}×"))

    touch_runs = []
    for _ in range(args.repeats):
        os.utime(work / RAW_SURVEY)
        touch_runs.append(snakemake(work))
    rows.append(
        Row(
            "rerun after touching one raw survey file (mtime only)",
            median(touch_runs),
            f"≤ {TARGETS['noop']}× (nothing reruns: content unchanged)",
        )
    )

    raw = work / RAW_SURVEY
    original_raw = raw.read_bytes()
    edit_runs = []
    for i in range(args.repeats):
        raw.write_bytes(original_raw + b"\n" * (i + 1))  # a trailing blank line: new content
        edit_runs.append(snakemake(work))
    raw.write_bytes(original_raw)
    snakemake(work)
    edit = median(edit_runs)

    survey = {1: survey_branch(work)}
    for scale, copy in scaled.items():
        if scale < 1000 or huge:
            survey[scale] = survey_branch(copy)
    allowed = survey[1].seconds + prose_run.seconds
    rows.append(
        Row(
            "rerun after editing one raw survey file",
            edit,
            f"≤ survey branch + report rerun ({allowed:.1f} s) and ≤ cold build",
            edit.seconds <= allowed and edit.seconds <= cold.seconds,
        )
    )
    rows.append(Row(f"survey branch, demo study (peak {survey[1].peak_mib} MiB)", survey[1]))
    for scale in sorted(survey)[1:]:
        run = survey[scale]
        ratio = run.seconds / survey[1].seconds
        if scale == 100:
            budget = (
                f"{ratio:.2f}× the 1× run (≤ {TARGETS['survey_100x']}×), "
                f"peak ≤ {TARGETS['peak_mib']} MiB"
            )
            met = ratio <= TARGETS["survey_100x"] and run.peak_mib <= TARGETS["peak_mib"]
        else:
            budget, met = f"{ratio:.2f}× the 1× run (completes)", True
        what = f"survey branch, {scale}× respondents (peak {run.peak_mib} MiB)"
        rows.append(Row(what, run, budget, met))

    for config in configs:
        clean(work)
        study_cold = snakemake(work, "--configfile", str(config))
        study_noop = snakemake(work, "--configfile", str(config))
        rows.append(Row(f"cold full build, {config.name}", study_cold, "reported"))
        rows.append(Row(f"no-op rerun, {config.name}", study_noop, f"≤ {TARGETS['noop']}×"))

    for row in rows:  # budgets given as multiples of the bare import
        if row.met is None and row.budget.startswith("≤ ") and "×" in row.budget:
            limit = float(row.budget[2:].split("×")[0])
            row.met = row.run.seconds / base.seconds <= limit
    return base.seconds, rows


def table(base: float, rows: list[Row]) -> list[str]:
    lines = [
        "| what | seconds | CPU s | × bare import | budget | met |",
        "|---|---:|---:|---:|---|---|",
    ]
    for row in rows:
        met = "" if row.met is None else ("yes" if row.met else "**no**")
        lines.append(
            f"| {row.what} | {row.run.seconds:.1f} | {row.run.cpu:.1f} | "
            f"{row.run.seconds / base:.2f} | {row.budget} | {met} |"
        )
    return lines


def load_average() -> str:
    try:
        return ", ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--cold-repeats", type=int, default=2)
    ap.add_argument("--skip-large", action="store_true", help="skip the 100× and 1000× runs")
    ap.add_argument("--skip-huge", action="store_true", help="skip the 1000× run")
    ap.add_argument("--no-load", action="store_true", help="skip the pass under load")
    ap.add_argument("--cores", default=CORES, help="snakemake --cores (default: every core)")
    ap.add_argument(
        "--config",
        action="append",
        type=Path,
        default=[],
        help="also time a cold build and a no-op rerun of this study config (repeatable)",
    )
    args = ap.parse_args(namespace=ARGS)
    # A study inside the repository is timed from the copy's own files (its relative path).
    configs = [
        c.resolve().relative_to(REPO) if c.resolve().is_relative_to(REPO) else c.resolve()
        for c in args.config
    ]

    out = [
        f"Benchmarks on {date.today().isoformat()}: {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.machine()}; snakemake --cores {args.cores}; "
        f"medians of {args.repeats} runs ({args.cold_repeats} for cold builds). Seconds are wall "
        "time; CPU s is the CPU time of every process the command ran. Load average at the start: "
        f"{load_average()}.",
    ]
    with tempfile.TemporaryDirectory(prefix="impleval-bench-") as tmp:
        work = copy_repo(Path(tmp) / "repo")
        scales = [] if args.skip_large else [100] + ([] if args.skip_huge else [1000])
        scaled = {scale: scaled_copy(Path(tmp), scale) for scale in scales}
        passes = [("As the machine is", False)] + ([] if args.no_load else [("Under load", True)])
        for title, loaded in passes:
            hog = subprocess.Popen([sys.executable, "-c", HOG]) if loaded else None
            try:
                base, rows = measure(work, scaled, configs, args, huge=not loaded)
            finally:
                if hog is not None:
                    hog.kill()
                    hog.wait()
            heading = f"## {title}" + (": a CPU hog keeps one core busy" if loaded else "")
            out += ["", heading, "", *table(base, rows)]
            print("\n".join(out[-len(rows) - 4 :]), flush=True)
    out.append(f"\nLoad average at the end: {load_average()}.")
    text = "\n".join(out)
    results = REPO / "benchmarks" / "RESULTS.md"
    kept = ""  # hand-recorded measurements below this heading survive a new run
    if results.exists() and KEPT_HEADING in results.read_text(encoding="utf-8"):
        kept = "\n" + KEPT_HEADING + results.read_text(encoding="utf-8").split(KEPT_HEADING, 1)[1]
    results.write_text("# Latest benchmark results\n\n" + text + "\n" + kept, encoding="utf-8")


if __name__ == "__main__":
    main()
