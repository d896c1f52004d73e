"""Render the report: choose the renderer, fill the build folder, render, check the HTML."""

from __future__ import annotations

import copy
import logging
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from impleval.outputs import atomic_path
from impleval.report import build as build_mod
from impleval.report import fallback, quarto
from impleval.report.checks import check_html

log = logging.getLogger(__name__)

RENDERERS = ("auto", "quarto", "fallback")


@dataclass
class RenderInfo:
    renderer: str  # "quarto" or "fallback"
    label: str  # e.g. "Quarto 1.6.40" or "fallback: pandoc 3.9"
    executed: bool | None  # fallback: whether a kernel ran (False: all outputs from the cache)
    seconds: float


def choose(preference: str = "auto") -> tuple[str, str, str | None]:
    """(renderer, label, quarto executable). Never claims Quarto unless it will run."""
    if preference not in RENDERERS:
        raise ValueError(f"report renderer must be one of {RENDERERS}, not {preference!r}")
    exe = quarto.executable() if preference in ("auto", "quarto") else None
    if exe:
        return "quarto", quarto.label(exe), exe
    if preference == "quarto":
        raise fallback.RenderError("report.renderer is 'quarto' but quarto is not installed")
    return "fallback", fallback.label(), None


def with_renderer(variables: Mapping, label: str) -> dict:
    merged = copy.deepcopy(dict(variables))
    merged.setdefault("report", {})["renderer"] = label
    return merged


def render_report(
    source: str | Path,
    build: str | Path,
    output: str | Path,
    *,
    variables: Mapping,
    language: str,
    results: str | Path = "results",
    synthetic: bool = False,
    renderer: str = "auto",
    cache: bool = True,
    document=None,
    figures=None,
) -> RenderInfo:
    """Render the report to `output`. `document`: a callable(renderer label) → the generated
    index.qmd text (the label is known only once the renderer is chosen); without it, the
    language's frame in `source` is rendered."""
    start = time.perf_counter()
    kind, label, exe = choose(renderer)

    def fill(label: str) -> Path:
        return build_mod.prepare(
            source,
            build,
            language=language,
            variables=with_renderer(variables, label),
            results=results,
            synthetic=synthetic,
            renderer_label=label,
            document=document(label) if document else None,
            figures=figures,
        )

    index = fill(label)
    if kind == "fallback" and build_mod.has_code_cells(
        index.read_text(encoding="utf-8"), Path(build)
    ):
        # choose() names pandoc alone, all that a document without code chunks (the generated
        # report) needs; this one has code, which jupytext reads and jupyter-cache runs.
        label = fallback.label(code=True)
        index = fill(label)
    log.info("renderer: %s", label)
    variables = with_renderer(variables, label)
    executed = None
    # Render beside the target and check before renaming into place: a report that fails its
    # checks never sits at the output path, even when the script is run by hand.
    with atomic_path(output) as tmp_output:
        tmp_html = Path(tmp_output).with_suffix(".html")
        if kind == "quarto":
            # Quarto prints "?var:key" for a missing key: check every key before it renders.
            text = fallback.expand_includes(
                (Path(build) / "index.qmd").read_text("utf-8"), Path(build)
            )
            from impleval.report.variables import check_keys

            check_keys(text, variables, "index.qmd and its includes")
            quarto.render(exe, build, tmp_html)
        else:
            result = fallback.render(
                build, tmp_html, variables=variables, language=language, cache=cache
            )
            executed = result.executed
        try:
            check_html(
                tmp_html.read_text(encoding="utf-8"),
                language=language,
                renderer=kind,
                synthetic=synthetic,
            )
            os.replace(tmp_html, tmp_output)
        finally:
            tmp_html.unlink(missing_ok=True)
    seconds = time.perf_counter() - start
    log.info("rendered %s in %.1f s (cells executed: %s)", output, seconds, executed)
    return RenderInfo(kind, label, executed, seconds)
