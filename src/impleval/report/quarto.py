"""Rendering with Quarto when `quarto` is installed (conda-forge `quarto`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from impleval.report.fallback import RenderError


def executable() -> str | None:
    """`quarto` on PATH, or beside this Python (a venv with it installed)."""
    found = shutil.which("quarto")
    if found:
        return found
    beside = Path(sys.executable).parent / "quarto"
    return str(beside) if beside.exists() else None


def version(exe: str) -> str:
    return subprocess.run(
        [exe, "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()


def label(exe: str) -> str:
    return f"Quarto {version(exe)}"


def render(exe: str, build: str | Path, output: str | Path) -> Path:
    """`quarto render index.qmd` in the build folder; move the HTML to `output`.

    `--output` takes a file name only, so `_quarto.yml` sets `output-dir: _output`."""
    build, output = Path(build), Path(output)
    env = dict(os.environ, QUARTO_PYTHON=sys.executable)
    proc = subprocess.run(
        [exe, "render", "index.qmd", "--to", "html"],
        cwd=build,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RenderError(f"quarto render failed:\n{proc.stderr[-4000:]}")
    produced = build / "_output" / "index.html"
    if not produced.exists():
        raise RenderError(f"quarto render wrote no {produced}")
    output.parent.mkdir(parents=True, exist_ok=True)
    os.replace(produced, output)
    return output
