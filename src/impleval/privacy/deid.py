"""De-identification gate: free text is scanned for direct identifiers before it leaves the importers.

What is caught (see docs/privacy.md for the trade-offs):
- `fnr` / `dnr` / `hnr`: every 11-digit run, also written `DDMMYY NNNNN` or `DDMMYY-NNNNN`;
  `high` confidence when both control digits (either K1 rule) and the date are valid, otherwise
  `low` (reported for review: typos happen).
- `phone`: Norwegian 8-digit numbers starting 2-9, optional `+47`/`0047`, contiguous or grouped
  `12 34 56 78`, `123 45 678`, `1234 5678`. A bare 8-digit run that is also a calendar date
  (`YYYYMMDD`/`DDMMYYYY`) is a `low` hit rather than ignored; two years (`2023 2024`) are ignored.
- `email`: address-shaped text, also with `(at)`/`[at]` for `@`.
- `orgnr`: 9 digits (`123456789`, `123 456 789`, optional `NO` prefix / `MVA` suffix) with a valid
  mod-11 control digit; 9-digit runs failing it are not identifiers and are ignored.
- `name`: names from the study's list, case-insensitive, whole words, NFC-normalised, flexible
  whitespace between name parts, optional genitive `s`.

The scan is written by hand: Presidio/scrubadub-style libraries target English PII, lack the
Norwegian checksums and pull in large NLP models that this pipeline cannot ship.
"""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import pandas as pd

from impleval.errors import InputError, Problem, excel_row
from impleval.privacy.nin import classify_11_digits, orgnr_valid

KINDS = ("fnr", "dnr", "hnr", "phone", "email", "orgnr", "name")
PLACEHOLDERS = {kind: f"[{kind.upper()}]" for kind in KINDS}
KIND_LABELS = {
    "fnr": "fødselsnummer (national identity number)",
    "dnr": "D-number",
    "hnr": "H-number",
    "phone": "phone number",
    "email": "e-mail address",
    "orgnr": "organisation number",
    "name": "listed name",
}
SUMMARY_COLUMNS = ["source", "column", "kind", "confidence", "n_hits", "action", "n_values_scanned"]

# Priority when matches overlap: identity numbers first, names last.
_PRIORITY = {kind: i for i, kind in enumerate(("fnr", "dnr", "hnr", "email", "orgnr", "phone", "name"))}

_NOT_AFTER_DIGIT = r"(?<!\d)(?<!\d[.,])"  # not inside a longer number or a decimal fraction
_NOT_BEFORE_DIGIT = r"(?!\d)"  # "31129956715.3" is still caught: no 11-digit decimals in text
_SEP = r"[ \u00a0-]"

