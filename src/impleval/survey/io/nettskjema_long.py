"""Nettskjema long answers (API v3 `GET /form/<id>/answers`, NDJSON: one JSON record per answered
element, per matrix row), pivoted to the wide shape so that the same validation and cleaning
apply. Needs the form's codebook (`GET /form/<id>/elements`) and, for answer times, the
submissions (`GET /form/submission/<id>`).

The records as the service writes them (docs/data/survey.md): `formId`, `submissionId`,
`answerId`, `elementId`, `externalElementId` (the question's codebook id), `textAnswer` (absent on
choice records; Norwegian formats: `14.03.2025`, `26.03.2025 21:40`, `2,5`), `answerOptionIds`,
`externalAnswerOptionIds` (one code, or the ticked codes of a checkbox or matrix-checkbox row),
attachment fields, `elementType`, `createdDate` (ISO local time, no offset), `modifiedDate`, and
`subElementId` on matrix records: the row is only this number, which the codebook's
`subElements[].subElementId` maps to the row's id. Unanswered questions have no record. There is
no answer time: it comes from the submissions' `submissionMetadata.answerTime` (milliseconds).
Problems name the file's line number as the row.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import numpy as np
import pandas as pd

from impleval.errors import InputError, Problem, ProblemCollector
from impleval.survey.io.export import SurveyExport, parse_created
from impleval.survey.io.nettskjema_wide import answer_elements, check_codebook, read_codebook
from impleval.survey.settings import Instrument, export_code, row_code
from impleval.tabular import decode_bytes

log = logging.getLogger(__name__)
NEED_CODEBOOK = (
    "the form's codebook JSON as inputs.survey.codebook (GET /api/v3/form/<id>/elements): the "
    "answers name a matrix row only by its numeric subElementId, which the codebook maps to the "
    "row's id"
)
NEED_SUBMISSIONS = (
    "answer times for the cleaning step too_fast: the /answers records carry none. Give "
    "inputs.survey.submissions (the JSON of GET /api/v3/form/submission/<id> for each "
    "submission: one file, a JSON array, NDJSON or a folder of them), or remove too_fast from "
    "cleaning.steps in survey.yaml"
)


def _submission_id(value) -> str | None:
    """40123401 or "40123401" → "40123401"; None when not a whole number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip().isdigit():
        return str(int(value.strip()))
    return None


class _Form:
    """What the long reader needs from the codebook and survey.yaml."""

    def __init__(self, elements: list[dict], instrument: Instrument):
        self.questions = instrument.by_code()
        self.code_of_element = {
            e["elementId"]: code
            for code, e in answer_elements(elements).items()
            if e.get("elementId") is not None
        }
        self.row_of_sub: dict[int, tuple[str, str]] = {}
        for code, e in answer_elements(elements).items():
            for s in e.get("subElements") or []:
                if s.get("subElementId") is not None:
                    self.row_of_sub[s["subElementId"]] = (code, str(s.get("externalElementId")))
        self.columns = {c.name: c for c in instrument.columns}
        self.checkbox: dict[str, list] = {}
        for c in instrument.columns:
            if c.kind == "checkbox":
                prefix = c.name[: -len(c.option) - 1]  # "<question>" or "<question>.<row>"
                self.checkbox.setdefault(prefix, []).append(c)
        self.has_rows = {export_code(q) for q in instrument.questions if q.get("rows")}
        self.row_ids = {
            export_code(q): {row_code(r) for r in q.get("rows", [])} for q in instrument.questions
        }


