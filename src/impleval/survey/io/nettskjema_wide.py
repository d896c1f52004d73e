"""Nettskjema exports: the codebook (API `elements` JSON) and the wide submissions report
(CSV/TXT as downloaded or from the API `csv-report`, or the XLSX report).

The codebook is checked against the study's survey.yaml: every question, matrix row and option
code in it must be mapped by the config (an unmapped one is an error, never silently dropped).
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
from pathlib import Path

import numpy as np

from impleval.errors import InputError, Problem, ProblemCollector
from impleval.survey.io.export import SurveyExport, refuse_question_text_headers
from impleval.survey.settings import Instrument
from impleval.tabular import read_delimited, read_xlsx

log = logging.getLogger(__name__)

ANSWERLESS = {"HEADING", "TEXT", "IMAGE", "PAGE_BREAK"}
ASK_FOR_CODEBOOK = (
    "the form's codebook JSON (Nettskjema: activate the codebook and export it, or "
    "GET /api/v3/form/<id>/elements) next to the report"
)


def read_codebook(path: str | os.PathLike | None) -> list[dict]:
    if path is None or not Path(path).exists():
        raise InputError(Problem(str(path or "<codebook>"), ASK_FOR_CODEBOOK))
    path = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise InputError(Problem(path, f"valid JSON ({err})")) from None
    elements = data.get("elements") if isinstance(data, dict) else data
    if not isinstance(elements, list) or not all(isinstance(e, dict) for e in elements):
        raise InputError(
            Problem(path, "a Nettskjema codebook: a list of elements (or {'elements': [...]})")
        )
    problems = ProblemCollector()
    for i, e in enumerate(elements, start=1):
        for key in ("elementType", "externalElementId"):
            if key not in e and e.get("elementType") not in ANSWERLESS:
                problems.add(path, f"element {i} with a '{key}'", column=key)
    problems.raise_if_any()
    return elements


def check_codebook(elements: list[dict], instrument: Instrument, path: str) -> list[str]:
    """Every codebook question, row and option must be mapped in survey.yaml. Returns warnings
    (config codes that the form does not offer); raises InputError for unmapped data ids."""
    problems = ProblemCollector()
    warnings: list[str] = []
    by_id = {
        str(e.get("externalElementId")): e
        for e in elements
        if e.get("elementType") not in ANSWERLESS
    }
    config_ids = {q["id"] for q in instrument.questions}
    for eid, e in by_id.items():
        if eid not in config_ids:
            problems.add(
                path,
                "a question defined in the study's survey.yaml (questions: id); add it there "
                "or remove it from the form",
                column=eid,
                value=e.get("elementType"),
            )
    for q in instrument.questions:
        e = by_id.get(q["id"])
        if e is None:
            problems.add(
                path,
                f"a codebook element for the question '{q['id']}' defined in survey.yaml",
                column=q["id"],
            )
            continue
        if e.get("elementType") != q["type"]:
            problems.add(
                path,
                f"element type {q['type']} as in survey.yaml",
                column=q["id"],
                value=e.get("elementType"),
            )
        cols = instrument.columns_of(q["id"])
        if q["type"] == "MATRIX_RADIO":
            rows = {str(s.get("externalElementId")) for s in e.get("subElements") or []}
            want = {c.item for c in cols}
            for r in sorted(rows - want):
                problems.add(
                    path,
                    f"a matrix row mapped in survey.yaml ({', '.join(sorted(want))})",
                    column=q["id"],
                    value=r,
                )
            for r in sorted(want - rows):
                problems.add(path, f"the matrix row '{r}' defined in survey.yaml", column=q["id"])
        if q["type"] == "LINEAR_SCALE":
            lo, hi = cols[0].linear
            got = (e.get("minimumValue"), e.get("maximumValue"))
            if got != (None, None) and tuple(int(v) for v in got) != (lo, hi):
                problems.add(
                    path,
                    f"a scale from {lo} to {hi} as in survey.yaml",
                    column=q["id"],
                    value=str(got),
                )
        if q["type"] in {"RADIO", "SELECT", "MATRIX_RADIO", "CHECKBOX"}:
            offered = {str(o.get("externalAnswerOptionId")) for o in e.get("answerOptions") or []}
            known = set(cols[0].codes) if q["type"] != "CHECKBOX" else {c.option for c in cols}
            for code in sorted(offered - known):
                problems.add(
                    path,
                    f"an option code mapped in survey.yaml ({', '.join(sorted(known))})",
                    column=q["id"],
                    value=code,
                )
            for code in sorted(known - offered):
                warnings.append(
                    f"{Path(path).name}: option '{code}' of '{q['id']}' is in survey.yaml "
                    "but not offered by the form"
                )
    problems.raise_if_any()
    return warnings


def read_wide(
    report: str | os.PathLike, codebook: str | os.PathLike | None, instrument: Instrument
) -> SurveyExport:
    """The wide submissions report (CSV/TXT/TSV or XLSX) checked against its codebook."""
    report = str(report)
    if Path(report).suffix.lower() in {".xlsx", ".xlsm"}:
        table = read_xlsx(report, required=["$submission_id"])
    else:
        table = read_delimited(report)
        check_field_counts(report, table.separator)
    refuse_question_text_headers(table.data.columns, instrument, report, table.header_row)
    elements = read_codebook(codebook)
    codebook_warnings = check_codebook(elements, instrument, str(codebook))
    for w in codebook_warnings:
        log.warning(w)
    if table.data.empty:
        raise InputError(
            Problem(report, "at least one submission below the header", row=table.header_row + 1)
        )
    rows = np.arange(len(table.data)) + table.header_row + 1
    return SurveyExport(
        table.data.reset_index(drop=True),
        report,
        rows,
        table.header_row,
        table.warnings + codebook_warnings,
    )


def check_field_counts(path: str, sep: str) -> None:
    """Every line must have as many fields as the header: catches mixed separators, which pandas
    would otherwise read as rows of empty cells."""
    raw = Path(path).read_bytes()
    try:  # the same decoding as read_delimited, without repeating its cp1252 warning
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    problems = ProblemCollector()
    reader = csv.reader(io.StringIO(text), delimiter=sep, quotechar='"')
    width = None
    for line_no, fields in enumerate(reader, start=1):
        if width is None:
            width = len(fields)
            continue
        if fields and len(fields) != width:
            others = [
                s for s in (";", ",", "\t") if s != sep and len(fields) == 1 and s in fields[0]
            ]
            hint = f" (this row seems to use {others[0]!r})" if others else ""
            problems.add(
                path,
                f"{width} fields separated by {sep!r} like the header{hint}",
                row=line_no,
                value=f"{len(fields)} field(s)",
            )
    problems.raise_if_any()
