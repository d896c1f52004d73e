"""Reading exported tables as the tools write them: every cell as text first.

Handles the pitfalls listed in `input-formats.md` and the hostile inputs of issue 16, each with a
clear `InputError` (file, row as Excel shows it, column, what was expected) or a documented
repair:
- encodings: UTF-8 (BOM stripped), UTF-16/UTF-32 with a BOM or UTF-16 without one (detected
  from its zero bytes; read with a warning), cp1252 fallback with a warning; binary files and
  zip archives saved as `.csv` are refused; text is NFC-normalised (a table's cells after
  parsing, so that U+037E GREEK QUESTION MARK, NFC ';', does not become a separator);
- separators `;`, `,`, tab (sniffed); every record must have as many fields as the header;
- row numbers: blank lines count as rows (Excel shows them), so a problem below a blank line is
  reported at the row the user sees; `Table.rows` holds the row of every data row;
- XLSX: title rows above the header; a damaged workbook (zip or sheet XML) is refused; merged
  cells in or below the header are refused (a merged cell keeps its value in its first row only,
  which would silently empty the others); zip members are size- and ratio-capped;
- numbers with decimal comma or point; `inf`, `nan` and overflowing values are refused;
- dates ISO, Norwegian `dd.mm.yyyy`, or Excel serial numbers in a plausible range only (a week
  number `9` is not 1900-01-08);
- zip archives (`.qdpx`, `.xlsx`) and XML from outside: `open_zip`, `read_zip_member` and
  `parse_xml` (defusedxml: entity expansion, external entities and DTDs refused).
"""

from __future__ import annotations

import csv
import io
import logging
import math
import os
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from impleval.errors import InputError, Problem, ProblemCollector, excel_row

log = logging.getLogger(__name__)

SEPARATORS = [";", ",", "\t"]
MAX_FIELD_CHARS = 64 * 1024**2  # one CSV field (a free-text answer) may be this long

# Caps for zip archives from outside (.qdpx projects, .xlsx workbooks): a 1 MB file can hold a
# 1 GiB member. Module constants so a study with larger legitimate members can raise them.
MAX_MEMBER_BYTES = 200 * 1024**2  # uncompressed size of one member
MAX_TOTAL_BYTES = 1024**3  # uncompressed size of all members together
MAX_COMPRESSION_RATIO = 100  # uncompressed : compressed, for members above RATIO_MIN_BYTES
RATIO_MIN_BYTES = 1024**2  # small members compress unpredictably; the ratio is not checked
MAX_MEMBERS = 100_000

# Excel serial dates accepted as dates: 1970-01-01 .. 2099-12-31. A small integer (a week or
# month number) in a date column is a mistake, not a day in 1900.
SERIAL_DATE_RANGE = (25569, 73415)
EXCEL_EPOCH = pd.Timestamp("1899-12-30")


@dataclass
class Table:
    """A table read as text, with where its header and rows sat in the original file."""

    data: pd.DataFrame
    path: str
    header_row: int = 1  # 1-based spreadsheet row of the header
    encoding: str = "utf-8"
    separator: str | None = None
    warnings: list[str] = field(default_factory=list)
    rows: list[int] | None = None  # spreadsheet row of each data row (blank rows skipped)

    def row_number(self, index: int) -> int:
        """Spreadsheet row (1-based, as Excel shows it) of data row `index` (0-based position)."""
        if self.rows is not None and 0 <= int(index) < len(self.rows):
            return int(self.rows[int(index)])
        return excel_row(index, self.header_row)

    def spreadsheet_rows(self) -> np.ndarray:
        """Spreadsheet row of every data row, in order (for importers that keep row numbers)."""
        n = len(self.data)
        if self.rows is not None and len(self.rows) >= n:  # all known: no lookup per row
            return np.asarray(self.rows[:n], dtype=int)
        return np.asarray([self.row_number(i) for i in range(n)], dtype=int)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- decoding ----------------------------------------------------------------------------------

