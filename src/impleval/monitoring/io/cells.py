"""Cells of the monitoring exports as the study definition says they are written: the value maps
of sites and milestone kinds, the separator, decimal mark and date format (`formats:`).

Built on impleval.tabular (which reads every cell as text and parses decimals and dates); what is
added here is what the monitoring exports need on top: a configured separator is checked, a
configured decimal mark decides what '.' and ',' mean, a configured date pattern is used, and
cells that are numbers of the wrong kind are refused (`inf`, `nan`; a small whole number such as
the week number `9` in a date column, which a spreadsheet would read as 8 January 1900).
"""

from __future__ import annotations

import math
import re

import pandas as pd

from impleval.errors import InputError, Problem, ProblemCollector
from impleval.tabular import Table, parse_date
from impleval.valuemap import ValueMap, label_texts

# Dates outside this window are not monitoring periods or milestones of a study of today: such a
# "date" is almost always a number read as an Excel date serial (a week number, a count).
PLAUSIBLE_FROM, PLAUSIBLE_TO = pd.Timestamp("1990-01-01"), pd.Timestamp("2100-12-31")
SEPARATOR_NAMES = {";": "';'", ",": "','", "\t": "tab"}
_SPREADSHEET_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}( 00:00:00)?$")
_NUMBER_LIKE = re.compile(r"^[+-]?\d+([.,]\d+)?$")
NUMBER_HINT = (
    " (a number such as a week number is not a date, and read as an Excel date serial it falls "
    "outside the study: give the date itself)"
)


def value_maps(definition: dict, organisation: dict, config_file: str = "monitoring.yaml") -> dict:
    """{"site": ValueMap, "milestone": ValueMap}: organisation sites and milestone kinds, with the
    study's `value_maps` and (unless `match_labels: false`) their labels."""
    explicit = definition.get("value_maps") or {}
    match = definition.get("match_labels", True)
    labels = definition["milestones"].get("labels") or {}
    entries = {
        "site": {s["id"]: label_texts(s.get("label")) for s in organisation["sites"]},
        "milestone": {k: label_texts(labels.get(k)) for k in definition["milestones"]["kinds"]},
    }
    problems: list[Problem] = []
    maps = {}
    for attr, ids in entries.items():
        try:
            maps[attr] = ValueMap.build(
                attr,
                ids,
                explicit.get(attr),
                match_labels=match,
                config_file=config_file,
                config_key=f"value_maps/{attr}",
            )
        except InputError as err:
            problems += err.problems
    if problems:
        raise InputError(problems)
    return maps


def check_separator(table: Table, fmt: dict, problems: ProblemCollector) -> None:
    """A configured separator (`formats.<file>.delimiter`) must be the one the file uses."""
    wanted = fmt.get("delimiter", "auto")
    if wanted == "auto" or table.separator is None or table.separator == wanted:
        return
    problems.add(
        table.path,
        f"a table separated by {SEPARATOR_NAMES[wanted]} as formats says (the file uses "
        f"{SEPARATOR_NAMES.get(table.separator, table.separator)}; fix the file or the setting)",
        row=table.header_row,
    )


def numbers(
    values: pd.Series, table: Table, column: str, problems: ProblemCollector, decimal: str = "auto"
) -> pd.Series:
    """Numbers of one column; '' → NaN (a missing period); spaces group thousands.

    `decimal` ',': a '.' groups thousands ('1.234,5'); '.': a ',' does ('1,234.5'); 'auto': either
    mark alone is the decimal mark (as `tabular.parse_decimal`). 'inf', 'nan' and the like are
    refused: they are not counts or measurements. Written here rather than with parse_decimal
    because of the configured mark and the finiteness check."""
    out = []
    for i, raw in enumerate(values.astype(str)):
        s = raw.strip().replace("\u00a0", "").replace(" ", "")
        if decimal == ",":
            s = s.replace(".", "").replace(",", ".")
        elif decimal == ".":
            s = s.replace(",", "")
        elif "," in s and "." not in s:
            s = s.replace(",", ".")
        if s == "":
            out.append(math.nan)
            continue
        try:
            number = float(s)
        except ValueError:
            mark = {"auto": "point or comma", ",": "comma", ".": "point"}[decimal]
            problems.add(table.path, f"a number (decimal {mark})", table.row_number(i), column, raw)
            number = math.nan
        else:
            if not math.isfinite(number):
                problems.add(
                    table.path,
                    "a finite number (leave the cell empty for a missing period)",
                    table.row_number(i),
                    column,
                    raw,
                )
                number = math.nan
        out.append(number)
    return pd.Series(out, index=values.index, dtype="float64")


def dates(
    values: pd.Series, table: Table, column: str, problems: ProblemCollector, pattern: str = "auto"
) -> pd.Series:
    """Dates of one column: `pattern` 'auto' (ISO, DD.MM.YYYY, Excel date number) or a strftime
    pattern; spreadsheet date cells are dates either way. A date outside 1990–2100 is refused:
    a number such as a week number `9` would otherwise become 8 January 1900."""
    texts = values.astype(str).str.strip()
    if pattern == "auto":
        quiet = ProblemCollector()
        parsed = parse_date(values, table, column, quiet)
        failed = {p.row for p in quiet.problems}
    else:
        parsed, failed = _strptime(texts, table, pattern)
    out = []
    for i, (raw, ts) in enumerate(zip(values.astype(str), parsed, strict=True)):
        row = table.row_number(i)
        hint = NUMBER_HINT if _NUMBER_LIKE.match(raw.strip()) else ""
        if row in failed or pd.isna(ts):
            problems.add(table.path, _date_expected(pattern) + hint, row, column, raw)
            out.append(pd.NaT)
        elif not PLAUSIBLE_FROM <= ts <= PLAUSIBLE_TO:
            problems.add(
                table.path,
                f"a date between {PLAUSIBLE_FROM.date()} and {PLAUSIBLE_TO.date()}{hint}",
                row,
                column,
                raw,
            )
            out.append(pd.NaT)
        else:
            out.append(ts)
    return pd.Series(pd.to_datetime(out), index=values.index)


def _strptime(texts: pd.Series, table: Table, pattern: str) -> tuple[list, set]:
    parsed, failed = [], set()
    for i, s in enumerate(texts):
        ts = pd.to_datetime(s, format=pattern, errors="coerce") if s else pd.NaT
        if pd.isna(ts) and _SPREADSHEET_DATE.match(s):
            ts = pd.to_datetime(s[:10], format="%Y-%m-%d")
        if pd.isna(ts):
            failed.add(table.row_number(i))
        parsed.append(ts)
    return parsed, failed


def _date_expected(pattern: str) -> str:
    if pattern == "auto":
        return "a date as YYYY-MM-DD, DD.MM.YYYY or an Excel date number"
    return f"a date written as {pattern!r} (formats.<file>.date in the monitoring definition)"
