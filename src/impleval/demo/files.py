"""Byte-reproducible writers for the demo exports (XLSX and zip containers embed timestamps)."""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from pathlib import Path

import pandas as pd

FIXED_ZIP_TIME = (2025, 1, 1, 0, 0, 0)
FIXED_ISO = "2025-01-01T00:00:00Z"


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip (xlsx, qdpx) with fixed entry timestamps and fixed docProps dates."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(src.namelist()):
            payload = src.read(name)
            if name == "docProps/core.xml":
                text = payload.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:(created|modified)[^>]*>)[^<]*(<)", rf"\g<1>{FIXED_ISO}\g<3>", text
                )
                payload = text.encode("utf-8")
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, payload)
    return buf.getvalue()


def write_xlsx(
    sheets: dict[str, pd.DataFrame] | pd.DataFrame,
    path: str | os.PathLike,
    *,
    title_rows: list[str] | None = None,
) -> None:
    """Write one or more sheets to XLSX with fixed timestamps (optionally with title rows above)."""
    if isinstance(sheets, pd.DataFrame):
        sheets = {"Sheet1": sheets}
    buf = io.BytesIO()
    startrow = len(title_rows or [])
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, df in sheets.items():
            df.to_excel(writer, sheet_name=name, index=False, startrow=startrow)
            if title_rows:
                ws = writer.sheets[name]
                for i, line in enumerate(title_rows, start=1):
                    ws.cell(row=i, column=1, value=line)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_bytes(normalise_zip(buf.getvalue()))


def write_json(obj, path: str | os.PathLike) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
