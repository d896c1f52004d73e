"""Nettskjema exports: the codebook (API `elements` JSON) and the wide submissions report
(CSV/TXT as downloaded or from the API `csv-report`, or the XLSX `excel-report`).

The codebook is checked against the study's survey.yaml: every question, matrix row and option
code in it must be mapped by the config (an unmapped one is an error, never silently dropped;
`use: ignore` drops a question unread). Shapes as the service writes them (API v3, see
docs/data/survey.md): the codebook is a bare JSON array of elements (a `{"elements": [...]}`
wrapper is accepted too); HEADING, TEXT, IMAGE and PAGE_BREAK carry no answers and have
`externalElementId: null`; matrix rows are `subElements[]`; options `answerOptions[]`.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
from pathlib import Path

from impleval.errors import InputError, Problem, ProblemCollector
from impleval.survey.io.export import SurveyExport, refuse_question_text_headers
from impleval.survey.io.guards import refuse_merged_cells, refuse_utf16
from impleval.survey.settings import KIND, Instrument, export_code, row_code
from impleval.tabular import read_delimited, read_xlsx

log = logging.getLogger(__name__)

ANSWERLESS = {"HEADING", "TEXT", "IMAGE", "PAGE_BREAK"}
ASK_FOR_CODEBOOK = (
    "the form's codebook JSON (Nettskjema: activate the codebook and export it, or "
    "GET /api/v3/form/<id>/elements) next to the report"
)
LEGACY_CODEBOOK = (
    "the form's codebook as JSON (GET /api/v3/form/<id>/elements, or the codebook download in "
    "JSON from today's Nettskjema); this is the text codebook of an old Nettskjema download "
    "('* Variabel / Etikett'), which does not give the questions' types, matrix rows or checkbox "
    "options"
)
LEGACY_REPORT = (
    "a Nettskjema report with the columns $submission_id, $created, … $answer_time_ms (API v3 "
    "csv-report or excel-report, or a new download from Nettskjema); this file has the columns "
    "{found} of an old (before API v3) download: download the report again, or read this file "
    "with format: generic and a column map in survey.yaml → generic"
)
LEGACY_COLUMNS = ("NR", "Opprettet", "Endret", "Svartid")


def read_codebook(path: str | os.PathLike | None) -> list[dict]:
    """The codebook's elements in form order (bare array or `{"elements": [...]}`)."""
    if path is None or not Path(path).exists():
        raise InputError(Problem(str(path or "<codebook>"), ASK_FOR_CODEBOOK))
    path = str(path)
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(Problem(path, "a codebook JSON file in UTF-8")) from None
    if text.lstrip().startswith("*"):  # '* <form title> (id 82087) - 03.09.2018 15:50'
        raise InputError(Problem(path, LEGACY_CODEBOOK, row=1))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(Problem(path, f"valid JSON ({err})")) from None
    elements = data.get("elements") if isinstance(data, dict) else data
    if not isinstance(elements, list) or not all(isinstance(e, dict) for e in elements):
        raise InputError(
            Problem(path, "a Nettskjema codebook: a list of elements (or {'elements': [...]})")
        )
    problems = ProblemCollector()
    for i, e in enumerate(elements, start=1):
        etype = e.get("elementType")
        if etype in ANSWERLESS:
            continue
        if etype not in KIND:
            problems.add(
                path,
                f"element {i} of a known elementType ({', '.join([*KIND, *sorted(ANSWERLESS)])})",
                column="elementType",
                value=str(etype),
            )
        elif e.get("externalElementId") in (None, ""):
            problems.add(
                path,
                f"element {i} ({etype}) with an externalElementId: give every question an "
                "id in Nettskjema's codebook (the form's codebook is incomplete) and export it "
                "again",
                column="externalElementId",
            )
    problems.raise_if_any()
    return elements


def answer_elements(elements: list[dict]) -> dict[str, dict]:
    """Elements that hold answers, by their externalElementId."""
    return {
        str(e["externalElementId"]): e for e in elements if e.get("elementType") not in ANSWERLESS
    }


def _rows_of(element: dict) -> list[str]:
    return [str(s.get("externalElementId")) for s in element.get("subElements") or []]


def check_codebook(elements: list[dict], instrument: Instrument, path: str) -> list[str]:
    """Every codebook question, row and option must be mapped in survey.yaml. Returns warnings
    (config codes that the form does not offer); raises InputError for unmapped data ids."""
    problems = ProblemCollector()
    warnings: list[str] = []
    by_code = answer_elements(elements)
    questions = instrument.by_code()
    for code, e in by_code.items():
        if code not in questions:
            problems.add(
                path,
                "a question defined in the study's survey.yaml (questions: id, or code when the "
                "export id differs); add it there (use: ignore drops it unread) or remove it "
                "from the form",
                column=code,
                value=e.get("elementType"),
            )
    for code, q in questions.items():
        e = by_code.get(code)
        if e is None:
            problems.add(
                path,
                f"a codebook element for the question '{code}' defined in survey.yaml",
                column=code,
            )
            continue
        if e.get("elementType") != q["type"]:
            problems.add(
                path,
                f"element type {q['type']} as in survey.yaml",
                column=code,
                value=e.get("elementType"),
            )
            continue
        if q["use"] == "ignore":
            continue
        _check_element(e, q, instrument, path, problems, warnings)
    problems.raise_if_any()
    return warnings


