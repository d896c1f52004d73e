"""A survey export in Nettskjema wide shape (every cell text), and its validation.

Every importer (wide CSV/XLSX, long NDJSON, generic CSV/XLSX/SAV) produces a `SurveyExport` whose
columns are Nettskjema wide-report names; `validate_export` then checks it against the
instrument and returns typed submissions. All problems in a file are collected and raised
together, each with the row the user sees (Excel row with header = row 1, or NDJSON line).
"""

from __future__ import annotations

import logging
import re
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
        # A local time without offset in the autumn's repeated hour is read as the first (summer
        # time) one: the long answers and the XLSX report carry no offset, and no cleaning rule
        # depends on that hour. A time in the spring's skipped hour cannot come from the service.
        first = np.ones(int(has_local.sum()), dtype=bool)
        out[has_local] = (
            local[has_local]
            .dt.tz_localize(timezone, ambiguous=first, nonexistent="NaT")
            .dt.tz_convert("UTC")
        )
    return out


def _numbers(s: pd.Series) -> pd.Series:
    """Decimal point or comma, spaces as thousands separators; '' → NaN; junk → NaN; so are
    `inf` and `nan` spelt out (no answer is infinite: they are reported, not analysed)."""
    clean = s.str.strip().str.replace("\u00a0", "").str.replace(" ", "")
    clean = clean.where(
        ~(clean.str.contains(",") & ~clean.str.contains(r"\.")), clean.str.replace(",", ".")
    )
    num = pd.to_numeric(clean.replace("", np.nan), errors="coerce")
    return num.where(np.isfinite(num))


def number_text(value: float) -> str:
    """A number as canonical text: '2.5', '14' (not '14.0'), '-3'."""
    text = f"{value:.10f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


DATE_FORMATS = {
    "DATE": "a date like 2025-03-14 or 14.03.2025",
    "TIME": "a time like 07:30",
    "DATE_TIME": "a date and time like 2025-03-26T21:40 or 26.03.2025 21:40",
}
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](.+))?$")
_NB_DATE = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4})(?: (.+))?$")
_SERIAL = re.compile(r"^\d{5}(?:[.,]\d+)?$")  # Excel serial dates 1927-2173 (10000-99999)


def _time_text(text: str | None) -> str | None:
    """'07:00', '7.00', '21:40:00' → '07:00'; seconds kept when not zero; None if not a time."""
    if text is None:
        return "00:00"
    m = _TIME.match(text.strip())
    if not m:
        return None
    hours, minutes, seconds = int(m[1]), int(m[2]), int(m[3] or 0)
    if hours > 23 or minutes > 59 or seconds > 59:
        return None
    return f"{hours:02d}:{minutes:02d}" + (f":{seconds:02d}" if seconds else "")


def date_text(value: str, date_format: str) -> str | None:
    """A Nettskjema DATE answer as ISO text, whatever the export wrote: the wide report
    (`2025-03-14`, `07:00`, `2025-03-26T21:40`), the long answers (`14.03.2025`,
    `26.03.2025 21:40`) or the XLSX report read as text (`2025-03-14 00:00:00`, Excel serials).
    DATE → `YYYY-MM-DD`, TIME → `HH:MM`, DATE_TIME → `YYYY-MM-DDTHH:MM`; None if not valid."""
    s = value.strip()
    if date_format == "TIME":
        return _time_text(s)
    day, rest = None, None
    if m := _ISO_DATE.match(s):
        day, rest = (m[1], m[2], m[3]), m[4]
    elif m := _NB_DATE.match(s):
        day, rest = (m[3], m[2], m[1]), m[4]
    elif _SERIAL.match(s):
        stamp = (EXCEL_EPOCH + pd.to_timedelta(float(s.replace(",", ".")), unit="D")).round("min")
        day = (f"{stamp.year:04d}", f"{stamp.month:02d}", f"{stamp.day:02d}")
        rest = stamp.strftime("%H:%M") if stamp.hour or stamp.minute else None
    if day is None:
        return None
    try:
        pd.Timestamp(int(day[0]), int(day[1]), int(day[2]))
    except ValueError:
        return None
    iso = "-".join(day)
    time = _time_text(rest)
    if date_format == "DATE":
        return iso if time == "00:00" else None
    return None if time is None else f"{iso}T{time}"


