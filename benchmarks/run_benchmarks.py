"""Pipeline benchmarks, reported as ratios to one bare import of the statistics stack.

Times, in one run on one machine (medians over repeats):
  import      python -c "import pandas, scipy.stats, statsmodels.api, pingouin, matplotlib.pyplot"
  cold        full build from an empty results/ (and no .snakemake/)
  noop        rerun with nothing to do
  prose       rerun after editing one sentence of report prose
  raw_touch   rerun after touching one raw survey file (mtime only)
  raw_edit    rerun after changing one raw survey file's content
  survey_1x / survey_100x   the survey branch on the demo study and on 100x respondents
                            (wall time and peak memory of the largest job)
Writes the table to stdout and to benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/run_benchmarks.py [--repeats 3] [--cold-repeats 2] [--skip-large]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests.conftest import copy_repo, pipeline_env  # noqa: E402

BIN = Path(sys.executable).parent
IMPORT = "import pandas, scipy.stats, statsmodels.api, pingouin, matplotlib.pyplot"
KEPT_HEADING = "## Other measurements"
TARGETS = {"cold": 15, "noop": 1, "prose": 3}  # budgets as multiples of one bare import
PROSE_FILE = "report/chapters/nb/_background.qmd"
RAW_SURVEY = "data/raw/survey/synthetic_nettskjema-data-report.csv"
SURVEY_TARGETS = ["results/tables/survey_omnibus.csv", "results/figures/survey_forest.png"]


# A fresh wrapper process per measurement, so RUSAGE_CHILDREN covers this command's jobs only.
PEAK_WRAPPER = (
    "import resource, subprocess, sys; rc = subprocess.run(sys.argv[1:]).returncode; "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(rc)"
)


def timed(cmd: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of the largest process the command ran."""
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
    peak_kib = int(proc.stderr.strip().splitlines()[-1])
    return elapsed, peak_kib // 1024


def snakemake(work: Path, *args: str) -> float:
    return timed([str(BIN / "snakemake"), "--cores", "4", *args], work)[0]


def clean(work: Path) -> None:
    shutil.rmtree(work / "results", ignore_errors=True)
    shutil.rmtree(work / ".snakemake", ignore_errors=True)


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--cold-repeats", type=int, default=2)
    ap.add_argument("--skip-large", action="store_true", help="skip the 100x survey run")
    args = ap.parse_args()

    rows: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory(prefix="impleval-bench-") as tmp:
        work = copy_repo(Path(tmp) / "repo")
        base = median([timed([sys.executable, "-c", IMPORT], work)[0] for _ in range(args.repeats)])
        rows.append(("bare import of the statistics stack", base, ""))

        cold = []
        for _ in range(args.cold_repeats):
            clean(work)
            cold.append(snakemake(work))
        rows.append(("cold full build", median(cold), f"≤ {TARGETS['cold']}×"))

        rows.append(
            (
                "no-op rerun",
                median([snakemake(work) for _ in range(args.repeats)]),
                f"≤ {TARGETS['noop']}×",
            )
        )

        prose_times = []
        prose = work / PROSE_FILE
        original = prose.read_text(encoding="utf-8")
        for i in range(args.repeats):
            prose.write_text(
                original + f"\nEn ekstra setning for måling nummer {i}.\n", encoding="utf-8"
            )
            prose_times.append(snakemake(work))
        prose.write_text(original, encoding="utf-8")
        snakemake(work)
        rows.append(
            ("rerun after a prose-only edit", median(prose_times), f"≤ {TARGETS['prose']}×")
        )

        touch_times = []
        for _ in range(args.repeats):
            os.utime(work / RAW_SURVEY)
            touch_times.append(snakemake(work))
        rows.append(
            (
                "rerun after touching one raw survey file (mtime only)",
                median(touch_times),
                "nothing reruns: content unchanged",
            )
        )

        edit_times = []
        raw = work / RAW_SURVEY
        original_raw = raw.read_bytes()
        for i in range(args.repeats):
            raw.write_bytes(original_raw + b"\n" * (i + 1))  # a trailing blank line: new content
            edit_times.append(snakemake(work))
        raw.write_bytes(original_raw)
        snakemake(work)
        rows.append(
            (
                "rerun after editing one raw survey file",
                median(edit_times),
                "survey branch + report",
            )
        )

        clean(work)
        t1, mem1 = timed([str(BIN / "snakemake"), "--cores", "4", *SURVEY_TARGETS], work)
        rows.append((f"survey branch, demo study (peak {mem1} MiB)", t1, ""))
        if not args.skip_large:
            large = copy_repo(Path(tmp) / "large")
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "impleval.demo",
                    "--only",
                    "survey",
                    "--survey-scale",
                    "100",
                ],
                cwd=large,
                env=pipeline_env(),
                check=True,
                capture_output=True,
            )
            t100, mem100 = timed([str(BIN / "snakemake"), "--cores", "4", *SURVEY_TARGETS], large)
            rows.append(
                (
                    f"survey branch, 100× respondents (peak {mem100} MiB)",
                    t100,
                    f"{t100 / t1:.1f}× the 1× run",
                )
            )

    lines = [
        f"Benchmarks on {date.today().isoformat()}: {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, "
        f"{platform.machine()}; medians of {args.repeats} runs ({args.cold_repeats} for cold "
        "builds).",
        "",
        "| what | seconds | × bare import | budget |",
        "|---|---:|---:|---|",
        *[f"| {name} | {secs:.1f} | {secs / base:.2f} | {budget} |" for name, secs, budget in rows],
    ]
    text = "\n".join(lines)
    print(text)
    results = REPO / "benchmarks" / "RESULTS.md"
    kept = ""  # hand-recorded measurements below this heading survive a new run
    if results.exists() and KEPT_HEADING in results.read_text(encoding="utf-8"):
        kept = "\n" + KEPT_HEADING + results.read_text(encoding="utf-8").split(KEPT_HEADING, 1)[1]
    results.write_text("# Latest benchmark results\n\n" + text + "\n" + kept, encoding="utf-8")


if __name__ == "__main__":
    main()
