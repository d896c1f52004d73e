"""Reading exported tables as the tools write them: every cell as text first.

Handles the pitfalls listed in `input-formats.md`: UTF-8 BOM, separator sniffing (`;`, `,`, tab),
cp1252 fallback with a warning, NFC normalisation, XLSX with title rows above the header,
decimal commas, Norwegian and Excel-serial dates. Errors name file, row, column and expectation.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from impleval.errors import InputError, Problem, ProblemCollector, excel_row

log = logging.getLogger(__name__)

SEPARATORS = [";", ",", "\t"]


@dataclass
class Table:
    """A table read as text, with where its header sat in the original file."""

    data: pd.DataFrame
    path: str
    header_row: int = 1  # 1-based spreadsheet row of the header
    encoding: str = "utf-8"
    separator: str | None = None
    warnings: list[str] = field(default_factory=list)

    def row_number(self, index: int) -> int:
        """Spreadsheet row (1-based) of data row `index` (0-based)."""
        return excel_row(index, self.header_row)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def decode_bytes(raw: bytes, path: str) -> tuple[str, str, list[str]]:
    """Decode as UTF-8 (BOM stripped); fall back to cp1252 with a warning."""
    warnings: list[str] = []
    try:
        text, enc = raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        text, enc = raw.decode("cp1252", errors="replace"), "cp1252"
        msg = f"{Path(path).name}: not valid UTF-8; read as Windows-1252 (cp1252). Check æøå."
        log.warning(msg)
        warnings.append(msg)
    return _nfc(text), enc, warnings


def sniff_separator(text: str, path: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(SEPARATORS)).delimiter
    except csv.Error:
        header = text.splitlines()[0] if text else ""
        counts = {sep: header.count(sep) for sep in SEPARATORS}
        best = max(counts, key=counts.get)
        if counts[best] == 0:
            raise InputError(
                Problem(path, "a table separated by ';', ',' or tab", row=1, value=header[:80])
            ) from None
        return best


def read_delimited(path: str | os.PathLike) -> Table:
    path = str(path)
    raw = Path(path).read_bytes()
    if not raw.strip():
        raise InputError(Problem(path, "a non-empty file with a header row and data rows"))
    text, enc, warnings = decode_bytes(raw, path)
    sep = sniff_separator(text, path)
    try:
        df = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            quotechar='"',
            skipinitialspace=False,
        )
    except pd.errors.ParserError as err:
        raise InputError(
            Problem(path, f"a consistent number of '{sep}'-separated fields per row ({err})")
        ) from None
    _check_consistent_columns(df, path, sep)
    df.columns = [_nfc(str(c)).strip() for c in df.columns]
    return Table(df, path, 1, enc, sep, warnings)


def _check_consistent_columns(df: pd.DataFrame, path: str, sep: str) -> None:
    unnamed = [c for c in df.columns if str(c).startswith("Unnamed:")]
    if unnamed and len(unnamed) == len(df.columns):
        raise InputError(Problem(path, f"a header row separated by '{sep}'", row=1))


def read_xlsx(path: str | os.PathLike, *, required: list[str] | None = None, sheet=0) -> Table:
    """Read an XLSX sheet as text. Title rows above the header are skipped by finding the first
    row that holds all `required` column names (case-insensitive)."""
    path = str(path)
    try:
        raw = pd.read_excel(path, sheet_name=sheet, header=None, dtype=str, engine="openpyxl")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        raise InputError(
            Problem(path, f"a readable .xlsx workbook ({type(err).__name__}: {err})")
        ) from None
    raw = raw.fillna("")
    if raw.empty:
        raise InputError(Problem(path, "a non-empty sheet with a header row and data rows"))
    header_idx = 0
    if required:
        wanted = {r.lower() for r in required}
        for i in range(min(len(raw), 30)):
            cells = {str(v).strip().lower() for v in raw.iloc[i]}
            if wanted <= cells:
                header_idx = i
                break
    header = [_nfc(str(v)).strip() for v in raw.iloc[header_idx]]
    data = raw.iloc[header_idx + 1 :].reset_index(drop=True)
    data.columns = header
    data = data.loc[:, [h != "" for h in header]]
    data = data.map(lambda v: _nfc(str(v)))
    return Table(data, path, header_idx + 1)


def read_table(path: str | os.PathLike, *, required: list[str] | None = None) -> Table:
    """CSV/TXT/TSV or XLSX by extension; checks required columns (case-insensitive) and data
    rows."""
    suffix = Path(path).suffix.lower()
    table = (
        read_xlsx(path, required=required) if suffix in {".xlsx", ".xlsm"} else read_delimited(path)
    )
    if required:
        table.data = rename_case_insensitive(table, required)
    if table.data.empty:
        raise InputError(
            Problem(str(path), "at least one data row below the header", row=table.header_row + 1)
        )
    return table


def rename_case_insensitive(table: Table, required: list[str]) -> pd.DataFrame:
    """Match required column names case-insensitively; report every missing one together."""
    lookup = {str(c).strip().lower(): c for c in table.data.columns}
    problems = ProblemCollector()
    mapping = {}
    for name in required:
        found = lookup.get(name.lower())
        if found is None:
            problems.add(
                table.path,
                f"a column named '{name}' (columns found: "
                f"{', '.join(map(str, table.data.columns))})",
                row=table.header_row,
                column=name,
            )
        else:
            mapping[found] = name
    problems.raise_if_any()
    return table.data.rename(columns=mapping)


def parse_decimal(
    values: pd.Series,
    table: Table,
    column: str,
    problems: ProblemCollector,
    *,
    allow_empty: bool = True,
) -> pd.Series:
    """Numbers with decimal point or comma ('4,5'), thousands spaces removed; '' → NaN."""
    out = []
    for i, raw in enumerate(values.astype(str)):
        s = raw.strip().replace("\u00a0", "").replace(" ", "")
        if s == "":
            if not allow_empty:
                problems.add(table.path, "a number", table.row_number(i), column, raw)
            out.append(float("nan"))
            continue
        if "," in s and "." not in s:
            s = s.replace(",", ".")
        try:
            out.append(float(s))
        except ValueError:
            problems.add(
                table.path, "a number (decimal point or comma)", table.row_number(i), column, raw
            )
            out.append(float("nan"))
    return pd.Series(out, index=values.index, dtype="float64")


EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def parse_date(
    values: pd.Series, table: Table, column: str, problems: ProblemCollector
) -> pd.Series:
    """ISO (`2025-06-01`), Norwegian (`01.06.2025`) or Excel serial (`45809`) dates → Timestamp."""
    out = []
    for i, raw in enumerate(values.astype(str)):
        s = raw.strip()
        ts = _parse_one_date(s)
        if ts is None:
            problems.add(
                table.path,
                "a date as YYYY-MM-DD, DD.MM.YYYY or an Excel date number",
                table.row_number(i),
                column,
                raw,
            )
            ts = pd.NaT
        out.append(ts)
    return pd.Series(pd.to_datetime(out), index=values.index)


def _parse_one_date(s: str):
    if not s:
        return None
    try:
        if s.replace(".", "", 1).isdigit() and "." not in s[:3] and len(s.split(".")[0]) <= 5:
            serial = float(s)
            if 1 <= serial < 80000:
                return (EXCEL_EPOCH + pd.Timedelta(days=int(serial))).normalize()
        if len(s) >= 10 and s[2] == "." and s[5] == ".":
            return pd.to_datetime(s[:10], format="%d.%m.%Y")
        if len(s) >= 10 and s[4] == "-" and s[7] == "-":
            return pd.to_datetime(s[:10], format="%Y-%m-%d")
    except (ValueError, IndexError):
        return None
    return None
