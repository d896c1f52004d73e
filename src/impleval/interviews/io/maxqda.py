"""MAXQDA exports: "Export coded segments" (xlsx) + the document variables export (xlsx).

Attributes are not in the segments export: they come from the variables export, joined on
document group and document name (both NFC-normalised). `Beginning`/`End` are paragraph numbers
for text documents, which is the canonical position.
"""

from __future__ import annotations

import math

import pandas as pd

from impleval.errors import ProblemCollector
from impleval.interviews.io.canonical import ATTRIBUTES, Coding
from impleval.privacy.deid import check_allowed_columns
from impleval.tabular import read_table

SEGMENT_REQUIRED = [
    "Document group",
    "Document name",
    "Code",
    "Segment",
    "Beginning",
    "End",
    "Created by",
]
KEYS = ["Document group", "Document name"]


def _integers(values: pd.Series, table, column: str, problems: ProblemCollector) -> list:
    out = []
    for i, raw in enumerate(values.astype(str)):
        s = raw.strip()
        try:
            number = float(s.replace(",", "."))
            # float() also reads 'inf' and 'nan': neither is a paragraph.
            if not math.isfinite(number) or number != int(number) or number < 0:
                raise ValueError
            out.append(int(number))
        except ValueError:
            problems.add(
                table.path,
                "a paragraph number (whole number ≥ 0)",
                table.row_number(i),
                column,
                raw,
            )
            out.append(None)
    return out


def read_segments(path) -> pd.DataFrame:
    table = read_table(path, required=SEGMENT_REQUIRED)
    df = table.data
    problems = ProblemCollector()
    begin = _integers(df["Beginning"], table, "Beginning", problems)
    end = _integers(df["End"], table, "End", problems)
    for i, name in enumerate(df["Document name"]):
        if not str(name).strip():
            problems.add(table.path, "a document name", table.row_number(i), "Document name", "")
    for i, code in enumerate(df["Code"]):
        if not str(code).strip():
            problems.add(table.path, "a code path", table.row_number(i), "Code", "")
    problems.raise_if_any()
    return pd.DataFrame(
        {
            "document": df["Document name"],
            "group": df["Document group"],
            "code_path": df["Code"],
            "coder": df["Created by"],
            "position": begin,
            "position_end": end,
            "text": df["Segment"],
            "file": str(path),
            "row": [table.row_number(i) for i in range(len(df))],
            "where_document": "Document name",
            "where_code": "Code",
            "where_text": "Segment",
        }
    )


def read_variables(path, variables: dict, allowed_extra=()) -> pd.DataFrame:
    names = [variables.get(a, a) for a in ATTRIBUTES]
    table = read_table(path, required=KEYS + names)
    df = table.data
    # Fail closed: a variable not named in the study definition may hold personal data.
    check_allowed_columns(df.columns, KEYS + names + list(allowed_extra), file=path)
    out = pd.DataFrame(
        {
            "document": df["Document name"],
            "group": df["Document group"],
            **{attr: df[name] for attr, name in zip(ATTRIBUTES, names, strict=True)},
            "file": str(path),
            "row": [table.row_number(i) for i in range(len(df))],
            "where": "",
            "where_document": "Document name",
        }
    )
    return out


def read_maxqda(segments_path, variables_path, variables: dict, allowed_extra=()) -> Coding:
    return Coding(
        read_segments(segments_path), read_variables(variables_path, variables, allowed_extra)
    )