def _check_element(e, q, instrument, path, problems, warnings) -> None:
    code = export_code(q)
    cols = instrument.columns_of(q["id"])
    rows = _rows_of(e)
    want = [row_code(r) for r in q.get("rows", [])]
    if rows or want:
        for r in [r for r in rows if r not in want]:
            problems.add(
                path,
                f"a row (sub-item) mapped in survey.yaml ({', '.join(want) or 'no rows'}): add "
                "it to the question's rows",
                column=code,
                value=r,
            )
        for r in [r for r in want if r not in rows]:
            problems.add(path, f"the matrix row '{r}' defined in survey.yaml (rows)", column=code)
    if q["type"] == "LINEAR_SCALE":
        lo, hi = cols[0].linear
        got = (e.get("minimumValue"), e.get("maximumValue"))
        if got != (None, None) and tuple(int(v) for v in got) != (lo, hi):
            problems.add(
                path,
                f"a scale from {lo} to {hi} as in survey.yaml",
                column=code,
                value=str(got),
            )
    if q["type"] == "NUMBER" and q.get("range"):
        want_range = (q["range"].get("min"), q["range"].get("max"))
        got = (e.get("minimumValue"), e.get("maximumValue"))
        for side, w, g in zip(("minimum", "maximum"), want_range, got, strict=True):
            if w is not None and g is not None and float(w) != float(g):
                problems.add(
                    path,
                    f"the {side} {w:g} of survey.yaml → range",
                    column=code,
                    value=f"{side}Value {g}",
                )
    if q["type"] == "DATE" and e.get("dateFormat") not in (None, q["date_format"]):
        problems.add(
            path,
            f"dateFormat {q['date_format']} as in survey.yaml (date_format)",
            column=code,
            value=str(e.get("dateFormat")),
        )
    if cols[0].kind in ("choice", "checkbox"):
        offered = [str(o.get("externalAnswerOptionId")) for o in e.get("answerOptions") or []]
        known = (
            cols[0].accepted()
            if cols[0].kind == "choice"
            else list(dict.fromkeys(c.option for c in cols))
        )
        for option in [o for o in offered if o not in known]:
            problems.add(
                path,
                f"an option code mapped in survey.yaml ({', '.join(known)})",
                column=code,
                value=option,
            )
        for option in [k for k in (cols[0].codes if cols[0].kind == "choice" else known)]:
            mapped_from = [v for v, target in cols[0].values.items() if target == option]
            if option not in offered and not any(v in offered for v in mapped_from):
                warnings.append(
                    f"{Path(path).name}: option '{option}' of '{code}' is in survey.yaml "
                    "but not offered by the form"
                )


def read_wide(
    report: str | os.PathLike, codebook: str | os.PathLike | None, instrument: Instrument
) -> SurveyExport:
    """The wide submissions report (CSV/TXT/TSV or XLSX) checked against its codebook."""
    report = str(report)
    if Path(report).suffix.lower() in {".xlsx", ".xlsm"}:
        refuse_merged_cells(report)
        table = read_xlsx(report, required=["$submission_id"])
    else:
        refuse_utf16(report)
        table = read_delimited(report)
        check_field_counts(report, table.separator)
    refuse_legacy_report(table.data.columns, report, table.header_row)
    refuse_question_text_headers(table.data.columns, instrument, report, table.header_row)
    elements = read_codebook(codebook)
    codebook_warnings = check_codebook(elements, instrument, str(codebook))
    for w in codebook_warnings:
        log.warning(w)
    if table.data.empty:
        raise InputError(
            Problem(report, "at least one submission below the header", row=table.header_row + 1)
        )
    rows = table.spreadsheet_rows()  # as Excel shows them (blank lines skipped, not renumbered)
    return SurveyExport(
        table.data.reset_index(drop=True),
        report,
        rows,
        table.header_row,
        table.warnings + codebook_warnings,
    )


def refuse_legacy_report(columns, path: str, header_row: int = 1) -> None:
    """An old (pre-API v3) download: `NR`, `Opprettet`, `Endret`, `Svartid` columns instead of
    `$submission_id`, `$created`, `$answer_time_ms` (answer time as text like `3 minutt`)."""
    names = [str(c) for c in columns]
    found = [c for c in LEGACY_COLUMNS if c in names]
    if "$submission_id" not in names and len(found) >= 2:
        raise InputError(
            Problem(path, LEGACY_REPORT.format(found=", ".join(found)), row=header_row)
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
    # newline="": the csv module's own line handling, as read_delimited uses it (a file with
    # old-Mac CR line ends is otherwise one line and a bare csv.Error).
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, quotechar='"')
    try:
        records = list(reader)
    except csv.Error as err:
        raise InputError(Problem(path, f"a well-formed '{sep}'-separated table ({err})")) from None
    width = None
    for line_no, fields in enumerate(records, start=1):
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