def read_long(
    path: str | os.PathLike,
    codebook: str | os.PathLike | None,
    instrument: Instrument,
    submissions: str | os.PathLike | None = None,
) -> SurveyExport:
    path = str(path)
    if codebook is None:
        raise InputError(Problem(path, NEED_CODEBOOK))
    if submissions is None and "too_fast" in instrument.cleaning["steps"]:
        raise InputError(Problem(path, NEED_SUBMISSIONS))
    raw = Path(path).read_bytes()
    if not raw.strip():
        raise InputError(Problem(path, "a non-empty NDJSON file (one JSON answer record per line)"))
    text, _, warnings = decode_bytes(raw, path)
    elements = read_codebook(codebook)
    warnings += check_codebook(elements, instrument, str(codebook))
    form = _Form(elements, instrument)
    problems = ProblemCollector()
    cells: dict[str, dict[str, str]] = {}
    meta: dict[str, dict] = {}
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as err:
            # the line itself is not printed: it may hold a free-text answer
            problems.add(path, f"one JSON object per line ({err.msg})", row=line_no)
            continue
        _read_record(rec, line_no, path, form, cells, meta, problems)
    problems.raise_if_any()
    times = read_submissions(submissions, instrument) if submissions is not None else None
    if times is not None:
        for sid, m in meta.items():
            if sid not in times:
                problems.add(
                    str(submissions),
                    "a submission (GET /api/v3/form/submission/<id>) for every submission in the "
                    "answers: the one first seen on this line of the answers is missing",
                    row=m["row"],
                    column="submissionId",
                )
        problems.raise_if_any()
        for sid, t in times.items():  # submissions without any answer have no record
            meta.setdefault(sid, {"row": 0, "created": t["created"]})
            cells.setdefault(sid, {})
    if not meta:
        raise InputError(Problem(path, "at least one answer record"))
    order = sorted(meta, key=lambda s: (len(s), s))  # numeric ids in submission order
    names = list(form.columns)
    data = pd.DataFrame(
        [[cells[s].get(n, "") for n in names] for s in order], columns=names, dtype=str
    )
    data.insert(0, "$submission_id", order)
    data.insert(1, "$created", [meta[s]["created"] for s in order])
    if times is not None:
        data["$answer_time_ms"] = [str(times[s]["ms"]) for s in order]
    rows = np.array([meta[s]["row"] for s in order])
    for w in warnings:
        log.warning(w)
    return SurveyExport(data, path, rows, 0, warnings)


def _read_record(rec, line_no, path, form: _Form, cells, meta, problems) -> None:
    """One answer record into `cells[submission][column]`; problems collected, never raised."""

    def bad(expected: str, column: str | None = None, value=None) -> None:
        problems.add(path, expected, row=line_no, column=column, value=value)

    if not isinstance(rec, dict):
        bad("one JSON object (an answer record) per line")
        return
    sid = _submission_id(rec.get("submissionId"))
    if sid is None:
        bad("an answer record with a whole-number submissionId", "submissionId")
        return
    code = rec.get("externalElementId")
    by_element = form.code_of_element.get(rec.get("elementId"))
    if code in (None, ""):
        code = by_element
    if code is None:
        bad("an answer record with externalElementId (or an elementId of the codebook)")
        return
    code = str(code)
    if by_element is not None and by_element != code:
        bad(f"the externalElementId of element {rec.get('elementId')} in the codebook", code)
        return
    m = meta.setdefault(sid, {"row": line_no, "created": ""})
    created = str(rec.get("createdDate") or "").strip()
    if created and m["created"] and created != m["created"]:
        bad(
            f"the same createdDate on every record of a submission ({m['created']})",
            "createdDate",
            created,
        )
    m["created"] = m["created"] or created
    q = form.questions.get(code)
    if q is None:
        bad("a question of the codebook and the study's survey.yaml", "externalElementId", code)
        return
    if q["use"] == "ignore":
        return  # dropped unread (attachments' file names, free text not analysed, …)
    if rec.get("elementType") not in (None, q["type"]):
        bad(f"element type {q['type']} as in survey.yaml", code, rec.get("elementType"))
        return
    name = code
    sub = rec.get("subElementId")
    if sub is not None:
        owner, row = form.row_of_sub.get(sub, (None, None))
        if owner != code or row not in form.row_ids[code]:
            bad(f"a subElementId of the rows of '{code}' in the codebook", "subElementId", sub)
            return
        name = f"{code}.{row}"
    elif code in form.has_rows:
        bad(f"a subElementId (the matrix row of '{code}')", "subElementId")
        return
    options = rec.get("externalAnswerOptionIds") or []
    if not isinstance(options, list):
        bad("a list of option codes", "externalAnswerOptionIds", str(options))
        return
    options = [str(o) for o in options]
    row_cells = cells.setdefault(sid, {})
    if name in form.checkbox:
        known = [c.option for c in form.checkbox[name]]
        for o in options:
            if o not in known:
                bad(f"one of the option codes {', '.join(known)}", name, o)
        if any(c.name in row_cells for c in form.checkbox[name]):
            bad("one answer per question (and row) per submission", name)
        for c in form.checkbox[name]:
            row_cells[c.name] = "1" if c.option in options else "0"
        return
    col = form.columns.get(name)
    if col is None:  # a row that survey.yaml maps but the codebook check let through: never
        bad("a question (and row) defined in the study's survey.yaml", "externalElementId", name)
        return
    if name in row_cells:
        bad("one answer per question (and row) per submission", name)
        return
    if col.kind == "choice":
        if len(options) > 1:
            bad("a single option for a single-choice question", name, ",".join(options))
        value = options[0] if options else ""
    else:
        answer = rec.get("textAnswer")
        value = "" if answer is None else str(answer)
    row_cells[name] = value  # checked with every other cell by validate_export


