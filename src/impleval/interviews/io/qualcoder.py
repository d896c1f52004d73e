"""QualCoder: the project database (`<project>.qda/data.qda`, SQLite) and its XLSX coding report.

Database: code paths are rebuilt from `code_name.catid` and the `code_cat.supercatid` chain;
coders are `code_text.owner`; positions are character offsets (`pos0`, `pos1`, end exclusive),
turned into paragraph numbers through `source.fulltext`; attributes come from `attribute` rows
with `attr_type = 'file'`. Only text codings are read (images and A/V have no text to quote).
The XLSX report has no positions (canonical position is NA) and lists only coded files.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd

from impleval.errors import InputError, Problem, ProblemCollector
from impleval.interviews.io.canonical import ATTRIBUTES, Coding, paragraph_span
from impleval.privacy.deid import check_allowed_columns
from impleval.tabular import read_table
from impleval.valuemap import normal_form

REQUIRED_TABLES = {
    "source": ["id", "name", "fulltext"],
    "code_name": ["cid", "name", "catid"],
    "code_cat": ["catid", "name", "supercatid"],
    "code_text": ["ctid", "cid", "fid", "seltext", "pos0", "pos1", "owner"],
    "attribute": ["name", "attr_type", "value", "id"],
}


def _connect(path) -> sqlite3.Connection:
    path = str(path)
    if not Path(path).is_file():
        raise InputError(
            Problem(
                path,
                "an existing QualCoder project database (the data.qda file inside the "
                "project's .qda folder)",
            )
        )
    con = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro&immutable=1", uri=True)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as err:
        con.close()
        raise InputError(
            Problem(path, f"a QualCoder project database (SQLite); this file is not one ({err})")
        ) from None
    problems = ProblemCollector()
    for table, columns in REQUIRED_TABLES.items():
        if table not in tables:
            problems.add(
                path,
                f"a QualCoder project database with a table '{table}' (is this a QualCoder "
                "data.qda file?)",
                column=table,
            )
            continue
        have = {r[1] for r in con.execute(f"PRAGMA table_info({table})")}
        for column in columns:
            if column not in have:
                problems.add(
                    path,
                    f"a column '{column}' in table '{table}' of a QualCoder project",
                    column=f"{table}.{column}",
                )
    if problems:
        con.close()
    problems.raise_if_any()
    return con


def _code_paths(con, path) -> dict[int, str]:
    cats = {r[0]: (r[1], r[2]) for r in con.execute("SELECT catid, name, supercatid FROM code_cat")}
    problems = ProblemCollector()
    paths = {}
    for cid, name, catid in con.execute("SELECT cid, name, catid FROM code_name ORDER BY cid"):
        parts, seen, current = [str(name)], set(), catid
        while current is not None:
            if current in seen or current not in cats:
                problems.add(
                    path,
                    "a code category tree without cycles or missing categories",
                    column=f"code_cat (catid {current})",
                    value=str(name),
                )
                break
            seen.add(current)
            parts.insert(0, str(cats[current][0]))
            current = cats[current][1]
        paths[cid] = " > ".join(parts)
    problems.raise_if_any()
    return paths


def _selection(pos0, pos1, length: int) -> tuple[int, int] | None:
    """(pos0, pos1) as integers when they select characters of a text of `length` (end exclusive),
    else None: a position beyond the text means the coding does not belong to this text."""
    try:
        start, end = int(pos0), int(pos1)
    except (TypeError, ValueError, OverflowError):
        return None
    if isinstance(pos0, float) and pos0 != start or isinstance(pos1, float) and pos1 != end:
        return None
    return (start, end) if 0 <= start <= end <= length else None


def read_qualcoder(db_path, variables: dict, allowed_extra=()) -> Coding:
    path = str(db_path)
    con = _connect(path)
    try:
        codes = _code_paths(con, path)
        sources = {
            r[0]: (r[1], r[2] or "")
            for r in con.execute("SELECT id, name, fulltext FROM source ORDER BY id")
        }
        rows = con.execute(
            "SELECT ctid, cid, fid, seltext, pos0, pos1, owner FROM code_text ORDER BY ctid"
        ).fetchall()
        attrs = con.execute(
            "SELECT name, value, id FROM attribute WHERE attr_type = 'file' ORDER BY id, name"
        ).fetchall()
    finally:
        con.close()
    problems = ProblemCollector()
    records = []
    for ctid, cid, fid, seltext, pos0, pos1, owner in rows:
        where = f"code_text (ctid {ctid})"
        if fid not in sources:
            problems.add(
                path,
                "a coding that belongs to a source in the project",
                column=where,
                value=str(fid),
            )
            continue
        if cid not in codes:
            problems.add(
                path, "a coding whose code exists in code_name", column=where, value=str(cid)
            )
            continue
        name, fulltext = sources[fid]
        span = _selection(pos0, pos1, len(fulltext))
        if span is None:
            problems.add(
                path,
                f"a selection inside the source text: whole numbers 0 <= pos0 <= pos1 <= "
                f"{len(fulltext)} (the length of the text of source id {fid})",
                column=where,
                value=f"{pos0}..{pos1}",
            )
            continue
        start, end = paragraph_span(fulltext, *span) if fulltext else (None, None)
        text = seltext if seltext else fulltext[span[0] : span[1]]
        records.append(
            dict(
                document=name,
                group="",
                code_path=codes[cid],
                coder=owner or "",
                position=start,
                position_end=end,
                text=text,
                file=path,
                row=None,
                where_document=where,
                where_code=where,
                where_text=where,
            )
        )
    problems.raise_if_any()
    names = [variables.get(a, a) for a in ATTRIBUTES]
    present = {a[0] for a in attrs}
    check_allowed_columns(sorted(present), names + list(allowed_extra), file=path)
    by_source: dict[int, dict] = {}
    for name, value, fid in attrs:
        by_source.setdefault(fid, {})[name] = value
    docs = []
    for fid, (name, _) in sources.items():
        values = by_source.get(fid, {})
        docs.append(
            dict(
                document=name,
                group="",
                **{a: values.get(n, "") for a, n in zip(ATTRIBUTES, names, strict=True)},
                file=path,
                row=None,
                where=f"attribute (source '{name}') ",
                where_document=f"source (id {fid})",
            )
        )
    return Coding(
        pd.DataFrame(records, columns=_SEGMENT_FIELDS), pd.DataFrame(docs, columns=_DOCUMENT_FIELDS)
    )


_SEGMENT_FIELDS = [
    "document",
    "group",
    "code_path",
    "coder",
    "position",
    "position_end",
    "text",
    "file",
    "row",
    "where_document",
    "where_code",
    "where_text",
]
_DOCUMENT_FIELDS = ["document", "group", *ATTRIBUTES, "file", "row", "where", "where_document"]

REPORT_REQUIRED = ["File", "Coder", "Coded", "Id", "Codename"]


def read_qualcoder_report(path, variables: dict, allowed_extra=()) -> Coding:
    """QualCoder's XLSX coding report: one row per coding, `Category` columns immediate parent
    first,
    `FileVar_<name>` columns for file attributes."""
    names = [variables.get(a, a) for a in ATTRIBUTES]
    var_columns = [f"FileVar_{n}" for n in names]
    table = read_table(path, required=REPORT_REQUIRED + var_columns)
    df = table.data
    header = [str(c) for c in df.columns]
    category_idx = [i for i, c in enumerate(header) if c.lower() == "category"]
    allowed = (
        REPORT_REQUIRED
        + ["Coded_Memo", "Category"]
        + var_columns
        + [f"FileVar_{n}" for n in allowed_extra]
    )
    # Case variables and memo-like extras are refused unless allowed: they may hold personal data.
    check_allowed_columns([c for c in header if c.lower() != "coded_memo"], allowed, file=path)
    rows = [table.row_number(i) for i in range(len(df))]
    problems = ProblemCollector()
    paths = []
    for i in range(len(df)):
        cats = [str(df.iat[i, j]).strip() for j in category_idx]
        cats = [c for c in cats if c]
        code = str(df["Codename"].iat[i]).strip()
        if not code:
            problems.add(path, "a code name", rows[i], "Codename", "")
        paths.append(" > ".join([*reversed(cats), code]))
    problems.raise_if_any()
    segments = pd.DataFrame(
        {
            "document": df["File"],
            "group": "",
            "code_path": paths,
            "coder": df["Coder"],
            "position": None,
            "position_end": None,
            "text": df["Coded"],
            "file": str(path),
            "row": rows,
            "where_document": "File",
            "where_code": "Codename",
            "where_text": "Coded",
        }
    )
    docs = pd.DataFrame(
        {
            "document": df["File"],
            **{a: df[c] for a, c in zip(ATTRIBUTES, var_columns, strict=True)},
            "row": rows,
        }
    )
    # One attribute set per file; conflicting values across a file's rows are an error (values
    # compared as the value maps compare them: case, spacing and Unicode form do not count).
    conflicts = (
        docs.assign(**{a: docs[a].map(normal_form) for a in ATTRIBUTES})
        .groupby("document")[list(ATTRIBUTES)]
        .nunique()
    )
    for document, counts in conflicts.iterrows():
        for attr in ATTRIBUTES:
            if counts[attr] > 1:
                first = docs.loc[docs["document"] == document, "row"].iloc[0]
                problems.add(
                    path,
                    f"one {attr} value per file",
                    int(first),
                    f"FileVar_{variables.get(attr, attr)}",
                    document,
                )
    problems.raise_if_any()
    docs = docs.drop_duplicates("document").assign(
        group="", file=str(path), where="FileVar_", where_document="File"
    )
    return Coding(segments, docs[_DOCUMENT_FIELDS].reset_index(drop=True))