_NIN_RE = re.compile(_NOT_AFTER_DIGIT + r"(\d{6}" + _SEP + r"?\d{5})" + _NOT_BEFORE_DIGIT)
_ORGNR_RE = re.compile(
    r"(?:\bNO[ \u00a0]?)?"
    + _NOT_AFTER_DIGIT
    + r"(\d{9}|\d{3}[ \u00a0]\d{3}[ \u00a0]\d{3})"
    + r"(?![.,]?\d|[ \u00a0]\d)(?:[ \u00a0]?MVA\b)?"
)
_PHONE_BODY = (
    r"[2-9]\d{7}"
    r"|[2-9]\d(?:[ \u00a0-]\d\d){3}"  # 12 34 56 78
    r"|[2-9]\d\d[ \u00a0-]\d\d[ \u00a0-]\d{3}"  # 123 45 678
    r"|[2-9]\d{3}[ \u00a0]\d{4}"  # 1234 5678 (not with a dash: year ranges like 2023-2024)
)
_PHONE_RE = re.compile(
    r"(?:(?<![\w+.,])(?:\+|00)47[ \u00a0-]?|" + _NOT_AFTER_DIGIT + r"(?<!\d[ \u00a0-]))"
    r"(" + _PHONE_BODY + r")"
    r"(?![.,]?\d|[ \u00a0-]\d)"
)
_EMAIL_RE = re.compile(
    r"(?<![\w.%+-])[\w.%+-]+\s?(?:@|\(at\)|\[at\])\s?[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b",
    re.IGNORECASE,
)
_DATE8 = re.compile(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")
_YEARS = re.compile(r"(?:19|20)\d\d[ \u00a0](?:19|20)\d\d")  # "2023 2024": two years, not a phone
_DATE8_DMY = re.compile(r"(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])(?:19|20)\d\d")


@dataclass(frozen=True)
class Hit:
    kind: str  # one of KINDS
    start: int  # offsets in the NFC-normalised text
    end: int
    confidence: str  # "high" or "low"


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def compile_names(names: Iterable[str]) -> re.Pattern | None:
    """One case-insensitive whole-word pattern for every listed name (longest first)."""
    cleaned = {" ".join(_nfc(str(n)).split()) for n in names}
    cleaned = sorted((n for n in cleaned if n and not n.startswith("#")), key=lambda n: (-len(n), n))
    if not cleaned:
        return None
    parts = [r"\s+".join(re.escape(word) for word in name.split(" ")) for name in cleaned]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?:'?s)?(?!\w)", re.IGNORECASE)


def _raw_hits(text: str, names_re: re.Pattern | None) -> list[Hit]:
    hits: list[Hit] = []
    for m in _NIN_RE.finditer(text):
        kind, confidence = classify_11_digits(m.group(1))
        hits.append(Hit(kind, m.start(1), m.end(1), confidence))
    for m in _ORGNR_RE.finditer(text):
        if orgnr_valid(m.group(1)):
            hits.append(Hit("orgnr", m.start(), m.end(), "high"))
    for m in _PHONE_RE.finditer(text):
        body = m.group(1)
        if _YEARS.fullmatch(body):  # "2023 2024" in prose is two years far more often than a phone
            continue
        prefixed = m.start(1) > m.start()
        compact = re.sub(r"\D", "", body)
        looks_like_date = bool(_DATE8.fullmatch(compact) or _DATE8_DMY.fullmatch(compact))
        confidence = "low" if looks_like_date and not prefixed else "high"
        hits.append(Hit("phone", m.start(), m.end(), confidence))
    for m in _EMAIL_RE.finditer(text):
        hits.append(Hit("email", m.start(), m.end(), "high"))
    if names_re is not None:
        for m in names_re.finditer(text):
            hits.append(Hit("name", m.start(), m.end(), "high"))
    return hits


def _resolve_overlaps(hits: list[Hit]) -> list[Hit]:
    """Keep non-overlapping hits: higher priority first, then the longer match."""
    ranked = sorted(hits, key=lambda h: (_PRIORITY[h.kind], h.confidence != "high", h.start - h.end))
    kept: list[Hit] = []
    for hit in ranked:
        if all(hit.end <= k.start or hit.start >= k.end for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)


def scan_text(text: str, names: Iterable[str] = (), *, _names_re: re.Pattern | None = None) -> list[Hit]:
    """Identifiers in `text`, in order of position. Offsets refer to the NFC-normalised text
    (identical to `text` for ordinary input)."""
    if text is None:
        return []
    names_re = _names_re if _names_re is not None else compile_names(names)
    return _resolve_overlaps(_raw_hits(_nfc(str(text)), names_re))


def redact_text(text: str, hits: Sequence[Hit]) -> str:
    """`text` (NFC) with every hit replaced by its typed placeholder, e.g. `[FNR]`."""
    out = _nfc(str(text))
    for hit in sorted(hits, key=lambda h: h.start, reverse=True):
        out = out[: hit.start] + PLACEHOLDERS[hit.kind] + out[hit.end :]
    return out


def _problem(file: str, row: int, column: str, hit: Hit) -> Problem:
    label = KIND_LABELS[hit.kind]
    if hit.confidence == "low":
        why = (
            f"no {label} in free text (low confidence: a number of that shape failing the "
            "checksum or date check; check for a mistyped identifier)"
        )
    else:
        why = f"no {label} in free text"
    # value=None: the identifier itself must never be printed or logged.
    return Problem(
        str(file), f"{why}; remove it from the export or set deid.on_hit: redact", row, column, None
    )


def gate_frame(
    df: pd.DataFrame,
    *,
    text_columns: Sequence[str],
    source: str,
    file,
    on_hit: str,
    names: Iterable[str] = (),
    header_rows: int = 1,
    rows: Sequence[int] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Scan `text_columns` of `df` for identifiers; fail or redact.

    `on_hit="fail"` raises InputError listing every hit (file, Excel row, column, kind; never the
    identifier), including low-confidence ones. `on_hit="redact"` replaces hits with typed
    placeholders. Rows are numbered by position (`excel_row(i, header_rows)`) unless `rows` gives
    the spreadsheet row of each df row (when upstream steps dropped or reordered rows).

    Returns (clean df, summary) where the summary has one row per column and kind/confidence
    found, or a `kind="none"` row with `n_hits=0` for a column without hits (proof the scan ran).
    """
    if on_hit not in ("fail", "redact"):
        raise ValueError(f"on_hit must be 'fail' or 'redact', not {on_hit!r}")
    missing = [c for c in text_columns if c not in df.columns]
    if missing:
        raise ValueError(f"text columns not in the table: {missing}")
    if rows is not None and len(rows) != len(df):
        raise ValueError("rows must give one spreadsheet row per df row")
    names_re = compile_names(names)
    clean = df.copy()
    problems: list[Problem] = []
    summary: list[dict] = []
    for column in text_columns:
        counts: Counter = Counter()
        values = df[column].tolist()
        new_values = list(values)
        n_scanned = 0
        for i, value in enumerate(values):
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                continue
            n_scanned += 1
            hits = scan_text(str(value), _names_re=names_re)
            if not hits:
                continue
            row = int(rows[i]) if rows is not None else excel_row(i, header_rows)
            for hit in hits:
                counts[(hit.kind, hit.confidence)] += 1
                if on_hit == "fail":
                    problems.append(_problem(file, row, column, hit))
            if on_hit == "redact":
                new_values[i] = redact_text(str(value), hits)
        if on_hit == "redact" and counts:
            clean[column] = pd.Series(new_values, index=df.index, dtype=df[column].dtype)
        for (kind, confidence), n in sorted(counts.items(), key=lambda kv: (KINDS.index(kv[0][0]), kv[0][1])):
            summary.append(
                dict(
                    source=source,
                    column=column,
                    kind=kind,
                    confidence=confidence,
                    n_hits=n,
                    action="redacted",
                    n_values_scanned=n_scanned,
                )
            )
        if not counts:
            summary.append(
                dict(
                    source=source,
                    column=column,
                    kind="none",
                    confidence="",
                    n_hits=0,
                    action="passed",
                    n_values_scanned=n_scanned,
                )
            )
    if problems:
        raise InputError(problems)
    return clean, pd.DataFrame(summary, columns=SUMMARY_COLUMNS)


def empty_summary() -> pd.DataFrame:
    """A summary frame with the gate's columns and no rows (for sources without free text)."""
    return pd.DataFrame(columns=SUMMARY_COLUMNS)


def check_allowed_columns(columns: Iterable[str], allowed: Iterable[str], *, file) -> None:
    """Refuse any column not on the study's allow-list (fail closed on personal data).

    Allow-list entries are exact column names, or shell-style patterns (`q12_*`, `item_?`) for
    families of generated columns. Raises InputError naming every refused column."""
    allowed = [str(a) for a in allowed]
    exact = set(allowed)
    patterns = [a for a in allowed if any(ch in a for ch in "*?[")]
    problems = [
        Problem(
            str(file),
            "only columns on the study's allow-list (they may hold personal data): remove the "
            "column from the export, or add it to the allow-list in the study config if it holds "
            "no personal data",
            None,
            str(col),
            None,
        )
        for col in columns
        if str(col) not in exact and not any(fnmatch.fnmatchcase(str(col), p) for p in patterns)
    ]
    if problems:
        raise InputError(problems)


def read_names(path) -> list[str]:
    """Names file: one name per line, `#` comments and blank lines ignored (UTF-8, BOM allowed)."""
    from pathlib import Path

    text = Path(path).read_text(encoding="utf-8-sig")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def combine_summaries(
    summaries: Mapping[str, pd.DataFrame], *, files: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """One hits table from the gate summaries of each source (in the given order).

    A source whose summary has no rows (no free-text columns) gets a `kind="none"` row with
    action "no free text", so the table still shows that the source went through the gate.
    Raises InputError when a summary lacks the gate's columns."""
    frames = []
    problems = []
    for source, frame in summaries.items():
        missing = [c for c in SUMMARY_COLUMNS if c not in frame.columns]
        if missing:
            problems.append(
                Problem(
                    str((files or {}).get(source, source)),
                    f"a de-identification summary with columns {SUMMARY_COLUMNS}",
                    None,
                    ", ".join(missing),
                    None,
                )
            )
            continue
        if frame.empty:
            frame = pd.DataFrame(
                [
                    dict(
                        source=source,
                        column="",
                        kind="none",
                        confidence="",
                        n_hits=0,
                        action="no free text",
                        n_values_scanned=0,
                    )
                ]
            )
        frames.append(frame[SUMMARY_COLUMNS])
    if problems:
        raise InputError(problems)
    out = pd.concat(frames, ignore_index=True) if frames else empty_summary()
    for col in ("n_hits", "n_values_scanned"):
        out[col] = pd.to_numeric(out[col]).astype("int64")
    for col in ("source", "column", "kind", "confidence", "action"):
        out[col] = out[col].fillna("").astype(str)
    return out