def read_submissions(path: str | os.PathLike, instrument: Instrument) -> dict[str, dict]:
    """Answer time (ms) and creation time per submission id, from the JSON of
    `GET /api/v3/form/submission/<id>` (`{"submissionMetadata": {"submissionId", "answerTime",
    "createdDate", …}, "answers": [...]}`): one object per file, a JSON array of them, NDJSON,
    or a folder of such files. Only these three fields are read (`person` may name the
    respondent and is never touched)."""
    path = Path(path)
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    if not files:
        raise InputError(Problem(str(path), "at least one submission JSON file in the folder"))
    problems = ProblemCollector()
    out: dict[str, dict] = {}
    tz = instrument.cleaning["timezone"]
    for file in files:
        for row, obj in _json_objects(file, problems):
            meta = obj.get("submissionMetadata") if isinstance(obj, dict) else None
            if not isinstance(meta, dict):
                problems.add(
                    file,
                    "a submission object with submissionMetadata "
                    "(GET /api/v3/form/submission/<id>)",
                    row=row,
                )
                continue
            sid = _submission_id(meta.get("submissionId"))
            ms = meta.get("answerTime")
            created = str(meta.get("createdDate") or "")
            if sid is None:
                problems.add(file, "a whole-number submissionId", row=row, column="submissionId")
                continue
            if isinstance(ms, bool) or not isinstance(ms, int | float) or not ms >= 0:
                problems.add(
                    file,
                    "answerTime as a non-negative number of milliseconds",
                    row=row,
                    column="answerTime",
                    value=str(ms),
                )
                continue
            if pd.isna(parse_created(pd.Series([created]), tz).iloc[0]):
                problems.add(
                    file,
                    "createdDate as a date-time like 2025-03-27T09:14:05",
                    row=row,
                    column="createdDate",
                    value=created,
                )
                continue
            if sid in out:
                problems.add(
                    file,
                    "each submission once in the submissions",
                    row=row,
                    column="submissionId",
                )
                continue
            out[sid] = {"ms": int(round(ms)), "created": created}
    problems.raise_if_any()
    return out


def _json_objects(file: Path, problems: ProblemCollector):
    """(line or item number, object) for a JSON object, a JSON array or NDJSON file."""
    text, _, _ = decode_bytes(file.read_bytes(), str(file))
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = None
        for line_no, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                yield line_no, json.loads(line)
            except json.JSONDecodeError as err:
                problems.add(file, f"valid JSON (a submission object; {err.msg})", row=line_no)
        return
    if isinstance(data, list):
        yield from enumerate(data, start=1)
    else:
        yield None, data
