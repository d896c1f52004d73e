"""Audit a results folder for identifiers that slipped past the gate (a test and release check).

Only what a reader can see is scanned, in units a reader reads as one piece of text, so that an
identifier broken over two lines is still one identifier:
- CSV/TSV: every cell (a quoted cell may hold line breaks) and every header;
- Markdown, Quarto, YAML, JSON, TeX and plain text: paragraphs (lines up to a blank line);
- HTML and SVG: the text of each block element (paragraph, table cell, list item, heading, SVG
  text) with inline tags removed, and each comment (matplotlib writes the text it draws as
  paths into comments); scripts, styles, embedded data URIs and path data are dropped, since
  minified code and base64 are full of digit runs;
- logs: line by line (records are lines);
- executed notebooks: cell sources and text outputs; parquet: string columns and headers.
PNG and other binaries are not scanned (figures are built from tables that are). Findings name
file, line and kind, never the identifier.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from impleval.privacy.scan import compile_names, scan_text

TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".json", ".yml", ".yaml", ".md", ".qmd", ".log", ".tex"}
MARKUP_SUFFIXES = {".html", ".htm", ".svg", ".xml"}

# Hashes, UUIDs and base64-ish tokens: digits inside them are not phone or identity numbers.
# No "-" or "_" in the class: "fnr-01019010046" must not hide as one token.
_TOKEN = re.compile(r"\b(?=[0-9A-Za-z]*[A-Za-z])(?=[0-9A-Za-z]*\d)[0-9A-Za-z]{12,}\b")
_DROP_BLOCKS = re.compile(r"<(script|style|defs|metadata)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_BLOCK_TAG = re.compile(
    r"<\s*/?\s*(?:p|div|td|th|tr|thead|tbody|tfoot|table|li|ul|ol|dl|dt|dd|h[1-6]|hr|section|"
    r"article|header|footer|nav|main|aside|caption|figcaption|figure|blockquote|pre|title|"
    r"desc|text|tspan|g|svg|body|head|html|details|summary|option|label|button)\b[^>]*>",
    re.IGNORECASE,
)
_BR = re.compile(r"<\s*br\s*/?\s*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>", re.DOTALL)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_FINDING_COLUMNS = ["file", "line", "kind", "confidence"]


def _mask_tokens(text: str) -> str:
    return _TOKEN.sub(lambda m: "x" * len(m.group()), text)


def _line_at(raw: str, offset: int) -> int:
    return raw.count("\n", 0, offset) + 1


def _markup_units(raw: str) -> Iterator[tuple[int, str]]:
    """(line, visible text) of every comment and block element of HTML/SVG."""
    raw = _DROP_BLOCKS.sub(lambda m: "\n" * m.group().count("\n"), raw)
    for m in _COMMENT.finditer(raw):
        yield _line_at(raw, m.start()), html.unescape(m.group(1))
    raw = _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), raw)
    raw = _BR.sub("\n", raw)
    pos = 0
    for m in [*_BLOCK_TAG.finditer(raw), None]:
        end = m.start() if m is not None else len(raw)
        chunk = raw[pos:end]
        text = html.unescape(_TAG.sub("", chunk))
        if text.strip():
            yield _line_at(raw, pos + len(chunk) - len(chunk.lstrip())), text
        if m is not None:
            pos = m.end()


def _paragraphs(raw: str) -> Iterator[tuple[int, str]]:
    pos = 0
    for m in [*_PARAGRAPH_BREAK.finditer(raw), None]:
        end = m.start() if m is not None else len(raw)
        if raw[pos:end].strip():
            yield _line_at(raw, pos), raw[pos:end]
        if m is not None:
            pos = m.end()


def _csv_cells(raw: str, delimiter: str) -> Iterator[tuple[int, str]]:
    reader = csv.reader(io.StringIO(raw, newline=""), delimiter=delimiter)
    start = 1
    try:
        for record in reader:
            for cell in record:
                if cell.strip():
                    yield start, cell
            start = reader.line_num + 1
    except csv.Error:  # not really CSV: fall back to paragraphs
        yield from _paragraphs(raw)


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
                parts.append(
                    "\n".join(text for _, text in _markup_units("".join(data["text/html"])))
                )
    return "\n\n".join(parts)


def _units(path: Path) -> Iterable[tuple[int | None, str]]:
    """(line, text) units of one file, as described in the module docstring."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        df = pd.read_parquet(path)
        for name in df.columns:
            yield None, str(name)
        for col in df.columns:
            if pd.api.types.is_string_dtype(df[col]) or df[col].dtype == object:
                for i, value in enumerate(df[col].dropna().astype(str)):
                    yield i + 2, value
        return
    if suffix == ".ipynb":  # executed notebooks: cell sources and text outputs, not image data
        yield from _paragraphs(_notebook_text(path))
        return
    raw = path.read_text(encoding="utf-8", errors="replace")
    if suffix in MARKUP_SUFFIXES:
        yield from _markup_units(raw)
    elif suffix in (".csv", ".tsv"):
        yield from _csv_cells(raw, "\t" if suffix == ".tsv" else ",")
    elif suffix == ".log":
        yield from enumerate(raw.split("\n"), start=1)
    else:
        yield from _paragraphs(raw)


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
        for line_no, raw_unit in _units(path):
            unit = _mask_tokens(raw_unit)
            for hit in scan_text(unit, _names_re=names_re):
                if hit.confidence == "low" and hit.kind in ignore_low:
                    continue
                line = None if line_no is None else line_no + unit.count("\n", 0, hit.start)
                findings.append((str(path.relative_to(folder)), line, hit.kind, hit.confidence))
    return pd.DataFrame(findings, columns=_FINDING_COLUMNS)