_BOMS = [
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
]


def _utf16_without_bom(raw: bytes) -> str | None:
    """`utf-16-le`/`-be` when the sample looks like UTF-16 text without a BOM (most characters of
    a table are ASCII: one of each byte pair is zero), else None."""
    sample = raw[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    zero_even, zero_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zero_odd > 0.3 and zero_even < 0.05:
        return "utf-16-le"
    if zero_even > 0.3 and zero_odd < 0.05:
        return "utf-16-be"
    return None


def decode_bytes(raw: bytes, path: str) -> tuple[str, str, list[str]]:
    """Decode an exported text file: BOM (UTF-8/16/32), UTF-16 without BOM, UTF-8, else cp1252
    with a warning. Binary data and zip archives are refused. Returns (NFC text, encoding,
    warnings)."""
    text, encoding, warnings = _decode(raw, path)
    return _nfc(text), encoding, warnings


def _decode(raw: bytes, path: str) -> tuple[str, str, list[str]]:
    """`decode_bytes` without the normalisation (for parsers that normalise what they parsed)."""
    warnings: list[str] = []
    name = Path(path).name
    if raw.startswith(b"PK\x03\x04"):
        raise InputError(
            Problem(
                path,
                "a text table (CSV/TXT); this is a zip archive, e.g. an .xlsx workbook saved with "
                "a .csv name: give it its real extension",
            )
        )
    encoding = next((enc for bom, enc in _BOMS if raw.startswith(bom)), None)
    if encoding is None and b"\x00" in raw[:4096]:
        encoding = _utf16_without_bom(raw)
        if encoding is None:
            raise InputError(
                Problem(path, "a text table (CSV/TXT); the file holds binary data (zero bytes)")
            )
    if encoding is not None and encoding != "utf-8-sig":
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as err:
            raise InputError(
                Problem(path, f"valid {encoding.upper()} text (broken at byte {err.start})")
            ) from None
        text = text.lstrip("\ufeff")
        label = encoding.split("-")[0].upper() + "-" + encoding.split("-")[1]
        msg = f"{name}: read as {label.upper()} ({encoding}); UTF-8 is the usual export encoding."
        log.warning(msg)
        warnings.append(msg)
        return text, encoding, warnings
    try:
        text, enc = raw.decode("utf-8-sig").lstrip("\ufeff"), "utf-8"  # a BOM saved twice, too
    except UnicodeDecodeError:
        text, enc = raw.decode("cp1252", errors="replace"), "cp1252"
        msg = f"{name}: not valid UTF-8; read as Windows-1252 (cp1252). Check æøå."
        log.warning(msg)
        warnings.append(msg)
    if "\x00" in text:
        raise InputError(
            Problem(path, "a text table (CSV/TXT); the file holds binary data (zero bytes)")
        )
    return text, enc, warnings


def read_text(path: str | os.PathLike) -> tuple[str, str, list[str]]:
    """A text file decoded like `decode_bytes` (for importers that parse lines themselves)."""
    path = str(path)
    return decode_bytes(Path(path).read_bytes(), path)


# --- delimited text ----------------------------------------------------------------------------


def sniff_separator(text: str, path: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(SEPARATORS)).delimiter
    except csv.Error:
        header = next((line for line in text.splitlines() if line.strip()), "")
        counts = {sep: header.count(sep) for sep in SEPARATORS}
        best = max(counts, key=counts.get)
        if counts[best] == 0:
            raise InputError(
                Problem(path, "a table separated by ';', ',' or tab", row=1, value=header[:80])
            ) from None
        return best


def _records(text: str, path: str, sep: str) -> list[list[str]]:
    """Every record of the text (a blank line is an empty record: Excel shows it as a row)."""
    # The csv module's default limit (128 KiB per field) is lower than a long free-text answer
    # may be; the whole file is in memory anyway.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD_CHARS))
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=sep, quotechar='"'))
    except csv.Error as err:
        raise InputError(Problem(path, f"a well-formed '{sep}'-separated table ({err})")) from None


