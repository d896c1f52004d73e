"""Audit a results folder for identifiers that slipped past the gate (a test and release check).

Only what a reader can see is scanned: text files line by line, HTML and SVG as their text
content (scripts, styles, embedded data URIs and path data are dropped, since minified code and
base64 are full of digit runs), parquet string columns and headers. PNG and other binaries are
not scanned (figures are built from tables that are). Findings name file, line and kind, never
the identifier.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from impleval.privacy.scan import compile_names, scan_text

TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".json", ".yml", ".yaml", ".md", ".qmd", ".log", ".tex"}
MARKUP_SUFFIXES = {".html", ".htm", ".svg", ".xml"}

# Hashes, UUIDs and base64-ish tokens: digits inside them are not phone or identity numbers.
# No "-" or "_" in the class: "fnr-01019010046" must not hide as one token.
_TOKEN = re.compile(r"\b(?=[0-9A-Za-z]*[A-Za-z])(?=[0-9A-Za-z]*\d)[0-9A-Za-z]{12,}\b")
_DROP_BLOCKS = re.compile(r"<(script|style|defs|metadata)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>", re.DOTALL)
_FINDING_COLUMNS = ["file", "line", "kind", "confidence"]


def _mask_tokens(text: str) -> str:
    return _TOKEN.sub(lambda m: "x" * len(m.group()), text)


def _markup_lines(raw: str) -> list[str]:
    """Visible text of HTML/SVG, one entry per source line (line numbers kept)."""
    raw = _DROP_BLOCKS.sub(lambda m: "\n" * m.group().count("\n"), raw)
    raw = _TAG.sub(lambda m: " " + "\n" * m.group().count("\n"), raw)
    return html.unescape(raw).split("\n")


def _notebook_text(path: Path) -> str:
    import json

    nb = json.loads(path.read_text(encoding="utf-8"))
    parts = []
    for cell in nb.get("cells", []):
        parts.append("".join(cell.get("source", "")))
        for out in cell.get("outputs", []):
            parts.append("".join(out.get("text", "")))
            data = out.get("data", {})
            for mime in ("text/plain", "text/markdown"):
                parts.append("".join(data.get(mime, "")))
            if "text/html" in data:
                parts.append("\n".join(_markup_lines("".join(data["text/html"]))))
    return "\n".join(parts)


def _lines(path: Path) -> Iterable[tuple[int | None, str]]:
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        df = pd.read_parquet(path)
        yield None, " ; ".join(map(str, df.columns))
        for col in df.columns:
            if pd.api.types.is_string_dtype(df[col]) or df[col].dtype == object:
                for i, value in enumerate(df[col].dropna().astype(str)):
                    yield i + 2, value
        return
    if suffix == ".ipynb":  # executed notebooks: cell sources and text outputs, not image data
        yield from enumerate(_notebook_text(path).split("\n"), start=1)
        return
    raw = path.read_text(encoding="utf-8", errors="replace")
    lines = _markup_lines(raw) if suffix in MARKUP_SUFFIXES else raw.split("\n")
    yield from enumerate(lines, start=1)


def scan_folder(
    folder, names: Iterable[str] = (), *, ignore_low: Iterable[str] = ("phone",)
) -> pd.DataFrame:
    """Identifier findings in every scannable file under `folder` (file, line, kind, confidence).

    Low-confidence hits of the kinds in `ignore_low` (by default date-shaped 8-digit runs, which
    results tables contain legitimately) are ignored; low-confidence 11-digit runs are kept."""
    folder = Path(folder)
    names_re = compile_names(names)
    ignore_low = set(ignore_low)
    findings = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        suffix = path.suffix.lower()
        if suffix not in TEXT_SUFFIXES | MARKUP_SUFFIXES | {".parquet", ".ipynb"}:
            continue
        for line_no, line in _lines(path):
            for hit in scan_text(_mask_tokens(line), _names_re=names_re):
                if hit.confidence == "low" and hit.kind in ignore_low:
                    continue
                findings.append((str(path.relative_to(folder)), line_no, hit.kind, hit.confidence))
    return pd.DataFrame(findings, columns=_FINDING_COLUMNS)