def validate_export(export: SurveyExport, instrument: Instrument) -> pd.DataFrame:
    """Check an export against the instrument; return typed submissions or raise every problem.

    Columns of `use: ignore` questions are dropped unread first. Output: `submission_id` (text),
    `created` (UTC), `answer_time_s`, `row`, then one text column per read instrument column
    (option codes after the question's `values` map, numbers and dates as canonical text, ''
    when skipped)."""
    from impleval.privacy.deid import check_allowed_columns

    data, file = export.data, export.file
    check_allowed_columns(
        data.columns, instrument.allowed_columns(), file=file
    )  # fail closed first
    data = data.drop(columns=[c for c in data.columns if instrument.is_ignored_column(str(c))])
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
            # row 0: a submission with no line of its own (long answers: answered nothing)
            problems.add(file, expected, int(rows[idx]) or None, column, str(values[idx]))

    out = pd.DataFrame(index=data.index)
    sid = _integer_text(data["$submission_id"].fillna("").astype(str).str.strip())
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
    created = parse_created(data["$created"].fillna("").astype(str), tz)
    report(
        created.isna(),
        "$created",
        data["$created"],
        "a date-time like 2025-03-04T09:12:44+01:00, 04.03.2025 09:12 or an Excel date number",
    )
    out["created"] = created
    if "$answer_time_ms" in data.columns:
        raw_time = data["$answer_time_ms"].fillna("").astype(str)
        ms = _numbers(raw_time)
        report(
            (ms.isna() & (raw_time.str.strip() != "")) | (ms < 0),
            "$answer_time_ms",
            raw_time,
            "a non-negative number of milliseconds",
        )
        out["answer_time_s"] = ms / 1000.0
    elif "too_fast" in instrument.cleaning["steps"]:
        problems.add(
            file,
            "a '$answer_time_ms' column (answer time in milliseconds) for the cleaning step "
            "too_fast; without answer times, remove too_fast from cleaning.steps in survey.yaml",
            row=export.header_row or None,
            column="$answer_time_ms",
        )
        problems.raise_if_any()
    else:
        out["answer_time_s"] = np.nan
    out["row"] = rows.astype("int64")
    for col in instrument.columns:
        out[col.name] = _check_column(data[col.name], col, report)
    problems.raise_if_any()
    return out.reset_index(drop=True)


def _each_distinct(values: pd.Series, func) -> pd.Series:
    """`values.map(func)` with `func` called once per distinct value (NaN counts as one), then
    looked up by pandas: a survey column repeats a few answers over every row, and a Python call
    per cell was most of validate_export's time (2.2 M calls at 60 000 respondents)."""
    uniques = values.unique()
    return values.map(dict(zip(uniques, map(func, uniques), strict=True)))


def _whole_number_text(value: float) -> str:
    return "" if pd.isna(value) else str(int(value))


def _number_text_or_empty(value: float) -> str:
    return "" if pd.isna(value) else number_text(value)


def _check_column(raw: pd.Series, col, report) -> pd.Series:
    """One export column checked for its kind and turned into canonical text."""
    s = raw.fillna("").astype(str).str.strip()
    if col.kind == "choice":
        s = _integer_text(s) if all(c.lstrip("-").isdigit() for c in col.accepted()) else s
        accepted = col.accepted()
        report(
            ~s.isin([*accepted, ""]),
            col.name,
            s,
            f"one of the option codes {', '.join(accepted)} or empty",
        )
        if not col.values:  # no exported code to map: the column as checked
            return s
        return _each_distinct(s, lambda v: col.values.get(v, v))
    if col.kind == "checkbox":
        s = _integer_text(s)
        report(~s.isin(["", "0", "1"]), col.name, s, "0 or 1 (or empty) for a checkbox option")
        return s
    if col.kind == "linear":
        lo, hi = col.linear
        num = _numbers(s)
        bad = (s != "") & (num.isna() | (num % 1 != 0) | (num < lo) | (num > hi))
        report(bad, col.name, s, f"a whole number from {lo} to {hi} or empty")
        return _each_distinct(num, _whole_number_text).where(~bad, s)
    if col.kind == "number":
        lo, hi = col.number_range or (None, None)
        num = _numbers(s)
        bad = (s != "") & num.isna()
        if lo is not None:
            bad |= num < lo
        if hi is not None:
            bad |= num > hi
        span = (
            f" from {lo:g} to {hi:g}"
            if lo is not None and hi is not None
            else f" of at least {lo:g}"
            if lo is not None
            else f" of at most {hi:g}"
            if hi is not None
            else ""
        )
        report(bad, col.name, s, f"a number{span} (decimal point or comma) or empty")
        return _each_distinct(num, _number_text_or_empty).where(~bad, s)
    if col.kind == "date":
        text = {v: date_text(v, col.date_format) for v in s.unique() if v != ""}
        # Looked up per distinct text, as in _each_distinct: '' is neither bad nor changed.
        bad = s.map({"": False} | {v: iso is None for v, iso in text.items()})
        report(bad, col.name, s, f"{DATE_FORMATS[col.date_format]} or empty")
        return s.map({"": ""} | {v: iso or v for v, iso in text.items()})
    return s  # free text: checked by the de-identification gate, never printed here


def refuse_question_text_headers(
    columns, instrument: Instrument, file: str, header_row: int = 1
) -> None:
    """Wide reports exported without a codebook carry question texts as headers: refuse them."""
    known = set(instrument.wide_columns())
    cols = [
        str(c)
        for c in columns
        if not str(c).startswith("$") and not instrument.is_ignored_column(str(c))
    ]
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
                "column headers that are the form's external ids (e.g. 'q1', 'q2.a'); these "
                "headers look like question texts: download the report again with the codebook "
                "activated (Nettskjema: 'Kodebok' on) and export the codebook JSON",
                row=header_row,
                column=wordy[0],
                value=None,
            )
        )