def _unique_header(cells: Sequence[str]) -> list[str]:
    """Header names as pandas would give them: blanks `Unnamed: i`, repeats `name.1`, `name.2`."""
    out: list[str] = []
    seen: dict[str, int] = {}
    for i, cell in enumerate(cells):
        name = _nfc(cell).strip() or f"Unnamed: {i}"
        if name in seen:
            seen[name] += 1
            candidate = f"{name}.{seen[name]}"
            while candidate in seen:
                seen[name] += 1
                candidate = f"{name}.{seen[name]}"
            name = candidate
        seen.setdefault(name, 0)
        out.append(name)
    return out


def read_delimited(path: str | os.PathLike) -> Table:
    """A CSV/TXT/TSV export as text. Blank lines count as rows (as in Excel) and are skipped;
    every other record must have as many fields as the header (mixed separators otherwise turn
    into rows of empty cells)."""
    path = str(path)
    raw = Path(path).read_bytes()
    if not raw.strip():
        raise InputError(Problem(path, "a non-empty file with a header row and data rows"))
    # Parsed before it is normalised: NFC maps U+037E GREEK QUESTION MARK to ';', which would
    # split a cell of a ';'-separated file. Header and cells are normalised after parsing.
    text, enc, warnings = _decode(raw, path)
    if not text.strip():
        raise InputError(Problem(path, "a non-empty file with a header row and data rows"))
    sep = sniff_separator(text, path)
    records = _records(text, path, sep)
    blank = [not any(cell.strip() for cell in record) for record in records]
    header_pos = blank.index(False)
    header = records[header_pos]
    width = len(header)
    problems = ProblemCollector()
    data_rows, rows = [], []
    for pos in range(header_pos + 1, len(records)):
        if blank[pos]:
            continue
        record = records[pos]
        if len(record) != width:
            others = [s for s in SEPARATORS if s != sep and len(record) == 1 and s in record[0]]
            hint = f" (this row seems to use {others[0]!r})" if others else ""
            problems.add(
                path,
                f"{width} fields separated by {sep!r} like the header{hint}",
                row=pos + 1,
                value=f"{len(record)} field(s)",
            )
            continue
        data_rows.append(record)
        rows.append(pos + 1)
    problems.raise_if_any()
    columns = _unique_header(header)
    if all(c.startswith("Unnamed:") for c in columns):
        raise InputError(Problem(path, f"a header row separated by '{sep}'", row=header_pos + 1))
    # A header without data rows stays a frame of object columns, as pandas builds it.
    df = (
        _text_frame(data_rows, columns)
        if data_rows
        else pd.DataFrame(data_rows, columns=columns, dtype=object)
    )
    return Table(df, path, header_pos + 1, enc, sep, warnings, rows)


def _text_frame(records: list[list[str]], columns: list[str]) -> pd.DataFrame:
    """Records of equal width as a frame of pandas text columns (`str`), every cell NFC."""
    cells = np.array(records, dtype=object)
    return pd.DataFrame(
        {name: _nfc_column(pd.Series(cells[:, j], dtype="str")) for j, name in enumerate(columns)}
    )


def _nfc_column(column: pd.Series) -> pd.Series:
    """Every cell of a text column in NFC, normalised once per distinct non-ASCII text.

    Every cell is checked, even where the file's whole text is NFC: the csv reader drops quote
    characters, and a text after a closing quote (`"e"` + U+0301, read leniently as one field)
    joins the text before it. ASCII text (always NFC) and repeated texts are not normalised
    again: one call per cell was most of reading a large export."""
    odd = column[~column.str.isascii()].unique()
    changed = {text: nfc for text in odd if (nfc := _nfc(text)) != text}
    # Keys are not NFC and values are, so no replacement can feed another.
    return column.replace(changed) if changed else column


