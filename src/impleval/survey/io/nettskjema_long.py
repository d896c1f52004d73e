"""Nettskjema long answers (API `answers`, NDJSON: one JSON record per answer), pivoted to the
wide shape so that the same validation and cleaning apply.

This export is Norwegian-localised: `createdDate` like `04.03.2025 09:12` (local time, no offset)
and decimal commas (`answerTimeSeconds: "312,537"`). Matrix answers name the question in
`externalElementId` and the row in `externalSubElementId` (a combined `CO.CO1` is accepted too).
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
from impleval.survey.io.export import SurveyExport
from impleval.survey.settings import Instrument
from impleval.tabular import decode_bytes

log = logging.getLogger(__name__)
REQUIRED = ("submissionId", "externalElementId")


def _number(text: str) -> float | None:
    """'312,537' or '312.537' (spaces as thousands separators) → float; None if not a number.
    Per record, so plain Python: pandas' per-call overhead dominates on thousands of lines."""
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in s and "." not in s:
        s = s.replace(",", ".")
    try:
        return float(s)
    except ValueError:
        return None


def read_long(path: str | os.PathLike, instrument: Instrument) -> SurveyExport:
    path = str(path)
    raw = Path(path).read_bytes()
    if not raw.strip():
        raise InputError(Problem(path, "a non-empty NDJSON file (one JSON answer record per line)"))
    text, _, warnings = decode_bytes(raw, path)
    problems = ProblemCollector()
    cols = instrument.by_name
    matrix = {c.question for c in instrument.columns if c.kind == "choice" and "." in c.name}
    checkbox = {
        c.question: [x for x in instrument.columns_of(c.question)]
        for c in instrument.sources_columns()
    }
    cells: dict[str, dict[str, str]] = {}
    meta: dict[str, dict] = {}
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as err:
            problems.add(
                path, f"one JSON object per line ({err.msg})", row=line_no, value=line[:60]
            )
            continue
        missing = [k for k in REQUIRED if rec.get(k) in (None, "")]
        if not isinstance(rec, dict) or missing:
            problems.add(
                path,
                f"an answer record with {', '.join(REQUIRED)}",
                row=line_no,
                column=", ".join(missing) or None,
            )
            continue
        sid = str(rec["submissionId"]).strip()
        m = meta.setdefault(sid, {"row": line_no, "created": "", "time": ""})
        created = str(rec.get("createdDate") or "").strip()
        if created and m["created"] and created != m["created"]:
            problems.add(
                path,
                f"the same createdDate on every record of submission {sid} ({m['created']})",
                row=line_no,
                column="createdDate",
                value=created,
            )
        m["created"] = m["created"] or created
        seconds = str(rec.get("answerTimeSeconds") or "").strip()
        if seconds:
            value = _number(seconds)
            if value is None or value < 0:
                problems.add(
                    path,
                    "a non-negative number of seconds (decimal comma or point)",
                    row=line_no,
                    column="answerTimeSeconds",
                    value=seconds,
                )
            else:
                m["time"] = str(int(round(value * 1000)))
        qid = str(rec["externalElementId"]).strip()
        sub = str(rec.get("externalSubElementId") or "").strip()
        if "." in qid and not sub:
            qid, sub = qid.split(".", 1)
        options = [str(o) for o in (rec.get("externalAnswerOptionIds") or [])]
        answer = rec.get("textAnswer")
        row_cells = cells.setdefault(sid, {})
        if qid in checkbox:
            known = {c.option for c in checkbox[qid]}
            for o in options:
                if o not in known:
                    problems.add(
                        path,
                        f"one of the option codes {', '.join(sorted(known))}",
                        row=line_no,
                        column=qid,
                        value=o,
                    )
            for c in checkbox[qid]:
                row_cells[c.name] = "1" if c.option in options else "0"
            continue
        name = f"{qid}.{sub}" if qid in matrix else qid
        col = cols.get(name)
        if col is None:
            problems.add(
                path,
                "a question (and matrix row) defined in the study's survey.yaml",
                row=line_no,
                column="externalElementId",
                value=name,
            )
            continue
        if name in row_cells:
            problems.add(
                path,
                f"one answer per question per submission ({name} answered twice in {sid})",
                row=line_no,
                column=name,
            )
        if col.kind == "choice":
            if len(options) > 1:
                problems.add(
                    path,
                    "a single option for a single-choice question",
                    row=line_no,
                    column=name,
                    value=",".join(options),
                )
            value = options[0] if options else ""
            if value and value not in col.codes:
                problems.add(
                    path,
                    f"one of the option codes {', '.join(col.codes)}",
                    row=line_no,
                    column=name,
                    value=value,
                )
        else:
            value = "" if answer is None else str(answer)
            if col.kind == "linear" and value.strip():
                num = _number(value)
                lo, hi = col.linear
                if num is None or num % 1 != 0 or not lo <= num <= hi:
                    problems.add(
                        path,
                        f"a whole number from {lo} to {hi}",
                        row=line_no,
                        column=name,
                        value=value,
                    )
        row_cells[name] = value
    problems.raise_if_any()
    if not meta:
        raise InputError(Problem(path, "at least one answer record"))
    order = sorted(meta, key=lambda s: (len(s), s))  # numeric ids in submission order
    names = [c.name for c in instrument.columns]
    data = pd.DataFrame(
        [[cells[s].get(n, "") for n in names] for s in order], columns=names, dtype=str
    )
    data.insert(0, "$submission_id", order)
    data.insert(1, "$created", [meta[s]["created"] for s in order])
    data["$answer_time_ms"] = [meta[s]["time"] for s in order]
    rows = np.array([meta[s]["row"] for s in order])
    for w in warnings:
        log.warning(w)
    return SurveyExport(data, path, rows, 0, warnings)
