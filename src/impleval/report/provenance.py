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


HEAD = {
    "nb": {
        "what": "Hva",
        "value": "Verdi",
        "role": "Rolle",
        "path": "Fil",
        "sha": "SHA-256",
        "commit": "Git-commit",
        "dirty": "Ucommittede endringer",
        "python": "Python",
        "platform": "Plattform",
        "renderer": "Rapporten laget med",
        "yes": "ja",
        "no": "nei",
        "unknown": "ukjent",
    },
    "en": {
        "what": "What",
        "value": "Value",
        "role": "Role",
        "path": "File",
        "sha": "SHA-256",
        "commit": "Git commit",
        "dirty": "Uncommitted changes",
        "python": "Python",
        "platform": "Platform",
        "renderer": "Report made with",
        "yes": "yes",
        "no": "no",
        "unknown": "unknown",
    },
}
ROLE = {
    "nb": {
        "input": "rådata",
        "config": "konfigurasjon",
        "study": "studiedefinisjon",
        "code": "kode",
        "environment": "miljø",
    },
    "en": {
        "input": "raw data",
        "config": "configuration",
        "study": "study definition",
        "code": "code",
        "environment": "environment",
    },
}


def _tables(prov: Mapping, language: str) -> tuple:
    import pandas as pd

    h = HEAD[language]
    dirty = prov["git"].get("dirty")
    env = [
        (h["commit"], f"`{prov['git']['commit']}`"),
        (h["dirty"], h["unknown"] if dirty is None else (h["yes"] if dirty else h["no"])),
        (h["python"], prov["python"]),
        (h["platform"], prov["platform"]),
        (h["renderer"], prov["renderer"]),
        *((f"`{k}`", v) for k, v in prov["packages"].items()),
    ]
    files = [
        (ROLE[language].get(r["role"], r["role"]), f"`{r['path']}`", f"`{r['sha256']}`")
        for r in prov["files"]
        if r["role"] != "code"
    ]
    return (
        pd.DataFrame(env, columns=[h["what"], h["value"]]),
        pd.DataFrame(files, columns=[h["role"], h["path"], h["sha"]]),
    )


def markdown_environment(
    path: str | os.PathLike, language: str = "nb", renderer: str | None = None
) -> str:
    """Appendix table: commit, Python, packages, renderer (formatting only).

    `renderer` is the label of the render actually running (from `_variables.yml`): provenance.json
    is written before the render and may predate a Quarto install or removal."""
    import json

    from impleval.report.tables import to_pipe_table

    prov = json.loads(Path(path).read_text(encoding="utf-8"))
    if renderer:
        prov["renderer"] = renderer
    env, _ = _tables(prov, language)
    return to_pipe_table(env) + "\n"


def markdown_files(path: str | os.PathLike, language: str = "nb") -> str:
    """Appendix table: every raw input, configuration and study file with its SHA-256."""
    import json

    from impleval.report.tables import to_pipe_table

    _, files = _tables(json.loads(Path(path).read_text(encoding="utf-8")), language)
    return to_pipe_table(files) + "\n"
