"""A survey export in Nettskjema wide shape (every cell text), and its validation.

Every importer (wide CSV/XLSX, long NDJSON, generic CSV/XLSX/SAV) produces a `SurveyExport` whose
columns are Nettskjema wide-report names; `validate_export` then checks it against the
instrument and returns typed submissions. All problems in a file are collected and raised
together, each with the row the user sees (Excel row with header = row 1, or NDJSON line).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from impleval.errors import InputError, Problem, ProblemCollector
from impleval.survey.settings import SYSTEM_COLUMNS, Instrument

log = logging.getLogger(__name__)
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
ISO_OFFSET = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$"
ISO_LOCAL = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$"
NORWEGIAN = r"^\d{2}\.\d{2}\.\d{4}( \d{2}[:.]\d{2}([:.]\d{2})?)?$"
EXCEL_SERIAL = r"^\d{5}([.,]\d+)?$"


@dataclass
class SurveyExport:
    data: pd.DataFrame  # text cells, Nettskjema wide column names
    file: str
    rows: np.ndarray  # row number per record as the user sees it (Excel row or NDJSON line)
    header_row: int = 1  # row of the header (0 for NDJSON: no header)
    warnings: list[str] = field(default_factory=list)


def _integer_text(s: pd.Series) -> pd.Series:
    """'77.0' → '77' (spreadsheets store whole numbers as floats); other text unchanged."""
    return s.str.replace(r"^(-?\d+)[.,]0+$", r"\1", regex=True)


def parse_created(values: pd.Series, timezone: str) -> pd.Series:
    """Nettskjema `$created` → UTC timestamps; NaT where the text is not a recognised date-time.

    ISO 8601 with offset (wide report), Norwegian `dd.mm.yyyy HH:MM` local time (long NDJSON),
    naive ISO local time, and Excel serial date-times (a report re-saved in Excel)."""
    s = values.str.strip()
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns, UTC]")
    m = s.str.match(ISO_OFFSET)
    if m.any():
        out[m] = pd.to_datetime(
            s[m].str.replace(" ", "T", n=1), format="ISO8601", utc=True, errors="coerce"
        )
    local = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    m = s.str.match(ISO_LOCAL) & out.isna()
    if m.any():
        local[m] = pd.to_datetime(s[m], format="ISO8601", errors="coerce")
    m = s.str.match(NORWEGIAN)
    if m.any():
        text = s[m].str.replace(r"(\d{2})[.](\d{2})(?=$|[.]\d{2}$)", r"\1:\2", regex=True)
        text = text.where(text.str.len() > 10, text + " 00:00")
        local[m] = pd.to_datetime(text, format="mixed", dayfirst=True, errors="coerce")
    m = s.str.match(EXCEL_SERIAL)
    if m.any():
        days = pd.to_numeric(s[m].str.replace(",", "."), errors="coerce")
        local[m] = (EXCEL_EPOCH + pd.to_timedelta(days, unit="D")).dt.round("s")
    has_local = local.notna()
    if has_local.any():
        out[has_local] = (
            local[has_local]
            .dt.tz_localize(timezone, ambiguous="NaT", nonexistent="NaT")
            .dt.tz_convert("UTC")
        )
    return out


def _numbers(s: pd.Series) -> pd.Series:
    """Decimal point or comma, spaces as thousands separators; '' → NaN; junk → NaN."""
    clean = s.str.strip().str.replace("\u00a0", "").str.replace(" ", "")
    clean = clean.where(
        ~(clean.str.contains(",") & ~clean.str.contains(r"\.")), clean.str.replace(",", ".")
    )
    return pd.to_numeric(clean.replace("", np.nan), errors="coerce")


def validate_export(export: SurveyExport, instrument: Instrument) -> pd.DataFrame:
    """Check an export against the instrument; return typed submissions or raise every problem.

    Output: `submission_id` (text), `created` (UTC), `answer_time_s`, `row`, then one text column
    per instrument column (normalised option codes, '' when skipped)."""
    from impleval.privacy.deid import check_allowed_columns

    data, file = export.data, export.file
    check_allowed_columns(
        data.columns, instrument.allowed_columns(), file=file
    )  # fail closed first
    problems = ProblemCollector()
    for col in [*SYSTEM_COLUMNS[:2], *[c.name for c in instrument.columns]]:
        if col not in data.columns:
            problems.add(
                file,
                f"a column named '{col}' (from the codebook and the study's survey.yaml)",
                row=export.header_row or None,
                column=col,
            )
    if problems:  # without the columns the values cannot be checked meaningfully
        problems.raise_if_any()
    rows = pd.Series(export.rows, index=data.index)
    tz = instrument.cleaning["timezone"]

    def report(mask: pd.Series, column: str, values: pd.Series, expected: str) -> None:
        for idx in mask[mask].index:
            problems.add(file, expected, int(rows[idx]), column, str(values[idx]))

    out = pd.DataFrame(index=data.index)
    sid = _integer_text(data["$submission_id"].str.strip())
    report(sid == "", "$submission_id", sid, "a submission id (every row has one)")
    dup = sid.duplicated(keep=False) & (sid != "")
    for value, group in rows[dup].groupby(sid[dup], sort=False):
        listed = ", ".join(str(r) for r in group)
        problems.add(
            file,
            f"a unique submission id (the same id is on rows {listed})",
            int(group.iloc[-1]),
            "$submission_id",
            value,
        )
    out["submission_id"] = sid
    created = parse_created(data["$created"], tz)
    report(
        created.isna(),
        "$created",
        data["$created"],
        "a date-time like 2025-03-04T09:12:44+01:00, 04.03.2025 09:12 or an Excel date number",
    )
    out["created"] = created
    if "$answer_time_ms" in data.columns:
        raw_time = data["$answer_time_ms"]
        ms = _numbers(raw_time)
        report(
            (ms.isna() & (raw_time.str.strip() != "")) | (ms < 0),
            "$answer_time_ms",
            raw_time,
            "a non-negative number of milliseconds",
        )
        out["answer_time_s"] = ms / 1000.0
    else:
        out["answer_time_s"] = np.nan
        msg = f"{file}: no '$answer_time_ms' column; the too-fast check is skipped"
        export.warnings.append(msg)
        log.warning(msg)
    out["row"] = rows.astype("int64")
    for col in instrument.columns:
        s = data[col.name].fillna("").astype(str).str.strip()
        if col.kind == "choice":
            codes = list(col.codes)
            report(
                ~s.isin(codes + [""]),
                col.name,
                s,
                f"one of the option codes {', '.join(codes)} or empty",
            )
        elif col.kind == "checkbox":
            s = _integer_text(s)
            report(~s.isin(["", "0", "1"]), col.name, s, "0 or 1 (or empty) for a checkbox option")
        elif col.kind == "linear":
            lo, hi = col.linear
            num = _numbers(s)
            bad = (s != "") & (num.isna() | (num % 1 != 0) | (num < lo) | (num > hi))
            report(bad, col.name, s, f"a whole number from {lo} to {hi} or empty")
            s = num.map(lambda v: "" if pd.isna(v) else str(int(v))).where(~bad, s)
        out[col.name] = s
    problems.raise_if_any()
    return out.reset_index(drop=True)


def refuse_question_text_headers(
    columns, instrument: Instrument, file: str, header_row: int = 1
) -> None:
    """Wide reports exported without a codebook carry question texts as headers: refuse them."""
    known = set(instrument.wide_columns())
    cols = [str(c) for c in columns if not str(c).startswith("$")]
    texts = set()
    for lang in ("nb", "en"):
        texts |= {t.strip().lower() for t in instrument.labels(lang).values()}
    unknown = [c for c in cols if c not in known]
    wordy = [
        c
        for c in unknown
        if c.strip().lower() in texts
        or len(c.split()) >= 3
        or any(c.strip().lower().startswith(t) for t in texts if len(t) > 12)
    ]
    # Question texts instead of ids: refuse when the unknown headers look like texts, and when
    # few of the headers are ids at all.
    if wordy and (len(wordy) >= 3 or len(unknown) > len(cols) / 2):
        raise InputError(
            Problem(
                file,
                "column headers that are the form's external ids (e.g. 'CO.CO1', 'trust'); these "
                "headers "
                "look like question texts: download the report again with the codebook activated "
                "(Nettskjema: 'Kodebok' on) and export the codebook JSON",
                row=header_row,
                column=wordy[0],
                value=None,
            )
        )
