"""The build folder: where a render happens, so `report/` (the source) is never written.

Layout of `results/report/_build/` after `prepare(...)`:
  index.qmd            the frame of the report language (report/index-<lang>.qmd), with a hidden
                       first cell holding the SHA-256 of every file the cells read (cache key)
  chapters/, _filters/, styles.css, _quarto.yml   copied from report/
  tables/ figures/     symlinks to results/tables and results/figures
  provenance.json      symlink to results/provenance.json
  _variables.yml       merged values (Quarto reads it natively)
  _generated/          banner.qmd (synthetic-data banner or nothing), generator.html (meta tag)
"""

from __future__ import annotations

import hashlib
import html
import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

from impleval.outputs import write_text
from impleval.report.variables import dump

KEEP = {".jupyter_cache", "_freeze", ".quarto"}  # caches survive a rebuild of the folder
SKIP_SOURCE = {"_build", ".jupyter_cache", "_freeze", ".quarto", "_output", "__pycache__"}
BANNER = {
    "nb": (
        "::: {.callout-warning .synthetic-banner}\n"
        "## SYNTETISKE DEMODATA\n"
        "Denne rapporten bygger på syntetiske demodata laget av prosjektets generator. "
        "Tallene beskriver ingen virkelige sykehus, ansatte eller pasienter.\n"
        ":::\n"
    ),
    "en": (
        "::: {.callout-warning .synthetic-banner}\n"
        "## SYNTHETIC DEMO DATA\n"
        "This report is built from synthetic demo data made by the project's generator. "
        "Its numbers describe no real hospital, staff member or patient.\n"
        ":::\n"
    ),
}
# Library modules whose code shapes the cells' output: part of the cache key too.
FORMATTING_MODULES = ("report/tables.py", "fmt.py")


def sha256(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _clear(build: Path) -> None:
    if not build.exists():
        return
    for entry in build.iterdir():
        if entry.name in KEEP:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def _link(target: Path, link: Path) -> None:
    if target.exists():
        link.symlink_to(target.resolve(), target_is_directory=target.is_dir())


def cell_input_hashes(build: Path, extra: Iterable[str | os.PathLike] = ()) -> dict[str, str]:
    """SHA-256 of every file a report cell may read, keyed by path relative to the build folder."""
    import impleval

    files: dict[str, Path] = {}
    for sub in ("tables",):
        root = build / sub
        if root.exists():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    files[str(path.relative_to(build))] = path
    for name in ("provenance.json", "_variables.yml"):
        if (build / name).exists():
            files[name] = build / name
    lib = Path(impleval.__file__).parent
    for name in FORMATTING_MODULES:
        files[f"impleval/{name}"] = lib / name
    for path in extra:
        files[str(path)] = Path(path)
    return {key: sha256(path) for key, path in sorted(files.items())}


def hash_cell(hashes: Mapping[str, str]) -> str:
    lines = "\n".join(f"    {k!r}: {v!r}," for k, v in hashes.items())
    return (
        "```{python}\n"
        "#| include: false\n"
        "# Cache key: the SHA-256 of every file the cells read. A changed results file\n"
        "# changes this cell, so executed cells never come from a stale cache entry.\n"
        f"REPORT_INPUT_SHA256 = {{\n{lines}\n}}\n"
        "```\n"
    )


def inject_after_header(text: str, block: str) -> str:
    """Insert `block` after the YAML header (or at the top when there is none)."""
    if text.startswith("---"):
        end = text.find("\n---", 3)
        if end != -1:
            cut = text.find("\n", end + 4)
            cut = len(text) if cut == -1 else cut + 1
            return text[:cut] + "\n" + block + "\n" + text[cut:]
    return block + "\n" + text


def has_code_cells(text: str, base: Path) -> bool:
    """Whether the document, with its includes, holds any code cell (the generated report has
    none: no kernel starts and Quarto needs no Jupyter). The fallback's own test
    (`fallback.has_code`), so that the input-hash cell and the renderer label follow the path the
    fallback takes."""
    from impleval.report.fallback import expand_includes, has_code

    return has_code(expand_includes(text, base))


def prepare(
    source: str | os.PathLike,
    build: str | os.PathLike,
    *,
    language: str,
    variables: Mapping,
    results: str | os.PathLike = "results",
    synthetic: bool = False,
    renderer_label: str = "",
    document: str | None = None,
    figures: str | os.PathLike | None = None,
) -> Path:
    """Fill the build folder; return the path of its `index.qmd`.

    `document`: the generated report text (index.qmd); without it the language's frame
    `index-<lang>.qmd` of `source` is used. `figures`: the folder of the report language's
    figures (default `results/figures`)."""
    source, build, results = Path(source), Path(build), Path(results)
    frame = source / f"index-{language}.qmd"
    if document is None and not frame.exists():
        raise FileNotFoundError(f"no report frame for language {language!r}: {frame}")
    _clear(build)
    build.mkdir(parents=True, exist_ok=True)
    for entry in source.iterdir():
        if entry.name in SKIP_SOURCE or (
            entry.name.startswith("index-") and entry.suffix == ".qmd"
        ):
            continue
        if entry.is_dir():
            shutil.copytree(entry, build / entry.name, ignore=shutil.ignore_patterns(*SKIP_SOURCE))
        else:
            shutil.copy2(entry, build / entry.name)
    _link(results / "tables", build / "tables")
    _link(Path(figures) if figures else results / "figures", build / "figures")
    _link(results / "provenance.json", build / "provenance.json")
    write_text(dump(variables), build / "_variables.yml")
    generated = build / "_generated"
    generated.mkdir(exist_ok=True)
    write_text(BANNER[language] if synthetic else "", generated / "banner.qmd")
    write_text(
        f'<meta name="impleval-renderer" content="{html.escape(renderer_label)}">\n',
        generated / "generator.html",
    )
    text = frame.read_text(encoding="utf-8") if document is None else document
    index = build / "index.qmd"
    if has_code_cells(text, build):  # the cache key matters only where cells run
        text = inject_after_header(text, hash_cell(cell_input_hashes(build)))
    write_text(text, index)
    return index