# --- zip archives and XML from outside ---------------------------------------------------------


def check_zip(zf: zipfile.ZipFile, path: str, *, what: str = "archive") -> None:
    """Refuse a zip whose members are too many, too large or too compressed (zip bombs), judged
    from the central directory before anything is decompressed."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InputError(Problem(path, f"a {what} with at most {MAX_MEMBERS} members"))
    total = 0
    problems = ProblemCollector()
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_MEMBER_BYTES:
            problems.add(
                path,
                f"{what} members of at most {MAX_MEMBER_BYTES // 1024**2} MB uncompressed "
                f"(this one: {info.file_size // 1024**2} MB)",
                column=info.filename,
            )
        elif info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(
            info.compress_size, 1
        ):
            problems.add(
                path,
                f"{what} members compressed at most {MAX_COMPRESSION_RATIO}:1 (this one: "
                f"{info.file_size // max(info.compress_size, 1)}:1, a zip bomb?)",
                column=info.filename,
            )
    problems.raise_if_any()
    if total > MAX_TOTAL_BYTES:
        raise InputError(
            Problem(path, f"a {what} of at most {MAX_TOTAL_BYTES // 1024**2} MB uncompressed")
        )


def open_zip(path: str | os.PathLike, *, what: str = "zip archive") -> zipfile.ZipFile:
    """Open a zip from outside, checked by `check_zip`; InputError when damaged or not a zip."""
    path = str(path)
    try:
        zf = zipfile.ZipFile(path)
        check_zip(zf, path, what=what)
    except InputError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as err:
        raise InputError(
            Problem(path, f"a readable {what}; it is damaged or not a zip ({type(err).__name__})")
        ) from None
    return zf


def read_zip_member(zf: zipfile.ZipFile, member: str, path: str) -> bytes:
    """One member, read with the size cap enforced while decompressing (sizes in the directory
    can lie) and damage reported as an InputError."""
    try:
        with zf.open(member) as fh:
            data = fh.read(MAX_MEMBER_BYTES + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as err:
        raise InputError(
            Problem(path, f"an undamaged archive member ({type(err).__name__})", column=member)
        ) from None
    except Exception as err:  # zlib.error and friends: damaged compressed data
        raise InputError(
            Problem(path, f"an undamaged archive member ({type(err).__name__})", column=member)
        ) from None
    if len(data) > MAX_MEMBER_BYTES:
        raise InputError(
            Problem(
                path,
                f"archive members of at most {MAX_MEMBER_BYTES // 1024**2} MB uncompressed",
                column=member,
            )
        )
    return data


def parse_xml(data: bytes, path: str, *, what: str = "XML document"):
    """Parse XML from outside with defusedxml: entity declarations (billion laughs), external
    entities and DTDs are refused; malformed XML is an InputError. Returns the root element."""
    from xml.etree.ElementTree import ParseError

    import defusedxml
    import defusedxml.ElementTree as DET

    try:
        return DET.fromstring(data, forbid_dtd=True)
    except defusedxml.DefusedXmlException as err:  # DTDForbidden, EntitiesForbidden, External…
        raise InputError(
            Problem(
                path,
                f"a {what} without a DTD, entity declarations or external references "
                f"({type(err).__name__}: refused for safety, nothing was expanded)",
            )
        ) from None
    except (ParseError, ValueError, UnicodeDecodeError) as err:
        raise InputError(Problem(path, f"a well-formed {what} ({err})")) from None


# --- XLSX --------------------------------------------------------------------------------------


def _first_sheet_member(zf: zipfile.ZipFile, path: str, sheet) -> str | None:
    """Zip member of the worksheet `sheet` (index or name), from workbook.xml and its rels."""
    try:
        names = set(zf.namelist())
        if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
            return None
        book = parse_xml(read_zip_member(zf, "xl/workbook.xml", path), path, what="workbook")
        rels = parse_xml(
            read_zip_member(zf, "xl/_rels/workbook.xml.rels", path), path, what="workbook"
        )
    except InputError:
        return None  # reported by the reader itself
    sheets = [el for el in book.iter() if el.tag.endswith("}sheet")]
    chosen = (
        sheets[sheet]
        if isinstance(sheet, int) and sheet < len(sheets)
        else next((s for s in sheets if s.get("name") == sheet), None)
    )
    if chosen is None:
        return None
    rid = next((v for k, v in chosen.attrib.items() if k.endswith("}id")), None)
    target = next(
        (
            r.get("Target")
            for r in rels.iter()
            if r.tag.endswith("}Relationship") and r.get("Id") == rid
        ),
        None,
    )
    if not target:
        return None
    target = target.lstrip("/")
    return target if target.startswith("xl/") else f"xl/{target}"


def _merged_ranges(zf: zipfile.ZipFile, path: str, sheet) -> list[tuple[str, int, int, int, int]]:
    """(ref, first row, last row, first column, last column) of every merged range of the sheet."""
    from openpyxl.utils.cell import range_boundaries

    member = _first_sheet_member(zf, path, sheet)
    if member is None or member not in zf.namelist():
        return []
    root = parse_xml(read_zip_member(zf, member, path), path, what="worksheet")
    out = []
    for el in root.iter():
        if el.tag.endswith("}mergeCell") and el.get("ref"):
            try:
                min_col, min_row, max_col, max_row = range_boundaries(el.get("ref"))
            except (ValueError, TypeError):
                continue
            out.append((el.get("ref"), min_row, max_row, min_col, max_col))
    return out


def read_xlsx(path: str | os.PathLike, *, required: list[str] | None = None, sheet=0) -> Table:
    """Read an XLSX sheet as text. Title rows above the header are skipped by finding the first
    row that holds all `required` column names (case-insensitive). Blank rows are skipped (their
    row numbers kept); merged cells in or below the header are refused."""
    path = str(path)
    zf = open_zip(path, what=".xlsx workbook")
    try:
        merged = _merged_ranges(zf, path, sheet)
    except InputError as err:
        detail = err.problems[0].expected.removeprefix("a ")
        raise InputError(
            Problem(path, f"a readable .xlsx workbook; it is damaged (expected {detail})")
        ) from None
    finally:
        zf.close()
    try:
        raw = pd.read_excel(path, sheet_name=sheet, header=None, dtype=str, engine="openpyxl")
    except InputError:
        raise
    except Exception as err:  # zip, XML, openpyxl and zlib errors of a damaged workbook
        raise InputError(
            Problem(path, f"a readable .xlsx workbook; it is damaged ({type(err).__name__})")
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
    else:  # the first non-blank row
        nonblank = [i for i in range(len(raw)) if any(str(v).strip() for v in raw.iloc[i])]
        header_idx = nonblank[0] if nonblank else 0
    header_row = header_idx + 1
    _refuse_merged(merged, path, header_row, raw.iloc[header_idx].tolist())
    header = [_nfc(str(v)).strip() for v in raw.iloc[header_idx]]
    data = raw.iloc[header_idx + 1 :]
    keep_cols = [h != "" for h in header]
    data.columns = header
    data = data.loc[:, keep_cols]
    nonblank = [bool(any(str(v).strip() for v in row)) for row in data.itertuples(index=False)]
    rows = [header_row + 1 + i for i, keep in enumerate(nonblank) if keep]
    data = data.loc[nonblank].reset_index(drop=True)
    data = data.map(lambda v: _nfc(str(v)))
    return Table(data, path, header_row, rows=rows)


def _refuse_merged(merged, path: str, header_row: int, header_cells: list) -> None:
    """Merged cells in or below the header: refused, naming the range, its rows and column."""
    from openpyxl.utils.cell import get_column_letter

    problems = ProblemCollector()
    for ref, first, last, col_first, col_last in merged:
        if last < header_row:
            continue  # a merged title above the header is harmless
        column = None
        if col_first - 1 < len(header_cells) and str(header_cells[col_first - 1]).strip():
            column = _nfc(str(header_cells[col_first - 1])).strip()
        span = (
            f"rows {first}-{last}" if last > first else f"row {first}"
        ) + f", columns {get_column_letter(col_first)}-{get_column_letter(col_last)}"
        problems.add(
            path,
            "one value per cell, no merged cells (Excel keeps a merged cell's value in its first "
            f"cell only, so the other rows would silently lose it): merged {ref} ({span}); "
            "unmerge the cells and fill the values in, then export again",
            row=first,
            column=column,
        )
    problems.raise_if_any()


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


# --- cell values -------------------------------------------------------------------------------


def parse_number(text) -> float | None:
    """A finite number from text with a decimal point or comma ('4,5'), thousands spaces
    removed; None when it is not one. `inf`, `nan`, `Infinity` and values that overflow to
    infinity (`1e999`) are not numbers here: they would crash the statistics later."""
    s = str(text).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if "," in s and "." not in s:
        s = s.replace(",", ".")
    try:
        value = float(s)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_decimal(
    values: pd.Series,
    table: Table,
    column: str,
    problems: ProblemCollector,
    *,
    allow_empty: bool = True,
) -> pd.Series:
    """Numbers with decimal point or comma ('4,5'), thousands spaces removed; '' → NaN.
    Non-finite text (`inf`, `-inf`, `nan`) is a problem, not a number."""
    out = []
    for i, raw in enumerate(values.astype(str)):
        if raw.strip() == "":
            if not allow_empty:
                problems.add(table.path, "a number", table.row_number(i), column, raw)
            out.append(float("nan"))
            continue
        value = parse_number(raw)
        if value is None:
            problems.add(
                table.path,
                "a finite number (decimal point or comma; not inf or nan)",
                table.row_number(i),
                column,
                raw,
            )
            value = float("nan")
        out.append(value)
    return pd.Series(out, index=values.index, dtype="float64")


def parse_date(
    values: pd.Series, table: Table, column: str, problems: ProblemCollector
) -> pd.Series:
    """ISO (`2025-06-01`), Norwegian (`01.06.2025`) or Excel serial (`45809`) dates → Timestamp.
    Serial numbers only within SERIAL_DATE_RANGE (1970–2099): `9` is a week number, not a date."""
    lo, hi = SERIAL_DATE_RANGE
    out = []
    # Each distinct text parsed once: a long export repeats its dates (one per site and period),
    # and one pd.to_datetime call costs ~0.1 ms.
    parsed: dict[str, object] = {}
    for i, raw in enumerate(values.astype(str)):
        s = raw.strip()
        if s not in parsed:
            parsed[s] = _parse_one_date(s)
        ts = parsed[s]
        if ts is None:
            hint = ""
            if s.isdigit() and int(s) < lo:
                hint = " (a small whole number is a week or month number, not a date)"
            problems.add(
                table.path,
                "a date as YYYY-MM-DD, DD.MM.YYYY or an Excel date number "
                f"({lo}–{hi}, 1970–2099){hint}",
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
            lo, hi = SERIAL_DATE_RANGE
            if lo <= serial <= hi:
                return (EXCEL_EPOCH + pd.Timedelta(days=int(serial))).normalize()
            return None
        if len(s) >= 10 and s[2] == "." and s[5] == ".":
            return pd.to_datetime(s[:10], format="%d.%m.%Y")
        if len(s) >= 10 and s[4] == "-" and s[7] == "-":
            return pd.to_datetime(s[:10], format="%Y-%m-%d")
    except (ValueError, IndexError):
        return None
    return None
