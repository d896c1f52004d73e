"""`results/provenance.json`: what produced the report, and its appendix table.

No timestamps: two runs from the same inputs and code give the same file (a rerun is visible in
the file only when something that matters changed)."""

from __future__ import annotations

import os
import platform
import subprocess
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path

from impleval.report.build import sha256

KEY_PACKAGES = (
    "snakemake",
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "pingouin",
    "scikit-posthocs",
    "matplotlib",
    "seaborn",
    "krippendorff",
    "factor_analyzer",
    "scikit-learn",
    "openpyxl",
    "pyarrow",
    "jupytext",
    "jupyter-cache",
    "nbclient",
    "pypandoc_binary",
)


def git_state(repo: str | os.PathLike = ".") -> dict:
    """Commit and dirty flag; "unknown" outside a git work tree (e.g. an unpacked tarball)."""

    def git(*args):
        return subprocess.run(
            ["git", *args], cwd=repo, capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        commit = git("rev-parse", "HEAD")
        dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.CalledProcessError):
        return {"commit": "unknown", "dirty": None}
    return {"commit": commit, "dirty": dirty}


def package_versions(names: Iterable[str] = KEY_PACKAGES) -> dict[str, str]:
    out = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def build_provenance(
    files: Mapping[str, Iterable[str | os.PathLike]],
    *,
    renderer: str,
    repo: str | os.PathLike = ".",
) -> dict:
    """`files`: role (input, config, study, code, environment) → paths, hashed with SHA-256.

    Paths are recorded with any component holding an identifier or a listed name replaced by
    placeholders (`privacy.paths.redact_path`): the workflow refuses such paths before it runs
    (`privacy.paths.check_config_paths`), and this keeps them out of the record regardless."""
    from impleval.privacy.paths import redact_path

    rows = []
    for role, paths in files.items():
        for path in sorted(set(map(str, paths))):
            p = Path(path)
            rows.append(
                {
                    "role": role,
                    "path": redact_path(path),
                    "sha256": sha256(p),
                    "bytes": p.stat().st_size,
                }
            )
    return {
        "git": git_state(repo),
        "python": platform.python_version(),
        "platform": f"{platform.system()} {platform.machine()}",
        "packages": package_versions(),
        "renderer": renderer,
        "files": rows,
    }
