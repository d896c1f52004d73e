"""From the study and its results to the generated report: load the context, write the
document, render it (Quarto or the labelled fallback) and check the HTML."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

from impleval.config import load_yaml, safe_load
from impleval.report.context import Prose, ReportContext, Results, Study
from impleval.report.document import document
from impleval.report.text import load_phrases

STUDY_FILES = (
    "organisation",
    "report",
    "survey",
    "survey_analysis",
    "interviews",
    "interviews_analysis",
    "monitoring",
)


def load_study(paths: Mapping[str, str | None], settings: Mapping) -> Study:
    """The study's definition files (those the config names; None for a strand not collected)."""
    loaded = {name: (load_yaml(paths[name]) if paths.get(name) else None) for name in STUDY_FILES}
    loaded["report"] = loaded["report"] or {}
    return Study(**loaded, settings=dict(settings))


def prose_folder(study: Study, report_file: str | None) -> Path | None:
    folder = study.report.get("prose")
    if not folder or not report_file:
        return None
    return Path(report_file).parent / folder


def load_values(files) -> dict:
    values = {}
    for file in files:
        data = safe_load(Path(file).read_text(encoding="utf-8")) or {}
        values.update(data if set(data) == {Path(file).stem} else {Path(file).stem: data})
    return values


def build_context(
    *,
    language: str,
    study_paths: Mapping[str, str | None],
    settings: Mapping,
    tables: str | os.PathLike,
    values_files,
    figures: str | os.PathLike,
    phrases: str | os.PathLike,
    provenance: str | os.PathLike | None = None,
    checklists: str | os.PathLike | None = None,
) -> ReportContext:
    study = load_study(study_paths, settings)
    prov = json.loads(Path(provenance).read_text(encoding="utf-8")) if provenance else {}
    return ReportContext(
        language=language,
        phrases=load_phrases(phrases, language),
        study=study,
        results=Results(tables, load_values(values_files), figures, provenance=prov),
        prose=Prose(prose_folder(study, study_paths.get("report")), language),
        resources={"checklists": checklists} if checklists else {},
    )


def generate(ctx: ReportContext, renderer: str) -> str:
    return document(ctx, renderer=renderer)


def variables(ctx: ReportContext) -> dict:
    """The language-neutral values, formatted for the report language, as the `_variables.yml`
    that the study team's prose may quote with `{{< var <branch>.<key> >}}` (Quarto reads it
    natively; the fallback substitutes it). Integers as integers, other numbers with two
    decimals, lists joined."""
    return {branch: _format(value, ctx.language) for branch, value in ctx.results.values.items()}


def _format(value, language: str):
    from impleval import fmt
    from impleval.report.text import join

    if isinstance(value, Mapping):
        return {key: _format(v, language) for key, v in value.items()}
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return fmt.integer(value, language)
    if isinstance(value, float):
        return fmt.number(value, 2, language)
    if isinstance(value, list | tuple):
        return join([str(_format(v, language)) for v in value], language)
    return "" if value is None else str(value)
