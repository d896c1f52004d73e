"""Checks on a survey export file before the shared readers (`impleval.tabular`) parse it: the
damaged-file classes of issue 16 that reach the survey importers.

- UTF-16 text (Excel's "Unicode text"): refused with the fix, instead of a `csv.Error` or
  cp1252 mojibake;
- merged cells in an XLSX sheet: refused, because a merged range keeps its value in the first
  cell only and every other row of the range would silently read as skipped.

`inf`/`nan` spelt out in a number cell are refused by the survey's own number parser
(`survey.io.export._numbers`). Written by hand: neither pandas nor openpyxl reports these cases.
If `impleval.tabular` gains the same checks, these become redundant and can go.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from impleval.errors import InputError, Problem

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_MERGE = re.compile(rb'<mergeCell ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def refuse_utf16(path: str) -> None:
    """A text export must be UTF-8 (or Windows-1252): refuse UTF-16 with or without a BOM
    (without one, every other byte of ASCII text is a NUL)."""
    head = Path(path).read_bytes()[:4096]
    if head.startswith(_UTF16_BOMS) or (len(head) >= 4 and head.count(b"\x00") > len(head) // 4):
        raise InputError(
            Problem(
                path,
                "a text file in UTF-8 (this one is UTF-16, e.g. Excel's 'Unicode text'): save it "
                "again as 'CSV UTF-8', or export it from Nettskjema again",
            )
        )


def refuse_merged_cells(path: str) -> None:
    """Refuse an XLSX workbook whose sheets have merged cells, naming the first range."""
    try:
        with zipfile.ZipFile(path) as book:
            sheets = sorted(n for n in book.namelist() if n.startswith("xl/worksheets/sheet"))
            for name in sheets:
                with book.open(name) as fh:
                    match = _scan(fh)
                if match:
                    first, row, last, end = (
                        match[1].decode(),
                        int(match[2]),
                        (match[3] or match[1]).decode(),
                        int(match[4] or match[2]),
                    )
                    raise InputError(
                        Problem(
                            path,
                            "a sheet without merged cells: a merged range keeps its value in "
                            "its first cell only, so the other rows would read as skipped "
                            "answers; unmerge the cells and fill in every row, or export the "
                            f"report from Nettskjema again (merged range {first}{row}:{last}{end})",
                            row=row,
                            column=first,
                        )
                    )
    except (zipfile.BadZipFile, OSError, KeyError):
        return  # not a readable zip: the XLSX reader reports it


def _scan(fh, chunk: int = 1 << 20):
    """The first <mergeCell ref=…> in a sheet's XML, read in chunks (sheets can be large)."""
    tail = b""
    while block := fh.read(chunk):
        data = tail + block
        if match := _MERGE.search(data):
            return match
        tail = data[-64:]
    return None
